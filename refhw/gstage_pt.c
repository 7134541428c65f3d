/* G-stage page tables (see gstage_pt.h): privileged spec 1.12, 8.5.1 and 4.3.2. */
#include "gstage_pt.h"

#define PPN_MASK ((1ULL << REFHW_PTE_PPN_BITS) - 1)

static uint64_t pte_ppn(uint64_t pte) { return (pte >> REFHW_PTE_PPN_SHIFT) & PPN_MASK; }

/* Where the entry for `gpa` lies in the table at `table`, at `level`. */
static uint64_t entry_pa(uint64_t table, unsigned level, unsigned levels, uint64_t gpa)
{
	unsigned shift = REFHW_PAGE_SHIFT + 9 * level;
	/* The root of an x4 scheme is 16 KiB: two extra index bits at the top level. */
	uint64_t index_mask = level == levels - 1 ? 0x7ff : 0x1ff;
	return table + ((gpa >> shift) & index_mask) * 8;
}

enum refhw_xlate refhw_gstage_walk(const struct refhw_mem *m, uint64_t root, unsigned levels,
				   uint64_t gpa, struct refhw_leaf *leaf)
{
	unsigned gpa_bits = REFHW_PAGE_SHIFT + 9 * levels + 2; /* 41 or 50 */
	if (gpa >> gpa_bits)
		return REFHW_XLATE_PAGE_FAULT; /* 8.5.1: upper GPA bits must be zero */
	uint64_t table = root;
	for (unsigned i = levels; i-- > 0;) {
		uint64_t pte_pa = entry_pa(table, i, levels, gpa), pte;
		if (!m->read64(m->ctx, pte_pa, &pte))
			return REFHW_XLATE_ACCESS_FAULT;
		/* 4.3.2 step 3: invalid, write-only, or reserved bits set. */
		if (!(pte & REFHW_PTE_V) || (!(pte & REFHW_PTE_R) && (pte & REFHW_PTE_W)) ||
		    (pte & REFHW_PTE_RESERVED))
			return REFHW_XLATE_PAGE_FAULT;
		uint64_t ppn = pte_ppn(pte);
		if (!(pte & (REFHW_PTE_R | REFHW_PTE_X))) {
			/* Step 4: a pointer; D, A and U are reserved there (4.3.1). */
			if (i == 0 || (pte & (REFHW_PTE_D | REFHW_PTE_A | REFHW_PTE_U)))
				return REFHW_XLATE_PAGE_FAULT;
			table = ppn << REFHW_PAGE_SHIFT;
			continue;
		}
		/* Step 6: a superpage must be aligned to its size. */
		if (ppn & ((1ULL << (9 * i)) - 1))
			return REFHW_XLATE_PAGE_FAULT;
		unsigned shift = REFHW_PAGE_SHIFT + 9 * i;
		leaf->pte = pte;
		leaf->pte_pa = pte_pa;
		leaf->pa = (ppn << REFHW_PAGE_SHIFT) | (gpa & ((1ULL << shift) - 1));
		leaf->level = i;
		return REFHW_XLATE_OK;
	}
	return REFHW_XLATE_PAGE_FAULT; /* levels == 0 */
}

bool refhw_gstage_map_4k(const struct refhw_mem *m, uint64_t root, unsigned levels, uint64_t gpa,
			 uint64_t hpa, uint64_t flags)
{
	uint64_t table = root;
	for (unsigned i = levels; i-- > 1;) {
		uint64_t slot = entry_pa(table, i, levels, gpa), pte;
		if (!m->read64(m->ctx, slot, &pte))
			return false;
		if (!(pte & REFHW_PTE_V)) {
			uint64_t next = m->alloc_table(m->ctx);
			if (!next)
				return false;
			pte = ((next >> REFHW_PAGE_SHIFT) << REFHW_PTE_PPN_SHIFT) | REFHW_PTE_V;
			if (!m->write64(m->ctx, slot, pte))
				return false;
		}
		table = pte_ppn(pte) << REFHW_PAGE_SHIFT;
	}
	uint64_t leaf = (((hpa >> REFHW_PAGE_SHIFT) & PPN_MASK) << REFHW_PTE_PPN_SHIFT) | flags | REFHW_PTE_V;
	return m->write64(m->ctx, entry_pa(table, 0, levels, gpa), leaf);
}
