/* CSR state moved on world switches; which CSRs and why is in docs/architecture.md. */
#include "defence.h"
#include "context.h"
#include "csr.h"
#include "cove.h"
#include "gstage.h"
#include "platform.h"

#define BIT(n) (1UL << (n))

/* Exceptions an ordinary hypervisor handles itself (and its VMs' exits). Access faults
 * are not here: they come to the monitor, which redirects them (trap.c). */
#define HV_MEDELEG                                                                     \
	(BIT(CAUSE_MISALIGNED_FETCH) | BIT(CAUSE_BREAKPOINT) | BIT(CAUSE_USER_ECALL) |      \
	 BIT(CAUSE_VIRTUAL_SUPERVISOR_ECALL) | BIT(CAUSE_FETCH_PAGE_FAULT) |                \
	 BIT(CAUSE_LOAD_PAGE_FAULT) | BIT(CAUSE_STORE_PAGE_FAULT) |                         \
	 BIT(CAUSE_FETCH_GUEST_PAGE_FAULT) | BIT(CAUSE_LOAD_GUEST_PAGE_FAULT) |             \
	 BIT(CAUSE_VIRTUAL_INSTRUCTION) | BIT(CAUSE_STORE_GUEST_PAGE_FAULT))
#define HV_MIDELEG (MIP_SSIP | MIP_STIP | MIP_SEIP)

/* What a CVM handles itself: its own page faults and its user mode's ecalls. Guest
 * page faults, VS ecalls and everything else come to the monitor. */
#define CVM_DELEG                                                                      \
	(BIT(CAUSE_MISALIGNED_FETCH) | BIT(CAUSE_BREAKPOINT) | BIT(CAUSE_USER_ECALL) |      \
	 BIT(CAUSE_FETCH_PAGE_FAULT) | BIT(CAUSE_LOAD_PAGE_FAULT) | BIT(CAUSE_STORE_PAGE_FAULT))
#define VS_IRQS (BIT(IRQ_VS_SOFT) | BIT(IRQ_VS_TIMER) | BIT(IRQ_VS_EXT))

void ctx_setup_hypervisor_hart(void)
{
	csr_write(CSR_MEDELEG, HV_MEDELEG);
	csr_write(CSR_MIDELEG, HV_MIDELEG);
	csr_write(CSR_MIE, MIP_MSIP | MIP_MTIP);
	/* S-mode software (u-boot, Linux) reads time, cycle and instret directly */
	csr_write(CSR_MCOUNTEREN, ~0UL);
	/* Sstc where the harts have it (the device tree's riscv,isa; QEMU 7.2 keeps STCE
	 * writable without Sstc, so reading the bit back proves nothing): an OS that finds
	 * sstc in riscv,isa writes stimecmp, which traps as illegal while STCE is clear */
	if (mem.sstc)
		csr_set(CSR_MENVCFG, MENVCFG_STCE);
}

bool ctx_hart_has_sstc(void)
{
	return (csr_read(CSR_MENVCFG) & MENVCFG_STCE) != 0;
}

void ctx_save_hypervisor(struct hv_context *hv)
{
	hv->mepc = csr_read(CSR_MEPC);
	hv->mstatus = csr_read(CSR_MSTATUS);
	hv->medeleg = csr_read(CSR_MEDELEG);
	hv->mideleg = csr_read(CSR_MIDELEG);
	hv->mie = csr_read(CSR_MIE);
	hv->menvcfg = csr_read(CSR_MENVCFG);
	hv->hstatus = csr_read(CSR_HSTATUS);
	hv->hedeleg = csr_read(CSR_HEDELEG);
	hv->hideleg = csr_read(CSR_HIDELEG);
	hv->hie = csr_read(CSR_HIE);
	hv->hvip = csr_read(CSR_HVIP);
	hv->hgatp = csr_read(CSR_HGATP);
	hv->htimedelta = csr_read(CSR_HTIMEDELTA);
	hv->hcounteren = csr_read(CSR_HCOUNTEREN);
	hv->henvcfg = csr_read(CSR_HENVCFG);
	hv->htval = csr_read(CSR_HTVAL);
	hv->htinst = csr_read(CSR_HTINST);
	hv->scounteren = csr_read(CSR_SCOUNTEREN);
	hv->senvcfg = csr_read(CSR_SENVCFG);
	hv->vsstatus = csr_read(CSR_VSSTATUS);
	hv->vsie = csr_read(CSR_VSIE);
	hv->vstvec = csr_read(CSR_VSTVEC);
	hv->vsscratch = csr_read(CSR_VSSCRATCH);
	hv->vsepc = csr_read(CSR_VSEPC);
	hv->vscause = csr_read(CSR_VSCAUSE);
	hv->vstval = csr_read(CSR_VSTVAL);
	hv->vsatp = csr_read(CSR_VSATP);
}

void ctx_restore_hypervisor(const struct hv_context *hv)
{
	csr_write(CSR_HGATP, hv->hgatp);
	csr_write(CSR_MEDELEG, hv->medeleg);
	csr_write(CSR_MIDELEG, hv->mideleg);
	csr_write(CSR_MIE, hv->mie);
	csr_write(CSR_MENVCFG, hv->menvcfg);
	csr_write(CSR_HSTATUS, hv->hstatus);
	csr_write(CSR_HEDELEG, hv->hedeleg);
	csr_write(CSR_HIDELEG, hv->hideleg);
	csr_write(CSR_HIE, hv->hie);
	csr_write(CSR_HVIP, hv->hvip);
	csr_write(CSR_HTIMEDELTA, hv->htimedelta);
	csr_write(CSR_HCOUNTEREN, hv->hcounteren);
	csr_write(CSR_HENVCFG, hv->henvcfg);
	csr_write(CSR_HTVAL, hv->htval);
	csr_write(CSR_HTINST, hv->htinst);
	if (DEFENCE(D_SWAPS_UNSHADOWED_CSRS)) {
		csr_write(CSR_SCOUNTEREN, hv->scounteren);
		csr_write(CSR_SENVCFG, hv->senvcfg);
	}
	if (DEFENCE(D_EXIT_RESTORES_VS_CSRS)) {
		csr_write(CSR_VSSTATUS, hv->vsstatus);
		csr_write(CSR_VSIE, hv->vsie);
		csr_write(CSR_VSTVEC, hv->vstvec);
		csr_write(CSR_VSSCRATCH, hv->vsscratch);
		csr_write(CSR_VSEPC, hv->vsepc);
		csr_write(CSR_VSCAUSE, hv->vscause);
		csr_write(CSR_VSTVAL, hv->vstval);
		csr_write(CSR_VSATP, hv->vsatp);
	}
	/* The M-level trap CSRs last held the CVM's fault; the hypervisor cannot read them,
	 * but clearing keeps nothing of the CVM on the hart at all. */
	csr_write(CSR_MTVAL, 0);
	csr_write(CSR_MTVAL2, 0);
	csr_write(CSR_MTINST, 0);
	csr_write(CSR_MEPC, hv->mepc);
	csr_write(CSR_MSTATUS, hv->mstatus);
}

void ctx_enter_cvm(paddr_t root, unsigned vmid, const struct vcpu *v)
{
	csr_write(CSR_HGATP, (HGATP_MODE_SV39X4 << HGATP_MODE_SHIFT) |
				     ((ureg_t)(vmid & HGATP_VMID_MASK) << HGATP_VMID_SHIFT) |
				     (root >> PAGE_SHIFT));
	if (DEFENCE(D_CVM_TRAPS_TO_MONITOR))
		csr_write(CSR_MEDELEG, CVM_DELEG);
	csr_write(CSR_HEDELEG, CVM_DELEG);
	csr_write(CSR_MIDELEG, 0);
	csr_write(CSR_HIDELEG, VS_IRQS);
	csr_write(CSR_MIE, MIP_MSIP | MIP_MTIP | MIP_SSIP | MIP_STIP | MIP_SEIP | VS_IRQS);
	csr_write(CSR_HIE, VS_IRQS);
	/* No Sstc under a CVM: QEMU 7.2 makes hvip.VSTIP read-only while menvcfg.STCE is set
	 * (later versions look at henvcfg.STCE), and the CVM has no use for the hypervisor's
	 * stimecmp. The FSM arms the hypervisor's deadline in the M timer instead. */
	csr_clear(CSR_MENVCFG, MENVCFG_STCE);
	/* what the hypervisor injected and the CVM allows, and the CVM's own self-IPI */
	csr_write(CSR_HVIP, (v->injected & TVM_IRQ_ALL) | (DEFENCE(D_KEEPS_SELF_IPI) ? v->csrs.vssip : 0));
	csr_write(CSR_HSTATUS, HSTATUS_VSXL_64 | (v->csrs.hstatus & HSTATUS_SPVP));
	csr_write(CSR_HTIMEDELTA, 0);
	csr_write(CSR_HCOUNTEREN, ~0UL);
	csr_write(CSR_HENVCFG, 0);
	/* no VS copies: VS-mode reads and writes these very registers */
	if (DEFENCE(D_SWAPS_UNSHADOWED_CSRS)) {
		csr_write(CSR_SCOUNTEREN, v->csrs.scounteren);
		csr_write(CSR_SENVCFG, v->csrs.senvcfg);
	}
	if (DEFENCE(D_ENTER_LOADS_VS_CSRS)) {
		csr_write(CSR_VSSTATUS, v->csrs.vsstatus);
		csr_write(CSR_VSIE, v->csrs.vsie);
		csr_write(CSR_VSTVEC, v->csrs.vstvec);
		csr_write(CSR_VSSCRATCH, v->csrs.vsscratch);
		csr_write(CSR_VSEPC, v->csrs.vsepc);
		csr_write(CSR_VSCAUSE, v->csrs.vscause);
		csr_write(CSR_VSTVAL, v->csrs.vstval);
		csr_write(CSR_VSATP, v->csrs.vsatp);
	}
	csr_write(CSR_MEPC, v->pc);
	ureg_t ms = csr_read(CSR_MSTATUS);
	ms &= ~(MSTATUS_MPP | MSTATUS_MPRV | MSTATUS_GVA | MSTATUS_TVM | MSTATUS_TW | MSTATUS_TSR);
	/* HS-level MXR would make the CVM's execute-only G-stage pages readable (8.5); SUM
	 * is the hypervisor's choice for its own user pages. The exit node restores both. */
	if (DEFENCE(D_ENTER_CLEARS_MXR))
		ms &= ~(MSTATUS_MXR | MSTATUS_SUM);
	/* No vector unit for CVMs: v0-v31, vtype, vl and vcsr are the hypervisor's and are
	 * neither cleared nor swapped, so with VS on a CVM would read them, and leave its own
	 * behind. Off, every V instruction of a CVM traps to the monitor (a fault exit). The
	 * exit node restores the hypervisor's mstatus, VS included. */
	if (DEFENCE(D_ENTER_DISABLES_VECTOR))
		ms &= ~MSTATUS_VS;
	ms |= (PRV_S << MSTATUS_MPP_SHIFT) | MSTATUS_MPV | MSTATUS_FS_DIRTY;
	csr_write(CSR_MSTATUS, ms);
}

void ctx_save_cvm(struct vcpu *v)
{
	v->csrs.vsstatus = csr_read(CSR_VSSTATUS);
	v->csrs.vsie = csr_read(CSR_VSIE);
	v->csrs.vstvec = csr_read(CSR_VSTVEC);
	v->csrs.vsscratch = csr_read(CSR_VSSCRATCH);
	v->csrs.vsepc = csr_read(CSR_VSEPC);
	v->csrs.vscause = csr_read(CSR_VSCAUSE);
	v->csrs.vstval = csr_read(CSR_VSTVAL);
	v->csrs.vsatp = csr_read(CSR_VSATP);
	v->csrs.hstatus = csr_read(CSR_HSTATUS);
	v->csrs.scounteren = csr_read(CSR_SCOUNTEREN);
	v->csrs.senvcfg = csr_read(CSR_SENVCFG);
	v->csrs.vssip = csr_read(CSR_HVIP) & BIT(IRQ_VS_SOFT);
}
