/* SPDX-License-Identifier: MIT */
/*
 * Fuzz harness: the region and the stack over a caller's static buffer
 * (pv_static_source) whose length and misalignment come from the input.
 *
 * fuzz_mix's static buffer is 1 MiB: its end is never reached. Here the
 * buffer is 64 bytes to 48 KiB long, so it runs out at every chunk size the
 * allocators ask for (a first chunk of 8 KiB, doubling), exactly, one
 * granule short or with a few bytes to spare, and starts at any of 64
 * misalignments. The shadow models are the single harnesses' (included
 * below), with the static source behind the tracking source. On top, after
 * every operation: every chunk the source has handed out and not taken back
 * lies inside the buffer (a chunk one granule past its end, which the models
 * alone would take as the source's, fails here), and the source's own arena
 * never passes its capacity.
 *
 * Input: a byte for the misalignment (b % 64), two for the length
 * (64 + u16 % 49089), a byte for the allocator (even: region, odd: stack),
 * then the operations of that harness (fuzz_region.c, fuzz_stack.c).
 */
#define PVZ_NO_ENTRY 1
#include "fuzz_region.c"
#include "fuzz_stack.c"

#define STATIC_MAX (48u * 1024u + 64u)
/* Aligned on PV_ALIGN_MAX: where the blocks fall, and so every field decoded
 * near the free room, depends on the input only, not on where the compiler
 * placed the buffer (35-decode-order). */
static unsigned char static_buf[STATIC_MAX + 64u] __attribute__((aligned(PV_ALIGN_MAX)));

/* Every chunk the source holds out lies in [lo, lo + len). */
static void static_check_chunks(const pvz_src *src, const unsigned char *lo, size_t len,
                                const pv_static_source *ss, const char *name)
{
    size_t i;
    for (i = 0; i < src->nrec; i++) {
        uintptr_t p = (uintptr_t)src->rec[i].mem, b = (uintptr_t)lo;
        PVZ_CHECK(p >= b && src->rec[i].size <= len && p - b <= len - src->rec[i].size,
                  "%s: the static source handed out [%p, +%zu), outside its buffer [%p, +%zu)",
                  name, (void *)src->rec[i].mem, src->rec[i].size, (const void *)lo, len);
    }
    PVZ_CHECK(ss->arena.top <= ss->arena.cap && ss->arena.cap <= len,
              "%s: the static source's top %zu, capacity %zu, buffer %zu", name, ss->arena.top,
              ss->arena.cap, len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    pvz_in in;
    pv_static_source ss;
    unsigned steps = 0;
    size_t off, len;
    unsigned which;
    unsigned char *lo;
    pvz_begin_input();
    pvz_install_misuse_handler();
    pvz_in_init(&in, data, size);
    off = pvz_u8(&in) % 64u;
    len = 64u + pvz_u16(&in) % (STATIC_MAX - 64u + 1u);
    which = pvz_u8(&in) & 1u;
    lo = static_buf + off;
    pvz_op("static: buffer of %zu bytes at offset %zu, %s", len, off, which ? "stack" : "region");
    PVZ_CHECK(pv_static_source_init(&ss, lo, len), "static source init(%zu bytes) failed", len);
    if (which == 0u) {
        region_model *m = region_new("static.region", &ss.source);
        m->src.cap_bytes = SIZE_MAX; /* the buffer is the limit */
        while (pvz_more(&in) && steps++ < 4096u) {
            region_step(m, &in);
            static_check_chunks(&m->src, lo, len, &ss, m->name);
        }
        region_end(m);
    } else {
        stack_model *m = stack_new("static.stack", &ss.source);
        m->src.cap_bytes = SIZE_MAX;
        while (pvz_more(&in) && steps++ < 4096u) {
            stack_step(m, &in);
            static_check_chunks(&m->src, lo, len, &ss, m->name);
        }
        stack_end(m);
    }
    /* Every chunk back: the top went down past each (put's contract), unless
     * one was given back with the source's table full and never reused. */
    PVZ_CHECK(ss.arena.top == 0u || ss.lost_chunks > 0u,
              "static: every chunk given back, none lost, and the source's top is %zu, not 0",
              ss.arena.top);
    return 0;
}
