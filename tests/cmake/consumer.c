/* SPDX-License-Identifier: MIT */
/* A consumer of an installed (or add_subdirectory'd) provalloc: one of each
 * allocator; prints the library's settings and exits 0 iff all went well. */
#include <stdint.h>
#include <stdio.h>
#include <provalloc.h>

int main(void)
{
    pv_region r;
    pv_stack s;
    pv_fifo f;
    pv_stack_frame fr;
    void *q;
    unsigned i;
    int bad = 0;
    if (!pv_region_init(&r, NULL) || !pv_stack_init(&s, NULL) || !pv_fifo_init(&f, NULL)) {
        return 2;
    }
    for (i = 1u; i < 1000u; i++) {
        void *p = pv_region_alloc(&r, (size_t)(i % 61u) + 1u);
        bad |= (p == NULL) || ((uintptr_t)p % PV_ALIGN != 0u);
    }
    fr = pv_stack_push(&s);
    bad |= (pv_stack_alloc(&s, 100) == NULL);
    bad |= !pv_stack_pop(&s, fr);
    q = pv_fifo_alloc(&f, 40);
    bad |= (q == NULL);
    pv_fifo_free(&f, q);
    pv_fifo_destroy(&f);
    pv_stack_destroy(&s);
    pv_region_destroy(&r);
    printf("consumer: provalloc %s, %s, PV_ALIGN %u: %s\n", PV_VERSION_STRING, pv_config_name(),
           (unsigned)PV_ALIGN, bad ? "FAILED" : "ok");
    return bad;
}
