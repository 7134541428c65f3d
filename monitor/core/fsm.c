/* The enter and exit nodes of the monitor's finite state machine. */
#include "defence.h"
#include <string.h>

#include "arch.h"
#include "context.h"
#include "csr.h"
#include "fsm.h"
#include "monitor.h"
#include "platform.h"
#include "pmp.h"

void fsm_enter_cvm(struct hart *h, unsigned cvm_idx, unsigned vcpu_idx)
{
	struct cvm *c = &sm.cvms[cvm_idx];
	struct vcpu *v = &c->vcpu[vcpu_idx];

	/* enter node: the hypervisor's state goes to monitor memory first (I.FSM.4) */
	h->hv.regs = h->regs;
	arch_fp_save(&h->hv.fp);
	ctx_save_hypervisor(&h->hv);

	/* isolation for the CVM (I.FSM.2): PMP opens confidential memory, and the CVM's
	 * own G-stage tables confine it to its pages */
	pmp_open_confidential();
	ctx_enter_cvm(c->root, cvm_idx + 1, v);
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

	h->regs = v->regs;
	h->regs.x[0] = 0;
	arch_fp_restore(&v->fp);
	v->running_on = (int)h->id;
	h->cvm = (int)cvm_idx;
	h->vcpu = (int)vcpu_idx;
}

void fsm_exit_to_hypervisor(struct hart *h, enum tvm_exit_reason reason,
			    const ureg_t *payload, unsigned n)
{
	struct vcpu *v = &sm.cvms[h->cvm].vcpu[h->vcpu];

	/* exit node: the vCPU's state to monitor memory */
	v->regs = h->regs;
	arch_fp_save(&v->fp);
	ctx_save_cvm(v);
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
	ctx_restore_hypervisor(&h->hv);
	if (h->hv.menvcfg & MENVCFG_STCE) /* stimecmp is in force again: the M timer rests */
		plat->set_timer(h->id, UINT64_MAX);
	arch_hfence_gvma_all();
	if (DEFENCE(D_EXIT_RESTORES_FP))
		arch_fp_restore(&h->hv.fp);
	if (DEFENCE(D_EXIT_RESTORES_GPRS))
		h->regs = h->hv.regs;

	/* the narrow interface: the run call's result and the exit's payload, nothing else */
	h->regs.x[REG_A0] = 0;
	h->regs.x[REG_A1] = (ureg_t)reason;
	static const unsigned slots[] = { REG_A2, REG_A3, REG_A4, REG_A5, REG_A6, REG_A7,
					  REG_T0, REG_T1 };
	for (unsigned i = 0; i < n && i < ARRAY_SIZE(slots); i++)
		h->regs.x[slots[i]] = payload[i];
	csr_write(CSR_MEPC, h->hv.mepc + 4); /* past the run_tvm_vcpu ecall */
}
