#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# What CI runs for the fuzzers (issue 4): a short `make fuzz` on both
# engines, the corpus replay, and the ClusterFuzzLite build without Docker.
# Ends "N passed, N failed" (one per step).
set -u
cd "$(dirname "$0")/.."
pass=0 fail=0
step() {
  local name=$1; shift
  echo "== $name"
  if "$@"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAILED: $name"; fi
}
step "make fuzz FUZZ_SECONDS=${CI_FUZZ_SECONDS:-10}" make -s fuzz FUZZ_SECONDS="${CI_FUZZ_SECONDS:-10}"
step "corpus replay" bash ci/check.d/30-corpus.sh
step "ClusterFuzzLite build.sh" bash ci/cflite-build.sh
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
