/* SPDX-License-Identifier: MIT */
/* example: region — parse a request into many small objects, drop them all at once */
#include <stdio.h>
#include <string.h>
#include "pv_region.h"

int main(void)
{
    pv_region r;
    pv_region_init(&r, NULL);                 /* chunks from malloc */
    for (int req = 0; req < 3; req++) {
        char *name = pv_region_alloc(&r, 32);
        int *ids = pv_region_alloc(&r, 100 * sizeof *ids);
        if (name == NULL || ids == NULL) {
            return 1;                         /* out of memory: nothing leaked */
        }
        strcpy(name, "request");
        ids = pv_region_realloc(&r, ids, 100 * sizeof *ids, 200 * sizeof *ids); /* in place */
        if (ids == NULL) {
            return 1;
        }
        ids[199] = req;
        pv_region_reset(&r);                  /* every block gone, chunks kept */
    }
    pv_stats st;
    pv_region_stats(&r, &st);
    printf("region: %zu chunk(s), %zu source call(s)\n", st.chunks, st.source_gets);
    pv_region_destroy(&r);                    /* chunks back to malloc */
    return 0;
}
