#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Misuse programs (tests/misuse/README.md). Each bug-class program does one
# bad access that must be REPORTED twice: under Memcheck (library built with
# -DPV_VALGRIND=1; valgrind's exit code and an "Invalid read/write" naming
# the program's line) and under ASan (an AddressSanitizer error naming the
# program's line). A tool that stays silent fails the test. Then the
# hardened build's detections (-DPV_HARDENED=1): each program checks that
# its misuse reached the handler; the detection programs also run under
# Memcheck and ASan, which must stay silent (the checks read nothing they
# should not). Ends "N passed, N failed".
set -u
cd "$(dirname "$0")/../.."
# Binaries and logs of this run go to a directory of its own (several
# make check may run at once in one tree); the logs end up in $BASE/logs.
BASE=${BUILD:-build}/misuse
OUT=$BASE/run.$$
mkdir -p "$BASE"
trap 'if [ -d "$OUT/logs" ]; then rm -rf "$BASE/logs.$$"; mv "$OUT/logs" "$BASE/logs.$$" &&
      rm -rf "$BASE/logs" && mv "$BASE/logs.$$" "$BASE/logs"; fi; rm -rf "$OUT"' EXIT
VG_CC=${CC:-gcc}
ASAN_CC=${ASAN_CC:-clang}
command -v "$ASAN_CC" >/dev/null 2>&1 || ASAN_CC=$VG_CC
WARN="-std=c99 -Wall -Wextra -Wpedantic -Wconversion -Wsign-conversion -Werror"
VG="valgrind --error-exitcode=42 --leak-check=full --errors-for-leak-kinds=definite,indirect"
LIB_SRC="src/pv_core.c src/pv_source.c src/pv_static.c src/pv_chain.c src/pv_region.c src/pv_stack.c src/pv_fifo.c src/pv_config.c"
mkdir -p "$OUT/logs"
pass=0 fail=0
ok() { pass=$((pass + 1)); printf '  %-44s %s\n' "$1" "$2"; }
ko() { fail=$((fail + 1)); printf '  %-44s FAILED: %s\n' "$1" "$2"; [ -f "${3:-}" ] && tail -n 15 "$3" | sed 's/^/      /'; }

# build NAME CC FLAGS...: tests/misuse/NAME.c + the library -> $OUT/NAME-<cfg>
build() {
  local name=$1 cfg=$2 cc=$3; shift 3
  if ! $cc $WARN -O0 -g -Isrc "$@" "tests/misuse/$name.c" $LIB_SRC -o "$OUT/$name-$cfg" \
       >"$OUT/logs/$name-$cfg.build" 2>&1; then
    ko "$name ($cfg)" "does not build" "$OUT/logs/$name-$cfg.build"; return 1
  fi
}

# ---- bug classes: reported by both tools --------------------------------
BUGS="read_after_pop write_after_reset read_past_block:padding read_past_block:end
      use_after_fifo_free fifo_page_recycled shrink_old_tail:region shrink_old_tail:stack
      shrink_old_tail:fifo"
built=""
for item in $BUGS; do
  name=${item%%:*}; arg=${item#*:}; [ "$arg" = "$item" ] && arg=""
  label="$name${arg:+ $arg}"; tag="$name${arg:+-$arg}"
  case " $built " in *" $name "*) ;; *)
    build "$name" vg "$VG_CC" -DPV_VALGRIND=1 || continue
    build "$name" asan "$ASAN_CC" -fsanitize=address -fno-omit-frame-pointer || continue
    built="$built $name" ;;
  esac
  log=$OUT/logs/$tag-memcheck.log
  $VG "$OUT/$name-vg" $arg >"$log" 2>&1; rc=$?
  if [ "$rc" -eq 42 ] && grep -qE '== Invalid (read|write) of size 1' "$log" &&
     grep -qE "main \\($name\\.c:[0-9]+\\)" "$log"; then
    ok "$label (Memcheck)" "reported: $(grep -m1 -oE 'Invalid (read|write) of size 1' "$log")"
  else
    ko "$label (Memcheck)" "not reported (exit $rc)" "$log"
  fi
  log=$OUT/logs/$tag-asan.log
  ASAN_OPTIONS=detect_leaks=0 "$OUT/$name-asan" $arg >"$log" 2>&1; rc=$?
  if [ "$rc" -ne 0 ] && grep -qE 'ERROR: AddressSanitizer: (use-after-poison|unknown-crash)' "$log" &&
     grep -qE "in main .*$name\\.c:[0-9]+" "$log"; then
    ok "$label (ASan)" "reported: $(grep -m1 -oE 'AddressSanitizer: [a-z-]+' "$log")"
  else
    ko "$label (ASan)" "not reported (exit $rc)" "$log"
  fi
done

# ---- hardened build: each detection reaches the handler ------------------
for name in hardened_fifo_double_free hardened_fifo_foreign hardened_stack_bad_pop hardened_region_realloc_size hardened_free_fill; do
  build "$name" hard "$VG_CC" -DPV_HARDENED=1 || continue
  log=$OUT/logs/$name-hardened.log
  if "$OUT/$name-hard" >"$log" 2>&1; then ok "$name" "$(tail -n 1 "$log" | sed 's/^[^:]*: //')"
  else ko "$name" "exit $?" "$log"; fi
  [ "$name" = hardened_free_fill ] && continue # reads freed memory on purpose
  build "$name" hard-vg "$VG_CC" -DPV_HARDENED=1 -DPV_VALGRIND=1 || continue
  log=$OUT/logs/$name-hardened-memcheck.log
  if $VG -q "$OUT/$name-hard-vg" >"$log" 2>&1; then ok "$name (Memcheck silent)" "0 errors"
  else ko "$name (Memcheck silent)" "exit $?" "$log"; fi
  build "$name" hard-asan "$ASAN_CC" -DPV_HARDENED=1 -fsanitize=address,undefined \
    -fno-sanitize-recover=all -fno-omit-frame-pointer || continue
  log=$OUT/logs/$name-hardened-asan.log
  if "$OUT/$name-hard-asan" >"$log" 2>&1; then ok "$name (ASan silent)" "0 errors"
  else ko "$name (ASan silent)" "exit $?" "$log"; fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
