/*
 * SBI TIME. With Sstc the hypervisor's timer is its own stimecmp (mip.STIP follows it
 * and is read-only); without, it is the monitor's M timer, and when that fires the
 * monitor's interrupt handler raises STIP for the hypervisor.
 */
#include "context.h"
#include "csr.h"
#include "monitor.h"
#include "platform.h"
#include "sbi.h"
#include "sbi_ext.h"

static enum call_end time_handle(struct sbi_call *c)
{
	if (c->fid != SBI_TIME_SET_TIMER) {
		c->error = SBI_ERR_NOT_SUPPORTED;
		return CALL_RETURNS;
	}
	c->error = SBI_SUCCESS;
	if (ctx_hart_has_sstc()) {
		csr_write(CSR_STIMECMP, c->a[0]);
		return CALL_RETURNS;
	}
	plat->set_timer(c->h->id, c->a[0]);
	/* A new deadline withdraws the interrupt the previous one may have raised. */
	csr_clear(CSR_MIP, MIP_STIP);
	/* mie uses the same bit positions as mip. */
	csr_set(CSR_MIE, MIP_MTIP);
	return CALL_RETURNS;
}

const struct sbi_ext sbi_ext_time = {
	.eid_lo = SBI_EXT_TIME,
	.eid_hi = SBI_EXT_TIME,
	.handle = time_handle,
	.probe = NULL,
};
