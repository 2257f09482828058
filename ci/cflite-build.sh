#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Exercise .clusterfuzzlite/build.sh without Docker: set the variables the
# OSS-Fuzz base image would (SRC, OUT, WORK, CC, CXX, CFLAGS,
# LIB_FUZZING_ENGINE) for a libFuzzer + ASan build, run build.sh, then run
# every fuzzer it produced for a few seconds on its seed corpus.
# Ends "N passed, N failed" (one per fuzzer).
set -u
cd "$(dirname "$0")/.."
top=$(pwd)
base=${CFLITE_DIR:-build/cflite}
rm -rf "$base"; mkdir -p "$base/src" "$base/out" "$base/work"
ln -s "$top" "$base/src/provalloc"
export SRC=$top/$base/src OUT=$top/$base/out WORK=$top/$base/work
export CC=${CFLITE_CC:-clang} CXX=${CFLITE_CXX:-clang++}
export CFLAGS="-O1 -fno-omit-frame-pointer -gline-tables-only -fsanitize=address -fsanitize-address-use-after-scope -fsanitize=fuzzer-no-link"
export LIB_FUZZING_ENGINE="-fsanitize=fuzzer"
if ! bash .clusterfuzzlite/build.sh >"$base/build.log" 2>&1; then
  cat "$base/build.log"; echo "0 passed, 1 failed"; exit 1
fi
pass=0 fail=0
for h in core region stack fifo mix static; do
  f=$OUT/fuzz_$h
  ok=1
  for x in "$f" "$f.dict" "${f}_seed_corpus.zip"; do [ -s "$x" ] || { echo "  missing $x"; ok=0; }; done
  if [ "$ok" = 1 ]; then
    mkdir -p "$WORK/corpus-$h" && (cd "$WORK/corpus-$h" && unzip -q -o "${f}_seed_corpus.zip")
    nseed=$(ls "$WORK/corpus-$h" | wc -l)
    if "$f" -runs=2000 -dict="$f.dict" "$WORK/corpus-$h" >"$WORK/run-$h.log" 2>&1; then
      echo "  fuzz_$h: built, seed corpus $nseed files, 2000 runs clean"
    else
      ok=0; echo "  fuzz_$h: run FAILED ($WORK/run-$h.log)"
    fi
  fi
  if [ "$ok" = 1 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
