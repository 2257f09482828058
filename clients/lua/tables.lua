-- SPDX-License-Identifier: MIT
-- Tables: arrays that grow, hash parts, deletions, sorting, records, queues.
-- (pairs() order depends on Lua's per-state string hash seed: only sums and
-- counts of a traversal are printed.)
local N = math.floor(60000 * SCALE)

local a = {}
for i = 1, N do a[i] = (i * 7919) % 100003 end
table.sort(a)
print("sorted", a[1], a[N // 2], a[N])

local h = {}
for i = 1, N do h["k" .. i] = i * 2 end
for i = 1, N, 3 do h["k" .. i] = nil end
local cnt, sum = 0, 0
for _, v in pairs(h) do cnt = cnt + 1; sum = sum + v end
print("hash", cnt, sum)

local sparse = {}
for i = 1, N do sparse[i * 17] = i end
local ssum = 0
for k, v in pairs(sparse) do ssum = ssum + k % 1000 + v end
print("sparse", ssum)

local q = {}
for i = 1, 3000 do table.insert(q, 1, i) end
for _ = 1, 1500 do table.remove(q, 1) end
for i = 1, 1000 do q[#q + 1] = -i end
print("queue", #q, q[1], q[#q])

local m = {}
for i = 1, 300 do
  local row = {}
  for j = 1, 300 do row[j] = (i * j) % 10 end
  m[i] = row
end
local trace, all = 0, 0
for i = 1, 300 do
  trace = trace + m[i][i]
  for j = 1, 300 do all = all + m[i][j] end
end
print("matrix", trace, all)

local recs = {}
for i = 1, N // 4 do
  recs[i] = { id = i, name = "n" .. (i * 31 % 1000), score = (i * 37) % 101, tags = { i % 3, i % 5 } }
end
table.sort(recs, function(x, y)
  if x.score ~= y.score then return x.score > y.score end
  return x.id < y.id
end)
print("records", recs[1].id, recs[1].name, recs[#recs].id, recs[N // 8].tags[2])

local groups = {}
for i = 1, #recs do
  local r = recs[i]
  local g = groups[r.name]
  if g == nil then g = {}; groups[r.name] = g end
  g[#g + 1] = r.id
end
local names = {}
for name in pairs(groups) do names[#names + 1] = name end
table.sort(names)
print("groups", #names, names[1], #groups[names[1]], names[#names], #groups[names[#names]])

local moved = table.move(a, 1, N // 2, 1, {})
print("move", #moved, moved[#moved], table.concat(moved, ",", 1, 5))
print("unpack", select("#", table.unpack(a, 1, 200)))

local set = {}
for round = 1, 20 do
  for i = 1, N // 20 do set[i + round * 100] = round end
  for i = 1, N // 40 do set[i + round * 100] = nil end
end
local left = 0
for _ in pairs(set) do left = left + 1 end
print("churn", left)
