/*
 * Per-hart monitor data. `regs` points at the trap frame, the running domain's own
 * register file (the hypervisor's h->hv.regs, or the running vCPU's): trap entry saves
 * the interrupted domain's x1..x31 there and trap exit loads them from wherever `regs`
 * points by then, so the core changes what a domain sees on return by editing the
 * frame, and switches domains by pointing `regs` at the other one (fsm.c).
 * mscratch points at the struct on the firmware.
 */
#ifndef MONITOR_HART_H
#define MONITOR_HART_H

#include "arch.h"
#include "config.h"
#include "types.h"

struct regs {
	ureg_t x[32]; /* x[0] is never loaded back */
};

enum { REG_RA = 1, REG_SP = 2, REG_GP = 3, REG_TP = 4, REG_T0 = 5, REG_T1 = 6, REG_T2 = 7,
       REG_S0 = 8, REG_S1 = 9, REG_S2 = 18, REG_S3 = 19,
       REG_A0 = 10, REG_A1 = 11, REG_A2 = 12, REG_A3 = 13, REG_A4 = 14, REG_A5 = 15,
       REG_A6 = 16, REG_A7 = 17 };

/*
 * The hypervisor's state while one of its harts runs a CVM: everything a CVM could
 * change or that the CVM's configuration replaces (I.FSM.4). HS-level CSRs (stvec,
 * sepc, satp, htval, htinst...) are not listed: nothing runs in HS while the CVM runs
 * and no trap is delegated to HS, so they cannot change.
 */
struct hv_context {
	struct regs regs;
	struct fp_state fp;
	ureg_t mepc, mstatus, medeleg, mideleg, mie, menvcfg;
	ureg_t hstatus, hedeleg, hideleg, hie, hvip, hgatp, htimedelta, hcounteren, henvcfg;
	ureg_t scounteren, senvcfg;
	ureg_t vsstatus, vsie, vstvec, vsscratch, vsepc, vscause, vstval, vsatp;
};

struct hart {
	struct regs *regs; /* trap frame; must stay first (trap entry assembly) */
	ureg_t stack_top;  /* M-mode stack of this hart (firmware) */
	ureg_t scratch;    /* trap entry parks a register here while it finds the frame */
	unsigned id;
	int hsm_state;     /* SBI_HSM_STATE_* */
	bool waits;        /* hart_stop or hart_suspend ran in this trap: wait in M on the way out */
	uint32_t suspend_type;   /* while SUSPENDED */
	uint8_t pmu_configured, pmu_started; /* SBI PMU: a bit per counter (sbi_pmu.c) */
	ureg_t resume_addr, resume_opaque, resume_pc;
	ureg_t start_addr, start_opaque;
	unsigned ipi_pending; /* IPI_* work other harts asked of this one */
	int cvm;           /* index of the CVM running on this hart, or -1 */
	int vcpu;
	/* The running vCPU has used FP this turn: its f0-f31 and fcsr are in the hart and the
	 * hypervisor's in hv.fp. Until then mstatus.FS is Off and the hart holds the
	 * hypervisor's, out of the CVM's reach (lazy FP, cvm_trap.c). */
	bool cvm_fp_live;
	struct hv_context hv;
};

/* Work a hart leaves for another through ipi_pending before raising its M soft irq. */
#define IPI_SSIP 0x1  /* raise the supervisor software interrupt (SBI IPI) */
#define IPI_FENCE 0x2 /* fence.i, sfence.vma, hfence.gvma and hfence.vvma (SBI RFENCE) */

#endif
