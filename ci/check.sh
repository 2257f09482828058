#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# make check: the unit tests in four configurations (gcc and clang, plain
# and ASan+UBSan) and a fifth, hardened (PV_HARDENED=1, gcc, ASan+UBSan),
# then every suite in ci/check.d/ (each ends with its own "N passed, N
# failed" line). Ends with the grand total on one line.
set -u
cd "$(dirname "$0")/.."
total_p=0 total_f=0
add() { # parse the last "N passed, N failed" line of a log
  local line p f
  line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$1" | tail -n 1)
  if [ -z "$line" ]; then total_f=$((total_f + 1)); echo "  (no result line: counted as 1 failed)"; return; fi
  p=${line%% passed*}; f=${line#*passed, }; f=${f%% failed*}
  total_p=$((total_p + p)) total_f=$((total_f + f))
}
log=$(mktemp); trap 'rm -f "$log"' EXIT
for cc in gcc clang; do
  for san in 0 1; do
    name="$cc$([ "$san" = 1 ] && echo '+asan+ubsan')"
    echo "== unit tests: $name"
    if ! make -s BUILD="build/check-$cc-$san" CC="$cc" SAN="$san" check-bins >"$log" 2>&1; then
      cat "$log"; echo "build failed: $name"; total_f=$((total_f + 1)); continue
    fi
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
      bash ci/run-tests.sh build/check-$cc-$san/tests/test_* >"$log" 2>&1
    cat "$log"; add "$log"
  done
done
# The hardened build (PV_HARDENED=1): the same unit tests, with ASan+UBSan.
echo "== unit tests: gcc+asan+ubsan, PV_HARDENED=1"
if ! make -s BUILD="build/check-hardened" CC=gcc SAN=1 EXTRA_CFLAGS=-DPV_HARDENED=1 check-bins >"$log" 2>&1; then
  cat "$log"; echo "build failed: hardened"; total_f=$((total_f + 1))
else
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
    bash ci/run-tests.sh build/check-hardened/tests/test_* >"$log" 2>&1
  cat "$log"; add "$log"
fi
for suite in ci/check.d/*.sh; do
  [ -e "$suite" ] || continue
  echo "== $(basename "$suite" .sh)"
  bash "$suite" >"$log" 2>&1
  cat "$log"; add "$log"
done
echo "$total_p passed, $total_f failed"
[ "$total_f" -eq 0 ]
