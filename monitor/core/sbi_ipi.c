/* SBI IPI: supervisor software interrupts on other harts, relayed by the monitor. */
#include "monitor.h"
#include "platform.h"
#include "sbi.h"
#include "sbi_ext.h"

static enum call_end ipi_handle(struct sbi_call *c)
{
	unsigned long targets;
	int rc;

	if (c->fid != SBI_IPI_SEND_IPI) {
		c->error = SBI_ERR_NOT_SUPPORTED;
		return CALL_RETURNS;
	}
	rc = sbi_hart_mask(c->a[0], c->a[1], &targets);
	if (rc != SBI_SUCCESS) {
		c->error = rc;
		return CALL_RETURNS;
	}
	sbi_send_to_started(c->h, targets, IPI_SSIP);
	c->error = SBI_SUCCESS;
	return CALL_RETURNS;
}

const struct sbi_ext sbi_ext_ipi = {
	.eid_lo = SBI_EXT_IPI,
	.eid_hi = SBI_EXT_IPI,
	.handle = ipi_handle,
	.probe = NULL,
};
