/* SPDX-License-Identifier: MIT */
/*
 * Internal: copy and fill for the hosted layer, so that no other file needs
 * <string.h>. With PV_NO_LIBC=1 (the default under -ffreestanding) they are
 * byte loops and the library calls no C library function itself (the
 * compiler may still emit memset/memcpy: docs/vendoring.md, "What a freestanding build
 * needs"); otherwise they are memcpy and memset, inlined to exactly the
 * calls they replace.
 * The verified core never includes this file.
 */
#ifndef PV_MEM_H
#define PV_MEM_H

#include <stddef.h>

#include "pv_config.h"

#if !PV_NO_LIBC
#include <string.h>
#endif

/* Copy n bytes from src to dst; the ranges do not overlap. */
static inline void pv__copy(void *dst, const void *src, size_t n)
{
#if PV_NO_LIBC
    /* cppcheck-suppress misra-c2012-11.5 ; PV-D2 memory accessed as unsigned char */
    unsigned char *d = (unsigned char *)dst;
    /* cppcheck-suppress misra-c2012-11.5 ; PV-D2 memory accessed as unsigned char */
    const unsigned char *s = (const unsigned char *)src;
    size_t i;
    for (i = 0u; i < n; i++) {
        d[i] = s[i];
    }
#else
    (void)memcpy(dst, src, n);
#endif
}

/* Set n bytes at dst to the byte value v. */
static inline void pv__fill(void *dst, unsigned char v, size_t n)
{
#if PV_NO_LIBC
    /* cppcheck-suppress misra-c2012-11.5 ; PV-D2 memory accessed as unsigned char */
    unsigned char *d = (unsigned char *)dst;
    size_t i;
    for (i = 0u; i < n; i++) {
        d[i] = v;
    }
#else
    (void)memset(dst, (int)v, n);
#endif
}

#endif /* PV_MEM_H */
