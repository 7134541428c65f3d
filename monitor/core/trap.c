/*
 * The monitor's single entry point and the non-confidential flow: calls from the
 * hypervisor and traps that reach M-mode while it runs.
 */
#include <string.h>

#include "context.h"
#include "cvm_ops.h"
#include "csr.h"
#include "monitor.h"
#include "platform.h"
#include "pmp.h"
#include "sbi.h"

/*
 * One lock around the whole monitor: harts enter it one at a time, so no handler sees
 * another's half-made change. Handlers are short and never wait for another hart.
 */
static unsigned monitor_lock;

static void lock(void)
{
	while (__atomic_exchange_n(&monitor_lock, 1U, __ATOMIC_ACQUIRE))
		;
}

static void unlock(void) { __atomic_store_n(&monitor_lock, 0U, __ATOMIC_RELEASE); }

static void hart_reset_data(struct hart *h, unsigned id, int hsm_state)
{
	h->id = id;
	h->regs = &h->hv.regs; /* harts start in the hypervisor's domain */
	h->hsm_state = hsm_state;
	h->cvm = -1;
	h->vcpu = -1;
	h->ipi_pending = 0;
	h->start_addr = 0;
	h->start_opaque = 0;
}

bool monitor_init(unsigned boot_hart)
{
	if (mem.nr_harts == 0 || mem.nr_harts > MAX_HARTS || boot_hart >= mem.nr_harts ||
	    !mem_is_hypervisor(mem.monitor_base + mem.monitor_size, PAGE_SIZE) ||
	    !mt_init(&sm.mt, mem.conf_base, mem.conf_size))
		return false;
	/* I.MT.3 from the first allocation on: whatever a previous boot left is cleared */
	memset(phys_ptr(mem.conf_base, mem.conf_size), 0, mem.conf_size);
	sm.boot_conf_base = sm.mt.base;
	sm.boot_conf_pages = sm.mt.pages;
	for (unsigned i = 0; i < MAX_CVMS; i++)
		cvm_teardown(i);
	for (unsigned i = 0; i < MAX_HARTS; i++)
		hart_reset_data(&sm.harts[i], i,
				i == boot_hart ? SBI_HSM_STATE_STARTED : SBI_HSM_STATE_STOPPED);
	pmp_init();
	ctx_setup_hypervisor_hart();
	return true;
}

/* HSM: the started or non-retentively resumed hart's S-mode entry (SBI 2.0, 9.1, 9.4). */
static void enter_s_mode_fresh(struct hart *h, ureg_t pc, ureg_t opaque)
{
	memset(h->regs, 0, sizeof(*h->regs));
	h->regs->x[REG_A0] = h->id;
	h->regs->x[REG_A1] = opaque;
	csr_write(CSR_MEPC, pc);
	/* satp = 0 and sstatus.SIE = 0, whatever the hart ran with before */
	csr_write(CSR_SATP, 0);
	ureg_t ms = csr_read(CSR_MSTATUS) & ~(MSTATUS_MPP | MSTATUS_MPV | MSTATUS_MIE | MSTATUS_SIE);
	csr_write(CSR_MSTATUS, ms | (PRV_S << MSTATUS_MPP_SHIFT));
}

/* A suspended hart's wait ends when an S-level interrupt the hypervisor enabled is
 * pending; M-level work that arrived meanwhile is done first (it may raise one). */
static bool resume_suspended(struct hart *h)
{
	ureg_t pending = csr_read(CSR_MIP);
	if (pending & MIP_MSIP)
		handle_m_interrupt(h, MCAUSE_INTR | IRQ_M_SOFT);
	if (pending & MIP_MTIP)
		handle_m_interrupt(h, MCAUSE_INTR | IRQ_M_TIMER);
	if (!(csr_read(CSR_MIP) & csr_read(CSR_MIE) & (MIP_SSIP | MIP_STIP | MIP_SEIP)))
		return false;
	if (h->suspend_type == 0)
		csr_write(CSR_MEPC, h->resume_pc); /* retentive: the call returns, registers kept */
	else
		enter_s_mode_fresh(h, h->resume_addr, h->resume_opaque);
	h->hsm_state = SBI_HSM_STATE_STARTED;
	return true;
}

bool monitor_hart_wakeup(struct hart *h)
{
	bool resumed = false;
	lock();
	if (h->hsm_state == SBI_HSM_STATE_SUSPENDED) {
		resumed = resume_suspended(h);
	} else {
		plat->clear_ipi(h->id);
		if (h->hsm_state == SBI_HSM_STATE_START_PENDING) {
			pmp_init(); /* PMP and delegation are per hart: set them before S-mode runs */
			ctx_setup_hypervisor_hart();
			enter_s_mode_fresh(h, h->start_addr, h->start_opaque);
			h->ipi_pending = 0;
			h->pmu_configured = h->pmu_started = 0; /* a started hart configures anew */
			h->hsm_state = SBI_HSM_STATE_STARTED;
			resumed = true;
		}
	}
	unlock();
	return resumed;
}

static void hv_ecall(struct hart *h)
{
	struct sbi_call c = {
		.h = h,
		.eid = h->regs->x[REG_A7],
		.fid = h->regs->x[REG_A6],
		.a = &h->regs->x[REG_A0],
		.error = SBI_ERR_NOT_SUPPORTED,
	};
	if (plat->trace_call)
		plat->trace_call(h->id, c.eid, c.fid, c.a);
	const struct sbi_ext *ext = sbi_find_ext(c.eid);
	if (ext && ext->handle(&c) == CALL_SWITCHED)
		return;
	h->regs->x[REG_A0] = (ureg_t)c.error;
	h->regs->x[REG_A1] = c.value;
	csr_write(CSR_MEPC, csr_read(CSR_MEPC) + 4);
}

/*
 * An exception from HS/U that the monitor does not handle (e.g. a PMP access fault on
 * monitor or confidential memory) goes back to the hypervisor's own handler, as if it
 * had been delegated.
 */
static void redirect_to_hypervisor(ureg_t cause)
{
	ureg_t ms = csr_read(CSR_MSTATUS);
	ureg_t prev = (ms & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT;
	csr_write(CSR_SEPC, csr_read(CSR_MEPC));
	csr_write(CSR_SCAUSE, cause);
	csr_write(CSR_STVAL, csr_read(CSR_MTVAL));
	if (ms & MSTATUS_MPV) { /* from one of the hypervisor's own VMs */
		ureg_t hs = csr_read(CSR_HSTATUS) & ~(HSTATUS_SPV | HSTATUS_SPVP | HSTATUS_GVA);
		hs |= HSTATUS_SPV | (prev == PRV_S ? HSTATUS_SPVP : 0);
		if (ms & MSTATUS_GVA)
			hs |= HSTATUS_GVA;
		csr_write(CSR_HSTATUS, hs);
		csr_write(CSR_HTVAL, csr_read(CSR_MTVAL2));
		csr_write(CSR_HTINST, csr_read(CSR_MTINST));
	}
	ureg_t ss = csr_read(CSR_SSTATUS);
	bool sie = (ss & MSTATUS_SIE) != 0;
	ss &= ~(MSTATUS_SPP | MSTATUS_SPIE | MSTATUS_SIE);
	ss |= (sie ? MSTATUS_SPIE : 0) | (prev == PRV_S ? MSTATUS_SPP : 0);
	csr_write(CSR_SSTATUS, ss);
	csr_write(CSR_MEPC, csr_read(CSR_STVEC) & ~3UL);
	ms = csr_read(CSR_MSTATUS); /* sstatus is a view of mstatus: keep the SPP just set */
	ms &= ~(MSTATUS_MPP | MSTATUS_MPV | MSTATUS_GVA);
	csr_write(CSR_MSTATUS, ms | (PRV_S << MSTATUS_MPP_SHIFT));
}

bool monitor_trap(struct hart *h)
{
	lock();
	ureg_t cause = csr_read(CSR_MCAUSE);
	if (cause & MCAUSE_INTR)
		handle_m_interrupt(h, cause);
	else if (h->cvm >= 0)
		cvm_trap(h, cause);
	else if (cause == CAUSE_SUPERVISOR_ECALL)
		hv_ecall(h);
	else
		redirect_to_hypervisor(cause);
	bool wait = h->waits;
	h->waits = false;
	if (wait)
		h->resume_pc = csr_read(CSR_MEPC); /* past the ecall: where a retentive suspend returns */
	unlock();
	return wait;
}
