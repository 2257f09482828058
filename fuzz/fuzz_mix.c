/* SPDX-License-Identifier: MIT */
/*
 * Fuzz harness: every allocator at once, interleaved by the input.
 *
 * A core arena, a region over a caller's static buffer (pv_static_source,
 * behind the tracking source), a stack and a FIFO over malloc. Each keeps its
 * own shadow model (the same code as the single harnesses, included below);
 * on top, blocks of one allocator are handed to another (a foreign pointer:
 * a defined no-op for the arena, region and stack) and every allocator's
 * blocks must survive every other's operations.
 */
#define PVZ_NO_ENTRY 1
#include "fuzz_core.c"
#include "fuzz_region.c"
#include "fuzz_stack.c"
#include "fuzz_fifo.c"

#define MIX_STATIC (1u << 20)
/* Aligned on PV_ALIGN_MAX: the region's blocks over it (their alignment
 * padding, so the free room the input's sizes are drawn near) then depend on
 * the input's offset only, not on where the compiler placed the buffer, and
 * a corpus file decodes the same under gcc and clang (35-decode-order). */
static unsigned char mix_static_buf[MIX_STATIC + 64] __attribute__((aligned(PV_ALIGN_MAX)));

/* A block of any allocator but `not`: 0 core, 1 region, 2 stack, 3 fifo. */
static const pvz_blk *mix_foreign(core_model *c, region_model *r, stack_model *s, fifo_model *f,
                                  unsigned k)
{
    const pvz_live *ls[4];
    const pvz_live *l;
    ls[0] = &c->live;
    ls[1] = &r->live;
    ls[2] = &s->live;
    ls[3] = &f->live;
    l = ls[k % 4u];
    if (l->n == 0) {
        return NULL;
    }
    return &l->b[(k >> 2) % l->n];
}

static void mix_cross(core_model *c, region_model *r, stack_model *s, fifo_model *f, pvz_in *in)
{
    unsigned k = pvz_u8(in);
    unsigned who = pvz_u8(in) % 3u;
    const pvz_blk *b = mix_foreign(c, r, s, f, k);
    unsigned owner = k % 4u;
    if (b == NULL || owner == who || (owner == 0 && who == 0)) {
        return;
    }
    switch (who) {
    case 0: /* the arena: a pointer outside it is never its most recent block */
        if (owner != 0) {
            core_free(c, b->p, b->size);
        }
        break;
    case 1:
        if (owner != 1) {
            rg_free(r, b->p, b->size);
        }
        break;
    default:
        if (owner != 2) {
            st_free(s, b->p, b->size);
        }
        break;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    pvz_in in;
    core_model *c;
    region_model *r;
    stack_model *s;
    fifo_model *f;
    pv_static_source ss, probe;
    unsigned steps = 0;
    size_t off;
    pvz_begin_input();
    pvz_install_misuse_handler();
    pvz_in_init(&in, data, size);

    off = pvz_u8(&in) % 64u;
    memset(&probe, 0x5a, sizeof probe);
    PVZ_CHECK(!pv_static_source_init(NULL, mix_static_buf, 64), "static source init(NULL)");
    PVZ_CHECK(!pv_static_source_init(&probe, NULL, 64), "static source over NULL");
    PVZ_CHECK(!pv_static_source_init(&probe, mix_static_buf + 1, 3), "static source of 3 bytes");
    {
        unsigned char z[sizeof probe];
        memset(z, 0x5a, sizeof z);
        PVZ_CHECK(memcmp(&probe, z, sizeof z) == 0, "failed static source init changed *s");
    }
    PVZ_CHECK(pv_static_source_init(&ss, mix_static_buf + off, MIX_STATIC - off),
              "static source init failed");

    c = core_new("mix.core");
    core_start(c, &in);
    r = region_new("mix.region", &ss.source);
    r->src.cap_bytes = SIZE_MAX; /* the static buffer is the limit */
    s = stack_new("mix.stack", NULL);
    f = fifo_new("mix.fifo", NULL);
    while (pvz_more(&in) && steps++ < 4096u) {
        unsigned which = pvz_u8(&in) % 5u;
        switch (which) {
        case 0: core_step(c, &in); break;
        case 1: region_step(r, &in); break;
        case 2: stack_step(s, &in); break;
        case 3: fifo_step(f, &in); break;
        default: mix_cross(c, r, s, f, &in); break;
        }
        /* every allocator's blocks, statistics and source calls are as its
         * model says after every other's operations too */
        core_check_state(c);
        rg_check_state(r);
        st_check_state(s);
        ff_check_state(f);
    }
    core_end(c);
    region_end(r);
    stack_end(s);
    fifo_end(f);
    return 0;
}
