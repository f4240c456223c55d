import { luaScript } from './luaScript';

// Keys, all under the hash tag {au} so a cluster keeps them on one slot:
//   <prefix>{au}:<window>:<windowStart ms>:<tier>   HyperLogLog of the users of one window and tier
//   <prefix>{au}:tiers:<monthStart ms>              set of the tiers seen this month
// Each expires a grace period after its window ends. PFADD and SADD are idempotent: a replay
// after an outage cannot count a user twice.

/**
 * KEYS: daily, weekly, monthly sketch, tier set. ARGV: element (the user's 64-bit hash, hex),
 * expiry (epoch ms) of each of the four keys, tier.
 */
export const activeUserAddScript = luaScript(
  'active_users_add',
  `
for i = 1, 3 do
  redis.call('PFADD', KEYS[i], ARGV[1])
  redis.call('PEXPIREAT', KEYS[i], ARGV[i + 1])
end
redis.call('SADD', KEYS[4], ARGV[6])
redis.call('PEXPIREAT', KEYS[4], ARGV[5])
return 1
`,
);

/**
 * KEYS: tier set. ARGV: key prefix of each window's sketches (daily, weekly, monthly; the tier is appended).
 * Returns {tier, daily, weekly, monthly, tier, ...} with PFCOUNT of each.
 */
export const activeUserCountScript = luaScript(
  'active_users_count',
  `
local out = {}
for _, tier in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  table.insert(out, tier)
  for i = 1, 3 do table.insert(out, redis.call('PFCOUNT', ARGV[i] .. tier)) end
end
return out
`,
);

export const activeUserScripts = [activeUserAddScript, activeUserCountScript];
