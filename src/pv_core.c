/* SPDX-License-Identifier: MIT */
/*
 * provalloc verified core: the out-of-line part (initialisation, version).
 * The arena's other functions are static inline in pv_core.h.
 */
/* The unit in which Frama-C proves the bodies of pv_core.h's inline
 * functions (every other unit sees their contracts only). */
/* cppcheck-suppress misra-c2012-2.5 ; PV-D6 tested with defined() only */
#define PV__CORE_UNIT 1
#include "pv_core.h"

uint32_t pv_version(void)
{
    return ((uint32_t)PV_VERSION_MAJOR * 10000u) + ((uint32_t)PV_VERSION_MINOR * 100u) +
           (uint32_t)PV_VERSION_PATCH;
}

/* The one place where an address becomes an integer: the misalignment of buf.
 * WP treats the conversion as an unknown value; that the value is the
 * address modulo PV_ALIGN_MAX is a trusted platform fact (proofs/TRUSTED.md),
 * checked at run time by tests/test_core.c. */
bool pv_arena_init(pv_arena *a, void *buf, size_t len)
{
    size_t mis;
    size_t skip;
    size_t cap;
    if ((a == NULL) || (buf == NULL) || (len > PV_ARENA_CAP_MAX) || (len < ((2u * PV_ALIGN) - 1u))) {
        /* cppcheck-suppress misra-c2012-15.5 ; PV-D1 guard clause, one behavior of the contract */
        return false;
    }
    /* cppcheck-suppress misra-c2012-11.6 ; PV-D4 address modulo PV_ALIGN_MAX, the trusted fact */
    mis = (size_t)((uintptr_t)buf % (uintptr_t)PV_ALIGN_MAX);
    skip = (PV_ALIGN - (mis % PV_ALIGN)) % PV_ALIGN;
    cap = (len - skip) / PV_ALIGN * PV_ALIGN; /* >= PV_ALIGN: len - skip >= PV_ALIGN */
    /* cppcheck-suppress misra-c2012-11.5 ; PV-D2 the caller's buffer or block, as bytes */
    /* cppcheck-suppress misra-c2012-18.4 ; PV-D3 offset checked against the capacity (proved) */
    a->base = (char *)buf + skip;
    a->cap = cap;
    a->top = 0u;
    a->bias = (mis + skip) % PV_ALIGN_MAX;
    return true;
}
