/*
 * VS-stage translation (privileged spec 1.12, 8.5: the guest's own Sv39/Sv48 tables
 * under vsatp, each of its PTE reads itself a G-stage-translated implicit access) with a
 * per-hart cache of VA-to-GPA translations tagged by VMID and ASID, kept apart from the
 * G-stage cache as the spec allows. Only HFENCE.VVMA and a guest's SFENCE.VMA empty it,
 * for the VMID in hgatp; HFENCE.GVMA does not. A monitor that reuses a VMID without
 * HFENCE.VVMA lets a guest use translations another guest left under that VMID.
 */
#include <string.h>

#include "model_priv.h"

#define VSATP_MODE_SHIFT 60
#define VSATP_ASID_SHIFT 44
#define VSATP_ASID_MASK 0xffffULL
#define VSATP_PPN_MASK ((1ULL << 44) - 1)
#define SATP_SV39 8ULL
#define SATP_SV48 9ULL

static uint16_t current_vmid(const struct hart_state *hs)
{
	return (uint16_t)((hs->csr[SL_HGATP] >> HGATP_VMID_SHIFT) & HGATP_VMID_MASK);
}

void vtlb_flush_vmid(struct hart_state *hs, uint16_t vmid)
{
	for (unsigned i = 0; i < MODEL_VTLB_ENTRIES; i++)
		if (hs->vtlb[i].vmid == vmid)
			hs->vtlb[i].valid = false;
}

/* Leaf permissions for VS or VU mode (4.3.1 with vsstatus.SUM and MXR, and HS MXR). */
static bool leaf_allows(const struct hart_state *hs, uint64_t pte, char type)
{
	bool user = hs->pub.mode == MODE_VU;
	uint64_t vsstatus = hs->csr[SL_VSSTATUS];
	if (!(pte & M_PTE_A))
		return false;
	if (user && !(pte & M_PTE_U))
		return false;
	if (!user && (pte & M_PTE_U) && (type == 'x' || !(vsstatus & MSTATUS_SUM)))
		return false;
	switch (type) {
	case 'r': {
		bool mxr = ((vsstatus | hs->csr[SL_MSTATUS]) & M_MSTATUS_MXR) != 0;
		return (pte & M_PTE_R) || (mxr && (pte & M_PTE_X));
	}
	case 'w': return (pte & M_PTE_W) && (pte & M_PTE_D);
	default: return (pte & M_PTE_X) != 0;
	}
}

static struct vtlb_entry *vtlb_find(struct hart_state *hs, uint16_t vmid, uint16_t asid, uint64_t va_page)
{
	for (unsigned i = 0; i < MODEL_VTLB_ENTRIES; i++) {
		struct vtlb_entry *e = &hs->vtlb[i];
		if (e->valid && e->vmid == vmid && e->asid == asid && e->va_page == va_page)
			return e;
	}
	return NULL;
}

static void vtlb_insert(struct hart_state *hs, uint16_t vmid, uint16_t asid, uint64_t va_page,
			uint64_t gpa_page, uint64_t pte)
{
	struct vtlb_entry *e = vtlb_find(hs, vmid, asid, va_page);
	if (!e) {
		e = &hs->vtlb[hs->vtlb_next];
		hs->vtlb_next = (hs->vtlb_next + 1) % MODEL_VTLB_ENTRIES;
	}
	*e = (struct vtlb_entry){ .va_page = va_page, .gpa_page = gpa_page,
				  .root = (hs->csr[SL_HGATP] & HGATP_PPN_MASK) << PAGE_SHIFT,
				  .vmid = vmid, .asid = asid, .pte_bits = (uint8_t)pte, .valid = true };
}

enum vs_result vsstage_translate(struct hart_state *hs, uint64_t va, char type, bool update,
				 uint64_t *gpa, uint64_t *fault_gpa)
{
	uint64_t vsatp = hs->csr[SL_VSATP], mode = vsatp >> VSATP_MODE_SHIFT;
	if (mode != SATP_SV39 && mode != SATP_SV48) {
		*gpa = va; /* Bare */
		return VS_OK;
	}
	unsigned levels = mode == SATP_SV39 ? 3 : 4, va_bits = PAGE_SHIFT + 9 * levels;
	if ((uint64_t)((int64_t)(va << (64 - va_bits)) >> (64 - va_bits)) != va)
		return VS_PAGE_FAULT; /* not canonical */
	uint16_t vmid = current_vmid(hs), asid = (uint16_t)((vsatp >> VSATP_ASID_SHIFT) & VSATP_ASID_MASK);
	uint64_t va_page = (va >> PAGE_SHIFT) & ((1ULL << (va_bits - PAGE_SHIFT)) - 1);
	struct vtlb_entry *e = vtlb_find(hs, vmid, asid, va_page);
	if (e && leaf_allows(hs, e->pte_bits, type)) {
		*gpa = (e->gpa_page << PAGE_SHIFT) | (va & PAGE_MASK);
		return VS_OK;
	}

	uint64_t table = (vsatp & VSATP_PPN_MASK) << PAGE_SHIFT;
	for (int i = (int)levels - 1; i >= 0; i--) {
		unsigned shift = PAGE_SHIFT + 9 * (unsigned)i;
		uint64_t pte_gpa = table + ((va >> shift) & 0x1ff) * 8, pte_pa, pte;
		/* the PTE read is a G-stage-translated implicit load (8.5.1) */
		enum xlate_result g = gstage_translate(hs, pte_gpa, 'r', update, &pte_pa);
		if (g == XLATE_GUEST_PAGE_FAULT) {
			*fault_gpa = pte_gpa;
			return VS_GUEST_PAGE_FAULT;
		}
		if (g != XLATE_OK || !pmp_check(hs, PRV_S, pte_pa, 8, 'r') || !ram_contains(pte_pa, 8))
			return VS_ACCESS_FAULT;
		memcpy(&pte, ram_at(pte_pa), sizeof(pte));
		if (pte_faults(pte))
			return VS_PAGE_FAULT;
		uint64_t ppn = (pte >> M_PTE_PPN_SHIFT) & ((1ULL << M_PTE_PPN_BITS) - 1);
		if (!(pte & (M_PTE_R | M_PTE_X))) {
			if (pointer_faults(pte, i))
				return VS_PAGE_FAULT;
			table = ppn << PAGE_SHIFT;
			continue;
		}
		if (ppn & ((1ULL << (9 * (unsigned)i)) - 1))
			return VS_PAGE_FAULT; /* misaligned superpage */
		*gpa = (ppn << PAGE_SHIFT) | (va & ((1ULL << shift) - 1));
		if (update && (pte & M_PTE_A))
			vtlb_insert(hs, vmid, asid, va_page, *gpa >> PAGE_SHIFT, pte);
		return leaf_allows(hs, pte, type) ? VS_OK : VS_PAGE_FAULT;
	}
	return VS_PAGE_FAULT;
}

void model_vs_tlb_each(unsigned h, void (*fn)(uint16_t vmid, uint64_t root, void *arg), void *arg)
{
	const struct hart_state *hs = model_hs(h, "model_vs_tlb_each");
	for (unsigned i = 0; i < MODEL_VTLB_ENTRIES; i++)
		if (hs->vtlb[i].valid)
			fn(hs->vtlb[i].vmid, hs->vtlb[i].root, arg);
}
