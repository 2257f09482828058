#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# make fuzz-repro FILE=path [HARNESS=name]: replay one input with a
# readable trace of the decoded operations, through the first of two replay
# drivers that fails on it: replay-san (ASan+UBSan, annotated: PV_DBG_ON
# compiles out the inline fast paths of pv_region.h and pv_stack.h) and
# replay-ubsan (UBSan only, the inline fast paths in; what lf-inline fuzzes).
# An input that passes both is traced through replay-san.
# The harness is HARNESS, else guessed from the path (fuzz/corpus/<h>/...,
# fuzz/crashes/<h>-..., build/fuzz/run/<engine>-<h>/...).
set -u
cd "$(dirname "$0")/.."
FUZZ_DIR=${FUZZ_DIR:-build/fuzz}
file=${1:-} h=${2:-}
if [ -z "$file" ] || [ ! -e "$file" ]; then
  echo "usage: make fuzz-repro FILE=path/to/input [HARNESS=core|region|stack|fifo|mix|static]" >&2
  exit 2
fi
if [ -z "$h" ]; then
  for c in core region stack fifo mix static; do
    case "$file" in
      *corpus/$c/*|*crashes/$c-*|*/$c-*|*-$c/*|*fuzz_$c*) h=$c; break ;;
    esac
  done
fi
if [ -z "$h" ]; then echo "cannot tell the harness from '$file': add HARNESS=name" >&2; exit 2; fi
replay() { # $1 driver, then its options
  local v=$1; shift
  ASAN_OPTIONS=abort_on_error=1:detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
    "$FUZZ_DIR/$v/fuzz_$h" "$@" "$file"
}
order="replay-san replay-ubsan"
case "$(basename "$file")" in *lf-inline*) order="replay-ubsan replay-san" ;; esac
for v in $order; do
  if ! replay "$v" -q >/dev/null 2>&1; then
    echo "replaying $file with the $h harness, $v driver (trace on stderr)"
    replay "$v" -t
    rc=$?
    echo "fuzz-repro: $file FAILS under $FUZZ_DIR/$v (exit $rc)"
    exit "$rc"
  fi
  echo "fuzz-repro: $file passes under $FUZZ_DIR/$v"
done
echo "replaying $file with the $h harness, replay-san driver (trace on stderr)"
replay replay-san -t
echo "fuzz-repro: $file passes under both drivers"
