/*
 * The confidential flow: traps taken while a CVM runs. COVG calls are answered inside
 * the CVM's turn; hypercalls, MMIO accesses to registered regions and faults end it
 * through the exit node, carrying only what the narrow interface allows.
 */
#include "defence.h"
#include "cove.h"
#include "covg.h"
#include "csr.h"
#include "cvm_ops.h"
#include "fsm.h"
#include "gstage.h"
#include "mmio.h"
#include "platform.h"
#include "sbi.h"

static void fault_exit(struct hart *h, struct vcpu *v, ureg_t cause)
{
	/* the fail-stop alternative, kept only so the attack suite can show it matters */
	if (!DEFENCE(D_CVM_FAULT_CONTAINED))
		plat->system_reset(SBI_SRST_TYPE_SHUTDOWN, SBI_SRST_REASON_FAILURE);
	v->state = VCPU_FAULTED;
	v->pc = csr_read(CSR_MEPC);
	v->pending = PEND_NONE;
	ureg_t payload[1] = { cause };
	fsm_exit_to_hypervisor(h, TVM_EXIT_FAULT, payload, 1);
}

static void forward_hypercall(struct hart *h, struct vcpu *v)
{
	ureg_t payload[8];
	for (unsigned i = 0; i < 8; i++)
		payload[i] = h->regs.x[REG_A0 + i];
	v->pc = csr_read(CSR_MEPC) + 4;
	v->pending = PEND_HYPERCALL;
	fsm_exit_to_hypervisor(h, TVM_EXIT_HYPERCALL, payload, 8);
}

/*
 * HSM from inside the CVM: the monitor, not the hypervisor, decides where a secondary
 * vCPU starts. The start is recorded here, then forwarded so the hypervisor knows to
 * schedule the vCPU; hart_stop ends the vCPU's turn.
 */
static void cvm_hsm(struct hart *h, struct cvm *c, struct vcpu *v)
{
	ureg_t fid = h->regs.x[REG_A6];
	if (fid == SBI_HSM_HART_STOP) {
		v->state = VCPU_STOPPED;
		v->pc = csr_read(CSR_MEPC) + 4;
		v->pending = PEND_NONE;
		fsm_exit_to_hypervisor(h, TVM_EXIT_HALT, NULL, 0);
		return;
	}
	if (fid == SBI_HSM_HART_START) {
		ureg_t target = h->regs.x[REG_A0];
		long err = SBI_SUCCESS;
		if (target >= c->nr_vcpus)
			err = SBI_ERR_INVALID_PARAM;
		else if (h->regs.x[REG_A1] & 1) /* no instruction starts at an odd address */
			err = SBI_ERR_INVALID_ADDRESS;
		else if (c->vcpu[target].state != VCPU_STOPPED)
			err = SBI_ERR_ALREADY_AVAILABLE;
		if (err) {
			covg_complete(h, err, 0);
			return;
		}
		struct vcpu *t = &c->vcpu[target];
		*t = (struct vcpu){ .state = VCPU_RUNNABLE, .running_on = -1,
				    .pc = h->regs.x[REG_A1] };
		t->regs.x[REG_A0] = target;
		t->regs.x[REG_A1] = h->regs.x[REG_A2];
	}
	forward_hypercall(h, v);
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
static bool mmio_exit(struct hart *h, struct cvm *c, struct vcpu *v, ureg_t cause)
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
	v->pc = csr_read(CSR_MEPC) + acc.insn_len;
	ureg_t payload[3] = { gpa, acc.width, 0 };
	if (acc.is_store) {
		ureg_t mask = acc.width == 8 ? ~0UL : (1UL << (8 * acc.width)) - 1;
		payload[2] = h->regs.x[acc.reg] & mask;
		v->pending = PEND_MMIO_STORE;
		fsm_exit_to_hypervisor(h, TVM_EXIT_MMIO_STORE, payload, 3);
	} else {
		v->pending = PEND_MMIO_LOAD;
		v->mmio_rd = acc.reg;
		v->mmio_width = acc.width;
		v->mmio_signed = acc.is_signed;
		fsm_exit_to_hypervisor(h, TVM_EXIT_MMIO_LOAD, payload, 2);
	}
	return true;
}

void cvm_trap(struct hart *h, ureg_t cause)
{
	struct cvm *c = &sm.cvms[h->cvm];
	struct vcpu *v = &c->vcpu[h->vcpu];
	switch (cause) {
	case CAUSE_VIRTUAL_SUPERVISOR_ECALL:
		if (h->regs.x[REG_A7] == SBI_EXT_COVG)
			covg_handle(h, c, (unsigned)h->cvm, v);
		else if (h->regs.x[REG_A7] == SBI_EXT_HSM)
			cvm_hsm(h, c, v);
		else
			forward_hypercall(h, v);
		return;
	case CAUSE_LOAD_GUEST_PAGE_FAULT:
	case CAUSE_STORE_GUEST_PAGE_FAULT:
		if (mmio_exit(h, c, v, cause))
			return;
		break;
	default:
		break;
	}
	fault_exit(h, v, cause);
}
