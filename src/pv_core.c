/*
 * provalloc verified core: the out-of-line part (initialisation, version).
 * The arena's other functions are static inline in pv_core.h.
 */
#include "pv_core.h"

uint32_t pv_version(void)
{
    return (uint32_t)PV_VERSION_MAJOR * 10000u + (uint32_t)PV_VERSION_MINOR * 100u +
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
    if (a == NULL || buf == NULL || len > PV_ARENA_CAP_MAX) {
        return false;
    }
    mis = (size_t)((uintptr_t)buf % (uintptr_t)PV_ALIGN_MAX);
    skip = (PV_ALIGN - mis % PV_ALIGN) % PV_ALIGN;
    if (len <= skip) {
        return false;
    }
    cap = (len - skip) / PV_ALIGN * PV_ALIGN;
    if (cap == 0u) {
        return false;
    }
    a->base = (char *)buf + skip;
    a->cap = cap;
    a->top = 0u;
    a->bias = (mis + skip) % PV_ALIGN_MAX;
    return true;
}
