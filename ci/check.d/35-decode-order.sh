#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A corpus file means the same operations whatever the compiler. The corpora
# are made by clang-built fuzzers and replayed by gcc-built drivers, so the
# harnesses must decode an input in an order C defines (fuzz/shadow.h: never
# two input fields read in one call's arguments). The plain replay driver of
# every harness is built with gcc and with clang, every file of
# fuzz/corpus/<harness>/ is replayed by both with the decoding trace on
# (replay -d: every field decoded, with its offset, kind and value, and
# every operation), and the two traces and exit statuses must be identical
# (addresses, which differ from run to run, masked). One test per corpus
# file; a trace without a single decoded field fails too (a broken trace
# would otherwise compare equal). Traces: $ORDER_DIR/traces/<cc>/<harness>/.
# Ends "N passed, N failed".
set -u
cd "$(dirname "$0")/../.."
ORDER_DIR=${ORDER_DIR:-build/fuzz-order}
CCS="gcc clang"
hs=""
for dir in fuzz/corpus/*/; do hs="$hs $(basename "$dir")"; done
log=${TMPDIR:-/tmp}/pv-order-build.$$
for cc in $CCS; do
  bins=""
  for h in $hs; do bins="$bins $ORDER_DIR/$cc/replay/fuzz_$h"; done
  if ! make -s CC="$cc" FUZZ_DIR="$ORDER_DIR/$cc" $bins >"$log" 2>&1; then
    cat "$log"; rm -f "$log"; echo "  cannot build the $cc replay drivers"
    echo "0 passed, 1 failed"; exit 1
  fi
done
rm -f "$log"

trace() { # $1 cc, $2 harness, $3 file, $4 output: the masked trace and the exit status
  "$ORDER_DIR/$1/replay/fuzz_$2" -q -d "$3" 2>/dev/null | sed -E 's/0x[0-9a-fA-F]+/0x_/g' >"$4"
  echo "exit ${PIPESTATUS[0]}" >>"$4"
}

pass=0 fail=0
# A quick guard first (one test): no line of a harness reads two input
# fields in one statement. The traces below are the proof; this names the line.
two=$(grep -nE 'pvz_(u8|u16|size|align)\([^;]*pvz_(u8|u16|size|align)\(' fuzz/fuzz_*.c)
if [ -z "$two" ]; then pass=$((pass + 1)); echo "  fuzz/fuzz_*.c: no statement reads two input fields on one line"
else fail=$((fail + 1)); echo "  FAILED: statements that read two input fields (order unspecified if in one call):"
  echo "$two" | sed 's/^/      /'; fi
for h in $hs; do
  hp=0 hf=0
  for cc in $CCS; do rm -rf "$ORDER_DIR/traces/$cc/$h"; mkdir -p "$ORDER_DIR/traces/$cc/$h"; done
  for f in fuzz/corpus/"$h"/*; do
    [ -f "$f" ] || continue
    b=$(basename "$f")
    a=$ORDER_DIR/traces/gcc/$h/$b c=$ORDER_DIR/traces/clang/$h/$b
    trace gcc "$h" "$f" "$a"
    trace clang "$h" "$f" "$c"
    if [ -s "$f" ] && ! grep -q '^  @' "$a"; then
      hf=$((hf + 1)); echo "  FAILED: $f: no decoded field in the trace ($a)"
    elif cmp -s "$a" "$c"; then
      hp=$((hp + 1))
    else
      hf=$((hf + 1))
      echo "  FAILED: $f decodes differently under gcc and clang (diff $a $c):"
      diff "$a" "$c" | grep -m 4 '^[<>]' | sed 's/^/      /'
    fi
  done
  printf '  %-8s %4d files: %d decode the same, %d differ\n' "$h" $((hp + hf)) "$hp" "$hf"
  pass=$((pass + hp)) fail=$((fail + hf))
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
