-- SPDX-License-Identifier: MIT
-- Closures, upvalues, higher-order functions, metatables, varargs, load().
local N = math.floor(60000 * SCALE)

local function counter()
  local c = 0
  return function() c = c + 1; return c end
end
local cs = {}
for i = 1, 1000 do cs[i] = counter() end
local tot = 0
for _ = 1, N // 1000 do
  for i = 1, 1000 do tot = tot + cs[i]() end
end
print("counters", tot)

local function map(t, f) local r = {} for i = 1, #t do r[i] = f(t[i]) end return r end
local function filter(t, f) local r = {} for i = 1, #t do if f(t[i]) then r[#r + 1] = t[i] end end return r end
local function reduce(t, f, acc) for i = 1, #t do acc = f(acc, t[i]) end return acc end
local xs = {}
for i = 1, N do xs[i] = i end
local r = reduce(filter(map(xs, function(x) return x * x end), function(x) return x % 3 == 1 end),
                 function(acc, b) return (acc + b) % 1000000007 end, 0)
print("map-filter-reduce", r)

local function compose(...)
  local fs = table.pack(...)
  return function(x)
    for i = fs.n, 1, -1 do x = fs[i](x) end
    return x
  end
end
local inc = function(x) return x + 1 end
local dbl = function(x) return x * 2 end
local c = 0
for i = 1, N do c = c + compose(inc, dbl, inc)(i) % 7 end
print("compose", c)

local V = {}
V.__index = V
function V.new(x, y) return setmetatable({ x = x, y = y }, V) end
V.__add = function(p, q) return V.new(p.x + q.x, p.y + q.y) end
V.__eq = function(p, q) return p.x == q.x and p.y == q.y end
V.__tostring = function(v) return string.format("(%g,%g)", v.x, v.y) end
V.__call = function(v, k) return v.x * k + v.y end
local acc = V.new(0, 0)
for i = 1, N do acc = acc + V.new(i % 7, i % 11) end
print("vector", tostring(acc), acc(3), acc == V.new(acc.x, acc.y))

local proxy = setmetatable({}, {
  __index = function(_, k) return k * 3 end,
  __newindex = function(t, k, v) rawset(t, k, v + 1) end,
  __len = function() return 42 end,
})
local ps = 0
for i = 1, 1000 do ps = ps + proxy[i] end
proxy[1] = 10
print("proxy", ps, rawget(proxy, 1), #proxy)

local function va(...) return select("#", ...), (select(2, ...)) end
local vn, vs = 0, 0
for i = 1, N // 10 do
  local n, second = va(i, i + 1, nil, i)
  vn = vn + n; vs = vs + second
end
print("varargs", vn, vs)

local f = load("local a, b = ... return a * b + 3")
local s = 0
for i = 1, 1000 do s = s + f(i, 2) end
for i = 1, 300 do
  local g = load("local x = ... return function(y) return x + y + " .. i .. " end")
  s = s + g(i)(1)
end
print("load", s)

local memo = {}
local function fib(n)
  if n < 2 then return n end
  local v = memo[n]
  if v == nil then v = fib(n - 1) + fib(n - 2); memo[n] = v end
  return v
end
print("fib", fib(80))
local function naive(n) if n < 2 then return n end return naive(n - 1) + naive(n - 2) end
print("naive", naive(22))
