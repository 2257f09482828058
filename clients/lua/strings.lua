-- SPDX-License-Identifier: MIT
-- Strings: formatting, concatenation, patterns, interning, pack/unpack.
local N = math.floor(40000 * SCALE)

local parts = {}
for i = 1, N do
  parts[#parts + 1] = string.format("%d:%x:%s", i, i * 7, ("ab"):rep(i % 13))
end
local s = table.concat(parts, ",")
print("concat", #s, s:sub(1, 40), s:sub(-40))

local words = 0
for _ in s:gmatch("%d+:") do words = words + 1 end
print("gmatch", words)
local replaced, n = s:gsub("ab", "X")
print("gsub", n, #replaced, replaced:sub(-30))
print("find", s:find("100:", 1, true), s:find("(%d+):2bc:", 1))

local h = 0
for i = 1, N * 5 do
  local k = "key" .. (i % 1000)
  h = (h * 31 + #k + k:byte(-1)) % 4294967296
end
print("intern", h)

local acc = ""
for i = 1, 3000 do acc = acc .. string.char(65 + i % 26) end
print("grow", #acc, acc:sub(1, 30), acc:lower():reverse():sub(1, 20), acc:upper() == acc)

local packed = {}
for i = 1, N do packed[i] = string.pack("<i4dz", i, i / 3, tostring(i)) end
local sum = 0
for i = 1, N do
  local a, b, c = string.unpack("<i4dz", packed[i])
  sum = sum + a + b + #c
end
print("pack", string.format("%.6f", sum))

local lines = {}
for i = 1, N // 4 do
  lines[i] = string.format("%-8s|%8.3f|%08X", "r" .. i, i * 1.25, i * 2654435761 % 4294967296)
end
local text = table.concat(lines, "\n")
local total = 0.0
for name, val in text:gmatch("(r%d+)%s*|%s*([%d%.]+)") do total = total + tonumber(val) + #name end
print("parse", string.format("%.3f", total), #text)

local utf = {}
for i = 1, 2000 do utf[i] = utf8.char(0x41 + i % 26, 0x3B1 + i % 25, 0x4E00 + i) end
local u = table.concat(utf)
print("utf8", utf8.len(u), #u)
