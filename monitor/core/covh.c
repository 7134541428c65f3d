/* COVH: the hypervisor's interface to CVMs (CoVE numbering). */
#include "defence.h"
#include <string.h>

#include "attest.h"
#include "cove.h"
#include "cvm_ops.h"
#include "fsm.h"
#include "platform.h"
#include "sbi.h"
#include "sbi_ext.h"

static void get_tsm_info(struct sbi_call *c)
{
	ureg_t addr = c->a[0], len = c->a[1];
	if (len < sizeof(struct tsm_info)) {
		c->error = SBI_ERR_INVALID_PARAM;
		return;
	}
	if (!IS_ALIGNED(addr, 8) ||
	    (!mem_is_hypervisor(addr, sizeof(struct tsm_info)) && DEFENCE(D_ARGS_IN_HV_MEMORY))) {
		c->error = SBI_ERR_INVALID_ADDRESS;
		return;
	}
	struct tsm_info info = {
		.tsm_state = TSM_STATE_READY,
		.tsm_impl_id = (uint32_t)SBI_IMPL_ID,
		.tsm_version = (uint32_t)SBI_IMPL_VERSION,
		.tsm_capabilities = TSM_CAP_PROMOTE_TVM |
				    (attest_provisioned() ? TSM_CAP_ATTESTATION_REMOTE : 0),
		.tvm_state_pages = 0, /* control data lives in monitor memory */
		.tvm_max_vcpus = MAX_VCPUS,
		.tvm_vcpu_state_pages = 0,
	};
	memcpy(phys_ptr(addr, sizeof(info)), &info, sizeof(info));
	c->error = SBI_SUCCESS;
	c->value = sizeof(info);
}

static void destroy_tvm(struct sbi_call *c)
{
	unsigned idx;
	struct cvm *cvm = cvm_lookup(c->a[0], &idx);
	if (!cvm) {
		c->error = SBI_ERR_INVALID_PARAM;
		return;
	}
	if (cvm_any_vcpu_running(cvm) && DEFENCE(D_DESTROY_WAITS)) { /* a vCPU is on another hart */
		c->error = SBI_ERR_INVALID_STATE;
		return;
	}
	cvm_teardown(idx);
	c->error = SBI_SUCCESS;
}

/*
 * run_tvm_vcpu(id, vcpu, resp0, resp1, inject). Everything that can fail is checked
 * before anything changes; after that the call cannot fail and the hart enters the CVM.
 */
static enum call_end run_tvm_vcpu(struct sbi_call *c)
{
	unsigned idx;
	struct cvm *cvm = cvm_lookup(c->a[0], &idx);
	ureg_t vcpu_idx = c->a[1];
	if (!cvm || vcpu_idx >= cvm->nr_vcpus) {
		c->error = SBI_ERR_INVALID_PARAM;
		return CALL_RETURNS;
	}
	struct vcpu *v = &cvm->vcpu[vcpu_idx];
	if (v->state != VCPU_RUNNABLE || (v->running_on >= 0 && DEFENCE(D_VCPU_ON_ONE_HART))) {
		c->error = SBI_ERR_INVALID_STATE;
		return CALL_RETURNS;
	}
	cvm_apply_response(cvm, idx, v, c->a[2], c->a[3]);
	if (!DEFENCE(D_RESUME_ONLY_ANSWER))
		v->regs.x[REG_T2] = c->h->regs->x[REG_T2];
	v->injected = c->a[4] & (DEFENCE(D_IRQ_FILTER) ? cvm->allowed_irqs : ~0UL) & TVM_IRQ_ALL;
	return fsm_enter_cvm(c->h, idx, (unsigned)vcpu_idx);
}

static enum call_end covh_handle(struct sbi_call *c)
{
	switch (c->fid) {
	case COVH_GET_TSM_INFO: get_tsm_info(c); break;
	case COVH_PROMOTE_TO_TVM: covh_promote(c); break;
	case COVH_DESTROY_TVM: destroy_tvm(c); break;
	case COVH_RUN_TVM_VCPU: return run_tvm_vcpu(c);
	default: c->error = SBI_ERR_NOT_SUPPORTED; break;
	}
	return CALL_RETURNS;
}

const struct sbi_ext sbi_ext_covh = {
	.eid_lo = SBI_EXT_COVH,
	.eid_hi = SBI_EXT_COVH,
	.handle = covh_handle,
};
