/*
 * Per-hart M-mode state on QEMU virt: the setup every hart does before it runs a
 * domain, the parked state of a stopped hart, and the last word on a monitor fault.
 */
#include "context.h"
#include "csr.h"
#include "monitor.h"
#include "pmp.h"
#include "sbi.h"
#include "virt.h"
#include "virt_asm.h"

#define MSTATUS_FS_INITIAL (1UL << 13)

ureg_t virt_stack_top(unsigned hartid)
{
	return (ureg_t)(uintptr_t)virt_stacks + ((ureg_t)(hartid + 1) << VIRT_STACK_SHIFT);
}

void virt_hart_setup(unsigned hartid)
{
	static const struct fp_state zero_fp;

	ctx_setup_hypervisor_hart();
	csr_clear(CSR_MSTATUS, MSTATUS_MIE | MSTATUS_MPRV | MSTATUS_MPP | MSTATUS_MPV |
				       MSTATUS_FS | MSTATUS_TVM | MSTATUS_TW | MSTATUS_TSR);
	csr_set(CSR_MSTATUS, (PRV_S << MSTATUS_MPP_SHIFT) | MSTATUS_FS_INITIAL);
	/* nothing from before reset may reach the first domain */
	arch_fp_restore(&zero_fp);
	virt_clint_set_timer(hartid, ~0ULL);
}

struct hart *virt_secondary_init(unsigned long hartid)
{
	virt_hart_setup((unsigned)hartid);
	pmp_init();
	return &sm.harts[hartid];
}

/*
 * A stopped hart keeps nothing of its last run pending: no timer (which would also
 * end every wfi of the park loop at once) and no supervisor interrupt a later start
 * would find.
 */
void virt_hart_parking(struct hart *h)
{
	/* a suspended hart keeps its timer and interrupts: they are what wakes it */
	if (h->hsm_state == SBI_HSM_STATE_SUSPENDED)
		return;
	virt_clint_set_timer((unsigned)csr_read(CSR_MHARTID), ~0ULL);
	csr_clear(CSR_MIP, MIP_STIP | MIP_SSIP);
}

/* After wfi: a stopped hart wakes on MSIP alone, a suspended one on any interrupt. */
bool virt_waiting_hart_wakes(struct hart *h)
{
	if (h->hsm_state != SBI_HSM_STATE_SUSPENDED && !(csr_read(CSR_MIP) & MIP_MSIP))
		return false;
	return monitor_hart_wakeup(h);
}

_Noreturn void virt_fatal_trap(void)
{
	virt_puts("monitor: fatal trap in M-mode: hart ");
	virt_put_dec(csr_read(CSR_MHARTID));
	virt_puts(" mcause ");
	virt_put_hex(csr_read(CSR_MCAUSE));
	virt_puts(" mepc ");
	virt_put_hex(csr_read(CSR_MEPC));
	virt_puts(" mtval ");
	virt_put_hex(csr_read(CSR_MTVAL));
	virt_puts("\n");
	virt_fail();
}
