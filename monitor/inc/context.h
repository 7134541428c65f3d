/*
 * The CSR half of a world switch (arch/riscv/context.c). The FSM's enter and exit nodes
 * (core/fsm.c) call these and move GPRs and FP registers themselves.
 */
#ifndef MONITOR_CONTEXT_H
#define MONITOR_CONTEXT_H

#include "cvm.h"
#include "hart.h"

/* Delegation, interrupt enables, counters and Sstc while the hypervisor runs (also set
 * at hart boot). */
void ctx_setup_hypervisor_hart(void);
/* Sstc is on: the hypervisor's timer is stimecmp, and mip.STIP follows it. */
bool ctx_hart_has_sstc(void);

/*
 * The CSR half of the enter node: saves the hypervisor's CSRs into hv (I.FSM.4) while
 * configuring the hart for the CVM (I.FSM.2): its G-stage root with its VMID, nothing
 * delegated to HS, every S-level interrupt to M, hvip limited to what it allowed, the
 * vCPU's VS CSRs, pc and mstatus.
 */
void ctx_enter_cvm(struct hv_context *hv, paddr_t root, unsigned vmid, const struct vcpu *v);
/* The CSR half of the exit node: saves the vCPU's CSRs while restoring the hypervisor's
 * (I.FSM.5), and clears the M-level trap CSRs that last described the CVM's trap. */
void ctx_exit_cvm(struct vcpu *v, const struct hv_context *hv);

#endif
