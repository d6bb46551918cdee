-- The copies index's band lookup in one round trip (KEYS, ARGV: streams.store.origins.COPIES).
local hits, order = {}, {}
for i = 1, #ARGV do
  local band = ARGV[i]
  -- the members "band|article": from "band|" up to, not including, "band}" ("}" follows "|")
  local members = redis.call('ZRANGEBYLEX', KEYS[1], '[' .. band .. '|', '(' .. band .. '}')
  for j = 1, #members do
    local a = string.sub(members[j], #band + 2)
    local n = hits[a]
    if n == nil then order[#order + 1] = a; hits[a] = 1 else hits[a] = n + 1 end
  end
end
local out = {}
for _, a in ipairs(order) do
  out[#out + 1] = a
  out[#out + 1] = hits[a]
end
return out
