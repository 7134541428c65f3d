/*
 * The confidential flow: traps taken while a CVM runs. COVG calls are answered inside
 * the CVM's turn; hypercalls, MMIO accesses to registered regions and faults end it
 * through the exit node, carrying only what the narrow interface allows.
 */
#include "defence.h"
#include "cove.h"
#include "cvm_ext.h"
#include "csr.h"
#include "cvm_ops.h"
#include "fsm.h"
#include "gstage.h"
#include "mmio.h"
#include "platform.h"
#include "sbi.h"

OFF_HOT_PATH static void fault_exit(struct hart *h, ureg_t cause)
{
	/* the fail-stop alternative, kept only so the attack suite can show it matters */
	if (!DEFENCE(D_CVM_FAULT_CONTAINED))
		plat->system_reset(SBI_SRST_TYPE_SHUTDOWN, SBI_SRST_REASON_FAILURE);
	fsm_exit_to_hypervisor(h, &(struct cvm_exit){ .reason = TVM_EXIT_FAULT,
						      .resume_pc = csr_read(CSR_MEPC),
						      .n = 1, .payload = { cause } });
}

/* One table for the CVM's calls, one write-back for those answered in its turn. */
static void cvm_ecall(struct hart *h)
{
	struct cvm_call c = {
		.h = h,
		.cvm = &sm.cvms[h->cvm],
		.idx = (unsigned)h->cvm,
		.v = &sm.cvms[h->cvm].vcpu[h->vcpu],
		.eid = h->regs->x[REG_A7],
		.fid = h->regs->x[REG_A6],
		.a = &h->regs->x[REG_A0],
		.error = SBI_ERR_NOT_SUPPORTED,
	};
	const struct cvm_ext *ext = cvm_find_ext(c.eid);
	if (ext && ext->handle(&c) == CALL_SWITCHED)
		return;
	h->regs->x[REG_A0] = (ureg_t)c.error;
	h->regs->x[REG_A1] = c.value;
	csr_write(CSR_MEPC, csr_read(CSR_MEPC) + 4);
}

static bool fetch_guest_insn(const struct cvm *c, ureg_t pc, uint32_t *insn)
{
	uint64_t perms = 0;
	uint16_t half[2];
	if (csr_read(CSR_VSATP) != 0 || (pc & 1))
		return false; /* guest-virtual pc: only mtinst can tell */
	for (unsigned i = 0; i < 2; i++) {
		gpaddr_t gpa = pc + 2 * (gpaddr_t)i;
		paddr_t page = gstage_lookup(c->root, gpa, &perms);
		if (!page || !(perms & PTE_X))
			return false;
		half[i] = *(const uint16_t *)phys_ptr(page + (gpa & PAGE_MASK), 2);
		if (i == 0 && (half[0] & 3) != 3) {
			*insn = half[0];
			return true;
		}
	}
	*insn = half[0] | ((uint32_t)half[1] << 16);
	return true;
}

static const struct gregion *mmio_region(const struct cvm *c, gpaddr_t gpa, uint64_t len)
{
	for (unsigned i = 0; i < MAX_MMIO_REGIONS; i++)
		if (c->mmio[i].len && range_within(gpa, len, c->mmio[i].gpa, c->mmio[i].len))
			return &c->mmio[i];
	return NULL;
}

/* A guest-page fault inside a registered MMIO region becomes an MMIO exit. */
OFF_HOT_PATH static bool mmio_exit(struct hart *h, const struct cvm *c, ureg_t cause)
{
	struct mmio_access acc;
	gpaddr_t gpa = (csr_read(CSR_MTVAL2) << 2) | (csr_read(CSR_MTVAL) & 3);
	uint32_t insn = (uint32_t)csr_read(CSR_MTINST);
	bool raw = insn == 0;
	if (raw && !fetch_guest_insn(c, csr_read(CSR_MEPC), &insn))
		return false;
	if (!mmio_decode(insn, raw, &acc) || acc.is_store != (cause == CAUSE_STORE_GUEST_PAGE_FAULT) ||
	    !IS_ALIGNED(gpa, acc.width) || (!mmio_region(c, gpa, acc.width) && DEFENCE(D_MMIO_IN_REGION)))
		return false;
	/* built in place: the vCPU's exit holds nothing while it runs */
	struct cvm_exit *e = &sm.cvms[h->cvm].vcpu[h->vcpu].exit;
	e->resume_pc = csr_read(CSR_MEPC) + acc.insn_len;
	e->payload[0] = gpa;
	e->payload[1] = acc.width;
	if (acc.is_store) {
		ureg_t mask = acc.width == 8 ? ~0UL : (1UL << (8 * acc.width)) - 1;
		e->reason = TVM_EXIT_MMIO_STORE;
		e->n = 3;
		e->payload[2] = h->regs->x[acc.reg] & mask;
	} else {
		e->reason = TVM_EXIT_MMIO_LOAD;
		e->n = 2;
		e->load.rd = acc.reg;
		e->load.width = acc.width;
		e->load.is_signed = acc.is_signed;
	}
	fsm_exit_to_hypervisor(h, e);
	return true;
}

/*
 * Lazy FP: the vCPU runs with mstatus.FS Off until its first FP instruction, which
 * traps here as illegal. The hypervisor's FP registers go to monitor memory, the
 * vCPU's come in, FP is turned on and the instruction runs again; the exit node swaps
 * back only after such a turn. An illegal instruction with FP already on is the CVM's
 * own fault.
 */
OFF_HOT_PATH static bool cvm_fp_use(struct hart *h)
{
	if (h->cvm_fp_live)
		return false;
	arch_fp_save(&h->hv.fp);
	arch_fp_restore(&sm.cvms[h->cvm].vcpu[h->vcpu].fp);
	csr_set(CSR_MSTATUS, MSTATUS_FS_DIRTY);
	h->cvm_fp_live = true;
	return true;
}

void cvm_trap(struct hart *h, ureg_t cause)
{
	switch (cause) {
	case CAUSE_ILLEGAL_INSTRUCTION:
		if (cvm_fp_use(h))
			return;
		break;
	case CAUSE_VIRTUAL_SUPERVISOR_ECALL:
		cvm_ecall(h);
		return;
	case CAUSE_LOAD_GUEST_PAGE_FAULT:
	case CAUSE_STORE_GUEST_PAGE_FAULT:
		if (mmio_exit(h, &sm.cvms[h->cvm], cause))
			return;
		break;
	default:
		break;
	}
	fault_exit(h, cause);
}
