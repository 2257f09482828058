-- SPDX-License-Identifier: MIT
-- Coroutines: generators, many live coroutines, churn, errors, close.
local N = math.floor(40000 * SCALE)

local function gen(n)
  return coroutine.wrap(function() for i = 1, n do coroutine.yield(i) end end)
end
local s = 0
for v in gen(N) do s = s + v end
print("generator", s)

local cos = {}
for i = 1, 500 do
  cos[i] = coroutine.create(function(a)
    local x = a
    local hist = {}
    while true do
      hist[#hist + 1] = x
      if #hist > 8 then table.remove(hist, 1) end
      x = x + coroutine.yield(x + #hist)
    end
  end)
end
local tot = 0
for _ = 1, N // 500 do
  for i = 1, 500 do
    local _, v = coroutine.resume(cos[i], i)
    tot = (tot + v) % 1000000007
  end
end
print("round-robin", tot)
local closed = 0
for i = 1, 500 do if coroutine.close(cos[i]) then closed = closed + 1 end end
print("closed", closed, coroutine.status(cos[1]))

local c = 0
for i = 1, N do
  local co = coroutine.create(function(x) coroutine.yield(x + 1); return x + 2 end)
  local _, a = coroutine.resume(co, i)
  local _, b = coroutine.resume(co)
  c = c + a + b
end
print("churn", c)

local function producer(n)
  return coroutine.create(function()
    for i = 1, n do coroutine.yield(string.format("msg-%05d-%s", i, ("z"):rep(i % 17))) end
  end)
end
local function filter(src)
  return coroutine.create(function()
    while true do
      local ok, m = coroutine.resume(src)
      if not ok or m == nil then return end
      if #m % 2 == 0 then coroutine.yield(m:upper()) end
    end
  end)
end
local p = filter(producer(N // 2))
local count, bytes = 0, 0
while true do
  local ok, m = coroutine.resume(p)
  if not ok or m == nil then break end
  count = count + 1; bytes = bytes + #m
end
print("pipeline", count, bytes)

local co = coroutine.create(function() error({ code = 7 }) end)
local ok, err = coroutine.resume(co)
print("error", ok, type(err), err.code, coroutine.status(co))
local inner = coroutine.wrap(function()
  local ok2, e = pcall(function()
    coroutine.yield(1)
    error("inside pcall")
  end)
  coroutine.yield(ok2 and "no error" or e:gsub("^.-:%d+: ", ""))
  return "done"
end)
print("pcall", inner(), inner(), inner())

local depth = 0
local function nest(n)
  if n == 0 then return coroutine.yield(depth) end
  local co2 = coroutine.wrap(function() depth = depth + 1; return nest(n - 1) end)
  return co2()
end
print("nested", coroutine.wrap(function() return nest(100) end)())
