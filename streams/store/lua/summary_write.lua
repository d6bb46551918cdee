-- Write or remove one event's summary record and words (ARGV: streams.store.redis_summary.SUMMARY).
local p, id = ARGV[1], ARGV[2]
local inset = {}
for _, s in ipairs(cjson.decode(ARGV[5])) do inset[s] = true end
for _, s in ipairs(cjson.decode(ARGV[6])) do
  if inset[s] then redis.call('ZADD', p .. 'sx:' .. s, ARGV[4], id) else redis.call('ZREM', p .. 'sx:' .. s, id) end
end
local wk = p .. 'sw:' .. id
if ARGV[3] == '' then
  for _, w in ipairs(redis.call('SMEMBERS', wk)) do redis.call('SREM', p .. 'sq:' .. w, id) end
  redis.call('DEL', p .. 'sum:' .. id, wk)
  return 0
end
redis.call('SET', p .. 'sum:' .. id, ARGV[3])
local n, most = redis.call('SCARD', wk), tonumber(ARGV[7])
for i = 8, #ARGV do
  if n >= most then break end
  if redis.call('SADD', wk, ARGV[i]) == 1 then redis.call('SADD', p .. 'sq:' .. ARGV[i], id); n = n + 1 end
end
return 0
