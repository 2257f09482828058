#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# make coverage: line and branch coverage of src/ (every .c and .h) under
# clang's source-based coverage, in two builds of the library:
#   default   the unit tests (tests/test_*.c but test_*_hardened) and
#             every committed fuzz corpus through the replay drivers;
#   hardened  -DPV_HARDENED=1: the same unit tests (test_*_hardened
#             included) and corpora, as make check's hardened build.
# Each build is a static library of its own (as the Makefile's), so the two
# tests that #include library .c files with settings of their own
# (test_chain_slots, test_*_hardened) link the rest from it, with
# PV_LINK_CHECK=0, as make check builds them.
#
# One total: llvm-cov keeps one version of a function per name when given
# several binaries, so a function compiled differently in the two builds
# (#if PV_HARDENED) would count in one build only. Each build is therefore
# reported by llvm-cov on its own (llvm-cov-14 show), and the two reports
# are merged here line by line and branch direction by branch direction: a
# line of src/ is covered when it ran in either build; a branch direction
# (file, line, column, true/false) when it was taken in either, summed over
# every translation unit that instantiates an inline header function. Lines
# compiled in one build only count once. The last line is
#   coverage: lines L%, branches B%
# and the exit status is non-zero below 100% of either, after listing every
# line and branch direction not covered. Entries of ci/coverage-exclusions.txt
# (each with its reason) are listed apart and not counted as missed.
#
# HTML: $BUILD/coverage/html/index.html (the merged figures, per file, with
# every line of src/ annotated), and llvm-cov's own HTML of each build under
# html/default/ and html/hardened/.
#
# Reproducers of known src bugs (fuzz/corpus/*/bug-*) abort by design and
# are replayed one per process, so they cannot lose the others' profiles.
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
CLANG=${FUZZ_CLANG:-clang}
LLVM_COV=${LLVM_COV:-llvm-cov-14}
LLVM_PROFDATA=${LLVM_PROFDATA:-llvm-profdata-14}
out=$BUILD/coverage
rm -rf "$out"; mkdir -p "$out"
LIB_SRC="src/pv_core.c src/pv_source.c src/pv_static.c src/pv_chain.c src/pv_region.c src/pv_stack.c src/pv_fifo.c src/pv_config.c"
CFL="-std=c99 -g -O0 -fprofile-instr-generate -fcoverage-mapping -Isrc"
srcs=(src/*.c src/*.h)
fail=0

build_and_run() { # $1 = build name, $2 = extra compiler flags
  local cfg=$1 extra=$2 d=$out/$1 t n b h f lcflags
  local objs=()
  mkdir -p "$d/obj" "$d/bin" "$d/prof"
  for f in $LIB_SRC; do
    $CLANG $CFL $extra -c "$f" -o "$d/obj/$(basename "$f" .c).o" || { echo "coverage: $f does not build ($cfg)"; exit 1; }
  done
  ar rcs "$d/libprovalloc.a" "$d"/obj/*.o
  for t in tests/test_*.c; do
    n=$(basename "$t" .c)
    # test_*_hardened are the hardened build's tests (their own copies of
    # the library's .c files with PV_HARDENED 1): in the default build they
    # would be second, different versions of the library's functions.
    [ "$cfg" = default ] && case $n in *_hardened) true ;; *) false ;; esac && continue
    lcflags=
    case $n in test_chain_slots|*_hardened) lcflags=-DPV_LINK_CHECK=0 ;; esac
    if ! $CLANG $CFL $extra $lcflags -Itests "$t" "$d/libprovalloc.a" -lcmocka -o "$d/bin/$n" 2>"$d/bin/$n.log"; then
      cat "$d/bin/$n.log"; echo "coverage: unit test $n does not build ($cfg)"; exit 1
    fi
    objs+=("$d/bin/$n")
    if ! LLVM_PROFILE_FILE="$d/prof/$n-%p.profraw" "$d/bin/$n" >"$d/bin/$n.run" 2>&1; then
      echo "note: unit test $n failed ($cfg build; its coverage still counts): $d/bin/$n.run"; fail=1
    fi
  done
  for h in core region stack fifo mix static; do
    b=$d/bin/fuzz_$h
    $CLANG $CFL $extra -Ifuzz fuzz/fuzz_$h.c fuzz/replay.c fuzz/shadow.c "$d/libprovalloc.a" -o "$b" ||
      { echo "coverage: fuzz_$h does not build ($cfg)"; exit 1; }
    objs+=("$b")
    local files=() bugs=()
    for f in fuzz/corpus/$h/*; do
      [ -f "$f" ] || continue
      case "$(basename "$f")" in bug-*) bugs+=("$f") ;; *) files+=("$f") ;; esac
    done
    if [ "${#files[@]}" -gt 0 ]; then
      LLVM_PROFILE_FILE="$d/prof/$h-%p.profraw" "$b" -q "${files[@]}" 2>"$d/bin/fuzz_$h.run" ||
        { echo "note: corpus $h failed under the $cfg coverage build: $d/bin/fuzz_$h.run"; fail=1; }
    fi
    for f in "${bugs[@]}"; do
      LLVM_PROFILE_FILE="$d/prof/$h-bug-%p.profraw" "$b" -q "$f" >/dev/null 2>&1
    done
  done
  $LLVM_PROFDATA merge -sparse "$d"/prof/*.profraw -o "$d/all.profdata" || exit 1
  local args=("${objs[0]}")
  for b in "${objs[@]:1}"; do args+=(-object "$b"); done
  $LLVM_COV show "${args[@]}" -instr-profile="$d/all.profdata" -show-branches=count \
    -show-instantiations=false "${srcs[@]}" >"$d/show.txt" || exit 1
  $LLVM_COV show "${args[@]}" -instr-profile="$d/all.profdata" -show-branches=count \
    -format=html -output-dir="$out/html/$cfg" "${srcs[@]}" || exit 1
}

build_and_run default ""
build_and_run hardened "-DPV_HARDENED=1"

echo "uncovered lines and branch directions of src/ (default and hardened builds merged):"
python3 ci/coverage-merge.py --exclusions ci/coverage-exclusions.txt --html "$out/html/index.html" \
  --summary "$out/summary.txt" default="$out/default/show.txt" hardened="$out/hardened/show.txt" |
  tee "$out/report.txt"
rc=${PIPESTATUS[0]}
echo "HTML report: $out/html/index.html"
[ "$fail" -eq 0 ] || echo "note: a unit test or a corpus failed under coverage (above)"
cat "$out/summary.txt"
[ "$rc" -eq 0 ] && [ "$fail" -eq 0 ]
