#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Run cmocka test binaries, print each one's result and a last line
# "N passed, N failed" (a binary that dies before its summary counts as one
# failed test). Exit status 1 if anything failed.
# PV_TEST_RUNNER, if set, is a command each binary is run under (make cross
# sets it to qemu-i386 for the -m32 tests on a kernel that runs no 32-bit x86
# program).
set -u
runner=${PV_TEST_RUNNER:-}
pass=0 fail=0
for bin in "$@"; do
  # shellcheck disable=SC2086 # the runner is a command and its options
  out=$($runner "$bin" 2>&1); rc=$?
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
