/*
 * SBI v0.1 calls still used by older kernels and boot loaders. They have no FID and
 * return their result in a0 alone, which the dispatcher takes from c->error.
 */
#include "monitor.h"
#include "platform.h"
#include "sbi.h"
#include "sbi_ext.h"

static void legacy_set_timer(struct sbi_call *c)
{
	/* Same effect as TIME set_timer; go through it so the two cannot drift apart. */
	struct sbi_call t = { .h = c->h, .eid = SBI_EXT_TIME, .fid = SBI_TIME_SET_TIMER,
			      .a = c->a };

	sbi_ext_time.handle(&t);
	c->error = t.error;
}

static void legacy_handle(struct sbi_call *c)
{
	switch (c->eid) {
	case SBI_EXT_LEGACY_SET_TIMER:
		legacy_set_timer(c);
		break;
	case SBI_EXT_LEGACY_PUTCHAR:
		plat->console_putc((char)(c->a[0] & 0xff));
		c->error = SBI_SUCCESS;
		break;
	case SBI_EXT_LEGACY_GETCHAR:
		c->error = plat->console_getc(); /* -1 when nothing is waiting */
		break;
	default:
		c->error = SBI_ERR_NOT_SUPPORTED;
		break;
	}
}

const struct sbi_ext sbi_ext_legacy = {
	.eid_lo = SBI_EXT_LEGACY_SET_TIMER,
	.eid_hi = SBI_EXT_LEGACY_GETCHAR,
	.handle = legacy_handle,
	.probe = NULL,
};
