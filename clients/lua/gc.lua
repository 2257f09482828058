-- SPDX-License-Identifier: MIT
-- Garbage collector stress: garbage in both modes, forced collections,
-- weak tables, ephemerons, finalizers, resurrection.
local N = math.floor(150000 * SCALE)

collectgarbage("incremental", 110, 400)
local keep = {}
for i = 1, N do
  local t = { i, tostring(i), { i } }
  if i % 100 == 0 then keep[#keep + 1] = t end
end
print("incremental", #keep, keep[#keep][2])

collectgarbage("generational", 10, 50)
for _ = 1, 5 do
  local tmp = {}
  for i = 1, N // 5 do tmp[i] = { i, "s" .. i } end
  keep[#keep + 1] = tmp[#tmp]
end
print("generational", #keep, keep[#keep][2])
collectgarbage("incremental", 120, 200)

for i = 1, N do
  local str = string.rep("x", i % 60) .. i
  if i % 1000 == 0 then collectgarbage("step", 0) end
  if #str < 0 then print(str) end
end
collectgarbage()
print("strings", collectgarbage("count") > 0)

local weak = setmetatable({}, { __mode = "v" })
local strong = {}
local function fill()
  for i = 1, 2000 do
    local v = { i }
    weak[i] = v
    if i % 2 == 1 then strong[#strong + 1] = v end
  end
end
fill()
collectgarbage(); collectgarbage()
local alive = 0
for i = 1, 2000 do if weak[i] ~= nil then alive = alive + 1 end end
print("weak values", alive, #strong)

local eph = setmetatable({}, { __mode = "k" })
local keys = {}
local function fill_eph()
  for i = 1, 2000 do
    local k = {}
    eph[k] = { k, i }
    if i % 4 == 0 then keys[#keys + 1] = k end
  end
end
fill_eph()
collectgarbage(); collectgarbage()
local n, isum = 0, 0
for _, v in pairs(eph) do n = n + 1; isum = isum + v[2] end
print("ephemerons", n, isum)

local finalized, fsum = 0, 0
local function make_finalized()
  for i = 1, 3000 do
    setmetatable({ i }, { __gc = function(o) finalized = finalized + 1; fsum = fsum + o[1] end })
  end
end
make_finalized()
collectgarbage(); collectgarbage()
print("finalizers", finalized, fsum)

local saved = {}
local function make_resurrected()
  for i = 1, 500 do
    setmetatable({ i }, { __gc = function(o) saved[#saved + 1] = o end })
  end
end
make_resurrected()
collectgarbage(); collectgarbage()
local rsum = 0
for i = 1, #saved do rsum = rsum + saved[i][1] end
print("resurrected", #saved, rsum)
saved = nil
collectgarbage()

local big = {}
for round = 1, 10 do
  big = {}
  for i = 1, N // 10 do big[i] = { round, i, ("y"):rep(i % 33) } end
  collectgarbage("step", 100)
end
print("rounds", #big, big[#big][1], #big[#big][3])
