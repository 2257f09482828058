#!/usr/bin/env bash
# Round 3's figures: the whole of src/pv_chain.c with make prove's WP options
# (without -wp-run-all-provers), verdicts only from ./wp-cache (-wp-cache
# offline: a goal with no cached verdict counts as unproved). $1: machdep.
set -u
cd "$(dirname "$0")"
M=${1:-x86_64}
export WHY3CONFIG=${WHY3CONFIG:-/work/main/build/prove/why3/why3.conf}
mkdir -p final/$M
frama-c -machdep $M -cpp-extra-args="-Isrc -Ispec" \
  -wp -wp-rte -warn-unsigned-overflow -warn-unsigned-downcast \
  -warn-invalid-pointer -warn-signed-downcast -warn-right-shift-negative \
  -wp-prover z3,cvc4,cvc5 -wp-timeout 15 -wp-par 16 \
  -wp-cache offline -wp-cache-dir $PWD/wp-cache \
  -wp-report-json final/$M/report.json src/pv_chain.c \
  -then -report-csv final/$M/report.csv > final/$M/wp.log 2>&1
echo "rc=$?"
