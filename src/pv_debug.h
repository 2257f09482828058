/*
 * Internal: how the hosted allocators tell Valgrind Memcheck and
 * AddressSanitizer about their blocks. One thin API; every macro compiles to
 * nothing unless the build enables a tool:
 *   - Valgrind: define PV_VALGRIND=1 (needs <valgrind/memcheck.h>, Debian's
 *     valgrind package); its requests cost a few instructions outside Valgrind.
 *   - ASan: automatic when compiling with -fsanitize=address.
 * The verified core never includes this file: only the hosted layer does.
 *
 * Events (pool = the allocator object, p/n = a byte range):
 *   PV_DBG_POOL_CREATE(pool, metapool)  a new allocator; metapool when its
 *                                       chunks come from malloc
 *   PV_DBG_POOL_DESTROY(pool)
 *   PV_DBG_NOACCESS(p, n)               fresh chunk space, metadata, released space
 *   PV_DBG_ALLOC(pool, p, n)            block handed out (contents undefined)
 *   PV_DBG_ALLOC_ZEROED(pool, p, n)     block handed out zeroed (defined)
 *   PV_DBG_FREE(pool, p)                one block released
 *   PV_DBG_RESIZE(pool, p, old, new)    block resized in place
 *   PV_DBG_TRIM(pool, p, n)             every block outside [p, p+n) released
 *   PV_DBG_OPEN(p, n) / PV_DBG_CLOSE(p, n)  make metadata stored inside a
 *                                       chunk accessible around an internal use
 */
#ifndef PV_DEBUG_H
#define PV_DEBUG_H

#include <stddef.h>

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PV__ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) && !defined(PV__ASAN)
#define PV__ASAN 1
#endif

#ifndef PV_VALGRIND
#define PV_VALGRIND 0
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

#define PV_DBG_POOL_CREATE(pool, metapool)                                                        \
    PV__VG(VALGRIND_CREATE_MEMPOOL_EXT((pool), 0, 0,                                              \
                                       (metapool) ? VALGRIND_MEMPOOL_METAPOOL : 0))
#define PV_DBG_POOL_DESTROY(pool) PV__VG(VALGRIND_DESTROY_MEMPOOL(pool))
#define PV_DBG_NOACCESS(p, n)                                                                     \
    do {                                                                                          \
        PV__VG(VALGRIND_MAKE_MEM_NOACCESS((p), (n)));                                             \
        PV__AS_POISON((p), (n));                                                                  \
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
#define PV_DBG_RESIZE(pool, p, old, new_)                                                         \
    do {                                                                                          \
        PV__VG(VALGRIND_MEMPOOL_CHANGE((pool), (p), (p), (new_)));                                \
        if ((new_) > (old)) {                                                                     \
            PV__AS_UNPOISON((char *)(p) + (old), (new_) - (old));                                 \
            PV__VG(VALGRIND_MAKE_MEM_UNDEFINED((char *)(p) + (old), (new_) - (old)));             \
        } else {                                                                                  \
            PV__AS_POISON((char *)(p) + (new_), (old) - (new_));                                  \
            PV__VG(VALGRIND_MAKE_MEM_NOACCESS((char *)(p) + (new_), (old) - (new_)));             \
        }                                                                                         \
    } while (0)
#define PV_DBG_TRIM(pool, p, n) PV__VG(VALGRIND_MEMPOOL_TRIM((pool), (p), (n)))
#define PV_DBG_OPEN(p, n)                                                                         \
    do {                                                                                          \
        PV__AS_UNPOISON((p), (n));                                                                \
        PV__VG(VALGRIND_MAKE_MEM_DEFINED((p), (n)));                                              \
    } while (0)
#define PV_DBG_CLOSE(p, n) PV_DBG_NOACCESS(p, n)

#endif /* PV_DEBUG_H */
