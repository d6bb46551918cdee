-- The matching index's candidate lookup in one round trip (KEYS, ARGV: streams.store.redis_index.LOOKUP).
local n = redis.call('ZCARD', ARGV[7]) + 1
local lo, mid, hi, half, budget = ARGV[1], ARGV[2], ARGV[3], ARGV[4], tonumber(ARGV[8])
local dfs, ks = {}, {}
for i, k in ipairs(KEYS) do
  local df = redis.call('ZCARD', k)
  if df > 0 then dfs[i] = df; ks[#ks + 1] = i end
end
table.sort(ks, function(a, b) if dfs[a] ~= dfs[b] then return dfs[a] < dfs[b] end return a < b end)
local score, order = {}, {}
for _, i in ipairs(ks) do  -- rarest first, until the budget of events is found
  if #order >= budget then break end
  local k = KEYS[i]
  local idf = math.log(n / dfs[i]) + 0.1
  local seen = {}  -- an event anchored on the article's day is in two lists: counted once
  local function count(list)
    for j = 1, #list do
      local e = list[j]
      if not seen[e] then
        seen[e] = true
        local s = score[e]
        if s == nil then order[#order + 1] = e; score[e] = idf else score[e] = s + idf end
      end
    end
  end
  count(redis.call('ZRANGEBYSCORE', k, mid, hi, 'LIMIT', 0, half))
  count(redis.call('ZREVRANGEBYSCORE', k, mid, lo, 'LIMIT', 0, half))
  if ARGV[9] == '1' then count(redis.call('ZREVRANGEBYSCORE', k, 0, 0, 'LIMIT', 0, half)) end
end
local out = {}
for _ = 1, math.min(#order, tonumber(ARGV[5])) do  -- the best remaining, ncand times (no full sort)
  local bi, be, bs = 0, nil, -1
  for i = 1, #order do
    local e = order[i]
    if e then
      local s = score[e]
      if s > bs or (s == bs and e < be) then bi, be, bs = i, e, s end
    end
  end
  order[bi] = false
  local raw = redis.call('GET', ARGV[6] .. be)
  if raw then out[#out + 1] = raw end
end
return out
