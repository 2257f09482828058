#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# make coverage: the unit tests and every committed fuzz corpus under
# clang's source-based coverage; prints llvm-cov's report for src/, lists
# every branch direction never taken, and ends with
#   coverage: lines L%, branches B%
# Reproducers of known src bugs (fuzz/corpus/*/bug-*) abort by design and
# are replayed one per process, so they cannot lose the others' profiles.
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
CLANG=${FUZZ_CLANG:-clang}
LLVM_COV=${LLVM_COV:-llvm-cov-14}
LLVM_PROFDATA=${LLVM_PROFDATA:-llvm-profdata-14}
out=$BUILD/coverage
rm -rf "$out"; mkdir -p "$out/bin" "$out/prof"
LIB_SRC="src/pv_core.c src/pv_source.c src/pv_static.c src/pv_chain.c src/pv_region.c src/pv_stack.c src/pv_fifo.c src/pv_config.c"
CFL="-std=c99 -g -O0 -fprofile-instr-generate -fcoverage-mapping -Isrc"
objs=()
for t in tests/test_*.c; do
  [ -e "$t" ] || continue
  n=$(basename "$t" .c)
  if $CLANG $CFL -Itests "$t" $LIB_SRC -lcmocka -o "$out/bin/$n" 2>"$out/bin/$n.log"; then
    objs+=("$out/bin/$n")
    LLVM_PROFILE_FILE="$out/prof/$n-%p.profraw" "$out/bin/$n" >"$out/bin/$n.run" 2>&1 ||
      echo "note: unit test $n failed (its coverage still counts)"
  else
    echo "note: unit test $n does not build; left out"
  fi
done
for h in core region stack fifo mix; do
  b=$out/bin/fuzz_$h
  $CLANG $CFL -Ifuzz fuzz/fuzz_$h.c fuzz/replay.c fuzz/shadow.c $LIB_SRC -o "$b" || exit 1
  objs+=("$b")
  files=(); bugs=()
  for f in fuzz/corpus/$h/*; do
    [ -f "$f" ] || continue
    case "$(basename "$f")" in bug-*) bugs+=("$f") ;; *) files+=("$f") ;; esac
  done
  if [ "${#files[@]}" -gt 0 ]; then
    LLVM_PROFILE_FILE="$out/prof/$h-%p.profraw" "$b" -q "${files[@]}" 2>"$out/bin/fuzz_$h.run" ||
      echo "note: corpus $h failed under the coverage build"
  fi
  for f in "${bugs[@]}"; do
    LLVM_PROFILE_FILE="$out/prof/$h-bug-%p.profraw" "$b" -q "$f" >/dev/null 2>&1
  done
done
$LLVM_PROFDATA merge -sparse "$out"/prof/*.profraw -o "$out/all.profdata" || exit 1
args=("${objs[0]}")
for o in "${objs[@]:1}"; do args+=(-object "$o"); done
srcs=(src/*.c src/*.h)
$LLVM_COV report "${args[@]}" -instr-profile="$out/all.profdata" -show-branch-summary \
  "${srcs[@]}" | tee "$out/report.txt"
$LLVM_COV show "${args[@]}" -instr-profile="$out/all.profdata" -show-branches=count \
  "${srcs[@]}" >"$out/show.txt"
echo
echo "uncovered lines and branch directions in src/ (details: $out/show.txt):"
python3 - "$out/show.txt" "$out/summary.txt" <<'PY'
# Branches of inline functions in headers are listed once per translation
# unit that instantiates them: sum each (file, line, column) over them.
import re, sys
def num(x):
    return float(x[:-1]) * (1000 if x[-1] == "k" else 1e6) if x[-1] in "kM" else float(x)
cur = None; code = {}; br = {}; order = []; nline = 0
lines_total = {}; lines_hit = {}
for line in open(sys.argv[1], errors="replace"):
    line = line.rstrip("\n")
    if re.match(r"^/.*:$", line) or re.match(r"^src/.*:$", line):
        cur = line[:-1]; continue
    m = re.match(r"^\s*(\d+)\|\s*([0-9.kM]*)\|(.*)", line)
    if m and not line.startswith("  |"):
        ln, cnt, text = m.groups()
        code[(cur, int(ln))] = text.strip()
        if cnt != "":
            lines_total[cur] = lines_total.get(cur, 0) + 1
            lines_hit[cur] = lines_hit.get(cur, 0) + (cnt != "0")
        if cnt == "0":
            print(f"  line   {cur}:{ln}: {text.strip()}"); nline += 1
        continue
    m = re.search(r"Branch \((\d+):(\d+)\): \[True: ([0-9.kM]+), False: ([0-9.kM]+)\]", line)
    if m:
        k = (cur, int(m.group(1)), int(m.group(2)))
        if k not in br: br[k] = [0, 0]; order.append(k)
        br[k][0] += num(m.group(3)); br[k][1] += num(m.group(4))
nb = 0
for k in order:
    t, f = br[k]
    if t == 0 or f == 0:
        side = "either way" if t == 0 and f == 0 else ("true" if t == 0 else "false")
        print(f"  branch {k[0]}:{k[1]}:{k[2]} never {side}: {code.get((k[0], k[1]), '')}")
        nb += 1
if nline + nb == 0: print("  none")
# Per file and in total, with every instantiation of an inline function merged
# (llvm-cov report counts a header's lines per instantiation).
files = sorted(set(lines_total) | set(k[0] for k in br))
tl = th = tb = tbh = 0
print()
print("  %-28s %14s %18s" % ("file (instantiations merged)", "lines", "branch directions"))
for fn in files:
    l, h = lines_total.get(fn, 0), lines_hit.get(fn, 0)
    bs = [br[k] for k in br if k[0] == fn]
    b = 2 * len(bs); bh = sum((t > 0) + (f > 0) for t, f in bs)
    tl += l; th += h; tb += b; tbh += bh
    print("  %-28s %6d/%-6d %7d/%-7d" % (fn.split("/")[-1], h, l, bh, b))
pct = lambda a, b: "%.2f%%" % (100.0 * a / b if b else 100.0)
open(sys.argv[2], "w").write("coverage: lines %s, branches %s\n" % (pct(th, tl), pct(tbh, tb)))
PY
cat "$out/summary.txt"
