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

/** Values per step in a step batch's answer. */
export const stepAnswerCount = 7;

/**
 * A batch of steps (the steps recorded between two flushes: one command, not one per step).
 * KEYS: active zset. ARGV: ordered step count, ttl ms, timeout ms, session key prefix, then per
 * step: member, step index, now, start, src, dev, var, call id.
 * Answers per step: counted 1|0, furthest before, expired 1|0, src, dev, var, f (the last four: an
 * idle session closed first).
 */
export const funnelStepScript = luaScript(
  'funnel_step',
  `${expireIfIdle}
local z = KEYS[1]
local ordered, ttl, timeout, prefix = tonumber(ARGV[1]), ARGV[2], tonumber(ARGV[3]), ARGV[4]
local out = {}
for base = 5, #ARGV, 8 do
  local member, index, now, call = ARGV[base], tonumber(ARGV[base + 1]), tonumber(ARGV[base + 2]), ARGV[base + 7]
  local h = prefix .. member
  local expired = expireIfIdle(h, z, member, now, timeout)
  if redis.call('HSETNX', h, 'st', ARGV[base + 3]) == 1 then
    redis.call('HSET', h, 'src', ARGV[base + 4], 'dev', ARGV[base + 5], 'var', ARGV[base + 6], 'f', -1)
  end
  -- GT: a step replayed after an outage never moves the session's last activity back.
  redis.call('ZADD', z, 'GT', now, member)
  redis.call('PEXPIRE', h, ttl)
  local furthest = tonumber(redis.call('HGET', h, 'f'))
  local counted = redis.call('HSETNX', h, 's' .. index, call)
  if counted == 0 and redis.call('HGET', h, 's' .. index) == call then
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
  table.insert(out, counted)
  table.insert(out, furthest)
  if expired then
    table.insert(out, 1)
    table.insert(out, expired[1] or '')
    table.insert(out, expired[2] or '')
    table.insert(out, expired[3] or '')
    table.insert(out, tonumber(expired[4] or -1))
  else
    table.insert(out, 0)
    table.insert(out, '')
    table.insert(out, '')
    table.insert(out, '')
    table.insert(out, -1)
  end
end
redis.call('PEXPIRE', z, ttl)
return out
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
-- Nothing claimed, nothing to lose: no stored answer (most sweeps find no idle session).
if #out == 1 then return out end
return answer(out)
`,
);

export const funnelScripts = [funnelStepScript, funnelCompleteScript, funnelEndScript, funnelClaimScript];
