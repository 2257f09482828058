#!/bin/bash
# The final command: the full file, make prove's options, cache read-only
# (-wp-cache offline: verdicts only from build/proof-fifo/wp-cache, filled by
# runs with the same options; a goal with no cached verdict counts unproved).
cd /work/main/build/proof-fifo
export WHY3CONFIG=$PWD/why3/why3.conf
M=$1; MODE=${2:-offline}
mkdir -p final/$M
t0=$(date +%s)
frama-c -machdep $M -cpp-extra-args="-Isrc -Ispec" \
  -wp -wp-rte -warn-unsigned-overflow -warn-unsigned-downcast \
  -warn-invalid-pointer -warn-signed-downcast -warn-right-shift-negative \
  -wp-prover z3,cvc4,cvc5 -wp-timeout 15 -wp-par ${PAR:-1} \
  -wp-cache $MODE -wp-cache-dir wp-cache \
  -wp-report-json final/$M/report.json src/pv_fifo.c \
  -then -report-csv final/$M/report.csv > final/$M/wp.log 2>&1
echo "rc=$? wall=$(( $(date +%s) - t0 ))s" > final/$M/done.txt
