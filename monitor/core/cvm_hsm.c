/*
 * HSM from inside a CVM: the monitor, not the hypervisor, decides where a secondary
 * vCPU starts. The start is recorded here, then forwarded so the hypervisor knows to
 * schedule the vCPU; hart_stop ends the vCPU's turn with a HALT exit. Other HSM calls
 * are the hypervisor's to answer.
 */
#include "cvm_ext.h"
#include "sbi.h"

static enum call_end hart_start(struct cvm_call *c)
{
	ureg_t target = c->a[0];
	if (target >= c->cvm->nr_vcpus)
		c->error = SBI_ERR_INVALID_PARAM;
	else if (c->a[1] & 1) /* no instruction starts at an odd address */
		c->error = SBI_ERR_INVALID_ADDRESS;
	else if (c->cvm->vcpu[target].state != VCPU_STOPPED)
		c->error = SBI_ERR_ALREADY_AVAILABLE;
	else
		c->error = SBI_SUCCESS;
	if (c->error != SBI_SUCCESS)
		return CALL_RETURNS;
	struct vcpu *t = &c->cvm->vcpu[target];
	*t = (struct vcpu){ .state = VCPU_RUNNABLE, .running_on = -1, .pc = c->a[1] };
	t->regs.x[REG_A0] = target;
	t->regs.x[REG_A1] = c->a[2];
	return cvm_ext_hypercall.handle(c);
}

static enum call_end cvm_hsm_handle(struct cvm_call *c)
{
	switch (c->fid) {
	case SBI_HSM_HART_STOP: return cvm_call_exit(c, TVM_EXIT_HALT, NULL, 0);
	case SBI_HSM_HART_START: return hart_start(c);
	default: return cvm_ext_hypercall.handle(c);
	}
}

const struct cvm_ext cvm_ext_hsm = {
	.eid_lo = SBI_EXT_HSM,
	.eid_hi = SBI_EXT_HSM,
	.handle = cvm_hsm_handle,
};
