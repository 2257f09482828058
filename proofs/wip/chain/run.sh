#!/usr/bin/env bash
# Final WP run of the ported tree (build/proof-chain/final = /work/main src+spec + the proof changes).
# usage: run.sh MACHDEP   (cache: build/proof-chain/wp-cache, why3 config: build/proof-chain/why3)
set -u
cd "$(dirname "$0")"
M=${1:-x86_64}
mkdir -p out/$M
export WHY3CONFIG=$PWD/../why3/why3.conf
frama-c -machdep $M -cpp-extra-args="-Isrc -Ispec" \
  -wp -wp-rte -warn-unsigned-overflow -warn-unsigned-downcast \
  -warn-invalid-pointer -warn-signed-downcast -warn-right-shift-negative \
  -wp-prover z3,cvc4,cvc5 -wp-timeout ${TIMEOUT:-15} -wp-par ${PAR:-1} \
  -wp-cache update -wp-cache-dir $PWD/../wp-cache \
  -wp-report-json out/$M/report.json src/pv_chain.c \
  -then -report-csv out/$M/report.csv
