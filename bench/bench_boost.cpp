/* SPDX-License-Identifier: MIT */
/*
 * provalloc benchmarks: boost::object_pool, the one C++ peer. One pool per
 * object size (Small, Big, Huge); the pools are created in place and
 * destroyed by their destructor (which frees every chunk).
 */
#include <new>
#include <boost/pool/object_pool.hpp>

#include "tmpl.h"

namespace {
struct S24 { char b[SMALL_SZ]; };
struct S240 { char b[BIG_SZ]; };
struct S8305 { char b[HUGE_SZ]; };
struct pools {
    boost::object_pool<S24> s;
    boost::object_pool<S240> b;
    boost::object_pool<S8305> h;
};
}

typedef struct { alignas(pools) unsigned char mem[sizeof(pools)]; } bst_t;
#define bst_LIST 0
#define bst_CAN_FREE 1
static inline pools *P(bst_t *c) { return reinterpret_cast<pools *>(c->mem); }
ALWAYS void bst_init(bst_t *c) { new (c->mem) pools(); }
ALWAYS void bst_fini(bst_t *c) { P(c)->~pools(); }
ALWAYS void bst_reset(bst_t *c) { bst_fini(c); bst_init(c); }
ALWAYS size_t bst_reserved(bst_t *c) { (void)c; return 0u; }
ALWAYS void *bst_alloc(bst_t *c, size_t n)
{
    if (n == SMALL_SZ) return P(c)->s.malloc();
    if (n == BIG_SZ) return P(c)->b.malloc();
    return P(c)->h.malloc();
}
ALWAYS void bst_free(bst_t *c, void *p, size_t n)
{
    if (n == SMALL_SZ) P(c)->s.free(static_cast<S24 *>(p));
    else if (n == BIG_SZ) P(c)->b.free(static_cast<S240 *>(p));
    else P(c)->h.free(static_cast<S8305 *>(p));
}
DEFINE_ALL(bst)

extern "C" const bench_peer boost_peer = {
    "boost_pool", CAP_REG | CAP_FREE, nullptr, nullptr, &bst_ops, nullptr, nullptr,
    REGION_FNS(bst), nullptr, nullptr, nullptr, nullptr, nullptr, nullptr
};
