/* SBI Base: what this firmware is and which extensions it serves. */
#include "csr.h"
#include "monitor.h"
#include "sbi.h"
#include "sbi_ext.h"

static ureg_t probe_extension(ureg_t eid)
{
	const struct sbi_ext *e = sbi_find_ext(eid);

	if (!e)
		return 0;
	return !e->probe || e->probe() ? 1 : 0;
}

static enum call_end base_handle(struct sbi_call *c)
{
	c->error = SBI_SUCCESS;
	switch (c->fid) {
	case SBI_BASE_GET_SPEC_VERSION:
		c->value = SBI_SPEC_VERSION;
		break;
	case SBI_BASE_GET_IMPL_ID:
		c->value = SBI_IMPL_ID;
		break;
	case SBI_BASE_GET_IMPL_VERSION:
		c->value = SBI_IMPL_VERSION;
		break;
	case SBI_BASE_PROBE_EXT:
		c->value = probe_extension(c->a[0]);
		break;
	case SBI_BASE_GET_MVENDORID:
		c->value = csr_read(CSR_MVENDORID);
		break;
	case SBI_BASE_GET_MARCHID:
		c->value = csr_read(CSR_MARCHID);
		break;
	case SBI_BASE_GET_MIMPID:
		c->value = csr_read(CSR_MIMPID);
		break;
	default:
		c->error = SBI_ERR_NOT_SUPPORTED;
		break;
	}
	return CALL_RETURNS;
}

const struct sbi_ext sbi_ext_base = {
	.eid_lo = SBI_EXT_BASE,
	.eid_hi = SBI_EXT_BASE,
	.handle = base_handle,
	.probe = NULL,
};
