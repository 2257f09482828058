#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# make check-mutants: does make check's regression suite kill each mutant?
# For each mutants/*.patch (never edited here): copy the tree to
# $BUILD/check-mutants/<name>, apply the patch there, then run what make
# check runs that can see a bug of src/, in the two kinds of build:
#   - the unit tests, plain gcc (the inline fast paths) and gcc with
#     ASan+UBSan (PV_DBG_ON: the annotated slow paths);
#   - the corpus replay of the harnesses that exercise the patched files
#     (the same mapping as make fuzz-mutants), with the plain and the
#     ASan+UBSan replay drivers.
# A mutant is killed iff a unit test or a corpus file fails. Prints one line
# per mutant (the unit tests that failed, the corpus files that failed per
# driver), and ends with "mutants: K/N killed by make check".
# Built without -Werror (NOWERROR, the project's warnings otherwise): a mutant
# that leaves a variable unused must be killed by a test, not by a warning.
# MUTANTS="41 42" runs only the mutants of those numbers.
set -u
NOWERROR="-std=c99 -Wall -Wextra -Wpedantic -Wconversion -Wsign-conversion"
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
JOBS=${JOBS:-2}
root=$(pwd)
out=$BUILD/check-mutants
rm -rf "$out"; mkdir -p "$out"
case "$out" in /*) ;; *) out=$root/$out ;; esac

. ci/mutants-lib.sh
patches=$(mutant_patches)

one() { # $1: patch file; writes $out/<name>/result
  local patch=$1 name d cfg failed tests corpus h drv nf
  name=$(basename "$patch" .patch)
  d=$out/$name
  mkdir -p "$d/tree"
  cp -r src fuzz mk tests ci Makefile "$d/tree/"
  if ! (cd "$d/tree" && patch -p1 --quiet --no-backup-if-mismatch <"$root/$patch") >"$d/patch.log" 2>&1; then
    printf '%-34s %s\n' "$name" "PATCH DOES NOT APPLY ($d/patch.log)" >"$d/result"
    return
  fi
  tests=""
  for cfg in 0 1; do
    if ! make -s -C "$d/tree" BUILD="$d/build-$cfg" CC=gcc SAN="$cfg" WARN="$NOWERROR" check-bins >"$d/build-$cfg.log" 2>&1; then
      tests="$tests (build failed: $d/build-$cfg.log)"
      continue
    fi
    (cd "$d/tree" && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 bash ci/run-tests.sh "$d/build-$cfg"/tests/test_*) \
      >"$d/tests-$cfg.log" 2>&1
    # the failing tests by name, and any binary that failed without naming
    # one (a sanitizer report, an abort before cmocka's summary)
    failed=$(sed -n 's/^\[  FAILED  \] \([a-z_][a-z0-9_]*\)$/\1/p' "$d/tests-$cfg.log" | sort -u | tr '\n' ' ')
    [ -n "$failed" ] || failed=$(sed -n 's/^  \(test_[a-z_]*\) *[0-9]* passed, [1-9][0-9]* failed$/\1/p' "$d/tests-$cfg.log" | tr '\n' ' ')
    for t in $failed; do
      case " $tests " in *" $t "*) ;; *) tests="$tests $t" ;; esac
    done
  done
  corpus=""
  for h in $(harnesses_for "$patch" mix); do
    for drv in replay replay-san; do
      if ! make -s -C "$d/tree" BUILD="$d/build-f" WARN="$NOWERROR" "$d/build-f/fuzz/$drv/fuzz_$h" >"$d/build-$drv-$h.log" 2>&1; then
        corpus="$corpus $h/$drv:build-failed"
        continue
      fi
      nf=0
      for f in fuzz/corpus/"$h"/*; do
        case "$(basename "$f")" in bug-*) continue ;; esac
        (ASAN_OPTIONS=detect_leaks=1 "$d/build-f/fuzz/$drv/fuzz_$h" -q "$f") >/dev/null 2>&1 || nf=$((nf + 1))
      done 2>/dev/null
      [ "$nf" -eq 0 ] || corpus="$corpus $h/$drv:$nf"
    done
  done
  if [ -n "$tests$corpus" ]; then
    printf '%-34s killed: unit tests [%s] corpus files failed [%s]\n' "$name" "${tests# }" "${corpus# }" >"$d/result"
  else
    printf '%-34s NOT KILLED: every unit test and corpus file (%s) passes\n' "$name" "$(harnesses_for "$patch" mix)" >"$d/result"
  fi
}
export -f one harnesses_for
export out root NOWERROR

echo $patches | tr ' ' '\n' | xargs -P "$JOBS" -I{} bash -c 'one "$0"' {}
total=0 killed=0
for p in $patches; do
  name=$(basename "$p" .patch)
  total=$((total + 1))
  if [ -f "$out/$name/result" ]; then cat "$out/$name/result"; else echo "$name: no result"; fi
  grep -q ' killed: ' "$out/$name/result" 2>/dev/null && killed=$((killed + 1))
done
echo "mutants: $killed/$total killed by make check"
[ "$killed" -eq "$total" ]
