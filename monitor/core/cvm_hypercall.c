/*
 * A CVM's call to anything the monitor does not serve itself goes to the hypervisor as
 * a HYPERCALL exit: the CVM's a0..a7 and nothing else. The answer (a0, a1) comes with
 * the next run (cvm_resume.c).
 */
#include "cvm_ext.h"
#include "csr.h"

enum call_end cvm_call_exit(struct cvm_call *c, enum tvm_exit_reason reason, const ureg_t *payload,
			    unsigned n)
{
	struct cvm_exit *e = &c->v->exit; /* built in place: it holds nothing while the vCPU runs */
	e->reason = reason;
	e->resume_pc = csr_read(CSR_MEPC) + 4;
	e->n = n < CVM_EXIT_PAYLOAD_MAX ? n : CVM_EXIT_PAYLOAD_MAX;
	for (unsigned i = 0; i < e->n; i++)
		e->payload[i] = payload[i];
	return fsm_exit_to_hypervisor(c->h, e);
}

static enum call_end forward(struct cvm_call *c)
{
	return cvm_call_exit(c, TVM_EXIT_HYPERCALL, c->a, 8);
}

const struct cvm_ext cvm_ext_hypercall = {
	.eid_lo = 0,
	.eid_hi = ~0UL,
	.handle = forward,
};
