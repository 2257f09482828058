#!/usr/bin/env bash
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
LIB_SRC="src/pv_core.c src/pv_source.c src/pv_chain.c src/pv_region.c src/pv_stack.c src/pv_fifo.c"
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
python3 - "$out/show.txt" <<'PY'
import re, sys
cur = None; last_src = {}
n = 0
for line in open(sys.argv[1], errors="replace"):
    line = line.rstrip("\n")
    if line.startswith("/") or line.startswith("src/"):
        cur = line.rstrip(":"); continue
    m = re.match(r"\s*(\d+)\|\s*([0-9.kM]*)\|(.*)", line)
    if m:
        ln, cnt, code = m.groups()
        last_src[(cur, ln)] = code
        if cnt == "0":
            print(f"  line   {cur}:{ln}: {code.strip()}"); n += 1
        continue
    m = re.search(r"Branch \((\d+):(\d+)\): \[True: ([0-9.kM]+), False: ([0-9.kM]+)\]", line)
    if m:
        ln, col, t, f = m.groups()
        if t == "0" or f == "0":
            side = "true" if t == "0" else "false"
            if t == "0" and f == "0": side = "either"
            print(f"  branch {cur}:{ln}:{col} never {side}: {last_src.get((cur, ln), '').strip()}")
            n += 1
if n == 0: print("  none")
PY
tot=$(grep '^TOTAL' "$out/report.txt")
lines=$(echo "$tot" | awk '{print $10}')
branches=$(echo "$tot" | awk '{print $13}')
echo "coverage: lines $lines, branches $branches"
