#!/usr/bin/env bash
# make prove: Frama-C WP on the verified core. Fails on any unproved goal.
set -u
cd "$(dirname "$0")/.."
mkdir -p build/prove
log=build/prove/wp.log
frama-c -cpp-extra-args="-Isrc -Ispec" \
  -wp -wp-rte -warn-unsigned-overflow -warn-unsigned-downcast \
  -wp-prover z3,cvc4 -wp-timeout 10 -wp-par 2 \
  src/pv_core.c >"$log" 2>&1
rc=$?
line=$(grep -E 'Proved goals:' "$log" | tail -n 1)
proved=$(echo "$line" | sed -E 's/.*Proved goals: *([0-9]+) *\/ *([0-9]+).*/\1/')
goals=$(echo "$line" | sed -E 's/.*Proved goals: *([0-9]+) *\/ *([0-9]+).*/\2/')
if [ "$rc" -ne 0 ] || [ -z "$line" ]; then
  tail -n 30 "$log"; echo "prove: frama-c failed (exit $rc)"; exit 1
fi
grep -A2 '\[Failed\]\|Timeout\|Unknown' "$log" | grep -v 'Valid' | head -n 40
echo "prove: $goals goals, $proved proved, $((goals - proved)) unproved"
[ "$proved" -eq "$goals" ]
