/* SPDX-License-Identifier: MIT */
/* Hardened build: memory an allocator takes back is filled with
 * PV_FREE_FILL (0xDB): region free, shrink in place and reset (every chunk
 * used, a block in a chunk of its own included), and not the block a
 * realloc moves away from (it stays allocated); stack free,
 * shrink in place and pop (across two chunks); FIFO free and shrink in place. A stale pointer
 * then reads the pattern, not the old data.
 * Reads freed memory on purpose (it stays inside chunks the allocators
 * hold): built without ASan or Valgrind annotations only. */
#include "hardened.h"

static int filled(const void *p, size_t n)
{
    const volatile unsigned char *c = p;
    size_t i;
    for (i = 0; i < n; i++) {
        if (c[i] != (unsigned char)PV_FREE_FILL) {
            return 0;
        }
    }
    return 1;
}

int main(void)
{
    pv_region r;
    pv_stack s;
    pv_stack_frame fr;
    pv_fifo f;
    char *a, *b, *c, *d, *big;
    (void)pv_set_misuse_handler(record);
    CHECK(pv_region_init(&r, NULL) && pv_stack_init(&s, NULL) && pv_fifo_init(&f, NULL));

    a = pv_region_alloc(&r, 100);
    b = pv_region_alloc(&r, 100);
    CHECK(a != NULL && b != NULL);
    memset(a, 1, 100);
    memset(b, 2, 100);
    CHECK(pv_region_free(&r, b, 100));
    CHECK(filled(b, 100));                        /* region free */
    CHECK(pv_region_realloc(&r, a, 100, 40) == a);
    CHECK(filled(a + 40, 60) && a[39] == 1);      /* region shrink */
    b = pv_region_alloc(&r, 32);
    c = pv_region_alloc(&r, 8);                   /* b is not the newest */
    CHECK(b != NULL && c != NULL);
    memset(b, 8, 32);
    d = pv_region_realloc(&r, b, 32, 64);         /* moves */
    CHECK(d != NULL && d != b && d[31] == 8);
    CHECK(b[0] == 8 && b[31] == 8);               /* the old block stays, unfilled */
    big = pv_region_alloc(&r, 3u * PV_REGION_CHUNK_MIN); /* a chunk of its own */
    CHECK(big != NULL);
    memset(big, 9, 3u * PV_REGION_CHUNK_MIN);
    CHECK(pv_region_realloc(&r, big, 3u * PV_REGION_CHUNK_MIN, 100) == big);
    CHECK(filled(big + 100, 3u * PV_REGION_CHUNK_MIN - 100u) && big[99] == 9); /* its shrink */
    c = pv_region_alloc(&r, 16);
    CHECK(c != NULL);
    memset(c, 3, 16);
    pv_region_reset(&r);
    CHECK(filled(a, 40) && filled(b, 32) && filled(d, 64)); /* region reset: the first chunk */
    CHECK(filled(big, 100) && filled(c, 16));     /* and the later ones */

    fr = pv_stack_push(&s);
    a = pv_stack_alloc(&s, 64);
    b = pv_stack_alloc(&s, PV_STACK_CHUNK_MIN);   /* a second chunk */
    c = pv_stack_alloc(&s, 24);
    CHECK(a != NULL && b != NULL && c != NULL);
    memset(a, 4, 64);
    memset(b, 5, PV_STACK_CHUNK_MIN);
    memset(c, 6, 24);
    CHECK(pv_stack_free(&s, c, 24));
    CHECK(filled(c, 24));                         /* stack free */
    CHECK(pv_stack_realloc(&s, b, PV_STACK_CHUNK_MIN, 100) == b);
    CHECK(filled(b + 100, PV_STACK_CHUNK_MIN - 100));   /* stack shrink */
    CHECK(pv_stack_pop(&s, fr));
    CHECK(filled(a, 64) && filled(b, 100));       /* stack pop, both chunks */

    a = pv_fifo_alloc(&f, 50);
    b = pv_fifo_alloc(&f, 50);
    CHECK(a != NULL && b != NULL);
    memset(a, 7, 50);
    pv_fifo_free(&f, a);
    CHECK(filled(a, 50));                         /* FIFO free */
    CHECK(pv_fifo_realloc(&f, b, 20) == b);
    CHECK(filled(b + 20, 30));                    /* FIFO shrink in place */
    pv_fifo_free(&f, b);

    pv_fifo_destroy(&f);
    pv_stack_destroy(&s);
    pv_region_destroy(&r);
    CHECK(reports.count == 0);                    /* no misuse here */
    return finish("hardened_free_fill");
}
