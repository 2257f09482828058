/* SPDX-License-Identifier: MIT */
/* example: FIFO — 16-byte-aligned messages freed in any order, pages recycled as they empty */
#include <stdio.h>
#include "pv_fifo.h"

int main(void)
{
    pv_fifo q;
    char *ring[64] = { 0 };
    pv_fifo_init(&q, NULL);
    for (unsigned i = 0; i < 100000; i++) {
        unsigned slot = i % 64;
        pv_fifo_free(&q, ring[slot]);          /* NULL is a no-op */
        ring[slot] = pv_fifo_alloc_aligned(&q, 16 + i % 240, 16);   /* zeroed */
        if (ring[slot] == NULL || ring[slot][0] != 0 || (uintptr_t)ring[slot] % 16u != 0u) {
            return 1;
        }
    }
    pv_stats st;
    pv_fifo_stats(&q, &st);
    printf("fifo: %zu page(s) held, %zu source call(s) for 100000 messages\n",
           st.chunks, st.source_gets);
    pv_fifo_destroy(&q);
    return 0;
}
