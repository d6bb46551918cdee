-- Delete the article marks that still name an event (KEYS, ARGV: streams.store.redis_index.DROP_MARKS).
for _, k in ipairs(KEYS) do
  if redis.call('GET', k) == ARGV[1] then redis.call('DEL', k) end
end
return 0
