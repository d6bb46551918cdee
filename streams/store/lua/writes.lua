-- Run write commands in order, in one call (ARGV: streams.store.redis_batch.WRITES).
local i, n = 1, #ARGV
while i <= n do
  local k = tonumber(ARGV[i])
  redis.call(unpack(ARGV, i + 1, i + k))
  i = i + k + 1
end
return 0
