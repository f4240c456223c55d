'use client';
import { createContext } from 'react';
import type { EngagementClient } from './engagementClient';

/** The provider's client; `null` outside a provider, where every hook is a no-op. */
export const EngagementContext = createContext<EngagementClient | null>(null);
