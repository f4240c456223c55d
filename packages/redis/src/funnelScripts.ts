import { luaScript } from './luaScript';

// Key layout of one funnel, all under the hash tag {funnel} so a cluster keeps them on one slot:
//   <prefix>{<funnel>}:s:<session>  hash: st (start, epoch ms), src, dev, var, f (furthest step), s<i> (id of the call that counted step i)
//   <prefix>{<funnel>}:active       zset: session -> last activity (epoch ms), what the sweepers claim from
//   <prefix>{<funnel>}:op:<id>      the answer of a complete(), end() or claim already applied, kept for a while
// Every script is atomic. Each call carries an id: when a reply is lost (the connection dropped after
// Redis ran the script) the call is sent again and gets the same answer, so it counts exactly once.
// Steps are HSETNX of the call id (another call answers "seen"); closing a session is a ZREM that
// exactly one caller wins, and its answer is stored under the call id.

/** Closes an idle session found by a step or complete(): returns its labels and furthest step, or nothing. */
const expireIfIdle = `
local function expireIfIdle(h, z, member, now, timeout)
  local last = redis.call('ZSCORE', z, member)
  if last and tonumber(last) < now - timeout then
    redis.call('ZREM', z, member)
    local v = redis.call('HMGET', h, 'src', 'dev', 'var', 'f')
    redis.call('DEL', h)
    return v
  end
  return nil
end
`;

/** Opens a script that runs once per call id (the marker key): a replay returns the stored answer through \`answer\`. */
const oncePerCall = (markerKey: string, ttl: string) => `
local previous = redis.call('GET', ${markerKey})
if previous then return cjson.decode(previous) end
local function answer(result)
  redis.call('SET', ${markerKey}, cjson.encode(result), 'PX', ${ttl})
  return result
end
`;

/**
 * KEYS: session hash, active zset. ARGV: step index, ordered step count, now, start, src, dev, var,
 * ttl ms, session member, timeout ms, call id.
 * Returns {counted 1|0, furthest before, expired?, src, dev, var, f} (the last four: an idle session closed first).
 */
export const funnelStepScript = luaScript(
  'funnel_step',
  `${expireIfIdle}
local h, z = KEYS[1], KEYS[2]
local index, ordered, now = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local expired = expireIfIdle(h, z, ARGV[9], now, tonumber(ARGV[10]))
if redis.call('HSETNX', h, 'st', ARGV[4]) == 1 then
  redis.call('HSET', h, 'src', ARGV[5], 'dev', ARGV[6], 'var', ARGV[7], 'f', -1)
end
redis.call('ZADD', z, now, ARGV[9])
redis.call('PEXPIRE', h, ARGV[8])
redis.call('PEXPIRE', z, ARGV[8])
local furthest = tonumber(redis.call('HGET', h, 'f'))
local counted = redis.call('HSETNX', h, 's' .. index, ARGV[11])
if counted == 0 and redis.call('HGET', h, 's' .. index) == ARGV[11] then
  -- This very call counted it before its reply was lost: the same answer again.
  counted = 1
  furthest = tonumber(redis.call('HGET', h, 'pf' .. index) or furthest)
elseif counted == 1 then
  redis.call('HSET', h, 'pf' .. index, furthest)
  local furthestOrdered = furthest
  if furthest >= ordered then furthestOrdered = -1 end
  if not (index < ordered and index < furthestOrdered) and (index < ordered or furthest == -1) then
    redis.call('HSET', h, 'f', index)
  end
end
if expired then return {counted, furthest, 1, expired[1] or '', expired[2] or '', expired[3] or '', tonumber(expired[4] or -1)} end
return {counted, furthest, 0}
`,
);

/**
 * KEYS: session hash, active zset, op marker. ARGV: final step index, now, marker ttl ms, member, timeout ms.
 * Returns {1, start or '', final step seen 1|0, expired?, src, dev, var, f}.
 */
export const funnelCompleteScript = luaScript(
  'funnel_complete',
  `${expireIfIdle}
local h, z = KEYS[1], KEYS[2]
${oncePerCall('KEYS[3]', 'ARGV[3]')}
local now = tonumber(ARGV[2])
local expired = expireIfIdle(h, z, ARGV[4], now, tonumber(ARGV[5]))
local v = redis.call('HMGET', h, 'st', 's' .. ARGV[1])
redis.call('ZREM', z, ARGV[4])
redis.call('DEL', h)
local seen = 0
if v[2] then seen = 1 end
if expired then return answer({1, v[1] or '', seen, 1, expired[1] or '', expired[2] or '', expired[3] or '', tonumber(expired[4] or -1)}) end
return answer({1, v[1] or '', seen, 0})
`,
);

/**
 * KEYS: session hash, active zset, call marker. ARGV: member, now, timeout ms, marker ttl ms.
 * Returns {} for an unknown (or already closed) session, else {cause 'ended'|'expired', src, dev, var, f}.
 */
export const funnelEndScript = luaScript(
  'funnel_end',
  `${oncePerCall('KEYS[3]', 'ARGV[4]')}
local h, z = KEYS[1], KEYS[2]
local last = redis.call('ZSCORE', z, ARGV[1])
if not last then return answer({}) end
redis.call('ZREM', z, ARGV[1])
local v = redis.call('HMGET', h, 'src', 'dev', 'var', 'f')
redis.call('DEL', h)
local cause = 'ended'
if tonumber(last) < tonumber(ARGV[2]) - tonumber(ARGV[3]) then cause = 'expired' end
return answer({cause, v[1] or '', v[2] or '', v[3] or '', tonumber(v[4] or -1)})
`,
);

/**
 * The sweeper's claim. KEYS: active zset, call marker. ARGV: cutoff (sessions last active before it
 * are idle), batch size, session key prefix, marker ttl ms. Removes the idle sessions it returns: each is claimed by exactly
 * one sweeper. Returns {open sessions left, src, dev, var, f, src, dev, var, f, ...}.
 */
export const funnelClaimScript = luaScript(
  'funnel_claim',
  `${oncePerCall('KEYS[2]', 'ARGV[4]')}
local z = KEYS[1]
local ids = redis.call('ZRANGEBYSCORE', z, '-inf', '(' .. ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
local out = {0}
for _, id in ipairs(ids) do
  redis.call('ZREM', z, id)
  local h = ARGV[3] .. id
  local v = redis.call('HMGET', h, 'src', 'dev', 'var', 'f')
  redis.call('DEL', h)
  if v[4] then
    table.insert(out, v[1] or '')
    table.insert(out, v[2] or '')
    table.insert(out, v[3] or '')
    table.insert(out, tonumber(v[4]))
  end
end
out[1] = redis.call('ZCARD', z)
return answer(out)
`,
);

export const funnelScripts = [funnelStepScript, funnelCompleteScript, funnelEndScript, funnelClaimScript];
