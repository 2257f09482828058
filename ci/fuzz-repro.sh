#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# make fuzz-repro FILE=path [HARNESS=name]: replay one input with the
# ASan+UBSan replay driver and a readable trace of the decoded operations.
# The harness is HARNESS, else guessed from the path (fuzz/corpus/<h>/...,
# fuzz/crashes/<h>-..., build/fuzz/run/<engine>-<h>/...).
set -u
cd "$(dirname "$0")/.."
FUZZ_DIR=${FUZZ_DIR:-build/fuzz}
file=${1:-} h=${2:-}
if [ -z "$file" ] || [ ! -e "$file" ]; then
  echo "usage: make fuzz-repro FILE=path/to/input [HARNESS=core|region|stack|fifo|mix]" >&2
  exit 2
fi
if [ -z "$h" ]; then
  for c in core region stack fifo mix; do
    case "$file" in
      *corpus/$c/*|*crashes/$c-*|*/$c-*|*-$c/*|*fuzz_$c*) h=$c; break ;;
    esac
  done
fi
if [ -z "$h" ]; then echo "cannot tell the harness from '$file': add HARNESS=name" >&2; exit 2; fi
echo "replaying $file with the $h harness (trace on stderr)"
ASAN_OPTIONS=abort_on_error=1:detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
  "$FUZZ_DIR/replay-san/fuzz_$h" -t "$file"
rc=$?
if [ "$rc" -eq 0 ]; then echo "fuzz-repro: $file passes"; else echo "fuzz-repro: $file FAILS (exit $rc)"; fi
exit "$rc"
