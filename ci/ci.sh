#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# What CI runs after ci/deps.sh (`make ci`): every check the project promises,
# one step after another, each to the end even when an earlier one failed.
#
#   make prove        every WP goal of the proved units (core, chain, static source, stack) proved (from the committed cache)
#   make check        the README's test command: unit tests x5, SPDX lines, examples, proof figures (docs/proofs.md), README shape and links, corpora, misuse, link-time configuration check, packaging (CMake, make install/uninstall, pkg-config)
#   make coverage     unit tests and corpora under llvm-cov, default + hardened builds: 100% of the lines and branches of src/
#   make clients      Lua 5.4 and SQLite on malloc, FIFO, region, stack: every checksum equal to malloc's
#   ci/fuzz-ci.sh     short make fuzz (libFuzzer and AFL++), corpus replay, ClusterFuzzLite build
#   make valgrind     unit tests and corpora under Memcheck: zero errors, zero leaks
#   make bench-ci     callgrind instructions/op against bench/baseline.txt (fails above +3%)
#   make cross        gcc/clang x C99/C11 x x86-64/x86/Cortex-M4, -m32 tests, qemu-arm
#   make misra        cppcheck's MISRA C:2012 addon: no finding outside the deviation table
#   make dist         the verified core as one .h + one .c, proved again
#
# A step whose output ends with "N passed, N failed" adds those counts; any
# other step counts as one test, passed iff it exited 0. Each step's time is
# printed. The last line is the grand total "N passed, N failed"; the exit
# status is non-zero iff anything failed.
# CI_STEPS="check misra" runs a subset (names as in the list above).
set -u
cd "$(dirname "$0")/.."
STEPS=${CI_STEPS:-"prove check coverage clients fuzz valgrind bench-ci cross misra dist"}
total_p=0 total_f=0
summary=()
log=$(mktemp); trap 'rm -f "$log"' EXIT
for step in $STEPS; do
  case $step in
    fuzz) cmd=(bash ci/fuzz-ci.sh) ;;
    *) cmd=(make -s "$step") ;;
  esac
  echo "==== ci: ${cmd[*]}"
  t0=$(date +%s)
  "${cmd[@]}" >"$log" 2>&1
  rc=$?
  t=$(( $(date +%s) - t0 ))
  cat "$log"
  line=$(grep -E '^([A-Za-z-]+: )?[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
  if [ -n "$line" ]; then
    line=${line#*: }
    p=${line%% passed*}; f=${line#*passed, }; f=${f%% failed*}
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi # failed without saying so
  elif [ "$rc" -eq 0 ]; then p=1 f=0
  else p=0 f=1
  fi
  total_p=$((total_p + p)) total_f=$((total_f + f))
  summary+=("$(printf '  %-10s exit %-3s %5s s  %s passed, %s failed' "$step" "$rc" "$t" "$p" "$f")")
done
echo "==== ci: summary"
printf '%s\n' "${summary[@]}"
echo "$total_p passed, $total_f failed"
[ "$total_f" -eq 0 ]
