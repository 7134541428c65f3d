/* SBI IPI: supervisor software interrupts on other harts, relayed by the monitor. */
#include "monitor.h"
#include "platform.h"
#include "sbi.h"
#include "sbi_ext.h"

static void ipi_handle(struct sbi_call *c)
{
	unsigned long targets;
	int rc;

	if (c->fid != SBI_IPI_SEND_IPI) {
		c->error = SBI_ERR_NOT_SUPPORTED;
		return;
	}
	rc = sbi_hart_mask(c->a[0], c->a[1], &targets);
	if (rc != SBI_SUCCESS) {
		c->error = rc;
		return;
	}
	/* Stopped harts have no supervisor to interrupt; the spec lets them be skipped. */
	for (unsigned t = 0; t < MAX_HARTS && t < mem.nr_harts; t++)
		if ((targets >> t) & 1UL &&
		    __atomic_load_n(&sm.harts[t].hsm_state, __ATOMIC_ACQUIRE) ==
			    SBI_HSM_STATE_STARTED)
			sbi_send_work(c->h, t, IPI_SSIP);
	c->error = SBI_SUCCESS;
}

const struct sbi_ext sbi_ext_ipi = {
	.eid_lo = SBI_EXT_IPI,
	.eid_hi = SBI_EXT_IPI,
	.handle = ipi_handle,
	.probe = NULL,
};
