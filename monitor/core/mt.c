/*
 * The memory tracker (S.MT.1, I.MT.1-3). Ownership lives in one token per page, so a
 * page cannot name two owners here; the invariant checker cross-checks the tokens
 * against every CVM's page tables, which is where a second owner would show up.
 */
#include "defence.h"
#include <string.h>

#include "arch.h"
#include "mt.h"

bool mt_init(struct mem_tracker *mt, paddr_t base, uint64_t size)
{
	if (!IS_ALIGNED(base, PAGE_SIZE) || !IS_ALIGNED(size, PAGE_SIZE) ||
	    size / PAGE_SIZE > MAX_CONF_PAGES || size == 0 || !range_ok(base, size))
		return false;
	mt->base = base;
	mt->pages = size / PAGE_SIZE;
	mt->hint = 0;
	mt->nr_free = mt->pages;
	memset(mt->owner, 0, sizeof(mt->owner));
	return true;
}

bool mt_is_tracked(const struct mem_tracker *mt, paddr_t pa)
{
	return pa >= mt->base && (pa - mt->base) / PAGE_SIZE < mt->pages;
}

mt_owner_t mt_owner_of(const struct mem_tracker *mt, paddr_t pa)
{
	return mt->owner[(pa - mt->base) / PAGE_SIZE];
}

static bool run_is_free(const struct mem_tracker *mt, uint64_t first, unsigned count)
{
	for (unsigned i = 0; i < count; i++)
		if (mt->owner[first + i] != MT_FREE)
			return false;
	return true;
}

/*
 * Next-fit search for `count` free pages aligned to `count` pages. Free pages are
 * already zero (I.MT.3 is kept by mt_release), so nothing is cleared here.
 */
paddr_t mt_alloc(struct mem_tracker *mt, mt_owner_t owner, unsigned count)
{
	if (owner == MT_FREE || count == 0 || (count & (count - 1)) != 0 || mt->nr_free < count)
		return 0;
	uint64_t align = count;
	uint64_t skew = (mt->base / PAGE_SIZE) % align; /* align the PA, not the index */
	uint64_t first = (align - skew) % align;
	if (first >= mt->pages)
		return 0;
	uint64_t slots = (mt->pages - first) / align;
	uint64_t k0 = mt->hint > first ? (mt->hint - first) / align : 0;
	for (uint64_t n = 0; n < slots; n++) {
		uint64_t idx = first + ((k0 + n) % slots) * align;
		if (idx + count > mt->pages || !run_is_free(mt, idx, count))
			continue;
		for (unsigned i = 0; i < count; i++)
			mt->owner[idx + i] = owner;
		mt->nr_free -= count;
		mt->hint = idx + count;
		return mt->base + idx * PAGE_SIZE;
	}
	return 0;
}

static void release_index(struct mem_tracker *mt, uint64_t idx)
{
	if (DEFENCE(D_RELEASE_ZEROES))
		memset(phys_ptr(mt->base + idx * PAGE_SIZE, PAGE_SIZE), 0, PAGE_SIZE);
	mt->owner[idx] = MT_FREE;
	mt->nr_free++;
}

bool mt_release(struct mem_tracker *mt, paddr_t pa, mt_owner_t owner)
{
	if (owner == MT_FREE || !IS_ALIGNED(pa, PAGE_SIZE) || !mt_is_tracked(mt, pa) ||
	    mt_owner_of(mt, pa) != owner)
		return false;
	release_index(mt, (pa - mt->base) / PAGE_SIZE);
	return true;
}

uint64_t mt_release_all(struct mem_tracker *mt, mt_owner_t owner)
{
	uint64_t n = 0;
	if (owner == MT_FREE)
		return 0;
	for (uint64_t i = 0; i < mt->pages; i++) {
		if (mt->owner[i] == owner) {
			release_index(mt, i);
			n++;
		}
	}
	return n;
}
