-- A whole event (KEYS, ARGV: streams.store.redis_events.READ_ALL).
local head = redis.call('GET', KEYS[1])
if not head then return {0} end
local sl = redis.call('SMEMBERS', KEYS[3])
table.sort(sl)
local out = {head, redis.call('HVALS', KEYS[2]), redis.call('LRANGE', KEYS[4], 0, -1), sl}
for _, s in ipairs(sl) do out[#out + 1] = redis.call('HVALS', ARGV[1] .. s) end
return out
