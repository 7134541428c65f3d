/*
 * The enter and exit nodes of the monitor's finite state machine. A world switch saves
 * and restores each domain's registers once: trap entry saves them into the running
 * domain's own record (h->regs points at it) and trap exit loads them from whichever
 * record h->regs points at by then, so the nodes move a pointer, not register files.
 */
#include "defence.h"

#include "arch.h"
#include "context.h"
#include "csr.h"
#include "fsm.h"
#include "monitor.h"
#include "platform.h"
#include "pmp.h"

enum call_end fsm_enter_cvm(struct hart *h, unsigned cvm_idx, unsigned vcpu_idx)
{
	struct cvm *c = &sm.cvms[cvm_idx];
	struct vcpu *v = &c->vcpu[vcpu_idx];

	/* enter node: the hypervisor's state goes to monitor memory first (I.FSM.4); its
	 * GPRs are already there, in h->hv.regs, where its trap saved them. Its FP registers
	 * stay in the hart, out of reach under mstatus.FS = Off, until the CVM's first FP
	 * instruction swaps them for the vCPU's (cvm_fp_use): most turns never use FP. */
	h->cvm_fp_live = false;

	/* isolation for the CVM (I.FSM.2): PMP opens confidential memory, and the CVM's
	 * own G-stage tables confine it to its pages; the CSRs are saved and replaced in
	 * one pass */
	pmp_open_confidential();
	ctx_enter_cvm(&h->hv, c->root, cvm_idx + 1, v);
	/* the hypervisor's Sstc deadline still ends the CVM's turn, through the M timer,
	 * when the hypervisor would take it (its STIE is on): stimecmp resets to 0, and a
	 * hypervisor that never armed its timer must not see every run end at once */
	if ((h->hv.menvcfg & MENVCFG_STCE) && (h->hv.mie & MIP_STIP))
		plat->set_timer(h->id, csr_read(CSR_STIMECMP));
	arch_hfence_gvma_all(); /* VMIDs are the hypervisor's to reuse: drop every guest TLB entry */
	/* ...and the VS-stage ones, which hardware may keep apart from G-stage ones and which
	 * hfence.gvma need not touch: the hypervisor's own VMs may have used this VMID */
	if (DEFENCE(D_FENCES_VS_STAGE))
		arch_hfence_vvma_all();

	h->regs = &v->regs; /* trap exit loads the vCPU's registers (x0 is never loaded) */
	v->running_on = (int)h->id;
	h->cvm = (int)cvm_idx;
	h->vcpu = (int)vcpu_idx;
	return CALL_SWITCHED;
}

/* What the vCPU's own state becomes with the exit: only a fault and a halt change it. */
static enum vcpu_state state_after(enum tvm_exit_reason reason)
{
	switch (reason) {
	case TVM_EXIT_FAULT: return VCPU_FAULTED;
	case TVM_EXIT_HALT: return VCPU_STOPPED;
	default: return VCPU_RUNNABLE;
	}
}

enum call_end fsm_exit_to_hypervisor(struct hart *h, const struct cvm_exit *e)
{
	struct vcpu *v = &sm.cvms[h->cvm].vcpu[h->vcpu];

	/* exit node: the vCPU's state to monitor memory (its GPRs are there already); the
	 * hot exits are built in place in v->exit, which holds nothing while the vCPU runs */
	if (e != &v->exit)
		v->exit = *e;
	v->pc = e->resume_pc;
	v->state = state_after(e->reason);
	if (h->cvm_fp_live)
		arch_fp_save(&v->fp);
	v->running_on = -1;
	h->cvm = -1;
	h->vcpu = -1;

	/* close confidential memory before anything of the hypervisor's runs (I.FSM.3),
	 * then replace every register the CVM could have left a value in (I.FSM.5) */
	if (DEFENCE(D_EXIT_CLOSES_PMP))
		pmp_close_confidential();
	/* the CVM's VS-stage translations go while hgatp still holds its VMID */
	if (DEFENCE(D_FENCES_VS_STAGE))
		arch_hfence_vvma_all();
	ctx_exit_cvm(v, &h->hv); /* the vCPU's CSRs saved, the hypervisor's restored */
	if (h->hv.menvcfg & MENVCFG_STCE) /* stimecmp is in force again: the M timer rests */
		plat->set_timer(h->id, UINT64_MAX);
	arch_hfence_gvma_all();
	if (h->cvm_fp_live && DEFENCE(D_EXIT_RESTORES_FP))
		arch_fp_restore(&h->hv.fp);
	h->cvm_fp_live = false;
	h->regs = &h->hv.regs;
	if (!DEFENCE(D_EXIT_RESTORES_GPRS)) /* the flaw the oracles must see: the CVM's GPRs leak */
		h->hv.regs = v->regs;

	/* the narrow interface: the run call's result and the exit's payload, nothing else */
	struct regs *r = &h->hv.regs;
	const ureg_t *p = e->payload;
	r->x[REG_A0] = 0;
	r->x[REG_A1] = (ureg_t)e->reason;
	switch (e->n) { /* payload words go to a2..a7, t0, t1, in that order */
	default: r->x[REG_T1] = p[7]; /* fallthrough */
	case 7: r->x[REG_T0] = p[6];  /* fallthrough */
	case 6: r->x[REG_A7] = p[5];  /* fallthrough */
	case 5: r->x[REG_A6] = p[4];  /* fallthrough */
	case 4: r->x[REG_A5] = p[3];  /* fallthrough */
	case 3: r->x[REG_A4] = p[2];  /* fallthrough */
	case 2: r->x[REG_A3] = p[1];  /* fallthrough */
	case 1: r->x[REG_A2] = p[0];  /* fallthrough */
	case 0: break;
	}
	csr_write(CSR_MEPC, h->hv.mepc + 4); /* past the run_tvm_vcpu ecall */
	return CALL_SWITCHED;
}
