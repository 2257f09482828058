#!/bin/bash -eu
# SPDX-License-Identifier: MIT
# ClusterFuzzLite / OSS-Fuzz build: one fuzzer per harness in fuzz/.
# Uses only the engine's variables: $CC $CFLAGS $LIB_FUZZING_ENGINE $SRC $OUT
# (ci/cflite-build.sh sets them by hand to run this without Docker).
# Writes $OUT/fuzz_<h>, $OUT/fuzz_<h>_seed_corpus.zip and $OUT/fuzz_<h>.dict.
cd "$SRC/provalloc"
LIB_SRC="src/pv_core.c src/pv_source.c src/pv_static.c src/pv_chain.c src/pv_region.c src/pv_stack.c src/pv_fifo.c src/pv_config.c"
WORK=${WORK:-$(mktemp -d)}
mkdir -p "$WORK/provalloc"
objs=()
for s in $LIB_SRC fuzz/shadow.c; do
  o="$WORK/provalloc/$(basename "$s" .c).o"
  $CC $CFLAGS -std=c99 -Isrc -Ifuzz -c "$s" -o "$o"
  objs+=("$o")
done
for h in core region stack fifo mix static; do
  $CC $CFLAGS -std=c99 -Isrc -Ifuzz -c "fuzz/fuzz_$h.c" -o "$WORK/provalloc/fuzz_$h.o"
  # link with the C++ driver when the engine is a library (libFuzzer, AFL++, ...)
  ${CXX:-$CC} $CFLAGS "$WORK/provalloc/fuzz_$h.o" "${objs[@]}" $LIB_FUZZING_ENGINE -o "$OUT/fuzz_$h"
  cp "fuzz/$h.dict" "$OUT/fuzz_$h.dict"
  rm -f "$OUT/fuzz_${h}_seed_corpus.zip"
  # the reproducers of open src bugs (bug-*) are regression tests, not seeds
  (cd "fuzz/corpus/$h" && ls | grep -v '^bug-' | zip -q -@ "$OUT/fuzz_${h}_seed_corpus.zip")
done
