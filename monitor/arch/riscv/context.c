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

/*
 * Each CSR a CVM's configuration replaces is saved and replaced in one csrrw, and on the
 * way back the CVM's copy is saved and the hypervisor's restored in one: the switch pays
 * one instruction per CSR and direction, plus the loads and stores of monitor memory.
 */
#define SWAP_IF(d, csr, val) (DEFENCE(d) ? csr_swap(csr, val) : csr_read(csr))

/*
 * Some of these registers are views of others, so the order of the swaps matters:
 * - hie is the VS bits of mie: it is saved before mie changes, and restored after mie;
 * - vsie is the VS bits of mie that hideleg delegates: it is read before mie, hie and
 *   hideleg change and written after, in both directions;
 * - henvcfg.STCE reads 0 while menvcfg.STCE is 0: henvcfg is saved before menvcfg
 *   changes and restored after it.
 * Otherwise a domain would get the other's enables.
 */

void ctx_enter_cvm(struct hv_context *hv, paddr_t root, unsigned vmid, const struct vcpu *v)
{
	hv->vsie = csr_read(CSR_VSIE);
	hv->hgatp = csr_swap(CSR_HGATP, (HGATP_MODE_SV39X4 << HGATP_MODE_SHIFT) |
						 ((ureg_t)(vmid & HGATP_VMID_MASK) << HGATP_VMID_SHIFT) |
						 (root >> PAGE_SHIFT));
	hv->medeleg = SWAP_IF(D_CVM_TRAPS_TO_MONITOR, CSR_MEDELEG, CVM_DELEG);
	hv->hedeleg = csr_swap(CSR_HEDELEG, CVM_DELEG);
	hv->mideleg = csr_swap(CSR_MIDELEG, 0);
	hv->hideleg = csr_swap(CSR_HIDELEG, VS_IRQS);
	hv->hie = csr_swap(CSR_HIE, VS_IRQS);
	hv->mie = csr_swap(CSR_MIE, MIP_MSIP | MIP_MTIP | MIP_SSIP | MIP_STIP | MIP_SEIP | VS_IRQS);
	hv->henvcfg = csr_swap(CSR_HENVCFG, 0);
	/* No Sstc under a CVM: QEMU 7.2 makes hvip.VSTIP read-only while menvcfg.STCE is set
	 * (later versions look at henvcfg.STCE), and the CVM has no use for the hypervisor's
	 * stimecmp. The FSM arms the hypervisor's deadline in the M timer instead. */
	hv->menvcfg = csr_read(CSR_MENVCFG);
	csr_write(CSR_MENVCFG, hv->menvcfg & ~MENVCFG_STCE);
	/* what the hypervisor injected and the CVM allows, and the CVM's own self-IPI */
	hv->hvip = csr_swap(CSR_HVIP, (v->injected & TVM_IRQ_ALL) |
					      (DEFENCE(D_KEEPS_SELF_IPI) ? v->csrs.vssip : 0));
	hv->hstatus = csr_swap(CSR_HSTATUS, HSTATUS_VSXL_64 | (v->csrs.hstatus & HSTATUS_SPVP));
	hv->htimedelta = csr_swap(CSR_HTIMEDELTA, 0);
	hv->hcounteren = csr_swap(CSR_HCOUNTEREN, ~0UL);
	/* no VS copies: VS-mode reads and writes these very registers */
	hv->scounteren = SWAP_IF(D_SWAPS_UNSHADOWED_CSRS, CSR_SCOUNTEREN, v->csrs.scounteren);
	hv->senvcfg = SWAP_IF(D_SWAPS_UNSHADOWED_CSRS, CSR_SENVCFG, v->csrs.senvcfg);
	hv->vsstatus = SWAP_IF(D_ENTER_LOADS_VS_CSRS, CSR_VSSTATUS, v->csrs.vsstatus);
	hv->vstvec = SWAP_IF(D_ENTER_LOADS_VS_CSRS, CSR_VSTVEC, v->csrs.vstvec);
	hv->vsscratch = SWAP_IF(D_ENTER_LOADS_VS_CSRS, CSR_VSSCRATCH, v->csrs.vsscratch);
	hv->vsepc = SWAP_IF(D_ENTER_LOADS_VS_CSRS, CSR_VSEPC, v->csrs.vsepc);
	hv->vscause = SWAP_IF(D_ENTER_LOADS_VS_CSRS, CSR_VSCAUSE, v->csrs.vscause);
	hv->vstval = SWAP_IF(D_ENTER_LOADS_VS_CSRS, CSR_VSTVAL, v->csrs.vstval);
	hv->vsatp = SWAP_IF(D_ENTER_LOADS_VS_CSRS, CSR_VSATP, v->csrs.vsatp);
	if (DEFENCE(D_ENTER_LOADS_VS_CSRS))
		csr_write(CSR_VSIE, v->csrs.vsie);
	hv->mepc = csr_swap(CSR_MEPC, v->pc);
	hv->mstatus = csr_read(CSR_MSTATUS);
	ureg_t ms = hv->mstatus;
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
	/* FP Off: the hart still holds the hypervisor's FP registers; the CVM's first FP
	 * instruction traps to the monitor, which swaps them in (cvm_fp_use) */
	if (DEFENCE(D_ENTER_DISABLES_FP))
		ms &= ~MSTATUS_FS;
	ms |= (PRV_S << MSTATUS_MPP_SHIFT) | MSTATUS_MPV;
	csr_write(CSR_MSTATUS, ms);
}

void ctx_exit_cvm(struct vcpu *v, const struct hv_context *hv)
{
	v->csrs.vsie = csr_read(CSR_VSIE);
	csr_write(CSR_HGATP, hv->hgatp);
	csr_write(CSR_MEDELEG, hv->medeleg);
	csr_write(CSR_MIDELEG, hv->mideleg);
	csr_write(CSR_MIE, hv->mie);
	csr_write(CSR_MENVCFG, hv->menvcfg);
	csr_write(CSR_HEDELEG, hv->hedeleg);
	csr_write(CSR_HIDELEG, hv->hideleg);
	csr_write(CSR_HIE, hv->hie);
	v->csrs.vssip = csr_swap(CSR_HVIP, hv->hvip) & BIT(IRQ_VS_SOFT);
	v->csrs.hstatus = csr_swap(CSR_HSTATUS, hv->hstatus);
	csr_write(CSR_HTIMEDELTA, hv->htimedelta);
	csr_write(CSR_HCOUNTEREN, hv->hcounteren);
	csr_write(CSR_HENVCFG, hv->henvcfg);
	v->csrs.scounteren = SWAP_IF(D_SWAPS_UNSHADOWED_CSRS, CSR_SCOUNTEREN, hv->scounteren);
	v->csrs.senvcfg = SWAP_IF(D_SWAPS_UNSHADOWED_CSRS, CSR_SENVCFG, hv->senvcfg);
	v->csrs.vsstatus = SWAP_IF(D_EXIT_RESTORES_VS_CSRS, CSR_VSSTATUS, hv->vsstatus);
	v->csrs.vstvec = SWAP_IF(D_EXIT_RESTORES_VS_CSRS, CSR_VSTVEC, hv->vstvec);
	v->csrs.vsscratch = SWAP_IF(D_EXIT_RESTORES_VS_CSRS, CSR_VSSCRATCH, hv->vsscratch);
	v->csrs.vsepc = SWAP_IF(D_EXIT_RESTORES_VS_CSRS, CSR_VSEPC, hv->vsepc);
	v->csrs.vscause = SWAP_IF(D_EXIT_RESTORES_VS_CSRS, CSR_VSCAUSE, hv->vscause);
	v->csrs.vstval = SWAP_IF(D_EXIT_RESTORES_VS_CSRS, CSR_VSTVAL, hv->vstval);
	v->csrs.vsatp = SWAP_IF(D_EXIT_RESTORES_VS_CSRS, CSR_VSATP, hv->vsatp);
	if (DEFENCE(D_EXIT_RESTORES_VS_CSRS))
		csr_write(CSR_VSIE, hv->vsie);
	/* The M-level trap CSRs last held the CVM's fault; the hypervisor cannot read them,
	 * but clearing keeps nothing of the CVM on the hart at all. */
	csr_write(CSR_MTVAL, 0);
	csr_write(CSR_MTVAL2, 0);
	csr_write(CSR_MTINST, 0);
	csr_write(CSR_MEPC, hv->mepc);
	csr_write(CSR_MSTATUS, hv->mstatus);
}
