#include "pv_chain.h"
typedef struct st { pv_chain chain; size_t depth; } st;
/*@ axiomatic st_beside {
  axiom st_beside: \forall st *s, pv_chunk *q; pv_beside(&s->chain, q) ==> \separated(q, s);
} */
/*@ requires \valid(s) && pv_chain_ok(&s->chain, ci, n);
    requires \forall integer k; 1 <= k <= n ==> \separated(pv_nth(&s->chain.head, k), s);
    ensures s->depth == \old(s->depth);
*/
void *f(st *s, size_t size) /*@ ghost (size_t ci, size_t n) */
{
  return pv__chain_alloc_slow(&s->chain, size, 8u) /*@ ghost (ci, n) */;
}
