/* SPDX-License-Identifier: MIT */
/*
 * Internal: how the hosted allocators tell Valgrind Memcheck and
 * AddressSanitizer about their blocks. One thin API; every macro compiles to
 * nothing unless the build enables a tool:
 *   - Valgrind: define PV_VALGRIND=1 (needs <valgrind/memcheck.h>, Debian's
 *     valgrind package); its requests cost a few instructions outside Valgrind.
 *   - ASan: automatic when compiling with -fsanitize=address.
 * PV_DBG_ON is 1 when either is on: code that exists only to feed the tools
 * (walking the chunks a pop released, say) is wrapped in #if PV_DBG_ON, so a
 * normal build's fast paths do not change.
 * The verified core never includes this file: only the hosted layer does.
 * pv_region.h, pv_stack.h and pv_fifo.h inline their fast paths, so a program must be
 * compiled with the same PV_VALGRIND (and the same -fsanitize=address) as
 * the library, or Memcheck sees frees of blocks it never saw allocated.
 *
 * Model. Every chunk (region, stack) and every page (FIFO) is one Memcheck
 * memory pool whose handle is the address of its pv_arena (the first member
 * of both headers): blocks always live in the arena they were bumped from,
 * so an allocator that releases many blocks at once (pop, reset) trims each
 * chunk it released to its surviving prefix, which is one address range per
 * chunk; a multi-chunk stack cannot be described by one pool's TRIM. The
 * pool is created when the chunk is obtained from the source and destroyed
 * (with any block still in it) before the chunk goes back, so a pool handle
 * never outlives its memory and the allocator objects themselves (which may
 * be destroyed and re-initialised at will) hold no pool. The pools are
 * METAPOOLs: their chunks usually are malloc blocks, and Memcheck would
 * otherwise see overlapping blocks. Leak checking counts pool blocks: an
 * allocator still alive at exit shows its blocks as "definitely lost" (a
 * region's dropped blocks have no pointer to them); destroyed ones leave none.
 *
 * Accessibility. A chunk's data area is NOACCESS (ASan: poisoned) except its
 * live blocks, which span exactly their requested size: the rounding up to
 * PV_ALIGN, alignment padding, FIFO block headers, released blocks and
 * unused space are all inaccessible. Chunk and page headers (before the data
 * area) stay accessible: the inline fast paths read them on every call.
 * ASan tracks 8-byte granules whose accessible part is a prefix, so with
 * PV_ALIGN >= 8 (the default) every block starts a granule and its end is
 * exact; with PV_ALIGN = 4 a block may share a granule with the previous
 * one and ASan sees less (Memcheck is byte exact in every case).
 *
 * Events (pool = the pv_arena a block is bumped from, p/n = a byte range):
 *   PV_DBG_POOL_CREATE(pool)            a chunk obtained from the source
 *   PV_DBG_POOL_DESTROY(pool)           a chunk about to go back (its blocks die)
 *   PV_DBG_NOACCESS(p, n)               fresh chunk space, released space
 *   PV_DBG_RETURN(p, n)                 chunk memory about to go back to the
 *                                       source: accessible, contents undefined
 *   PV_DBG_ALLOC(pool, p, n)            block handed out (contents undefined)
 *   PV_DBG_ALLOC_ZEROED(pool, p, n)     block handed out zeroed (defined)
 *   PV_DBG_FREE(pool, p, n)             one block released
 *   PV_DBG_RESIZE(pool, p, old, new)    block resized in place
 *   PV_DBG_KEEP(pool, p, n)             every block of pool outside [p, p+n)
 *                                       released (n == 0: all of them)
 *   PV_DBG_OPEN(p, n) / PV_DBG_CLOSE(p, n)  make metadata stored between
 *                                       blocks accessible around an internal use
 *   PV_DBG_PEEK_BEGIN / PV_DBG_PEEK_END  the same for bytes that may not be
 *                                       metadata: their previous state comes back
 */
#ifndef PV_DEBUG_H
#define PV_DEBUG_H

#include <stddef.h>

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
/* cppcheck-suppress misra-c2012-2.5 ; PV-D6 tested with defined() only */
#define PV__ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) && !defined(PV__ASAN)
#define PV__ASAN 1
#endif

#ifndef PV_VALGRIND
#define PV_VALGRIND 0
#endif

#if PV_VALGRIND || defined(PV__ASAN)
#define PV_DBG_ON 1
#else
#define PV_DBG_ON 0
#endif

#if PV_VALGRIND
#include <valgrind/memcheck.h>
#define PV__VG(x) x
#else
#define PV__VG(x) ((void)0)
#endif

#ifdef PV__ASAN
#include <sanitizer/asan_interface.h>
#define PV__AS_POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define PV__AS_UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define PV__AS_POISON(p, n) ((void)0)
#define PV__AS_UNPOISON(p, n) ((void)0)
#endif

#define PV_DBG_POOL_CREATE(pool)                                                                  \
    PV__VG(VALGRIND_CREATE_MEMPOOL_EXT((pool), 0, 0, VALGRIND_MEMPOOL_METAPOOL))
#define PV_DBG_POOL_DESTROY(pool) PV__VG(VALGRIND_DESTROY_MEMPOOL(pool))
#define PV_DBG_NOACCESS(p, n)                                                                     \
    do {                                                                                          \
        PV__VG(VALGRIND_MAKE_MEM_NOACCESS((p), (n)));                                             \
        PV__AS_POISON((p), (n));                                                                  \
    } while (0)
#define PV_DBG_RETURN(p, n)                                                                       \
    do {                                                                                          \
        PV__AS_UNPOISON((p), (n));                                                                \
        PV__VG(VALGRIND_MAKE_MEM_UNDEFINED((p), (n)));                                            \
    } while (0)
#define PV_DBG_ALLOC(pool, p, n)                                                                  \
    do {                                                                                          \
        PV__AS_UNPOISON((p), (n));                                                                \
        PV__VG(VALGRIND_MEMPOOL_ALLOC((pool), (p), (n)));                                         \
    } while (0)
#define PV_DBG_ALLOC_ZEROED(pool, p, n)                                                           \
    do {                                                                                          \
        PV_DBG_ALLOC(pool, p, n);                                                                 \
        PV__VG(VALGRIND_MAKE_MEM_DEFINED((p), (n)));                                              \
    } while (0)
#define PV_DBG_FREE(pool, p, n)                                                                   \
    do {                                                                                          \
        PV__VG(VALGRIND_MEMPOOL_FREE((pool), (p)));                                               \
        PV__AS_POISON((p), (n));                                                                  \
    } while (0)
/* MEMPOOL_CHANGE alone leaves a grown tail inaccessible and a cut one
 * accessible: set both explicitly. */
#define PV_DBG_RESIZE(pool, p, old, new_)                                                         \
    do {                                                                                          \
        PV__VG(VALGRIND_MEMPOOL_CHANGE((pool), (p), (p), (new_)));                                \
        if ((new_) > (old)) {                                                                     \
            PV__AS_UNPOISON((char *)(p) + (old), (new_) - (old));                                 \
            PV__VG(VALGRIND_MAKE_MEM_UNDEFINED((char *)(p) + (old), (new_) - (old)));             \
        } else if ((new_) < (old)) {                                                              \
            PV__AS_POISON((char *)(p) + (new_), (old) - (new_));                                  \
            PV__VG(VALGRIND_MAKE_MEM_NOACCESS((char *)(p) + (new_), (old) - (new_)));             \
        } else {                                                                                  \
            /* the same size: nothing changes */                                                  \
        }                                                                                         \
    } while (0)
/* cppcheck-suppress misra-c2012-2.5 ; PV-D6 debug hook, used in hardened and tool builds only */
#define PV_DBG_KEEP(pool, p, n) PV__VG(VALGRIND_MEMPOOL_TRIM((pool), (p), (n)))
#define PV_DBG_OPEN(p, n)                                                                         \
    do {                                                                                          \
        PV__AS_UNPOISON((p), (n));                                                                \
        PV__VG(VALGRIND_MAKE_MEM_DEFINED((p), (n)));                                              \
    } while (0)
#define PV_DBG_CLOSE(p, n) PV_DBG_NOACCESS(p, n)

/* PV_DBG_PEEK_BEGIN(p, n) ... PV_DBG_PEEK_END(p, n): make n <= 16 bytes
 * that should be metadata readable, then restore exactly the state they had
 * (byte by byte for Memcheck: accessibility and definedness; the
 * accessible prefix of the granule for ASan). For a read of what may turn
 * out not to be metadata (a pointer to check), where OPEN/CLOSE would leave
 * a user's bytes inaccessible. BEGIN declares a variable: use it where a
 * declaration may go, once per block. */
#if PV_DBG_ON
#include <stdint.h>
typedef struct pv__dbg_saved {
    unsigned char vbits[16];
    unsigned char acc[16];
    size_t prefix; /* ASan: accessible bytes before the first poisoned one */
} pv__dbg_saved;

static inline void pv__dbg_peek_begin(pv__dbg_saved *sv, const void *p, size_t n)
{
    size_t i;
    (void)i;
    sv->prefix = n;
#ifdef PV__ASAN
    {
        const char *bad = (const char *)__asan_region_is_poisoned((void *)(uintptr_t)p, n);
        sv->prefix = (bad == NULL) ? n : (size_t)(bad - (const char *)p);
    }
#endif
#if PV_VALGRIND
    for (i = 0u; i < n && i < sizeof sv->acc; i++) {
        sv->acc[i] = (unsigned char)(VALGRIND_GET_VBITS((const char *)p + i, &sv->vbits[i], 1) == 1);
    }
#endif
    PV_DBG_OPEN(p, n);
}

static inline void pv__dbg_peek_end(const pv__dbg_saved *sv, const void *p, size_t n)
{
    size_t i;
    (void)i;
#ifdef PV__ASAN
    if (sv->prefix < n) {
        PV__AS_POISON(p, n);
        if (sv->prefix > 0u) {
            PV__AS_UNPOISON(p, sv->prefix);
        }
    }
#endif
#if PV_VALGRIND
    if (RUNNING_ON_VALGRIND) {
        for (i = 0u; i < n && i < sizeof sv->acc; i++) {
            if (sv->acc[i]) {
                (void)VALGRIND_SET_VBITS((const char *)p + i, &sv->vbits[i], 1);
            } else {
                (void)VALGRIND_MAKE_MEM_NOACCESS((const char *)p + i, 1);
            }
        }
    }
#endif
    (void)sv;
    (void)p;
    (void)n;
}
#define PV_DBG_PEEK_BEGIN(p, n)                                                                   \
    pv__dbg_saved pv__peek_saved;                                                                 \
    pv__dbg_peek_begin(&pv__peek_saved, (p), (n))
#define PV_DBG_PEEK_END(p, n) pv__dbg_peek_end(&pv__peek_saved, (p), (n))
#else
#define PV_DBG_PEEK_BEGIN(p, n) ((void)0)
#define PV_DBG_PEEK_END(p, n) ((void)0)
#endif

/* The link-time check of the configuration: it names PV_VALGRIND and
 * PV__ASAN, so it comes once they are known. */
#include "pv_link_check.h"

#endif /* PV_DEBUG_H */
