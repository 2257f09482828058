#!/bin/bash
# The stack's proof runs of proofs/wip/stack/README.md. From a copy of the
# repository with stack-proof.diff applied (git apply), after one `make prove`
# (for build/prove/why3/why3.conf):
#   bash proofs/wip/stack/run-one.sh TAG [FUNCTIONS] [MACHDEP]
# FUNCTIONS: a comma-separated -wp-fct list (empty: every function of the
# unit, as make prove would). Writes TAG.log; prints the total and the
# unproved goals. make prove's WP options, nothing else filtered.
set -u
cd "$(dirname "$0")/../../.."
export WHY3CONFIG=$PWD/build/prove/why3/why3.conf
M=${3:-x86_64}
frama-c -machdep "$M" -cpp-extra-args="-Isrc -Ispec" src/pv_stack.c \
  -wp -wp-rte -warn-unsigned-overflow -warn-unsigned-downcast -warn-invalid-pointer \
  -warn-signed-downcast -warn-right-shift-negative ${2:+-wp-fct $2} \
  -wp-prover cvc4,z3,cvc5 -wp-timeout 15 -wp-par "${PAR:-2}" \
  -wp-cache update -wp-cache-dir proofs/wip/stack/wp-cache > "$1.log" 2>&1
grep "Proved goals" "$1.log"
grep "Failed\]" "$1.log" | sed 's/.*Goal //'
