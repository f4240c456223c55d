import { performance } from 'node:perf_hooks';

/**
 * `performance.now()` through a bound reference: the global `performance` is a lazy getter on
 * `globalThis`, and this runs twice per request.
 */
export const monotonicNow: () => number = performance.now.bind(performance);
