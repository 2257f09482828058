#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The committed fuzz corpora: every file of fuzz/corpus/<harness>/ replayed
# through two builds of the replay driver, one test per file and build (a
# broken promise or a sanitizer report fails it):
#   - replay-san, ASan+UBSan: every byte checked, but ASan turns on
#     PV_DBG_ON (src/pv_debug.h), which compiles out the inline fast paths
#     of pv_region.h and pv_stack.h for their annotated slow paths;
#   - replay, plain (no sanitizer, PV_DBG_ON off): the inline fast paths,
#     the code a user's build runs.
# A file named bug-* is the reproducer of a src bug found by the fuzzers
# (fuzz/README.md): it fails until the bug is fixed. Ends "N passed, N failed".
set -u
cd "$(dirname "$0")/../.."
FUZZ_DIR=${FUZZ_DIR:-build/fuzz}
if ! make -s FUZZ_DIR="$FUZZ_DIR" fuzz-build-replay >"${TMPDIR:-/tmp}/pv-corpus-build.$$" 2>&1; then
  cat "${TMPDIR:-/tmp}/pv-corpus-build.$$"; rm -f "${TMPDIR:-/tmp}/pv-corpus-build.$$"
  echo "0 passed, 1 failed"; exit 1
fi
rm -f "${TMPDIR:-/tmp}/pv-corpus-build.$$"
pass=0 fail=0
for variant in replay-san replay; do
  case $variant in
    replay-san) what="ASan+UBSan, annotated slow paths" ;;
    *) what="plain, inline fast paths" ;;
  esac
  echo "  $FUZZ_DIR/$variant ($what):"
  for dir in fuzz/corpus/*/; do
    h=$(basename "$dir")
    bin=$FUZZ_DIR/$variant/fuzz_$h
    [ -x "$bin" ] || { echo "  $h: no replay driver $bin"; fail=$((fail + 1)); continue; }
    hp=0 hf=0
    for f in "$dir"*; do
      [ -f "$f" ] || continue
      # (an inner shell, so that an abort is not also reported by this one)
      if ASAN_OPTIONS=abort_on_error=1:detect_leaks=1 \
         bash -c '"$0" -q "$1" >/dev/null 2>"$2"; exit $?' "$bin" "$f" "$FUZZ_DIR/corpus-last.log" 2>/dev/null; then
        hp=$((hp + 1))
      else
        hf=$((hf + 1))
        echo "  FAILED: $f ($variant)   (replay: make fuzz-repro FILE=$f)"
        grep -A3 "broken promise\|ERROR: AddressSanitizer\|runtime error" "$FUZZ_DIR/corpus-last.log" | head -n 6 | sed 's/^/      /'
      fi
    done
    printf '  %-8s %4d files: %d passed, %d failed\n' "$h" $((hp + hf)) "$hp" "$hf"
    pass=$((pass + hp)) fail=$((fail + hf))
  done
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
