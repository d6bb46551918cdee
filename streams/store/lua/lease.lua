-- Take a lease if free or ours, renewing its TTL; else refuse (KEYS, ARGV: streams.store.redis_leases.LEASE).
local held = redis.call('GET', KEYS[1])
if not held then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
if held == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0
