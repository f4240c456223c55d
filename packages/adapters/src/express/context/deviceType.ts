import Bowser from 'bowser';
import { LRUCache } from 'lru-cache';

/** Device classes the adapter reports in `device_type` (the guide's three, plus bots, TVs and unknown). */
export type DeviceType = 'desktop' | 'mobile' | 'tablet' | 'tv' | 'bot' | 'unknown';

const knownTypes = new Set<string>(['desktop', 'mobile', 'tablet', 'tv', 'bot']);

/**
 * User-Agent → device class through `bowser`. Parsing costs tens of microseconds, and a site sees
 * few distinct User-Agents, so results are kept in a bounded LRU cache.
 */
export class DeviceClassifier {
  private readonly cache = new LRUCache<string, DeviceType>({ max: 2000 });

  classify(userAgent: string | undefined): DeviceType {
    if (userAgent === undefined || userAgent === '') return 'unknown';
    // A 2 KB cap keeps hostile headers from costing parse time or cache memory.
    const key = userAgent.length > 2048 ? userAgent.slice(0, 2048) : userAgent;
    let type = this.cache.get(key);
    if (type === undefined) {
      type = parseDeviceType(key);
      this.cache.set(key, type);
    }
    return type;
  }
}

function parseDeviceType(userAgent: string): DeviceType {
  const platform = Bowser.parse(userAgent).platform.type;
  return platform !== undefined && knownTypes.has(platform) ? (platform as DeviceType) : 'unknown';
}
