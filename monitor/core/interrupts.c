/*
 * Interrupts that reach M-mode. While a CVM runs every interrupt comes here (I.FSM.3)
 * and ends the CVM's turn: the hypervisor gets its hart back and sees the interrupt
 * as its own pending bit, never what the CVM was doing.
 */
#include "arch.h"
#include "csr.h"
#include "fsm.h"
#include "monitor.h"
#include "platform.h"

static void leave_cvm_for_interrupt(struct hart *h, ureg_t cause)
{
	/* the vCPU resumes at the interrupted instruction */
	fsm_exit_to_hypervisor(h, &(struct cvm_exit){ .reason = TVM_EXIT_INTERRUPT,
						      .resume_pc = csr_read(CSR_MEPC),
						      .n = 1, .payload = { cause } });
}

static void do_ipi_work(unsigned work)
{
	if (work & IPI_SSIP)
		csr_set(CSR_MIP, MIP_SSIP);
	if (work & IPI_FENCE) {
		arch_fence_i();
		arch_sfence_vma_all();
		arch_hfence_gvma_all();
		arch_hfence_vvma_all();
	}
}

void handle_m_interrupt(struct hart *h, ureg_t cause)
{
	ureg_t code = cause & ~MCAUSE_INTR;
	if (h->cvm >= 0)
		leave_cvm_for_interrupt(h, cause);
	switch (code) {
	case IRQ_M_TIMER:
		/* the hypervisor's timer (SBI set_timer): disarm, hand it over as STIP */
		plat->set_timer(h->id, UINT64_MAX);
		csr_set(CSR_MIP, MIP_STIP);
		break;
	case IRQ_M_SOFT:
		plat->clear_ipi(h->id);
		do_ipi_work(__atomic_exchange_n(&h->ipi_pending, 0U, __ATOMIC_ACQ_REL));
		break;
	default:
		/* S-level interrupts come here only while a CVM runs; with the hypervisor's
		 * delegation restored they are taken by the hypervisor after mret. */
		break;
	}
}
