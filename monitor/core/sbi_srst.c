/* SBI SRST: shutdown and reboot, validated before the platform is asked. */
#include "monitor.h"
#include "platform.h"
#include "sbi.h"
#include "sbi_ext.h"

#define SRST_VENDOR_FIRST 0xF0000000UL
#define SRST_VENDOR_LAST 0xFFFFFFFFUL

static bool reset_type_ok(ureg_t type)
{
	/* No vendor-specific reset types are implemented. */
	return type == SBI_SRST_TYPE_SHUTDOWN || type == SBI_SRST_TYPE_COLD_REBOOT ||
	       type == SBI_SRST_TYPE_WARM_REBOOT;
}

static bool reset_reason_ok(ureg_t reason)
{
	/* Vendor reasons are only forwarded, so all of them are accepted. */
	return reason == SBI_SRST_REASON_NONE || reason == SBI_SRST_REASON_FAILURE ||
	       (reason >= SRST_VENDOR_FIRST && reason <= SRST_VENDOR_LAST);
}

static enum call_end srst_handle(struct sbi_call *c)
{
	if (c->fid != SBI_SRST_SYSTEM_RESET) {
		c->error = SBI_ERR_NOT_SUPPORTED;
		return CALL_RETURNS;
	}
	if (!reset_type_ok(c->a[0]) || !reset_reason_ok(c->a[1])) {
		c->error = SBI_ERR_INVALID_PARAM;
		return CALL_RETURNS;
	}
	plat->system_reset((uint32_t)c->a[0], (uint32_t)c->a[1]);
	/* A successful reset never comes back here. */
	c->error = SBI_ERR_FAILED;
	return CALL_RETURNS;
}

const struct sbi_ext sbi_ext_srst = {
	.eid_lo = SBI_EXT_SRST,
	.eid_hi = SBI_EXT_SRST,
	.handle = srst_handle,
	.probe = NULL,
};
