/*
 * The finite state machine's heavy edges (the paper's enter and exit nodes). Everything
 * else in the monitor is a light edge: handle the call and return to the same domain.
 */
#ifndef MONITOR_FSM_H
#define MONITOR_FSM_H

#include "cove.h"
#include "cvm.h"
#include "hart.h"

/*
 * Hypervisor -> CVM: save the hypervisor's state in h->hv (I.FSM.4), reconfigure
 * isolation for the CVM (I.FSM.2), load the vCPU's state. On return from the trap the
 * hart runs the vCPU.
 */
void fsm_enter_cvm(struct hart *h, unsigned cvm_idx, unsigned vcpu_idx);

/*
 * CVM -> hypervisor: save the vCPU's state (its pc must already say where it resumes),
 * close confidential memory (I.FSM.3), restore the hypervisor's state (I.FSM.5) and
 * report the exit as the result of its run_tvm_vcpu call: a0 = 0, a1 = reason,
 * a2.. = payload[0..n). Nothing else of the CVM's state reaches the hypervisor (I.FSM.6).
 */
void fsm_exit_to_hypervisor(struct hart *h, enum tvm_exit_reason reason,
			    const ureg_t *payload, unsigned n);


#endif
