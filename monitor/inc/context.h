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

void ctx_save_hypervisor(struct hv_context *hv);
void ctx_restore_hypervisor(const struct hv_context *hv);

/*
 * Configures the hart for a CVM (I.FSM.2): its G-stage root with its VMID, nothing
 * delegated to HS, every S-level interrupt to M, hvip limited to what it allowed, then
 * loads the vCPU's VS CSRs.
 */
void ctx_enter_cvm(paddr_t root, unsigned vmid, const struct vcpu *v);
void ctx_save_cvm(struct vcpu *v);

#endif
