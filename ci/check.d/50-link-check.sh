#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The link-time configuration check (src/pv_link_check.h, src/pv_config.c):
# against a default build of the library (gcc, -O2), a program compiled
# with the same settings links and runs, and one compiled with any setting
# that changes an inline fast path or a struct (PV_ALIGN, PV_ALIGN_MAX,
# PV_CHAIN_SLOTS, PV_HARDENED, PV_VALGRIND,
# -fsanitize=address) must fail to link, naming in the error the symbol that
# spells its settings. Also: the header is ci/gen-link-check.py's output;
# other spellings of the default values link; the refusal survives
# --gc-sections, clang and C++; the check adds no instruction (.text of a
# program the same with PV_LINK_CHECK=0). One test per line; ends
# "N passed, N failed".
set -u
cd "$(dirname "$0")/../.."
OUT=build/link-check
rm -rf "$OUT"; mkdir -p "$OUT"
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "  ok      $1"; }
ko() { fail=$((fail + 1)); echo "  FAILED  $1"; [ -n "${2:-}" ] && sed 's/^/    /' "$2" | head -n 15; }
WARN="-std=c99 -Wall -Wextra -Wpedantic -Wconversion -Wsign-conversion -Werror"

if python3 ci/gen-link-check.py | cmp -s - src/pv_link_check.h; then
  ok "src/pv_link_check.h is ci/gen-link-check.py's output"
else
  ko "src/pv_link_check.h differs from ci/gen-link-check.py's output (run: python3 ci/gen-link-check.py >src/pv_link_check.h)"
fi

if ! make -s BUILD="$OUT/lib" CC=gcc lib >"$OUT/lib.log" 2>&1; then
  ko "default build of the library" "$OUT/lib.log"; echo "$pass passed, $fail failed"; exit 1
fi
LIB=$OUT/lib/libprovalloc.a
libsym=$(nm -g --defined-only "$LIB" | awk '$3 ~ /^pv_config_/ && $3 != "pv_config_name" {print $3}')
if [ "$libsym" = pv_config_align8_alignmax4096_slots40_frames64_hardened0_valgrind0_asan0 ]; then
  ok "the default library defines $libsym"
else
  ko "the default library defines '$libsym', not the default configuration's name"
fi

# pv_config_name(): the same name as text.
printf '#include <stdio.h>\n#include "provalloc.h"\nint main(void) { puts(pv_config_name()); return 0; }\n' >"$OUT/name.c"
if gcc $WARN -Isrc "$OUT/name.c" "$LIB" -o "$OUT/name" 2>"$OUT/name.log" && [ "$("$OUT/name")" = "$libsym" ]; then
  ok "pv_config_name() is \"$libsym\""
else
  ko "pv_config_name() should be \"$libsym\"" "$OUT/name.log"
fi

# A program using all three allocators; exits 0 iff every region block is
# aligned on the PV_ALIGN it was compiled with.
cat >"$OUT/prog.c" <<'EOC'
#include <stdint.h>
#include "provalloc.h"
int main(void)
{
    pv_region r;
    pv_stack s;
    pv_fifo f;
    int bad = 0;
    unsigned i;
    if (!pv_region_init(&r, NULL) || !pv_stack_init(&s, NULL) || !pv_fifo_init(&f, NULL)) {
        return 2;
    }
    for (i = 1u; i < 2000u; i++) {
        void *p = pv_region_alloc(&r, (size_t)(i % 61u) + 1u);
        if (p == NULL || (uintptr_t)p % PV_ALIGN != 0u) {
            bad = 1;
        }
    }
    {
        pv_stack_frame fr = pv_stack_push(&s);
        bad |= (pv_stack_alloc(&s, 24) == NULL);
        bad |= !pv_stack_pop(&s, fr);
    }
    {
        void *q = pv_fifo_alloc(&f, 40);
        bad |= (q == NULL);
        pv_fifo_free(&f, q);
    }
    pv_fifo_destroy(&f);
    pv_stack_destroy(&s);
    pv_region_destroy(&r);
    return bad;
}
EOC
# link_ok name cc flags...: compiles, links and runs.
link_ok() {
  local name=$1 cc=$2; shift 2
  if $cc "$@" -Isrc "$OUT/prog.c" "$LIB" -o "$OUT/$name" >"$OUT/$name.log" 2>&1 && "$OUT/$name" >>"$OUT/$name.log" 2>&1; then
    ok "$name: links and runs"
  else
    ko "$name: should link and run" "$OUT/$name.log"
  fi
}
# link_refused name expected-symbol-part cc flags...: compiles, must not link,
# and the linker must name pv_config_...<expected>...
link_refused() {
  local name=$1 want=$2 cc=$3; shift 3
  if ! $cc "$@" -Isrc -c "$OUT/prog.c" -o "$OUT/$name.o" >"$OUT/$name.log" 2>&1; then
    ko "$name: does not even compile" "$OUT/$name.log"; return
  fi
  if $cc "$@" "$OUT/$name.o" "$LIB" -o "$OUT/$name" >>"$OUT/$name.log" 2>&1; then
    ko "$name: linked against the default library (should be refused)"
  elif sym=$(grep -oE "undefined reference to [\`']pv_config_[A-Za-z0-9_]+" "$OUT/$name.log" | head -n 1) &&
       [ -n "$sym" ] && echo "$sym" | grep -q "$want"; then
    ok "$name: refused: ${sym#undefined reference to ?}"
  else
    ko "$name: the link failed, but not naming pv_config_...$want..." "$OUT/$name.log"
  fi
}

link_ok same-settings gcc $WARN -O2
link_ok same-settings-clang-O0 clang $WARN -O0
link_ok other-spellings gcc $WARN -O2 -DPV_ALIGN=8 '-DPV_ALIGN_MAX=(4096)' -DPV_CHAIN_SLOTS=40 -DPV_HARDENED=0
link_refused align16 _align16_alignmax4096_ gcc $WARN -O2 -DPV_ALIGN=16
link_refused align16-clang _align16_ clang $WARN -O2 -DPV_ALIGN=16
link_refused align16-O0 _align16_ gcc $WARN -O0 -DPV_ALIGN=16
link_refused align16-gc-sections _align16_ gcc $WARN -O2 -ffunction-sections -fdata-sections -Wl,--gc-sections -DPV_ALIGN=16
link_refused align4 _align4_ gcc $WARN -O2 -DPV_ALIGN=4
link_refused alignmax64 _alignmax64_ gcc $WARN -O2 -DPV_ALIGN_MAX=64
link_refused slots41 _slots41_ gcc $WARN -O2 -DPV_CHAIN_SLOTS=41
link_refused hardened _hardened1_ gcc $WARN -O2 -DPV_HARDENED=1
link_refused valgrind _valgrind1_ gcc $WARN -O2 -DPV_VALGRIND=1
link_refused asan _asan1 gcc $WARN -O2 -fsanitize=address
# C++ (the headers' extern "C"): the same program compiled as C++.
cp "$OUT/prog.c" "$OUT/prog.cpp"
if g++ -std=c++11 -O2 -Isrc -c "$OUT/prog.cpp" -o "$OUT/cxx-same.o" >"$OUT/cxx.log" 2>&1 &&
   g++ "$OUT/cxx-same.o" "$LIB" -o "$OUT/cxx-same" >>"$OUT/cxx.log" 2>&1 && "$OUT/cxx-same"; then
  ok "C++ (g++), same settings: links and runs"
else
  ko "C++ (g++), same settings: should link and run" "$OUT/cxx.log"
fi
if g++ -std=c++11 -O2 -DPV_ALIGN=16 -Isrc -c "$OUT/prog.cpp" -o "$OUT/cxx-a16.o" >"$OUT/cxx16.log" 2>&1 &&
   ! g++ "$OUT/cxx-a16.o" "$LIB" -o "$OUT/cxx-a16" >>"$OUT/cxx16.log" 2>&1 &&
   grep -q "undefined reference to .pv_config_align16_" "$OUT/cxx16.log"; then
  ok "C++ (g++), -DPV_ALIGN=16: refused, naming pv_config_align16_..."
else
  ko "C++ (g++), -DPV_ALIGN=16: should be refused naming pv_config_align16_..." "$OUT/cxx16.log"
fi
# No instruction: the program's code is the same with and without the check.
for cc in gcc clang; do
  $cc $WARN -O2 -Isrc -c "$OUT/prog.c" -o "$OUT/t1-$cc.o" 2>"$OUT/t-$cc.log"
  $cc $WARN -O2 -DPV_LINK_CHECK=0 -Isrc -c "$OUT/prog.c" -o "$OUT/t0-$cc.o" 2>>"$OUT/t-$cc.log"
  t1=$(size -A "$OUT/t1-$cc.o" 2>/dev/null | awk '$1 ~ /^\.text/ {n += $2} END {print n}')
  t0=$(size -A "$OUT/t0-$cc.o" 2>/dev/null | awk '$1 ~ /^\.text/ {n += $2} END {print n}')
  if [ -n "$t1" ] && [ "$t1" = "$t0" ]; then
    ok "$cc -O2: .text of the program $t1 bytes with the check, $t0 without"
  else
    ko "$cc -O2: .text $t1 bytes with the check, $t0 without" "$OUT/t-$cc.log"
  fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
