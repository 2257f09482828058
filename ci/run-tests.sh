#!/usr/bin/env bash
# Run cmocka test binaries, print each one's result and a last line
# "N passed, N failed" (a binary that dies before its summary counts as one
# failed test). Exit status 1 if anything failed.
set -u
pass=0 fail=0
for bin in "$@"; do
  out=$("$bin" 2>&1); rc=$?
  p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | tail -n 1)
  f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | tail -n 1)
  p=${p:-0} f=${f:-0}
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
  if [ "$f" -ne 0 ]; then
    printf '%s\n' "$out" | grep -E '^\[  (FAILED|  ERROR)|^\[  ERROR|error|Error|ERROR' | head -n 20
  fi
  printf '  %-40s %4d passed, %d failed\n' "$(basename "$bin")" "$p" "$f"
  pass=$((pass + p)) fail=$((fail + f))
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
