#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# make cross: the library on every compiler, standard and target we vendor to.
#
#   1. hosted build of every file of LIB_SRC: {gcc, clang} x {C99, C11} x
#      {x86-64, x86 -m32, Cortex-M4 (arm-none-eabi-gcc / clang --target,
#      with newlib's headers)}, the project's warnings as errors;
#   2. freestanding build, the same matrix, of the core alone and of the
#      whole library, with
#      -ffreestanding -nostdinc and only the compiler's own headers (where
#      <stddef.h>, <stdint.h>, <stdbool.h> live): a libc header anywhere fails
#      the build; at -O2 and -Os. The objects may need from outside
#      themselves only the memory functions docs/vendoring.md lists (compilers emit
#      calls to memset, memcpy, __aeabi_memclr4 ... for struct copies and
#      zeroing, even freestanding): any other symbol fails; then they are
#      linked with -nostdlib and ci/freestanding-mem.c alone (which must
#      define exactly the list), and a failed link fails;
#   3. Cortex-M4 code size and worst-case stack per function of the verified
#      core (-O2 and -Os; the static inline functions are kept out of line
#      with -fkeep-inline-functions so each one is measured);
#   4. the cmocka unit tests built with -m32 (gcc and clang) and run:
#      natively if this kernel runs 32-bit x86 programs, else under
#      qemu-i386 (PV_CROSS_QEMU=1 forces qemu-i386, PV_CROSS_QEMU=0 native;
#      never skipped: no way to run them is a failure);
#   5. a freestanding test driver (core + region/stack/FIFO over a static
#      source, no libc at all, ci/freestanding-mem.c's memory functions) for
#      Cortex-M4, at -O2 and -Os, run under qemu-arm.
# Ends with "N passed, N failed" (one test per configuration or run).
#
# Environment (set by mk/vendor.mk from the Makefile): WARN, OPT, LIB_SRC,
# BUILD, PV_CROSS_QEMU. Run from the top of the tree.
set -u
cd "$(dirname "$0")/.."

WARN=${WARN:--std=c99 -Wall -Wextra -Wpedantic -Wconversion -Wsign-conversion -Werror}
OPT=${OPT:--O2}
LIB_SRC=${LIB_SRC:-$(ls src/pv_*.c)}
BUILD=${BUILD:-build}
OUT=$BUILD/cross
mkdir -p "$OUT"
WARN_NOSTD=$(printf '%s\n' $WARN | grep -v '^-std=' | tr '\n' ' ')

pass=0 fail=0
ok() { pass=$((pass + 1)); printf '  %-58s ok\n' "$1"; }
ko() { fail=$((fail + 1)); printf '  %-58s FAILED\n' "$1"; [ -n "${2:-}" ] && sed 's/^/    /' "$2" | head -n 20; }

ARM_CPU="-mcpu=cortex-m4 -mthumb"
CLANG_ARM="--target=thumbv7em-none-eabi -mcpu=cortex-m4 -mthumb -mfloat-abi=soft"
NEWLIB_INC=/usr/lib/arm-none-eabi/include

# target -> "compiler flags" for a given compiler
flags_for() { # cc target
  case "$1:$2" in
    gcc:x86-64 | clang:x86-64) echo "" ;;
    gcc:x86 | clang:x86) echo "-m32" ;;
    gcc:cortex-m4) echo "$ARM_CPU" ;;
    clang:cortex-m4) echo "$CLANG_ARM" ;;
  esac
}
driver_for() { [ "$1:$2" = gcc:cortex-m4 ] && echo arm-none-eabi-gcc || echo "$1"; }
ar_for() { [ "$1" = cortex-m4 ] && echo arm-none-eabi-ar || echo ar; }
nm_for() { [ "$1" = cortex-m4 ] && echo arm-none-eabi-nm || echo nm; }
# The compiler's own header directory (stddef.h, stdint.h, stdbool.h): the
# only one a freestanding build may see.
own_include() { # cc flags
  if [ "$1" = clang ]; then echo "$(clang -print-resource-dir)/include"
  else $1 $2 -print-file-name=include; fi
}

# The driver: a static ELF for Linux/ARM whose only contact with the world is
# two system calls (write, exit). It uses the library exactly as firmware
# would: over static buffers, with no heap and no C library.
write_driver() {
cat <<'EOF_DRIVER'
#include "provalloc.h"

static long sys3(long n, long a, long b, long c)
{
    register long r0 __asm__("r0") = a;
    register long r1 __asm__("r1") = b;
    register long r2 __asm__("r2") = c;
    register long r7 __asm__("r7") = n;
    __asm__ volatile("svc 0" : "+r"(r0) : "r"(r1), "r"(r2), "r"(r7) : "memory");
    return r0;
}

static void put(const char *s)
{
    long n = 0;
    while (s[n] != '\0') {
        n++;
    }
    (void)sys3(4, 1, (long)s, n);
}

static void put_num(unsigned long v)
{
    char b[24];
    int i = 23;
    b[i] = '\0';
    do {
        b[--i] = (char)('0' + (int)(v % 10u));
        v /= 10u;
    } while (v != 0u && i > 0);
    put(&b[i]);
}

static unsigned long passed, failed;
static const char *cur_test;
static int cur_ok;

#define CHECK(c)                                                                                  \
    do {                                                                                          \
        if (!(c)) {                                                                               \
            put("  check failed: " #c " in ");                                                   \
            put(cur_test);                                                                        \
            put("\n");                                                                            \
            cur_ok = 0;                                                                           \
        }                                                                                         \
    } while (0)

static void run(const char *name, void (*fn)(void))
{
    cur_test = name;
    cur_ok = 1;
    fn();
    if (cur_ok) {
        passed++;
    } else {
        failed++;
        put("[  FAILED  ] ");
        put(name);
        put("\n");
    }
}

static char buf[8192] __attribute__((aligned(4096)));
static char big[3u << 16] __attribute__((aligned(8)));

static int aligned(const void *p, unsigned long al)
{
    return ((unsigned long)(uintptr_t)p % al) == 0u;
}

static void t_version(void)
{
    CHECK(pv_version() == (uint32_t)PV_VERSION_MAJOR * 10000u + PV_VERSION_MINOR * 100u +
                              PV_VERSION_PATCH);
}

static void t_init(void)
{
    pv_arena a = PV_ARENA_EMPTY;
    CHECK(!pv_arena_init(NULL, buf, sizeof buf));
    CHECK(!pv_arena_init(&a, NULL, sizeof buf));
    CHECK(!pv_arena_init(&a, buf + 1, PV_ALIGN - 1u));
    CHECK(a.base == NULL);
    CHECK(pv_arena_init(&a, buf + 3, 1000));
    CHECK(aligned(a.base, PV_ALIGN));
    CHECK(a.bias == (uintptr_t)a.base % PV_ALIGN_MAX); /* the trusted fact, on this target */
    CHECK(pv_arena_capacity(&a) + 2u * (PV_ALIGN - 1u) >= 1000u);
    CHECK(pv_arena_used(&a) == 0u);
}

static void t_alloc_free(void)
{
    pv_arena a;
    char *p, *q;
    CHECK(pv_arena_init(&a, buf, sizeof buf));
    p = (char *)pv_arena_alloc(&a, 1);
    q = (char *)pv_arena_alloc(&a, 24);
    CHECK(p != NULL && q == p + PV_ALIGN);
    CHECK(pv_arena_used(&a) == PV_ALIGN + 24u);
    CHECK(pv_arena_alloc(&a, 0) == NULL);
    CHECK(pv_arena_alloc(&a, SIZE_MAX) == NULL);
    CHECK(pv_arena_alloc(NULL, 8) == NULL);
    CHECK(!pv_arena_free(&a, p, 1));      /* not the most recent */
    CHECK(pv_arena_free(&a, q, 24));
    CHECK(pv_arena_free(&a, p, 1));
    CHECK(pv_arena_used(&a) == 0u);
    CHECK(pv_arena_alloc(&a, sizeof buf) == buf);
    CHECK(pv_arena_available(&a) == 0u && pv_arena_alloc(&a, 1) == NULL);
}

static void t_aligned_resize_rewind(void)
{
    pv_arena a;
    pv_arena_mark m;
    char *p, *q;
    unsigned long al;
    CHECK(pv_arena_init(&a, buf + 8, sizeof buf - 8u));
    for (al = 1u; al <= 4096u; al *= 2u) {
        pv_arena_reset(&a);
        (void)pv_arena_alloc(&a, 1);
        p = (char *)pv_arena_alloc_aligned(&a, 16, al);
        CHECK(p != NULL && aligned(p, al));
    }
    CHECK(pv_arena_alloc_aligned(&a, 8, 3) == NULL);
    CHECK(pv_arena_alloc_aligned(&a, 8, 8192) == NULL);
    pv_arena_reset(&a);
    m = pv_arena_mark_get(&a);
    p = (char *)pv_arena_alloc(&a, 10);
    CHECK(pv_arena_resize(&a, p, 10, 100));
    CHECK(pv_arena_used(&a) == 104u || pv_arena_used(&a) == 112u);
    CHECK(pv_arena_resize(&a, p, 100, 1));
    CHECK(pv_arena_used(&a) == PV_ALIGN);
    q = (char *)pv_arena_alloc(&a, 8);
    CHECK(!pv_arena_resize(&a, p, 1, 50)); /* not the most recent */
    CHECK(q != NULL && pv_arena_rewind(&a, m) && pv_arena_used(&a) == 0u);
    CHECK(!pv_arena_rewind(&a, m) == false && !pv_arena_rewind(NULL, m));
}

static void t_no_malloc(void)
{
    pv_region r;
    CHECK(pv_region_init(&r, NULL)); /* PV_NO_MALLOC: a source that always fails */
    CHECK(pv_region_alloc(&r, 16) == NULL);
    pv_region_destroy(&r);
}

static void t_region(void)
{
    pv_static_source s;
    pv_region r;
    pv_stats st;
    char *p, *q;
    int i;
    CHECK(pv_static_source_init(&s, big, sizeof big));
    CHECK(pv_region_init(&r, &s.source));
    for (i = 0; i < 3; i++) {
        p = (char *)pv_region_alloc(&r, 100);
        CHECK(p != NULL && aligned(p, PV_ALIGN));
        p[0] = 'x';
        p[99] = 'y';
        q = (char *)pv_region_realloc(&r, p, 100, 5000); /* the latest: grows in place */
        CHECK(q != NULL && q[0] == 'x' && q[99] == 'y');
        CHECK(pv_region_alloc_aligned(&r, 64, 256) != NULL);
        pv_region_reset(&r);
    }
    pv_region_stats(&r, &st);
    CHECK(st.in_use == 0u && st.peak_in_use > 0u);
    pv_region_destroy(&r);
}

static void t_stack(void)
{
    pv_static_source s;
    pv_stack k;
    pv_stack_frame f1, f2;
    char *p;
    CHECK(pv_static_source_init(&s, big, sizeof big));
    CHECK(pv_stack_init(&k, &s.source));
    f1 = pv_stack_push(&k);
    p = (char *)pv_stack_alloc(&k, 40);
    CHECK(p != NULL);
    f2 = pv_stack_push(&k);
    CHECK(pv_stack_alloc(&k, 1000) != NULL);
    CHECK(!pv_stack_pop(&k, f1)); /* out of order: refused */
    CHECK(pv_stack_pop(&k, f2));
    CHECK(pv_stack_realloc(&k, p, 40, 80) == p);
    CHECK(pv_stack_pop(&k, f1));
    CHECK(!pv_stack_pop(&k, f1)); /* stale */
    CHECK(pv_stack_depth(&k) == 0u);
    pv_stack_destroy(&k);
}

static void t_fifo(void)
{
    pv_static_source s;
    pv_fifo f;
    char *p[64];
    pv_stats st;
    int i;
    CHECK(pv_static_source_init(&s, big, sizeof big));
    CHECK(pv_fifo_init(&f, &s.source));
    for (i = 0; i < 64; i++) {
        p[i] = (char *)pv_fifo_alloc(&f, 1000);
        CHECK(p[i] != NULL && p[i][0] == 0 && p[i][999] == 0);
        p[i][0] = (char)i;
    }
    for (i = 0; i < 64; i++) {
        CHECK(p[i][0] == (char)i && pv_fifo_block_size(&f, p[i]) == 1000u);
        pv_fifo_free(&f, p[i]);
    }
    pv_fifo_stats(&f, &st);
    CHECK(st.in_use == 0u);
    pv_fifo_destroy(&f);
}

void _start(void);
void _start(void)
{
    run("version", t_version);
    run("arena init", t_init);
    run("arena alloc/free", t_alloc_free);
    run("arena aligned/resize/rewind", t_aligned_resize_rewind);
    run("no malloc", t_no_malloc);
    run("region over a static source", t_region);
    run("stack over a static source", t_stack);
    run("fifo over a static source", t_fifo);
    put_num(passed);
    put(" passed, ");
    put_num(failed);
    put(" failed\n");
    (void)sys3(1, failed == 0u ? 0 : 1, 0, 0);
    for (;;) {
    }
}
EOF_DRIVER
}

# ---- 1 and 2: the build matrix ------------------------------------------------
# A freestanding build may need from outside itself only the memory functions
# listed in docs/vendoring.md (section "What a freestanding build needs"), which
# compilers emit calls to for struct copies and zeroing: its two lines
#     - freestanding, every target: `memcpy`, ...
#     - freestanding, ARM EABI: `__aeabi_memcpy`, ...
# are the list (docs/vendoring.md is its one place); ci/freestanding-mem.c must define
# exactly it, and is what the freestanding objects are linked with.
FREE_DOC=docs/vendoring.md
readme_syms() { # "every target" | "ARM EABI"
  sed -n "s/^- freestanding, $1: //p" "$FREE_DOC" | grep -oE '`[A-Za-z0-9_]+`' | tr -d '`' | sort -u
}
SYMS_EVERY=$(readme_syms "every target")
SYMS_ARM=$(readme_syms "ARM EABI")
allowed_for() { # target: the list in $FREE_DOC for it, one a line, sorted
  if [ "$1" = cortex-m4 ]; then printf '%s\n%s\n' "$SYMS_EVERY" "$SYMS_ARM" | sort -u
  else printf '%s\n' "$SYMS_EVERY"; fi
}
MEMFILE=ci/freestanding-mem.c
FREE_OPTS="-O2 -Os"
if [ -z "$SYMS_EVERY" ] || [ -z "$SYMS_ARM" ]; then
  ko "$FREE_DOC lists the symbols a freestanding build needs (lines '- freestanding, ...')"
fi
echo "== freestanding builds may need only $FREE_DOC's list:"
echo "   every target: $(echo $SYMS_EVERY)"
echo "   ARM EABI:     $(echo $SYMS_ARM)"

for mode in hosted freestanding-core freestanding; do
  case $mode in
    freestanding-core) files="src/pv_core.c"; what="the verified core alone" ;;
    *) files=$LIB_SRC; what="the library" ;;
  esac
  if [ "$mode" = hosted ]; then
    opts=$OPT
    echo "== $mode build of $what: gcc, clang x C99, C11 x x86-64, x86, Cortex-M4 ($OPT, -Werror)"
  else
    opts=$FREE_OPTS
    echo "== $mode build of $what: gcc, clang x C99, C11 x x86-64, x86, Cortex-M4 x $FREE_OPTS"
    echo "   (-Werror), each linked with -nostdlib and $MEMFILE only"
  fi
  for target in x86-64 x86 cortex-m4; do
    for cc in gcc clang; do
      for std in c99 c11; do
       for opt in $opts; do
        name="$mode $target $cc $std"
        [ "$mode" = hosted ] || name="$name $opt"
        dir=$OUT/$mode-$target-$cc-$std$([ "$mode" = hosted ] || echo "$opt")
        log=$dir/build.log
        rm -rf "$dir"; mkdir -p "$dir"
        drv=$(driver_for "$cc" "$target")
        fl=$(flags_for "$cc" "$target")
        extra=""
        if [ "$mode" != hosted ]; then
          extra="-ffreestanding -nostdinc -isystem $(own_include "$drv" "$fl")"
        elif [ "$cc:$target" = clang:cortex-m4 ]; then
          extra="-isystem $NEWLIB_INC" # clang has no newlib of its own
        fi
        good=1 note=""
        for f in $files; do
          # shellcheck disable=SC2086
          $drv $fl -std=$std $WARN_NOSTD $opt $extra -Isrc -c "$f" \
            -o "$dir/$(basename "$f" .c).o" >>"$log" 2>&1 || good=0
        done
        if [ "$good" = 1 ]; then
          $(ar_for "$target") rcs "$dir/libprovalloc.a" "$dir"/*.o >>"$log" 2>&1 || good=0
        fi
        if [ "$good" = 1 ] && [ "$mode" != hosted ]; then
          # Every symbol the objects need from outside themselves must be in
          # the list in $FREE_DOC.
          nmt=$(nm_for "$target")
          $nmt -u "$dir"/*.o | awk 'NF == 2 {print $2}' | sort -u >"$dir/undef"
          $nmt --defined-only "$dir"/*.o | awk 'NF == 3 {print $3}' | sort -u >"$dir/def"
          # _GLOBAL_OFFSET_TABLE_ (i386 PIC code) is made by the linker itself.
          comm -23 "$dir/undef" "$dir/def" | grep -vx '_GLOBAL_OFFSET_TABLE_' >"$dir/external"
          allowed_for "$target" >"$dir/allowed"
          comm -23 "$dir/external" "$dir/allowed" >"$dir/unlisted"
          if [ -s "$dir/unlisted" ]; then
            for sym in $(cat "$dir/unlisted"); do
              users=$($nmt -A -u "$dir"/*.o | awk -v s="$sym" '$NF == s {sub(/:$/, "", $1); print $1}' |
                xargs -n 1 basename | tr '\n' ' ' | sed 's/ $//')
              echo "needs $sym (in $users), which is not in $FREE_DOC's list for $target" >>"$log"
            done
            note=": needs $(tr '\n' ' ' <"$dir/unlisted" | sed 's/ $//'), not in $FREE_DOC's list"
            good=0
          fi
          if [ "$good" = 1 ] && [ -s "$dir/external" ]; then
            note=" (needs $(tr '\n' ' ' <"$dir/external" | sed 's/ $//'))"
          fi
          # ci/freestanding-mem.c defines exactly the list (and _start) ...
          mkdir -p "$dir/link"
          # shellcheck disable=SC2086
          if $drv $fl -std=$std $WARN_NOSTD $opt $extra -DPV_LINK_ENTRY -c "$MEMFILE" \
               -o "$dir/link/mem.o" >>"$log" 2>&1; then
            $nmt --defined-only -g "$dir/link/mem.o" | awk 'NF == 3 {print $3}' | grep -vx _start |
              sort -u >"$dir/mem-defs"
            if ! cmp -s "$dir/mem-defs" "$dir/allowed"; then
              { echo "$MEMFILE does not define exactly $FREE_DOC's list for $target:"
                diff "$dir/allowed" "$dir/mem-defs" | grep '^[<>]' |
                  sed 's/^</  missing:/; s/^>/  not in the list:/'; } >>"$log"
              good=0
            fi
            # ... and the objects link with it alone (-nostdlib: no libc, no
            # libgcc); the objects are named, not archived, so all are linked.
            if [ "$target" = cortex-m4 ]; then ld=arm-none-eabi-gcc ldfl=$ARM_CPU; else ld=$cc ldfl=$fl; fi
            # shellcheck disable=SC2086
            $ld $ldfl -nostdlib -static "$dir"/pv_*.o "$dir/link/mem.o" -o "$dir/link/a.elf" \
              >>"$log" 2>&1 || { echo "link with -nostdlib failed" >>"$log"; good=0; }
          else
            good=0
          fi
        fi
        if [ "$good" = 1 ]; then ok "$name$note"; else ko "$name$note" "$log"; fi
       done
      done
    done
  done
done

# ---- 3: Cortex-M4 code size and stack of the verified core --------------------
echo "== Cortex-M4 (arm-none-eabi-gcc $ARM_CPU): verified core, bytes of code and"
echo "   worst-case stack per function (-fstack-usage plus the call graph)"
rep=$OUT/core-m4
rm -rf "$rep"; mkdir -p "$rep"
good=1
for o in -O2 -Os; do
  arm-none-eabi-gcc $ARM_CPU -std=c99 $WARN_NOSTD $o -ffreestanding -fkeep-inline-functions \
    -fstack-usage -ffunction-sections -Isrc -c src/pv_core.c -o "$rep/core$o.o" \
    >"$rep/build$o.log" 2>&1 || { good=0; cat "$rep/build$o.log"; }
done
if [ "$good" = 1 ]; then
  for o in -O2 -Os; do
    arm-none-eabi-nm --size-sort --radix=d "$rep/core$o.o" >"$rep/nm$o"
    arm-none-eabi-objdump -dr "$rep/core$o.o" >"$rep/dis$o"
  done
  # Worst-case stack of f = its own frame (.su, which counts the saved lr)
  # + the largest worst case among the functions it calls (from the call
  # relocations in the disassembly); the core has no recursion.
  if python3 - "$rep" >"$rep/table" <<'PY'
import re, sys
rep = sys.argv[1]
def load(o):
    size = {}
    for line in open(f"{rep}/nm{o}"):
        f = line.split()
        if len(f) == 3 and f[1] in "tT":
            size[f[2]] = int(f[0])
    own, kind = {}, {}
    for line in open(f"{rep}/core{o}.su"):
        loc, n, k = line.rstrip("\n").split("\t")
        name = loc.split(":")[-1]
        own[name], kind[name] = int(n), k
    calls, cur = {}, None
    for line in open(f"{rep}/dis{o}"):
        m = re.match(r"^[0-9a-f]+ <([^>]+)>:$", line)
        if m:
            cur = m.group(1); calls.setdefault(cur, set()); continue
        m = re.search(r"R_ARM_THM_(CALL|JUMP24)\s+(\S+)", line)
        if m and cur:
            calls[cur].add(m.group(2))
    def worst(f, seen=()):
        if f in seen: raise SystemExit(f"recursion through {f}")
        return own.get(f, 0) + max([worst(g, seen + (f,)) for g in calls.get(f, ())] or [0])
    return {f: (size[f], own.get(f, 0), worst(f), kind.get(f, "?"), sorted(calls.get(f, ()))) for f in size}
a, b = load("-O2"), load("-Os")
print("   %-24s %9s %10s %9s %10s" % ("function", "code -O2", "stack -O2", "code -Os", "stack -Os"))
for f in sorted(a):
    x, y = a[f], b.get(f, (0, 0, 0, "?", []))
    note = ("  (calls " + ", ".join(y[4]) + " at -Os)") if y[4] else ""
    print("   %-24s %9d %10d %9d %10d%s" % (f, x[0], x[2], y[0], y[2], note))
print("   %-24s %9d %10s %9d" % ("total", sum(v[0] for v in a.values()), "", sum(v[0] for v in b.values())))
bad = [f for d in (a, b) for f, v in d.items() if v[3] != "static"]
if bad: raise SystemExit("stack not static (VLA or alloca) in: " + ", ".join(bad))
PY
  then
    cat "$rep/table"
    echo "   (bytes; stack = worst case including callees; every frame is \"static\": no VLA, no"
    echo "    alloca, no recursion. An application inlines the static inline functions at its"
    echo "    call sites, so these figures bound each call.)"
    ok "Cortex-M4 size and stack report"
  else
    cat "$rep/table"; ko "Cortex-M4 size and stack report"
  fi
else
  ko "Cortex-M4 size and stack report"
fi

# ---- 4: unit tests, 32-bit x86 ----------------------------------------------------
echo "== unit tests, 32-bit x86 (-m32, cmocka from libcmocka-dev:i386)"
have_cmocka32() { dpkg-query -W -f='${Status}' libcmocka-dev:i386 2>/dev/null | grep -q 'install ok installed'; }
if ! have_cmocka32 && [ "$(id -u)" -eq 0 ]; then
  echo "  installing libcmocka-dev:i386 (dpkg --add-architecture i386)"
  dpkg --add-architecture i386
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >"$OUT/apt.log" 2>&1 # a stale index is tolerated
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libcmocka-dev:i386 >>"$OUT/apt.log" 2>&1 ||
    tail -n 5 "$OUT/apt.log"
fi
# How to run a 32-bit x86 program: natively if this kernel can (a probe
# program built with -m32 runs and exits 0), else under qemu-i386 (user-mode
# emulation, Debian's qemu-user; -L / makes it load the i386 dynamic loader and
# libraries of this machine's multiarch directories). PV_CROSS_QEMU=1 forces
# qemu-i386, PV_CROSS_QEMU=0 forces native. The tests are never skipped: if the
# chosen way cannot run the probe, that is a failure.
m32_way() { # prints "native" or "qemu", and why, on stdout; returns 1 if neither works
  local probe=$OUT/m32-probe
  mkdir -p "$probe"
  printf 'int main(void) { return sizeof(void *) == 4u ? 0 : 1; }\n' >"$probe/probe.c"
  if ! gcc -m32 "$probe/probe.c" -o "$probe/probe" >"$probe/build.log" 2>&1; then
    echo "none: gcc -m32 cannot build a program ($(head -n 1 "$probe/build.log"))"; return 1
  fi
  local native qemu
  native=$("$probe/probe" 2>&1) && native=ok || native=${native:-exit status $?}
  if command -v qemu-i386 >/dev/null; then
    qemu=$(qemu-i386 -L / "$probe/probe" 2>&1) && qemu=ok || qemu=${qemu:-exit status $?}
  else
    qemu="qemu-i386 is not installed (Debian package qemu-user)"
  fi
  native=${native##*: } qemu=${qemu##*: } # keep the reason, drop the path
  case ${PV_CROSS_QEMU:-} in
    1) [ "$qemu" = ok ] && { echo "qemu (forced by PV_CROSS_QEMU=1)"; return 0; }
       echo "none: forced qemu-i386, which cannot run the probe: $qemu"; return 1 ;;
    0) [ "$native" = ok ] && { echo "native (forced by PV_CROSS_QEMU=0)"; return 0; }
       echo "none: forced native, but this kernel cannot run the probe: $native"; return 1 ;;
  esac
  if [ "$native" = ok ]; then echo "native"; return 0; fi
  if [ "$qemu" = ok ]; then echo "qemu (this kernel runs no 32-bit x86 program: $native)"; return 0; fi
  echo "none: native: $native; qemu-i386: $qemu"; return 1
}
if ! have_cmocka32; then
  ko "unit tests x86 -m32: libcmocka-dev:i386 is not installed and could not be"
elif ! way=$(m32_way); then
  echo "  -m32 tests: cannot run them: ${way#none: }"
  ko "unit tests x86 -m32: no way to run a 32-bit x86 program"
else
  case $way in
    native*) runner="" how="native" ;;
    qemu*) runner="qemu-i386 -L /" how="qemu-i386" ;;
  esac
  case $way in
    native*) echo "  -m32 tests: native${way#native}" ;;
    qemu*) echo "  -m32 tests: under qemu-i386${way#qemu}" ;;
  esac
  for cc in gcc clang; do
    log=$OUT/test-x86-$cc.log
    if make -s BUILD="$OUT/test-x86-$cc" CC="$cc" EXTRA_CFLAGS=-m32 check-bins >"$log" 2>&1; then
      bins=$(ls "$OUT/test-x86-$cc"/tests/test_* 2>/dev/null | grep -v '\.d$')
      # shellcheck disable=SC2086
      if PV_TEST_RUNNER=$runner bash ci/run-tests.sh $bins >"$log" 2>&1; then
        ok "unit tests x86 -m32 $cc ($how): $(tail -n 1 "$log")"
      else ko "unit tests x86 -m32 $cc ($how)" "$log"; fi
    else ko "unit tests x86 -m32 $cc (build)" "$log"; fi
  done
fi

# ---- 5: freestanding test driver on Cortex-M4 under qemu-arm ------------------------
echo "== freestanding test driver, Cortex-M4 code under qemu-arm (-nostdlib, no libc; $MEMFILE's"
echo "   memory functions), at $FREE_OPTS"
inc=$(arm-none-eabi-gcc $ARM_CPU -print-file-name=include)
for opt in $FREE_OPTS; do
  drvdir=$OUT/qemu-m4$opt
  rm -rf "$drvdir"; mkdir -p "$drvdir"
  write_driver >"$drvdir/driver.c"
  # shellcheck disable=SC2086
  if arm-none-eabi-gcc $ARM_CPU -std=c99 $WARN_NOSTD $opt -ffreestanding -nostdinc -isystem "$inc" \
       -nostdlib -static -Isrc "$drvdir/driver.c" $LIB_SRC "$MEMFILE" -lgcc -o "$drvdir/driver.elf" \
       >"$drvdir/build.log" 2>&1; then
    if command -v qemu-arm >/dev/null; then
      # qemu-arm's user mode has no M-profile CPU: its default CPU runs the
      # Thumb-2 code built for the Cortex-M4 (the driver uses no M-profile
      # system instruction; it talks to qemu through Linux system calls).
      qemu-arm "$drvdir/driver.elf" >"$drvdir/run.log" 2>&1; rc=$?
      sed 's/^/    /' "$drvdir/run.log" | tail -n 3
      if [ "$rc" -eq 0 ]; then ok "qemu-arm driver $opt: $(tail -n 1 "$drvdir/run.log")"
      else ko "qemu-arm driver $opt (exit $rc)" "$drvdir/run.log"; fi
    else
      ko "qemu-arm not installed (Debian package qemu-user)"
    fi
  else
    ko "qemu-arm driver $opt (build)" "$drvdir/build.log"
  fi
done

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
