-- One article's view of an event (KEYS, ARGV: streams.store.redis_events.VIEW).
local head = redis.call('GET', KEYS[1])
if not head then return {0} end
local recs, seen = {}, {}
local function take(id)
  if seen[id] then return end
  seen[id] = true
  local r = redis.call('HGET', KEYS[2], id)
  if r then recs[#recs + 1] = r end
end
take(ARGV[2])
if ARGV[3] ~= '' then
  local ids = redis.call('HGET', KEYS[3], ARGV[3])
  if ids then for _, i in ipairs(cjson.decode(ids)) do take(i) end end
end
local slots, urls = {}, {}
for i = 4, #ARGV do slots[ARGV[i]] = true end
for _, r in ipairs(recs) do
  local rec = cjson.decode(r)
  for _, c in ipairs(rec.claims) do slots[c[2]] = true end
  if rec.u ~= cjson.null and rec.u ~= nil and rec.u ~= '' then
    urls[#urls + 1] = rec.u
    urls[#urls + 1] = redis.call('HGET', KEYS[3], rec.u) or '[]'
  end
end
local sl = {}
for s, _ in pairs(slots) do sl[#sl + 1] = s end
table.sort(sl)
local held = cjson.decode(ARGV[4])
local out = {head, redis.call('HLEN', KEYS[2]), redis.call('LLEN', KEYS[4]), redis.call('GET', KEYS[5]) or '0',
             recs, urls, sl, redis.call('GET', KEYS[7]) or ''}
for _, s in ipairs(sl) do
  local token = redis.call('HGET', KEYS[6], s)
  if token and held[s] == token then out[#out + 1] = 0  -- the caller holds this version
  else out[#out + 1] = redis.call('HVALS', ARGV[1] .. s) end
end
return out
