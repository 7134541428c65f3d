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

/* Returns false if the region cannot be tracked (unaligned, too large). */
bool mt_init(struct mem_tracker *mt, paddr_t base, uint64_t size);
/* `count` contiguous pages aligned to `count` pages (count is 1 or 4); 0 when none. */
paddr_t mt_alloc(struct mem_tracker *mt, mt_owner_t owner, unsigned count);
/* Zeroes and frees one page owned by `owner`; false (nothing changed) otherwise. */
bool mt_release(struct mem_tracker *mt, paddr_t pa, mt_owner_t owner);
/* Zeroes and frees every page of `owner`; returns how many. */
uint64_t mt_release_all(struct mem_tracker *mt, mt_owner_t owner);
bool mt_is_tracked(const struct mem_tracker *mt, paddr_t pa);
mt_owner_t mt_owner_of(const struct mem_tracker *mt, paddr_t pa);

#endif
