/*
 * The named invariants, checked over live monitor data (docs/invariants.md maps each
 * to the code that keeps it). Nothing here trusts the structures it inspects: a
 * corrupted table is reported, never followed outside confidential memory.
 */
#include <string.h>

#include "arch.h"
#include "csr.h"
#include "gstage.h"
#include "invariants.h"
#include "monitor.h"
#include "platform.h"
#include "pmp.h"
#include "sbi.h"

static bool fail(struct inv_violation *v, const char *inv, const char *what, uint64_t a, uint64_t b)
{
	static const char hex[] = "0123456789abcdef";
	char *p = v->detail, *end = v->detail + sizeof(v->detail) - 1;
	v->invariant = inv;
	for (const char *s = what; *s && p < end; s++) {
		if (*s != '%') {
			*p++ = *s;
			continue;
		}
		uint64_t x = s[1] == 'b' ? b : a;
		s++;
		for (int sh = 60; sh >= 0 && p < end; sh -= 4)
			*p++ = hex[(x >> sh) & 15];
	}
	*p = 0;
	return false;
}

/* --- memory tracker --------------------------------------------------------- */

struct tree_scan {
	unsigned idx;          /* CVM being scanned */
	uint64_t reached;      /* tracked pages reached from its root */
	struct inv_violation *v;
	bool ok;
};

static uint8_t seen[(MAX_CONF_PAGES + 7) / 8]; /* pages reached by any CVM's tree */

static bool shared_backs(const struct cvm *c, gpaddr_t gpa, paddr_t pa)
{
	for (unsigned i = 0; i < MAX_SHARED_REGIONS; i++) {
		const struct gregion *r = &c->shared[i];
		if (r->len && gpa >= r->gpa && gpa - r->gpa < r->len && pa == r->hpa + (gpa - r->gpa))
			return true;
	}
	return false;
}

static void scan_page(void *arg, paddr_t pa, bool is_table, gpaddr_t gpa, uint64_t pte)
{
	struct tree_scan *t = arg;
	const struct cvm *c = &sm.cvms[t->idx];
	if (!t->ok)
		return;
	if (!is_table && (pte & PTE_V) && ((pte & PTE_RWX) == 0 || !(pte & PTE_U))) {
		t->ok = fail(t->v, "I.FSM.2", "malformed leaf for gpa %a, pte %b", gpa, pte);
		return;
	}
	if (!mt_is_tracked(&sm.mt, pa)) {
		/* only data pages the CVM asked to share may live outside confidential memory */
		if (is_table || !mem_is_hypervisor(pa, PAGE_SIZE) || !shared_backs(c, gpa, pa))
			t->ok = fail(t->v, "I.FSM.2", "CVM maps untracked pa %a at gpa %b", pa, gpa);
		return;
	}
	uint64_t i = (pa - sm.mt.base) / PAGE_SIZE;
	if (seen[i / 8] & (1U << (i % 8))) {
		t->ok = fail(t->v, "I.MT.1", "page %a has two owners (second via gpa %b)", pa, gpa);
		return;
	}
	seen[i / 8] |= (uint8_t)(1U << (i % 8));
	if (mt_owner_of(&sm.mt, pa) != MT_CVM(t->idx)) {
		t->ok = fail(t->v, "I.MT.1", "page %a reached by CVM %b is not its own", pa, t->idx);
		return;
	}
	t->reached++;
}

/* I.MMIO.1: a vCPU's MMIO site, while current, says where its pc's bits are. */
static bool check_mmio_sites(const struct cvm *c, unsigned idx, struct inv_violation *v)
{
	for (unsigned i = 0; i < c->nr_vcpus && i < MAX_VCPUS; i++) {
		const struct mmio_site *s = &c->vcpu[i].mmio_site;
		if (s->gen != c->gstage_gen)
			continue;
		uint64_t perms = 0;
		paddr_t page = gstage_lookup(c->root, s->pc, &perms);
		if (!page || !(perms & PTE_X) || page + (s->pc & PAGE_MASK) != s->pa ||
		    (s->pa & PAGE_MASK) + s->acc.insn_len > PAGE_SIZE)
			return fail(v, "I.MMIO.1", "CVM %a: a vCPU's MMIO site at pc %b is stale", idx, s->pc);
	}
	return true;
}

static bool check_cvm_trees(struct inv_violation *v, const uint64_t *owned)
{
	memset(seen, 0, sizeof(seen));
	for (unsigned idx = 0; idx < MAX_CVMS; idx++) {
		const struct cvm *c = &sm.cvms[idx];
		if (c->state == CVM_FREE) {
			if (owned[MT_CVM(idx)])
				return fail(v, "S.MT.1", "free CVM slot %a still owns %b pages", idx, owned[MT_CVM(idx)]);
			continue;
		}
		if (!IS_ALIGNED(c->root, GSTAGE_ROOT_PAGES * PAGE_SIZE) ||
		    !mem_is_confidential(c->root, GSTAGE_ROOT_PAGES * PAGE_SIZE))
			return fail(v, "I.FSM.2", "CVM %a root %b outside confidential memory", idx, c->root);
		struct tree_scan t = { .idx = idx, .v = v, .ok = true };
		gstage_visit(c->root, scan_page, &t);
		if (!t.ok)
			return false;
		if (t.reached != owned[MT_CVM(idx)])
			return fail(v, "S.MT.1", "CVM %a owns %b pages its tables do not reach", idx,
				    owned[MT_CVM(idx)] - t.reached);
		if (!check_mmio_sites(c, idx, v))
			return false;
	}
	return true;
}

static bool page_is_zero(paddr_t pa)
{
	const uint64_t *w = phys_ptr(pa, PAGE_SIZE);
	for (unsigned i = 0; i < PAGE_SIZE / 8; i++)
		if (w[i])
			return false;
	return true;
}

bool inv_check_memory(struct inv_violation *v)
{
	static uint64_t owned[256];
	const struct mem_tracker *mt = &sm.mt;
	if (mt->base != sm.boot_conf_base || mt->pages != sm.boot_conf_pages ||
	    mt->base != mem.conf_base || mt->pages * PAGE_SIZE != mem.conf_size)
		return fail(v, "I.MT.2", "tracked region changed: base %a, pages %b", mt->base, mt->pages);
	memset(owned, 0, sizeof(owned));
	for (uint64_t i = 0; i < mt->pages; i++) {
		mt_owner_t o = mt->owner[i];
		if (o != MT_FREE && o != MT_MONITOR && MT_CVM_IDX(o) >= MAX_CVMS)
			return fail(v, "S.MT.1", "page %a has unknown owner %b", mt->base + i * PAGE_SIZE, o);
		owned[o]++;
		paddr_t pa = mt->base + i * PAGE_SIZE;
		if (o == MT_FREE && phys_page_maybe_dirty(pa) && !page_is_zero(pa))
			return fail(v, "I.MT.3", "free page %a is not zero", pa, 0);
	}
	if (owned[MT_FREE] != mt->nr_free)
		return fail(v, "S.MT.1", "free count %a, tokens say %b", mt->nr_free, owned[MT_FREE]);
	return check_cvm_trees(v, owned);
}

/* --- per-hart isolation ----------------------------------------------------- */

bool inv_check_hart(unsigned hart, struct inv_violation *v)
{
	const struct hart *h = &sm.harts[hart];
	if (!pmp_denies_supervisor(mem.monitor_base, mem.monitor_size))
		return fail(v, "S.Init.1", "hart %a: PMP lets S/U reach monitor memory", hart, 0);
	for (unsigned i = 0; i < mem.nr_devices; i++)
		if (!pmp_denies_supervisor(mem.devices[i].base, mem.devices[i].size))
			return fail(v, "S.Init.3", "hart %a: PMP lets S/U program the device at %b", hart,
				    mem.devices[i].base);
	if (h->cvm < 0) {
		if (!pmp_denies_supervisor(mem.conf_base, mem.conf_size))
			return fail(v, "I.FSM.3", "hart %a: hypervisor can reach confidential memory", hart, 0);
		return true;
	}
	if (h->cvm >= MAX_CVMS || sm.cvms[h->cvm].state != CVM_ACTIVE || h->vcpu < 0 ||
	    (unsigned)h->vcpu >= sm.cvms[h->cvm].nr_vcpus ||
	    sm.cvms[h->cvm].vcpu[h->vcpu].running_on != (int)hart)
		return fail(v, "I.FSM.2", "hart %a runs CVM %b inconsistently", hart, (uint64_t)h->cvm);
	ureg_t hgatp = csr_read(CSR_HGATP);
	if ((hgatp >> HGATP_MODE_SHIFT) != HGATP_MODE_SV39X4 ||
	    ((hgatp & HGATP_PPN_MASK) << PAGE_SHIFT) != sm.cvms[h->cvm].root)
		return fail(v, "I.FSM.2", "hart %a: hgatp %b is not the CVM's", hart, hgatp);
	if (csr_read(CSR_MIDELEG) & (MIP_SSIP | MIP_STIP | MIP_SEIP))
		return fail(v, "I.FSM.2", "hart %a: interrupts delegated away while a CVM runs (%b)",
			    hart, csr_read(CSR_MIDELEG));
	ureg_t leaks = (1UL << CAUSE_VIRTUAL_SUPERVISOR_ECALL) | (1UL << CAUSE_LOAD_GUEST_PAGE_FAULT) |
		       (1UL << CAUSE_STORE_GUEST_PAGE_FAULT) | (1UL << CAUSE_FETCH_GUEST_PAGE_FAULT);
	if (csr_read(CSR_MEDELEG) & leaks)
		return fail(v, "I.FSM.2", "hart %a: CVM traps delegated to the hypervisor (%b)", hart,
			    csr_read(CSR_MEDELEG));
	return true;
}

bool inv_check_all(struct inv_violation *v)
{
	for (unsigned i = 0; i < mem.nr_harts; i++) {
		const struct hart *h = &sm.harts[i];
		if (h->hsm_state == SBI_HSM_STATE_STOPPED || !arch_inspect_hart(i))
			continue;
		if (!inv_check_hart(i, v))
			return false;
	}
	for (unsigned c = 0; c < MAX_CVMS; c++)
		for (unsigned i = 0; i < MAX_VCPUS; i++) {
			int r = sm.cvms[c].vcpu[i].running_on;
			if (r >= 0 && (r >= (int)mem.nr_harts || sm.harts[r].cvm != (int)c ||
				       sm.harts[r].vcpu != (int)i))
				return fail(v, "I.FSM.2", "vCPU %a claims hart %b", c * MAX_VCPUS + i, (uint64_t)r);
		}
	return inv_check_memory(v);
}
