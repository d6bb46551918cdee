-- Run write commands in order, in one call (ARGV: streams.store.redis_batch.WRITES).
for _, words in ipairs(cjson.decode(ARGV[1])) do
  redis.call(unpack(words))
end
return 0
