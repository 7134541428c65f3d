/*
 * SBI RFENCE. Every request becomes a full flush (fence.i, sfence.vma, hfence.gvma,
 * hfence.vvma) on each target: over-fencing is always correct, and it spares the
 * monitor from trusting the address range, ASID or VMID the hypervisor passes.
 */
#include "monitor.h"
#include "platform.h"
#include "sbi.h"
#include "sbi_ext.h"

static enum call_end rfence_handle(struct sbi_call *c)
{
	unsigned long targets;
	int rc;

	switch (c->fid) {
	case SBI_RFENCE_FENCE_I:
	case SBI_RFENCE_SFENCE_VMA:
	case SBI_RFENCE_SFENCE_VMA_ASID:
	case SBI_RFENCE_HFENCE_GVMA_VMID:
	case SBI_RFENCE_HFENCE_GVMA:
	case SBI_RFENCE_HFENCE_VVMA_ASID:
	case SBI_RFENCE_HFENCE_VVMA:
		break;
	default:
		c->error = SBI_ERR_NOT_SUPPORTED;
		return CALL_RETURNS;
	}
	rc = sbi_hart_mask(c->a[0], c->a[1], &targets);
	if (rc != SBI_SUCCESS) {
		c->error = rc;
		return CALL_RETURNS;
	}
	sbi_send_to_started(c->h, targets, IPI_FENCE);
	c->error = SBI_SUCCESS;
	return CALL_RETURNS;
}

const struct sbi_ext sbi_ext_rfence = {
	.eid_lo = SBI_EXT_RFENCE,
	.eid_hi = SBI_EXT_RFENCE,
	.handle = rfence_handle,
	.probe = NULL,
};
