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
	/* `% PAGE_SIZE` rather than IS_ALIGNED: the same test, in arithmetic the provers know */
	if (base % PAGE_SIZE != 0 || size % PAGE_SIZE != 0 ||
	    size / PAGE_SIZE > MAX_CONF_PAGES || size == 0 || !range_ok(base, size))
		return false;
	mt->base = base;
	mt->pages = size / PAGE_SIZE;
	/*@ assert mt->pages == size / 4096 && mt->pages * 4096 <= size; */
	mt->hint = 0;
	mt->nr_free = mt->pages;
	/* a loop rather than memset: WP cannot see uint8_t tokens through memset's char * */
	/*@ loop invariant 0 <= i <= MAX_CONF_PAGES;
	  @ loop invariant \forall integer j; 0 <= j < i ==> mt->owner[j] == MT_FREE;
	  @ loop assigns i, mt->owner[0 .. MAX_CONF_PAGES - 1];
	  @ loop variant MAX_CONF_PAGES - i;
	  @*/
	for (size_t i = 0; i < MAX_CONF_PAGES; i++)
		mt->owner[i] = MT_FREE;
	/* proof only: every token is FREE, so they count to pages (by induction) */
	/*@ ghost
	  @ /@ loop invariant 0 <= m <= mt->pages;
	  @    loop invariant nfree(&mt->owner[0], m) == m;
	  @    loop assigns m;
	  @    loop variant mt->pages - m; @/
	  @ for (uint64_t m = 0; m < mt->pages; m++) {}
	  @*/
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

/*@ requires \valid_read(mt) && first + count <= MAX_CONF_PAGES;
  @ assigns \nothing;
  @ ensures \result <==> (\forall integer i; first <= i < first + count ==> mt->owner[i] == MT_FREE);
  @*/
static bool run_is_free(const struct mem_tracker *mt, uint64_t first, unsigned count)
{
	/*@ loop invariant 0 <= i <= count;
	  @ loop invariant \forall integer j; first <= j < first + i ==> mt->owner[j] == MT_FREE;
	  @ loop assigns i;
	  @ loop variant count - i;
	  @*/
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
	/*@ assert bounds: align <= MAX_CONF_PAGES && first < mt->pages && slots <= mt->pages &&
	  @   k0 <= mt->pages;
	  @*/
	/*@ loop invariant 0 <= n <= slots;
	  @ loop assigns n;
	  @ loop variant slots - n;
	  @*/
	for (uint64_t n = 0; n < slots; n++) {
		/*@ assert slot: 0 <= (k0 + n) % slots < slots && (k0 + n) % slots <= MAX_CONF_PAGES; */
		/*@ assert small: ((k0 + n) % slots) * align <= MAX_CONF_PAGES * MAX_CONF_PAGES; */
		/*@ assert c1: (uint64_t)(k0 + n) == k0 + n; */
		/*@ assert c2: (uint64_t)(((k0 + n) % slots) * align) == ((k0 + n) % slots) * align; */
		/*@ assert c3: (uint64_t)(first + ((k0 + n) % slots) * align) ==
		  @   first + ((k0 + n) % slots) * align;
		  @*/
		uint64_t idx = first + ((k0 + n) % slots) * align;
		/*@ assert idx_small: idx <= MAX_CONF_PAGES + MAX_CONF_PAGES * MAX_CONF_PAGES; */
		if (idx + count > mt->pages || !run_is_free(mt, idx, count))
			continue;
		/*@ loop invariant 0 <= i <= count;
		  @ loop invariant \forall integer j; idx <= j < idx + i ==> mt->owner[j] == owner;
		  @ loop invariant same_tokens{Pre, Here}(mt, 0, idx);
		  @ loop invariant same_tokens{Pre, Here}(mt, idx + i, MAX_CONF_PAGES);
		  @ loop assigns i, mt->owner[idx .. idx + count - 1];
		  @ loop variant count - i;
		  @*/
		for (unsigned i = 0; i < count; i++)
			mt->owner[idx + i] = owner;
		/* proof only: the count of FREE tokens dropped by exactly count */
		/*@ ghost
		  @ /@ loop invariant 0 <= m <= mt->pages;
		  @    loop invariant nfree(&mt->owner[0], m) == nfree{Pre}(&mt->owner[0], m) -
		  @      (m <= idx ? 0 : m >= idx + count ? count : m - idx);
		  @    loop invariant nfree(&mt->owner[0], m) <= m;
		  @    loop assigns m;
		  @    loop variant mt->pages - m; @/
		  @ for (uint64_t m = 0; m < mt->pages; m++) {}
		  @*/
		mt->nr_free -= count;
		mt->hint = idx + count;
		return mt->base + idx * PAGE_SIZE;
	}
	return 0;
}

/*@ requires \valid(mt) && mt_inv(mt) && idx < mt->pages && mt->owner[idx] != MT_FREE;
  @ assigns phys_at(mt->base + idx * 4096)[0 .. 4095], mt->owner[idx],
  @         mt->nr_free;
  @ ensures mt_inv(mt);
  @ ensures mt->owner[idx] == MT_FREE && page_zero(mt->base + idx * 4096);
  @*/
static void release_index(struct mem_tracker *mt, uint64_t idx)
{
	/*@ assert shape: mt_shape(mt); */
	/*@ assert no_wrap: mt->base + idx * 4096 + 4096 <= 18446744073709551615; */
	/*@ assert no_wrap_c: (uint64_t)(mt->base + (uint64_t)(idx * 4096)) == mt->base + idx * 4096; */
	if (DEFENCE(D_RELEASE_ZEROES))
		memset(phys_ptr(mt->base + idx * PAGE_SIZE, PAGE_SIZE), 0, PAGE_SIZE);
	/*@ assert zeroed: page_zero(mt->base + idx * 4096); */
	/*@ assert others_zero: \forall integer i; 0 <= i < mt->pages && mt->owner[i] == MT_FREE ==>
	  @   page_zero(mt->base + i * 4096);
	  @*/
	mt->owner[idx] = MT_FREE;
	/* proof only: the count of FREE tokens grew by exactly one */
	/*@ ghost
	  @ /@ loop invariant 0 <= m <= mt->pages;
	  @    loop invariant nfree(&mt->owner[0], m) == nfree{Pre}(&mt->owner[0], m) + (m > idx ? 1 : 0);
	  @    loop invariant nfree(&mt->owner[0], m) <= m;
	  @    loop assigns m;
	  @    loop variant mt->pages - m; @/
	  @ for (uint64_t m = 0; m < mt->pages; m++) {}
	  @*/
	mt->nr_free++;
}

bool mt_release(struct mem_tracker *mt, paddr_t pa, mt_owner_t owner)
{
	if (owner == MT_FREE || pa % PAGE_SIZE != 0 || !mt_is_tracked(mt, pa) ||
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
	/*@ loop invariant 0 <= i <= mt->pages && n <= i;
	  @ loop invariant mt_inv(mt);
	  @ loop invariant mt->base == \at(mt->base, Pre) && mt->pages == \at(mt->pages, Pre);
	  @ loop invariant \forall integer j; 0 <= j < i ==>
	  @   (\at(mt->owner[j], Pre) == owner ? mt->owner[j] == MT_FREE
	  @                                   : mt->owner[j] == \at(mt->owner[j], Pre));
	  @ loop invariant same_tokens{Pre, Here}(mt, i, MAX_CONF_PAGES);
	  @ loop assigns i, n, phys_at(mt->base)[0 .. mt->pages * 4096 - 1],
	  @              mt->owner[0 .. MAX_CONF_PAGES - 1], mt->nr_free;
	  @ loop variant mt->pages - i;
	  @*/
	for (uint64_t i = 0; i < mt->pages; i++) {
		if (mt->owner[i] == owner) {
			release_index(mt, i);
			n++;
		}
	}
	return n;
}
