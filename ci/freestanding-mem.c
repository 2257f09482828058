/* SPDX-License-Identifier: MIT */
/*
 * Test-only, for make cross (ci/cross.sh); not part of the library.
 *
 * A definition of every symbol a freestanding build of provalloc may need from
 * outside itself: the list in docs/vendoring.md ("What a freestanding build needs"):
 * memcpy, memmove, memset on every target, and on ARM EABI the run-time ABI's
 * memory helpers __aeabi_memcpy/memmove/memset/memclr (plain, 4 and 8).
 * Compilers emit calls to these for struct copies and zeroing even under
 * -ffreestanding. make cross checks that this file defines exactly that list,
 * then links the freestanding objects with -nostdlib and this file alone.
 * Firmware takes them from its C library (newlib's libc.a has all of them) or
 * from its own code.
 *
 * Byte loops through volatile pointers, so that no compiler turns a loop back
 * into a call to the function it defines. With PV_LINK_ENTRY it also defines
 * the entry point _start, so the objects link into a program.
 */
#include <stddef.h>
#include <stdint.h>

void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);

static void copy_bytes(void *dst, const void *src, size_t n)
{
    volatile unsigned char *d = (volatile unsigned char *)dst;
    const volatile unsigned char *s = (const volatile unsigned char *)src;
    size_t i;
    if ((uintptr_t)dst <= (uintptr_t)src) {
        for (i = 0u; i < n; i++) {
            d[i] = s[i];
        }
    } else {
        for (i = n; i > 0u; i--) {
            d[i - 1u] = s[i - 1u];
        }
    }
}

static void fill_bytes(void *dst, int c, size_t n)
{
    volatile unsigned char *d = (volatile unsigned char *)dst;
    size_t i;
    for (i = 0u; i < n; i++) {
        d[i] = (unsigned char)c;
    }
}

void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
    copy_bytes(dst, src, n);
    return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
    copy_bytes(dst, src, n);
    return dst;
}

void *memset(void *dst, int c, size_t n)
{
    fill_bytes(dst, c, n);
    return dst;
}

#if defined(__ARM_EABI__)
/* ARM run-time ABI (RTABI) section 4.3.4; note the argument order of memset
 * (size before value). The 4 and 8 variants may assume that alignment. */
void __aeabi_memcpy(void *dst, const void *src, size_t n);
void __aeabi_memcpy4(void *dst, const void *src, size_t n);
void __aeabi_memcpy8(void *dst, const void *src, size_t n);
void __aeabi_memmove(void *dst, const void *src, size_t n);
void __aeabi_memmove4(void *dst, const void *src, size_t n);
void __aeabi_memmove8(void *dst, const void *src, size_t n);
void __aeabi_memset(void *dst, size_t n, int c);
void __aeabi_memset4(void *dst, size_t n, int c);
void __aeabi_memset8(void *dst, size_t n, int c);
void __aeabi_memclr(void *dst, size_t n);
void __aeabi_memclr4(void *dst, size_t n);
void __aeabi_memclr8(void *dst, size_t n);

void __aeabi_memcpy(void *dst, const void *src, size_t n) { copy_bytes(dst, src, n); }
void __aeabi_memcpy4(void *dst, const void *src, size_t n) { copy_bytes(dst, src, n); }
void __aeabi_memcpy8(void *dst, const void *src, size_t n) { copy_bytes(dst, src, n); }
void __aeabi_memmove(void *dst, const void *src, size_t n) { copy_bytes(dst, src, n); }
void __aeabi_memmove4(void *dst, const void *src, size_t n) { copy_bytes(dst, src, n); }
void __aeabi_memmove8(void *dst, const void *src, size_t n) { copy_bytes(dst, src, n); }
void __aeabi_memset(void *dst, size_t n, int c) { fill_bytes(dst, c, n); }
void __aeabi_memset4(void *dst, size_t n, int c) { fill_bytes(dst, c, n); }
void __aeabi_memset8(void *dst, size_t n, int c) { fill_bytes(dst, c, n); }
void __aeabi_memclr(void *dst, size_t n) { fill_bytes(dst, 0, n); }
void __aeabi_memclr4(void *dst, size_t n) { fill_bytes(dst, 0, n); }
void __aeabi_memclr8(void *dst, size_t n) { fill_bytes(dst, 0, n); }
#endif

#if defined(PV_LINK_ENTRY)
void _start(void);
void _start(void)
{
    for (;;) {
    }
}
#endif
