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
 * How every handler of either flow ends, as ACE's handlers end in a named node: the
 * call returns to the domain that made it (the dispatcher writes its result back and
 * steps past the ecall), or the hart switched domains in one of the two nodes below,
 * which return CALL_SWITCHED so that a handler ends with `return fsm_...(...)`.
 */
enum call_end { CALL_RETURNS, CALL_SWITCHED };

/*
 * Hypervisor -> CVM: the hypervisor's registers stay where its trap saved them (h->hv,
 * I.FSM.4) and the hart's trap frame becomes the vCPU's own register file; isolation is
 * reconfigured for the CVM (I.FSM.2). On return from the trap the hart runs the vCPU.
 */
enum call_end fsm_enter_cvm(struct hart *h, unsigned cvm_idx, unsigned vcpu_idx);

/*
 * CVM -> hypervisor, with the exit as one typed value (which may be built in place in
 * the running vCPU's own `exit`): the vCPU's state stays in its
 * record (its registers already are: they were its trap frame), the exit is kept as
 * what the vCPU waits for, confidential memory closes (I.FSM.3), the hypervisor's state
 * comes back (I.FSM.5) and the exit is the result of its run_tvm_vcpu call: a0 = 0,
 * a1 = reason, a2.. = payload. Nothing else of the CVM's state reaches the hypervisor
 * (I.FSM.6).
 */
enum call_end fsm_exit_to_hypervisor(struct hart *h, const struct cvm_exit *e);

#endif
