import Bowser from 'bowser';
import { LRUCache } from 'lru-cache';

/** Device classes the adapter reports in `device_type` (the guide's three, plus bots, TVs and unknown). */
export type DeviceType = 'desktop' | 'mobile' | 'tablet' | 'tv' | 'bot' | 'unknown';

// Slots of the direct-mapped cache (a power of two).
const recentSlots = 256;

const knownTypes = new Set<string>(['desktop', 'mobile', 'tablet', 'tv', 'bot']);

/**
 * User-Agent → device class through `bowser`. Parsing costs tens of microseconds, and a site sees
 * few distinct User-Agents, so results are kept in a bounded LRU cache.
 */
export class DeviceClassifier {
  private readonly cache = new LRUCache<string, DeviceType>({ max: 2000 });
  // A direct-mapped cache in front of the LRU. Header strings are new on every request, so a Map
  // lookup hashes the whole User-Agent each time; here the slot comes from the length and three
  // characters, and a hit costs one string comparison.
  private readonly recentAgents: (string | undefined)[] = new Array<string | undefined>(recentSlots).fill(undefined);
  private readonly recentTypes: DeviceType[] = new Array<DeviceType>(recentSlots).fill('unknown');

  classify(userAgent: string | undefined): DeviceType {
    if (userAgent === undefined || userAgent === '') return 'unknown';
    const length = userAgent.length;
    const slot = (length * 31 + userAgent.charCodeAt(length >> 2) * 7 + userAgent.charCodeAt(length >> 1) * 3 + userAgent.charCodeAt(length - 1)) & (recentSlots - 1);
    if (this.recentAgents[slot] === userAgent) return this.recentTypes[slot] as DeviceType;
    // A 2 KB cap keeps hostile headers from costing parse time or cache memory.
    const key = userAgent.length > 2048 ? userAgent.slice(0, 2048) : userAgent;
    let type = this.cache.get(key);
    if (type === undefined) {
      type = parseDeviceType(key);
      this.cache.set(key, type);
    }
    if (key === userAgent) {
      this.recentAgents[slot] = userAgent;
      this.recentTypes[slot] = type;
    }
    return type;
  }
}

function parseDeviceType(userAgent: string): DeviceType {
  const platform = Bowser.parse(userAgent).platform.type;
  return platform !== undefined && knownTypes.has(platform) ? (platform as DeviceType) : 'unknown';
}
