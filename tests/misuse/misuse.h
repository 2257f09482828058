/* SPDX-License-Identifier: MIT */
/* Shared by the misuse programs: each one does exactly one bad access
 * (through a volatile pointer, so the compiler keeps it) that Memcheck and
 * ASan must report. If the tool stays silent the program prints
 * "NOT REPORTED" and exits 0, which ci/check.d/40-misuse.sh counts as a
 * failure. */
#ifndef MISUSE_H
#define MISUSE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "provalloc.h"

/* Stop unless cond holds (a setup step of the test itself went wrong). */
#define MUST(cond)                                                                                \
    do {                                                                                          \
        if (!(cond)) {                                                                            \
            fprintf(stderr, "%s:%d: setup failed: %s\n", __FILE__, __LINE__, #cond);              \
            exit(2);                                                                              \
        }                                                                                         \
    } while (0)

static inline unsigned char misuse_read(const void *p)
{
    return *(const volatile unsigned char *)p;
}

static inline void misuse_write(void *p, unsigned char v)
{
    *(volatile unsigned char *)p = v;
}

static inline int misuse_done(unsigned char sink)
{
    printf("NOT REPORTED (read %u)\n", (unsigned)sink);
    return 0;
}

#endif
