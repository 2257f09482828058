#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Iterate on a proof: WP on one file, some functions, a short time limit,
# with the project's options and why3 configuration (not a proof of record:
# make prove is). Usage:
#   bash ci/wp-dev.sh FILE [FUNCTIONS (comma-separated)] [extra frama-c options...]
# Environment: MACHDEP (x86_64), TIMEOUT (10), JOBS (2), PROVERS (cvc4,z3,cvc5),
# WPDEV_DIR (build/wp-dev: its why3 configuration and cache; one per concurrent user).
set -u
cd "$(dirname "$0")/.."
file=$1; shift
fct=${1:-}; [ $# -gt 0 ] && shift
w=${WPDEV_DIR:-build/wp-dev}
d=$w/why3; mkdir -p "$d"
drivers=$(why3 --print-datadir)/drivers
for drv in proofs/why3/*.drv; do sed "s|@WHY3_DRIVERS@|$drivers|" "$drv" >"$d/$(basename "$drv")"; done
sed -e "s|@PROOFS_WHY3@|$PWD/$d|" -e "s|@FRAMAC_WP_WHY3@|$(frama-c -print-share-path)/wp/why3/frama_c_wp|" \
  proofs/why3/why3.conf >"$d/why3.conf"
export WHY3CONFIG=$PWD/$d/why3.conf
exec frama-c -machdep "${MACHDEP:-x86_64}" -cpp-extra-args="-Isrc -Ispec" \
  -wp -wp-rte -warn-unsigned-overflow -warn-unsigned-downcast -warn-invalid-pointer \
  -warn-signed-downcast -warn-right-shift-negative \
  -wp-prover "${PROVERS:-cvc4,z3,cvc5}" -wp-timeout "${TIMEOUT:-10}" -wp-par "${JOBS:-2}" \
  -wp-cache update -wp-cache-dir "$w/cache" \
  ${fct:+-wp-fct "$fct"} "$@" "$file"
