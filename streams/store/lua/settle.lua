-- Count an article version once and move the claims offset forward (KEYS, ARGV: streams.store.ledger.SETTLE).
local counted = redis.call('SADD', KEYS[1], ARGV[1])
local last = 3 + 2 * tonumber(ARGV[3])
if counted == 1 then
  for i = 4, last, 2 do redis.call('HINCRBY', KEYS[2], ARGV[i], ARGV[i + 1]) end
end
local cur = tonumber(redis.call('GET', KEYS[3]) or '-1')
if tonumber(ARGV[2]) > cur then redis.call('SET', KEYS[3], ARGV[2]) end
for i = last + 1, #ARGV, 2 do redis.call('HINCRBY', KEYS[2], ARGV[i], ARGV[i + 1]) end
return counted
