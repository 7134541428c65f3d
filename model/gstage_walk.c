/*
 * G-stage translation (privileged spec 1.12, 8.5.1 and the Sv39/Sv48 algorithm of
 * 4.3.2) with a small per-hart translation cache that only hfence.gvma empties.
 *
 * The cache is what makes the model a judge of TLB maintenance: a monitor that edits a
 * table and forgets hfence.gvma keeps seeing the old mapping here, as it could on real
 * hardware. Only translations that can be used are cached (valid leaf, U=1, A=1), and
 * a cached entry that would fault is dropped and the tables walked again, so the cache
 * can only ever grant stale access, never invent a fault the tables do not hold.
 */
#include <string.h>

#include "gstage_pt.h"
#include "model_priv.h"

/* G-stage permission rules: every access is a user access (8.5.1). */
static bool leaf_allows(const struct hart_state *hs, uint64_t pte, char type)
{
	if (!(pte & M_PTE_U) || !(pte & M_PTE_A))
		return false;
	switch (type) {
	case 'r':
		/* mstatus.MXR (HS-level) makes execute-only G-stage pages readable. */
		return (pte & M_PTE_R) || ((pte & M_PTE_X) && (hs->csr[SL_MSTATUS] & M_MSTATUS_MXR));
	case 'w':
		/* Svade: a store to a page with D=0 faults rather than setting D. */
		return (pte & M_PTE_W) && (pte & M_PTE_D);
	default:
		return (pte & M_PTE_X) != 0;
	}
}

void gtlb_flush(struct hart_state *hs)
{
	memset(hs->gtlb, 0, sizeof(hs->gtlb));
	hs->gtlb_next = 0;
}

static struct gtlb_entry *gtlb_find(struct hart_state *hs, uint16_t vmid, uint64_t gpa_page)
{
	for (unsigned i = 0; i < MODEL_GTLB_ENTRIES; i++) {
		struct gtlb_entry *e = &hs->gtlb[i];
		if (e->valid && e->vmid == vmid && e->gpa_page == gpa_page)
			return e;
	}
	return NULL;
}

static void gtlb_insert(struct hart_state *hs, uint16_t vmid, uint64_t gpa_page,
			uint64_t pa_page, uint64_t pte)
{
	struct gtlb_entry *e = gtlb_find(hs, vmid, gpa_page);
	if (!e) {
		e = &hs->gtlb[hs->gtlb_next];
		hs->gtlb_next = (hs->gtlb_next + 1) % MODEL_GTLB_ENTRIES;
	}
	e->valid = true;
	e->vmid = vmid;
	e->gpa_page = gpa_page;
	e->pa_page = pa_page;
	e->pte_bits = (uint8_t)pte;
}

/* The walk's implicit reads: S-mode reads as far as PMP goes (3.7.1), of RAM only. */
static bool walk_read64(void *ctx, uint64_t pa, uint64_t *val)
{
	const struct hart_state *hs = ctx;
	if (!pmp_check(hs, PRV_S, pa, 8, 'r') || !ram_contains(pa, 8))
		return false;
	memcpy(val, ram_at(pa), sizeof(*val));
	return true;
}

/* One table walk (refhw/gstage_pt.c); *pte_out gets the leaf on success. */
static enum xlate_result walk(struct hart_state *hs, uint64_t hgatp, unsigned levels,
			      uint64_t gpa, uint64_t *pa, uint64_t *pte_out)
{
	const struct refhw_mem m = { .ctx = hs, .read64 = walk_read64 };
	struct refhw_leaf leaf;
	switch (refhw_gstage_walk(&m, (hgatp & HGATP_PPN_MASK) << PAGE_SHIFT, levels, gpa, &leaf)) {
	case REFHW_XLATE_OK:
		*pa = leaf.pa;
		*pte_out = leaf.pte;
		return XLATE_OK;
	case REFHW_XLATE_ACCESS_FAULT:
		return XLATE_ACCESS_FAULT;
	default:
		return XLATE_GUEST_PAGE_FAULT;
	}
}

enum xlate_result gstage_translate(struct hart_state *hs, uint64_t gpa, char type, bool update,
				   uint64_t *pa)
{
	uint64_t hgatp = hs->csr[SL_HGATP];
	uint64_t mode = hgatp >> HGATP_MODE_SHIFT;
	if (mode == HGATP_MODE_BARE) {
		*pa = gpa;
		return XLATE_OK;
	}
	/* Only Bare, Sv39x4 and Sv48x4 can be written to hgatp (csr_file.c). */
	unsigned levels = mode == HGATP_MODE_SV39X4 ? 3 : 4;
	unsigned gpa_bits = PAGE_SHIFT + 9 * levels + 2; /* 41 or 50 */
	if (gpa >> gpa_bits)
		return XLATE_GUEST_PAGE_FAULT; /* 8.5.1: upper GPA bits must be zero */

	uint16_t vmid = (uint16_t)((hgatp >> HGATP_VMID_SHIFT) & HGATP_VMID_MASK);
	uint64_t gpa_page = gpa >> PAGE_SHIFT;
	struct gtlb_entry *e = gtlb_find(hs, vmid, gpa_page);
	if (e) {
		if (leaf_allows(hs, e->pte_bits, type)) {
			*pa = (e->pa_page << PAGE_SHIFT) | (gpa & PAGE_MASK);
			return XLATE_OK;
		}
		if (update)
			e->valid = false;
	}

	uint64_t pte;
	enum xlate_result r = walk(hs, hgatp, levels, gpa, pa, &pte);
	if (r != XLATE_OK)
		return r;
	if (update && (pte & M_PTE_U) && (pte & M_PTE_A))
		gtlb_insert(hs, vmid, gpa_page, *pa >> PAGE_SHIFT, pte);
	return leaf_allows(hs, pte, type) ? XLATE_OK : XLATE_GUEST_PAGE_FAULT;
}
