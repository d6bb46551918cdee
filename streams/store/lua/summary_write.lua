-- Write or remove one event's summary record and words (ARGV: streams.store.redis_summary.SUMMARY).
local p, id = ARGV[1], ARGV[2]
local inset = {}
for _, s in ipairs(cjson.decode(ARGV[5])) do inset[s] = true end
for _, s in ipairs(cjson.decode(ARGV[6])) do
  if inset[s] then redis.call('ZADD', p .. 'sx:' .. s, ARGV[4], id) else redis.call('ZREM', p .. 'sx:' .. s, id) end
end
local wk = p .. 'sw:' .. id
-- the projection's totals (agents.core.summary.totals_change): the old record out, the new one in
local tk = p .. 'sum-totals'
local function add(field, n)
  if n ~= 0 then redis.call('HINCRBY', tk, field, n) end -- never "-0": not an integer to Redis
end
local function tally(raw, sign)
  if not raw then return end
  local r = cjson.decode(raw)
  add('events', sign)
  add('claims', sign * (tonumber(r.claim_count) or 0))
  add('contradictions', sign * (tonumber(r.contradiction_count) or 0))
  if type(r.kinds) == 'table' then
    for k, n in pairs(r.kinds) do add('kind:' .. k, sign * (tonumber(n) or 0)) end
  end
end
tally(redis.call('GET', p .. 'sum:' .. id), -1)
if ARGV[3] == '' then
  for _, w in ipairs(redis.call('SMEMBERS', wk)) do redis.call('SREM', p .. 'sq:' .. w, id) end
  redis.call('DEL', p .. 'sum:' .. id, wk)
  return 0
end
redis.call('SET', p .. 'sum:' .. id, ARGV[3])
tally(ARGV[3], 1)
local n, most = redis.call('SCARD', wk), tonumber(ARGV[7])
for _, w in ipairs(cjson.decode(ARGV[8])) do
  if n >= most then break end
  if redis.call('SADD', wk, w) == 1 then redis.call('SADD', p .. 'sq:' .. w, id); n = n + 1 end
end
return 0
