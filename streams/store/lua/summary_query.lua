-- One page of event summaries (ARGV: streams.store.redis_summary.QUERY).
local p = ARGV[1]
local zk, lo = p .. 'sx:' .. ARGV[2], ARGV[3]
local off, lim, scan, walk = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7])
local ws = {}
for i = 8, #ARGV do ws[#ws + 1] = p .. 'sq:' .. ARGV[i] end
local ids, total, exact = {}, 0, 1
local inrange = redis.call('ZCOUNT', zk, lo, '+inf')
if #ws == 0 then
  total = inrange
  ids = redis.call('ZREVRANGE', zk, off, off + lim - 1)
  if off + #ids > inrange then  -- past the ``since`` bound
    local keep = {}
    for i = 1, math.max(0, inrange - off) do keep[i] = ids[i] end
    ids = keep
  end
else
  local small, size = nil, nil
  for _, k in ipairs(ws) do
    local n = redis.call('SCARD', k)
    if size == nil or n < size then size, small = n, k end
  end
  local function all(e)
    for _, k in ipairs(ws) do
      if k ~= small and redis.call('SISMEMBER', k, e) == 0 then return false end
    end
    return true
  end
  if size == 0 then
    total = 0
  elseif size <= scan then  -- a rare word: every event it names, ordered here
    local found = {}
    for _, e in ipairs(redis.call('SMEMBERS', small)) do
      local s = redis.call('ZSCORE', zk, e)
      if s and tonumber(s) >= tonumber(lo) and all(e) then found[#found + 1] = {tonumber(s), e} end
    end
    table.sort(found, function(a, b) if a[1] ~= b[1] then return a[1] > b[1] end return a[2] > b[2] end)
    total = #found
    for i = off + 1, math.min(#found, off + lim) do ids[#ids + 1] = found[i][2] end
  else  -- a common word: the ordered events newest first, until the page is full and the budget spent
    local pos, matched = 0, 0
    while pos < inrange and (pos < walk or #ids < lim) and pos < walk * 25 do
      local batch = redis.call('ZREVRANGE', zk, pos, math.min(pos + 255, inrange - 1))
      if #batch == 0 then break end
      pos = pos + #batch
      for _, e in ipairs(batch) do
        if redis.call('SISMEMBER', small, e) == 1 and all(e) then
          matched = matched + 1
          if matched > off and #ids < lim then ids[#ids + 1] = e end
        end
      end
    end
    if pos < inrange then exact = 0; total = math.floor(matched * inrange / pos + 0.5) else total = matched end
  end
end
local out = {total, exact}
for _, e in ipairs(ids) do out[#out + 1] = redis.call('GET', p .. 'sum:' .. e) or '' end
return out
