/* SPDX-License-Identifier: MIT */
/*
 * Plain replay driver: feeds files (or every file of a directory) to the
 * harness's LLVMFuzzerTestOneInput, no fuzzing engine needed.
 *
 *   replay [-t] [-d] [-q] FILE|DIR...
 *     -t   print a readable trace of the decoded operations (same as
 *          PV_FUZZ_TRACE=1 in the environment)
 *     -d   print on stdout every field decoded from the input (its offset,
 *          kind and value) and every operation: the decoding trace that
 *          ci/check.d/35-decode-order.sh compares between gcc and clang
 *     -q   do not print one line per input
 *
 * A broken promise aborts with the model's message (exit status 134); when
 * every input ran, prints "replayed N inputs" and exits 0.
 */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "shadow.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int quiet;
static unsigned long count;

static int run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    unsigned char *buf = NULL;
    size_t n = 0, cap = 0;
    if (f == NULL) {
        perror(path);
        return 1;
    }
    for (;;) {
        size_t got;
        if (n == cap) {
            unsigned char *nb;
            cap = cap ? cap * 2 : 4096;
            nb = (unsigned char *)realloc(buf, cap);
            if (nb == NULL) {
                fclose(f);
                free(buf);
                return 1;
            }
            buf = nb;
        }
        got = fread(buf + n, 1, cap - n, f);
        if (got == 0) {
            break;
        }
        n += got;
    }
    fclose(f);
    if (!quiet) {
        fprintf(stderr, "replay %s (%zu bytes)\n", path, n);
    }
    if (pvz_dtrace) {
        printf("== %s (%zu bytes)\n", path, n);
    }
    /* an exact-size copy, so ASan catches a read past the input's end */
    {
        unsigned char *exact = (unsigned char *)malloc(n ? n : 1);
        if (exact == NULL) {
            free(buf);
            return 1;
        }
        if (n) {
            memcpy(exact, buf, n);
        }
        free(buf);
        LLVMFuzzerTestOneInput(exact, n);
        free(exact);
    }
    count++;
    return 0;
}

static int run_path(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        perror(path);
        return 1;
    }
    if (S_ISDIR(st.st_mode)) {
        struct dirent **ents;
        int k, n = scandir(path, &ents, NULL, alphasort), rc = 0;
        if (n < 0) {
            perror(path);
            return 1;
        }
        for (k = 0; k < n; k++) {
            if (ents[k]->d_name[0] != '.') {
                size_t len = strlen(path) + strlen(ents[k]->d_name) + 2;
                char *full = (char *)malloc(len);
                if (full == NULL) {
                    return 1;
                }
                snprintf(full, len, "%s/%s", path, ents[k]->d_name);
                rc |= run_path(full);
                free(full);
            }
            free(ents[k]);
        }
        free(ents);
        return rc;
    }
    return run_file(path);
}

int main(int argc, char **argv)
{
    int i, rc = 0;
    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-t") == 0) {
            pvz_set_trace(1);
        } else if (strcmp(argv[i], "-d") == 0) {
            pvz_dtrace = 1;
        } else if (strcmp(argv[i], "-q") == 0) {
            quiet = 1;
        } else {
            rc |= run_path(argv[i]);
        }
    }
    fprintf(stderr, "replayed %lu inputs\n", count);
    return rc;
}
