#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# make fuzz-mutants: does the fuzzing catch plausible bugs? For each
# mutants/*.patch (never edited here): copy the tree to $BUILD/mutants/<name>,
# apply the patch there, build the libFuzzer harness(es) for the patched file
# against the copy, fuzz until a crash or MUTANT_SECONDS (60), and report the
# time to find it. A crash counts only if its input passes on the unmutated
# tree (so a bug of the original cannot pass for the mutant's).
#
# Seeds: the committed corpora (MUTANT_SEEDS=none starts from one zero byte).
# PVZ_SKIP_KNOWN=1 is set for these runs only: the harnesses then avoid the
# operation patterns of the known src bugs listed in fuzz/README.md, which
# would otherwise stop the fuzzer before it reaches the mutant.
# A patch whose text starts with a line "Found-by: test_NAME" is a bug no
# fuzzer can reach (its own lines say why): the unit test tests/test_NAME.c is
# built and run on the mutated tree instead, and the mutant is found iff that
# test fails (make check runs it on the unmutated tree, where it passes).
# A patch whose text starts with a line "Fuzz-build: inline" breaks an
# inline fast path that the annotated (ASan) builds compile out (PV_DBG_ON,
# src/pv_debug.h): it is fuzzed with the libfuzzer-inline build (UBSan
# only), and its crash checked on the unmutated tree with replay-ubsan.
# MUTANTS="41 42" runs only the mutants of those numbers.
# Last line: "mutants: K/N found".
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
JOBS=${JOBS:-2}
LIMIT=${MUTANT_SECONDS:-60}
SEEDS=${MUTANT_SEEDS:-corpus}
root=$(pwd)
out=$BUILD/mutants
rm -rf "$out"; mkdir -p "$out"
case "$out" in /*) ;; *) out=$root/$out ;; esac
make -s fuzz-build-replay $(for h in core region stack fifo mix static; do echo "$BUILD/fuzz/replay-ubsan/fuzz_$h"; done) \
  >/dev/null || { echo "cannot build the replay drivers"; exit 1; }
. ci/mutants-lib.sh
patches=$(mutant_patches)

one() { # $1: patch file; writes $out/<name>/result
  local patch=$1 name d h t0 t1 crash found=""
  name=$(basename "$patch" .patch)
  d=$out/$name
  mkdir -p "$d/tree"
  cp -r src fuzz mk tests Makefile "$d/tree/"
  rm -rf "$d/tree/fuzz/crashes" "$d/tree/fuzz/out"
  if ! (cd "$d/tree" && patch -p1 --quiet --no-backup-if-mismatch <"$root/$patch") >"$d/patch.log" 2>&1; then
    printf '%-30s %-14s %s\n' "$name" "-" "PATCH DOES NOT APPLY ($d/patch.log)" >"$d/result"
    return
  fi
  local by
  by=$(sed -n '1,/^--- /s/^Found-by: *\(test_[A-Za-z0-9_]*\).*/\1/p' "$patch" | head -n 1)
  if [ -n "$by" ]; then
    if ! make -s -C "$d/tree" BUILD="$d/build" "$d/build/tests/$by" >"$d/build-$by.log" 2>&1; then
      printf '%-30s %-14s %s\n' "$name" "$by" "does not build ($d/build-$by.log)" >"$d/result"
    elif "$d/build/tests/$by" >"$d/$by.log" 2>&1; then
      printf '%-30s %-14s %s\n' "$name" "$by" "NOT FOUND: the unit test passes on the mutant" >"$d/result"
    else
      printf '%-30s %-14s found in %6ss  %s  [%s]\n' "$name" "$by" "-" "$d/$by.log" \
        "unit test: $(grep -m1 -E 'FAILED|Failure|failed' "$d/$by.log")" >"$d/result"
    fi
    return
  fi
  local lf=libfuzzer check=replay-san
  if sed -n '1,/^--- /p' "$patch" | grep -q '^Fuzz-build: *inline'; then
    lf=libfuzzer-inline check=replay-ubsan
  fi
  for h in $(harnesses_for "$patch"); do
    if ! make -s -C "$d/tree" BUILD="$d/build" "$d/build/fuzz/$lf/fuzz_$h" >"$d/build-$h.log" 2>&1; then
      printf '%-30s %-14s %s\n' "$name" "$h" "does not build ($d/build-$h.log)" >"$d/result"
      return
    fi
    mkdir -p "$d/corpus-$h"
    if [ "$SEEDS" = corpus ]; then
      for f in fuzz/corpus/"$h"/*; do
        case "$(basename "$f")" in bug-*) ;; *) cp "$f" "$d/corpus-$h/" ;; esac
      done
    fi
    [ -n "$(ls -A "$d/corpus-$h")" ] || printf '\0' >"$d/corpus-$h/zero"
    t0=$(date +%s.%N)
    PVZ_SKIP_KNOWN=1 timeout $((LIMIT + 30)) "$d/build/fuzz/$lf/fuzz_$h" \
      -max_total_time="$LIMIT" -rss_limit_mb=2560 -max_len=4096 -dict=fuzz/"$h".dict \
      -artifact_prefix="$d/$h-" "$d/corpus-$h" >"$d/fuzz-$h.log" 2>&1
    t1=$(date +%s.%N)
    crash=$(ls "$d/$h"-crash-* "$d/$h"-leak-* "$d/$h"-oom-* "$d/$h"-timeout-* 2>/dev/null | head -n 1)
    if [ -n "$crash" ]; then
      if PVZ_SKIP_KNOWN=1 ASAN_OPTIONS=detect_leaks=1 "$BUILD/fuzz/$check/fuzz_$h" -q "$crash" \
           >"$d/original-$h.log" 2>&1; then
        found=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
        local why
        why=$(grep -m1 -A2 'broken promise' "$d/fuzz-$h.log" | sed -n 3p)
        [ -n "$why" ] || why=$(grep -m1 -oE 'ERROR: [A-Za-z]+: [a-z-]+|runtime error: .*' "$d/fuzz-$h.log" | head -n 1)
        printf '%-30s %-14s found in %6ss  %s  [%s]\n' "$name" "$h$([ "$lf" = libfuzzer ] || echo ' (inline)')" \
          "$found" "$crash" "$why" >"$d/result"
        return
      fi
      printf '%-30s %-14s %s\n' "$name" "$h" "crash also on the unmutated tree: not counted ($crash)" >"$d/result"
      return
    fi
  done
  printf '%-30s %-14s %s\n' "$name" "$(harnesses_for "$patch")" "NOT FOUND in ${LIMIT}s" >"$d/result"
}
export -f one harnesses_for
export out root BUILD LIMIT SEEDS

echo $patches | tr ' ' '\n' | xargs -P "$JOBS" -I{} bash -c 'one "$0"' {}
total=0 found=0
printf '%-30s %-14s %s\n' mutant harness result
for p in $patches; do
  name=$(basename "$p" .patch)
  total=$((total + 1))
  if [ -f "$out/$name/result" ]; then cat "$out/$name/result"; else echo "$name: no result"; fi
  grep -q ' found in ' "$out/$name/result" 2>/dev/null && found=$((found + 1))
done
echo "mutants: $found/$total found"
[ "$found" -eq "$total" ]
