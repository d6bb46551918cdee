-- The copies index's lookup in one round trip (KEYS, ARGV: streams.store.origins.COPIES).
local hits, order = {}, {}
for band in string.gmatch(ARGV[3], '%S+') do
  -- the members "band|article": from "band|" up to, not including, "band}" ("}" follows "|")
  local members = redis.call('ZRANGEBYLEX', KEYS[1], '[' .. band .. '|', '(' .. band .. '}')
  for j = 1, #members do
    local a = string.sub(members[j], #band + 2)
    local n = hits[a]
    if n == nil then order[#order + 1] = a; hits[a] = 1 else hits[a] = n + 1 end
  end
end
-- byte order, as Python orders the ids (UTF-8 keeps code point order; Lua's "<" follows the locale)
local function before(a, b)
  local ha, hb = hits[a], hits[b]
  if ha ~= hb then return ha > hb end
  for i = 1, math.min(#a, #b) do
    local x, y = string.byte(a, i), string.byte(b, i)
    if x ~= y then return x < y end
  end
  return #a < #b
end
local ranked = {}
for _, a in ipairs(order) do
  if a ~= ARGV[1] then ranked[#ranked + 1] = a end
end
table.sort(ranked, before)
local out = {}
for i = 1, math.min(#ranked, tonumber(ARGV[2])) do
  local fp = redis.call('HGET', KEYS[2], ranked[i])
  if fp then
    out[#out + 1] = ranked[i]
    out[#out + 1] = fp
  end
end
return out
