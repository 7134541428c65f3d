/*
 * The state-isolation oracle. One table classes every CSR a domain below M can reach;
 * the harness keeps each domain's own view of them and checks, after every step:
 *   - hypervisor harts: its CSRs hold what it last left there; a call, a CVM's turn on
 *     the hart or another hart's step changes none of them (CVM to hypervisor, and the
 *     CVM's values never left behind);
 *   - CVM harts: no hypervisor-chosen value of a guest-facing CSR is in force (hypervisor
 *     to CVM), and the registers with no VS copy hold that vCPU's own values, as does its
 *     self-IPI bit (hvip.VSSIP, which VS-mode sets through sip): its state survives
 *     exits, other vCPUs and other CVMs (CVM to CVM).
 * The bits hardware itself changes (sstatus.FS/SD as FP state moves) are left out.
 */
#include "csr_state.h"

#include <string.h>

#include "csr.h"
#include "harness.h"
#include "hart.h"
#include "gstage.h"
#include "monitor.h"
#include "platform.h"
#include "state.h"

#define SSTATUS_MXR (1ULL << 19)
#define SSTATUS_HW ((3ULL << 9) | MSTATUS_FS | (3ULL << 15) | (1ULL << 63)) /* VS, FS, XS, SD */
#define HSTATUS_TRAPS ((1ULL << 9) | (1ULL << 20) | HSTATUS_VTW | (1ULL << 22)) /* HU VTVM VTW VTSR */
#define VSSIP (1ULL << IRQ_VS_SOFT)

#define HV(n, name) { n, name, CC_HV, 0, 0, 0, false }
const struct csr_desc csr_table[] = {
	/* in force below a CVM too: the monitor must put its own CVM-mode value there */
	{ CSR_SSTATUS, "sstatus", CC_HV_GUEST_FACING, SSTATUS_MXR, 0, SSTATUS_HW, false },
	{ CSR_HSTATUS, "hstatus", CC_HV_GUEST_FACING, HSTATUS_TRAPS, 0, 0, false },
	{ CSR_HTIMEDELTA, "htimedelta", CC_HV_GUEST_FACING, ~0ULL, 0, 0, false },
	{ CSR_HENVCFG, "henvcfg", CC_HV_GUEST_FACING, ~0ULL, 0, 0, false },
	{ CSR_HCOUNTEREN, "hcounteren", CC_HV_GUEST_FACING, 0xffffffffULL, 0xffffffffULL, 0, false },
	/* no VS copy: each domain's own, swapped by software */
	{ CSR_SCOUNTEREN, "scounteren", CC_NO_VS_COPY, 0, 0, 0, false },
	{ CSR_SENVCFG, "senvcfg", CC_NO_VS_COPY, 0, 0, 0, false },
	/* the hypervisor's alone */
	HV(CSR_STVEC, "stvec"), HV(CSR_SSCRATCH, "sscratch"), HV(CSR_SEPC, "sepc"),
	HV(CSR_SCAUSE, "scause"), HV(CSR_STVAL, "stval"), HV(CSR_SATP, "satp"),
	/* with Sstc, SBI set_timer is a write of the caller's own stimecmp */
	{ CSR_STIMECMP, "stimecmp", CC_HV, 0, 0, 0, true }, HV(CSR_HEDELEG, "hedeleg"), HV(CSR_HIDELEG, "hideleg"),
	HV(CSR_HIE, "hie"), HV(CSR_HVIP, "hvip"), HV(CSR_HTVAL, "htval"), HV(CSR_HTINST, "htinst"),
	HV(CSR_HGATP, "hgatp"), HV(CSR_VSSTATUS, "vsstatus"), HV(CSR_VSIE, "vsie"),
	HV(CSR_VSTVEC, "vstvec"), HV(CSR_VSSCRATCH, "vsscratch"), HV(CSR_VSEPC, "vsepc"),
	HV(CSR_VSCAUSE, "vscause"), HV(CSR_VSTVAL, "vstval"), HV(CSR_VSATP, "vsatp"),
	HV(CSR_VSTIMECMP, "vstimecmp"),
};
const unsigned csr_table_len = sizeof(csr_table) / sizeof(csr_table[0]);
_Static_assert(sizeof(csr_table) / sizeof(csr_table[0]) <= HARNESS_CSR_MAX, "state.h HARNESS_CSR_MAX");

/* The hypervisor names any S, H or VS CSR, and a few it may not (M-level, read-only). */
const unsigned hv_csr_choices[] = {
	CSR_SSTATUS, CSR_SIE, CSR_STVEC, CSR_SCOUNTEREN, CSR_SENVCFG, CSR_SSCRATCH, CSR_SEPC,
	CSR_SCAUSE, CSR_STVAL, CSR_SIP, CSR_STIMECMP, CSR_SATP, CSR_HSTATUS, CSR_HEDELEG,
	CSR_HIDELEG, CSR_HIE, CSR_HIP, CSR_HVIP, CSR_HTIMEDELTA, CSR_HCOUNTEREN, CSR_HENVCFG,
	CSR_HTVAL, CSR_HTINST, CSR_HGATP, CSR_VSSTATUS, CSR_VSIE, CSR_VSTVEC, CSR_VSSCRATCH,
	CSR_VSEPC, CSR_VSCAUSE, CSR_VSTVAL, CSR_VSIP, CSR_VSTIMECMP, CSR_VSATP, CSR_TIME,
	0xc00 /* cycle */, 0xc02 /* instret */, CSR_MSTATUS, CSR_MEDELEG, CSR_PMPCFG0,
};
const unsigned nr_hv_csr_choices = sizeof(hv_csr_choices) / sizeof(hv_csr_choices[0]);
/* A CVM names its S CSRs (VS copies in hardware, or the real ones where none exist),
 * counters, and H/M CSRs it may not touch. */
const unsigned cvm_csr_choices[] = {
	CSR_SSTATUS, CSR_SIE, CSR_STVEC, CSR_SCOUNTEREN, CSR_SENVCFG, CSR_SSCRATCH, CSR_SEPC,
	CSR_SCAUSE, CSR_STVAL, CSR_SIP, CSR_STIMECMP, CSR_SATP, CSR_TIME, 0xc00, 0xc02,
	CSR_HSTATUS, CSR_HGATP, CSR_VSSTATUS, CSR_MSTATUS,
};
const unsigned nr_cvm_csr_choices = sizeof(cvm_csr_choices) / sizeof(cvm_csr_choices[0]);

static uint64_t value_of(unsigned h, unsigned i)
{
	return model_csr(h, csr_table[i].num) & ~csr_table[i].ignore;
}

void csr_state_reset(void)
{
	memset(&hs.csrs, 0, sizeof(hs.csrs));
}

void csr_state_forget_cvm(unsigned cvm)
{
	memset(hs.csrs.cvm[cvm], 0, sizeof(hs.csrs.cvm[cvm]));
}

void csr_state_hv_acted(unsigned h)
{
	for (unsigned i = 0; i < csr_table_len; i++)
		hs.csrs.hv[h][i] = value_of(h, i);
	hs.csrs.hv_valid[h] = true;
}

void csr_state_cvm_acted(unsigned h)
{
	struct csr_cvm_view *v = &hs.csrs.cvm[sm.harts[h].cvm][sm.harts[h].vcpu];
	for (unsigned i = 0; i < csr_table_len; i++)
		if (csr_table[i].cls == CC_NO_VS_COPY)
			v->val[i] = value_of(h, i);
	v->vssip = (model_csr(h, CSR_HVIP) & VSSIP) != 0;
}

static void check_hypervisor(unsigned h, const struct step *s)
{
	bool own_call = s->hart == h && s->kind == ST_HV_ECALL;
	for (unsigned i = 0; i < csr_table_len; i++) {
		if (own_call && csr_table[i].set_by_calls)
			continue;
		uint64_t now = value_of(h, i);
		if (now != hs.csrs.hv[h][i])
			harness_finding(ORACLE_STATE, "hart %u: the hypervisor's %s changed from %llx to %llx across a %s step",
					h, csr_table[i].name, (unsigned long long)hs.csrs.hv[h][i],
					(unsigned long long)now, step_kind_name(s->kind));
	}
}

static void check_cvm(unsigned h)
{
	int c = sm.harts[h].cvm, vc = sm.harts[h].vcpu;
	if (c < 0 || vc < 0)
		return;
	const struct csr_cvm_view *v = &hs.csrs.cvm[c][vc];
	for (unsigned i = 0; i < csr_table_len; i++) {
		const struct csr_desc *d = &csr_table[i];
		uint64_t now = value_of(h, i);
		if (d->cls == CC_HV_GUEST_FACING && (now & d->cvm_mask) != d->cvm_value)
			harness_finding(ORACLE_STATE, "hart %u runs CVM %d vCPU %d under %s %llx (bits %llx must read %llx)",
					h, c, vc, d->name, (unsigned long long)now,
					(unsigned long long)d->cvm_mask, (unsigned long long)d->cvm_value);
		if (d->cls == CC_NO_VS_COPY && now != v->val[i])
			harness_finding(ORACLE_STATE, "hart %u runs CVM %d vCPU %d with %s %llx, its own is %llx",
					h, c, vc, d->name, (unsigned long long)now, (unsigned long long)v->val[i]);
	}
	if (v->vssip && !(model_csr(h, CSR_HVIP) & VSSIP))
		harness_finding(ORACLE_STATE, "hart %u runs CVM %d vCPU %d without the self-IPI it raised", h, c, vc);
}

/*
 * Cached VS-stage translations are tagged by VMID and ASID only (the hardware may keep
 * them apart from G-stage ones, and HFENCE.GVMA need not touch them). Under a CVM none
 * may have been filled under another domain's G-stage tables with the CVM's VMID, and
 * under the hypervisor none filled under a CVM's may remain.
 */
struct vtlb_check {
	unsigned h;
	int cvm;           /* running on the hart, or -1 */
	uint16_t vmid;
	uint64_t root;
};

static bool is_cvm_root(uint64_t root)
{
	for (unsigned c = 0; c < MAX_CVMS; c++)
		if (sm.cvms[c].state == CVM_ACTIVE && sm.cvms[c].root == root)
			return true;
	return root >= mem.conf_base && root < mem.conf_base + mem.conf_size;
}

static void check_vtlb_entry(uint16_t vmid, uint64_t root, void *arg)
{
	const struct vtlb_check *k = arg;
	if (k->cvm >= 0 && vmid == k->vmid && root != k->root)
		harness_finding(ORACLE_STATE, "hart %u runs CVM %d (VMID %u) with a VS-stage translation "
				"filled under other G-stage tables (root %llx)", k->h, k->cvm, vmid,
				(unsigned long long)root);
	if (k->cvm < 0 && is_cvm_root(root))
		harness_finding(ORACLE_STATE, "hart %u: the hypervisor runs with a CVM's VS-stage "
				"translation (VMID %u, root %llx) still cached", k->h, vmid,
				(unsigned long long)root);
}

static void check_vtlb(unsigned h)
{
	struct vtlb_check k = { .h = h, .cvm = hart_in_guest(h) ? sm.harts[h].cvm : -1 };
	if (k.cvm >= 0) {
		uint64_t hgatp = model_csr(h, CSR_HGATP);
		k.vmid = (uint16_t)((hgatp >> HGATP_VMID_SHIFT) & HGATP_VMID_MASK);
		k.root = sm.cvms[k.cvm].root;
	}
	model_vs_tlb_each(h, check_vtlb_entry, &k);
}

/* Steps in which the hypervisor on h changes its own CSRs, traps to itself included. */
static bool hv_own_step(unsigned h, const struct step *s)
{
	return s->hart == h && (s->kind == ST_HV_CSR || s->kind == ST_HV_ACCESS ||
				s->kind == ST_HV_DMA || s->kind == ST_IRQ || s->kind == ST_HV_VM);
}

void csr_state_after_step(const struct step *s)
{
	for (unsigned h = 0; h < model_nr_harts(); h++) {
		if (model_hart(h)->parked) {
			hs.csrs.hv_valid[h] = false; /* a restarted hart starts afresh */
			continue;
		}
		check_vtlb(h);
		if (hart_in_guest(h)) {
			if (s->hart == h && s->kind == ST_CVM_CSR)
				csr_state_cvm_acted(h);
			check_cvm(h);
			continue;
		}
		if (hs.csrs.hv_valid[h] && !hv_own_step(h, s))
			check_hypervisor(h, s);
		csr_state_hv_acted(h);
	}
}
