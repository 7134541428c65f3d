/*
 * The memory tracker: one token per confidential 4 KiB page, created at boot and never
 * added or removed (I.MT.2). A token names exactly one owner (S.MT.1, I.MT.1): the free
 * pool, the monitor, or one CVM. Pages change owner only through mt_alloc (from free)
 * and mt_release (back to free), and mt_release zeroes the page first (I.MT.3).
 */
#ifndef MONITOR_MT_H
#define MONITOR_MT_H

#include "types.h"

#ifndef MAX_CONF_PAGES
#define MAX_CONF_PAGES 1024
#endif

typedef uint8_t mt_owner_t;
#define MT_FREE ((mt_owner_t)0)
#define MT_MONITOR ((mt_owner_t)1)
#define MT_CVM(idx) ((mt_owner_t)(2 + (idx)))
#define MT_IS_CVM(o) ((o) >= 2)
#define MT_CVM_IDX(o) ((unsigned)(o) - 2)

struct mem_tracker {
	paddr_t base;   /* first confidential page */
	uint64_t pages; /* number of tokens */
	uint64_t hint;  /* where the next allocation search starts */
	uint64_t nr_free;
	mt_owner_t owner[MAX_CONF_PAGES];
};

/*
 * The tracker's invariant, in ACSL (proved by `make prove`, docs/proofs.md). Page i of
 * the region is [base + i*PAGE_SIZE, base + (i+1)*PAGE_SIZE) and its token owner[i].
 *   mt_shape:     the region is page aligned, 1..MAX_CONF_PAGES pages, does not wrap;
 *                 nr_free counts the FREE tokens exactly (S.MT.1).
 *   mt_phys:      the region is memory the monitor may touch, apart from the tracker.
 *   mt_free_zero: every FREE page is all zero (I.MT.3).
 * One owner per page (I.MT.1) is the token itself; that owners change only from FREE
 * (mt_alloc) and back to FREE after zeroing (mt_release*), and that base and pages
 * never change after mt_init (I.MT.2), are the contracts below.
 */
/*@ logic integer nfree{L}(mt_owner_t *o, integer n) =
  @   n <= 0 ? 0 : nfree(o, n - 1) + (o[n - 1] == MT_FREE ? 1 : 0);
  @
  @ predicate tracked{L}(struct mem_tracker *mt, integer pa) =
  @   mt->base <= pa < mt->base + mt->pages * 4096;
  @
  @ predicate page_zero{L}(integer pa) =
  @   \forall integer j; 0 <= j < 4096 ==> phys_at(pa)[j] == 0;
  @
  @ predicate mt_shape{L}(struct mem_tracker *mt) =
  @   0 < mt->pages <= MAX_CONF_PAGES && 0 < mt->base && mt->base % 4096 == 0 &&
  @   mt->base + mt->pages * 4096 <= 18446744073709551615 &&
  @   mt->hint <= mt->pages && mt->nr_free <= mt->pages &&
  @   mt->nr_free == nfree(&mt->owner[0], mt->pages);
  @
  @ predicate mt_phys{L}(struct mem_tracker *mt) =
  @   \valid(phys_at(mt->base) + (0 .. mt->pages * 4096 - 1)) &&
  @   \separated(phys_at(mt->base) + (0 .. mt->pages * 4096 - 1), mt);
  @
  @ predicate mt_free_zero{L}(struct mem_tracker *mt) =
  @   \forall integer i; 0 <= i < mt->pages && mt->owner[i] == MT_FREE ==>
  @     page_zero(mt->base + i * 4096);
  @
  @ predicate mt_inv{L}(struct mem_tracker *mt) =
  @   mt_shape(mt) && mt_phys(mt) && mt_free_zero(mt);
  @
  @ predicate same_tokens{L1, L2}(struct mem_tracker *mt, integer lo, integer hi) =
  @   \forall integer i; lo <= i < hi ==> \at(mt->owner[i], L1) == \at(mt->owner[i], L2);
  @*/

/*
 * Returns false if the region cannot be tracked (unaligned, too large). On success every
 * token is FREE; mt_inv holds once the region is zero, which monitor_init does next.
 * base must not be 0, the value mt_alloc returns for "none" (monitor_init only passes
 * a region above hypervisor memory).
 */
/*@ requires \valid(mt) && base != 0;
  @ assigns *mt;
  @ ensures accepts: \result <==> (base % 4096 == 0 && size % 4096 == 0 && size != 0 &&
  @                                 size / 4096 <= MAX_CONF_PAGES && range_ok_m(base, size));
  @ ensures shape: \result ==> mt_shape(mt) && mt->base == base && mt->pages == size / 4096;
  @ ensures all_free: \result ==>
  @   \forall integer i; 0 <= i < MAX_CONF_PAGES ==> mt->owner[i] == MT_FREE;
  @*/
bool mt_init(struct mem_tracker *mt, paddr_t base, uint64_t size);

/*
 * `count` contiguous pages aligned to `count` pages (count is 1 or 4); 0 when none.
 * Only FREE tokens change, and only to `owner`.
 */
/*@ requires \valid(mt) && mt_inv(mt);
  @ assigns mt->owner[0 .. MAX_CONF_PAGES - 1], mt->nr_free, mt->hint;
  @ ensures inv: mt_inv(mt);
  @ ensures fixed: mt->base == \old(mt->base) && mt->pages == \old(mt->pages);
  @ ensures none: \result == 0 ==> same_tokens{Pre, Post}(mt, 0, MAX_CONF_PAGES);
  @ ensures taken: \result != 0 ==> owner != MT_FREE &&
  @   \exists integer k; 0 <= k && k + count <= mt->pages && \result == mt->base + k * 4096 &&
  @     (\forall integer i; k <= i < k + count ==>
  @        \old(mt->owner[i]) == MT_FREE && mt->owner[i] == owner) &&
  @     same_tokens{Pre, Post}(mt, 0, k) && same_tokens{Pre, Post}(mt, k + count, MAX_CONF_PAGES);
  @*/
paddr_t mt_alloc(struct mem_tracker *mt, mt_owner_t owner, unsigned count);

/* Zeroes and frees one page owned by `owner`; false (nothing changed) otherwise. */
/*@ requires \valid(mt) && mt_inv(mt);
  @ assigns phys_at(mt->base)[0 .. mt->pages * 4096 - 1],
  @         mt->owner[0 .. MAX_CONF_PAGES - 1], mt->nr_free;
  @ ensures inv: mt_inv(mt);
  @ ensures fixed: mt->base == \old(mt->base) && mt->pages == \old(mt->pages);
  @ behavior frees:
  @   assumes owner != MT_FREE && pa % 4096 == 0 && tracked(mt, pa) &&
  @           mt->owner[(pa - mt->base) / 4096] == owner;
  @   assigns phys_at(pa)[0 .. 4095], mt->owner[(pa - mt->base) / 4096], mt->nr_free;
  @   ensures \result == \true;
  @   ensures mt->owner[(pa - mt->base) / 4096] == MT_FREE && page_zero(pa);
  @ behavior refuses:
  @   assumes !(owner != MT_FREE && pa % 4096 == 0 && tracked(mt, pa) &&
  @             mt->owner[(pa - mt->base) / 4096] == owner);
  @   assigns \nothing;
  @   ensures \result == \false;
  @ complete behaviors;
  @ disjoint behaviors;
  @*/
bool mt_release(struct mem_tracker *mt, paddr_t pa, mt_owner_t owner);

/* Zeroes and frees every page of `owner`; returns how many. */
/*@ requires \valid(mt) && mt_inv(mt);
  @ assigns phys_at(mt->base)[0 .. mt->pages * 4096 - 1],
  @         mt->owner[0 .. MAX_CONF_PAGES - 1], mt->nr_free;
  @ ensures inv: mt_inv(mt);
  @ ensures fixed: mt->base == \old(mt->base) && mt->pages == \old(mt->pages);
  @ ensures freed: owner != MT_FREE ==> \forall integer i; 0 <= i < mt->pages ==>
  @   (\old(mt->owner[i]) == owner ? mt->owner[i] == MT_FREE : mt->owner[i] == \old(mt->owner[i]));
  @ ensures nothing: owner == MT_FREE ==> same_tokens{Pre, Post}(mt, 0, MAX_CONF_PAGES);
  @ ensures \result <= mt->pages;
  @*/
uint64_t mt_release_all(struct mem_tracker *mt, mt_owner_t owner);

/*@ requires \valid_read(mt);
  @ assigns \nothing;
  @ ensures \result <==> tracked(mt, pa);
  @*/
bool mt_is_tracked(const struct mem_tracker *mt, paddr_t pa);

/* Only for a tracked pa (mt_is_tracked, or mem_is_confidential once boot has run). */
/*@ requires \valid_read(mt) && mt_shape(mt) && tracked(mt, pa);
  @ assigns \nothing;
  @ ensures \result == mt->owner[(pa - mt->base) / 4096];
  @*/
mt_owner_t mt_owner_of(const struct mem_tracker *mt, paddr_t pa);

#endif
