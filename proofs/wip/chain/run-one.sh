#!/usr/bin/env bash
# dev run: make prove's options restricted to -wp-fct $2 (or "-" for none) and optional -wp-prop $3
set -u
cd "$(dirname "$0")"
M=${1:-x86_64}; F=$2; P=${3:-}
export WHY3CONFIG=/work/main/build/prove/why3/why3.conf
FCT=(); [ "$F" != "-" ] && FCT=(-wp-fct "$F")
frama-c -machdep $M -cpp-extra-args="-Isrc -Ispec" \
  -wp -wp-rte -warn-unsigned-overflow -warn-unsigned-downcast \
  -warn-invalid-pointer -warn-signed-downcast -warn-right-shift-negative \
  -wp-prover z3,cvc4,cvc5 -wp-timeout ${TIMEOUT:-15} -wp-par ${PAR:-2} \
  -wp-cache update -wp-cache-dir $PWD/wp-cache \
  "${FCT[@]}" ${P:+-wp-prop $P} ${EXTRA:-} src/pv_chain.c
