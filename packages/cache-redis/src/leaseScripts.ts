/**
 * The Lua scripts of the cross-replica single flight. Each runs atomically in Redis; every key a
 * script touches shares the `{<id>}` hash tag (one slot), as Redis Cluster requires.
 */

/**
 * One look at a cold key: KEYS = token, lease, throttle; ARGV = owner id, lease ms, and a stored
 * value to treat as absent ("" for none: a token due for refresh, which every replica would
 * otherwise refresh at the same moment). Returns `{"throttled", ms left}`, `{"token", value}`,
 * `{"owner", 0}` (the caller took the lease: it fetches) or `{"wait", lease ms left}` (another
 * process is fetching).
 */
export const COORDINATE_SCRIPT = `
local throttled = redis.call('PTTL', KEYS[3])
if throttled > 0 then return {'throttled', throttled} end
local value = redis.call('GET', KEYS[1])
if value and value ~= ARGV[3] then return {'token', value} end
if redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2]) then return {'owner', 0} end
return {'wait', redis.call('PTTL', KEYS[2])}
`;

/**
 * The lease owner is done: KEYS = lease, throttle; ARGV = owner id, throttle ms (0: none),
 * channel, id. Shares a throttle, releases the lease only if this process still owns it (it may
 * have expired and been taken by another), and wakes the processes waiting for the id.
 */
export const SETTLE_SCRIPT = `
if tonumber(ARGV[2]) > 0 then redis.call('SET', KEYS[2], '1', 'PX', ARGV[2]) end
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
redis.call('PUBLISH', ARGV[3], ARGV[4])
return 1
`;
