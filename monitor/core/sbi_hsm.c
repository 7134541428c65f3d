/*
 * SBI HSM: starting, stopping and querying the hypervisor's harts. The monitor only
 * changes the state word and raises the target's M software interrupt; the target's
 * own wake-up path (monitor_hart_wakeup) and trap exit path do the rest.
 */
#include "monitor.h"
#include "platform.h"
#include "sbi.h"
#include "sbi_ext.h"

static bool hart_exists(ureg_t hartid)
{
	return hartid < mem.nr_harts && hartid < MAX_HARTS;
}

static int hsm_state_of(unsigned t)
{
	return __atomic_load_n(&sm.harts[t].hsm_state, __ATOMIC_ACQUIRE);
}

static long hart_start(ureg_t hartid, ureg_t start_addr, ureg_t opaque)
{
	struct hart *t;
	int expected = SBI_HSM_STATE_STOPPED;

	if (!hart_exists(hartid))
		return SBI_ERR_INVALID_PARAM;
	/* The hart will fetch its first instruction there in S-mode. */
	if ((start_addr & 1) || !mem_is_hypervisor(start_addr, 4))
		return SBI_ERR_INVALID_ADDRESS;
	t = &sm.harts[hartid];
	if (hsm_state_of((unsigned)hartid) != SBI_HSM_STATE_STOPPED)
		return SBI_ERR_ALREADY_AVAILABLE;
	/*
	 * Publish the entry point before the state the target acts on. Two callers racing
	 * for one hart may both store here; both values were validated, and only the
	 * winner of the exchange below sends the wake-up.
	 */
	__atomic_store_n(&t->start_addr, start_addr, __ATOMIC_RELAXED);
	__atomic_store_n(&t->start_opaque, opaque, __ATOMIC_RELAXED);
	if (!__atomic_compare_exchange_n(&t->hsm_state, &expected, SBI_HSM_STATE_START_PENDING,
					 false, __ATOMIC_RELEASE, __ATOMIC_RELAXED))
		return SBI_ERR_ALREADY_AVAILABLE;
	plat->send_ipi((unsigned)hartid);
	return SBI_SUCCESS;
}

static long hart_stop(struct hart *self)
{
	/* Only the hypervisor reaches this table, and it cannot run where a CVM runs. */
	if (self->cvm >= 0)
		return SBI_ERR_FAILED;
	/* monitor_trap tells the trap exit path to park this hart instead of returning. */
	self->waits = true;
	__atomic_store_n(&self->hsm_state, SBI_HSM_STATE_STOPPED, __ATOMIC_RELEASE);
	return SBI_SUCCESS;
}

#define SUSPEND_DEFAULT_RETENTIVE 0x00000000U
#define SUSPEND_DEFAULT_NON_RETENTIVE 0x80000000U

/*
 * The hart waits in M-mode, SUSPENDED, until an interrupt the hypervisor enabled in sie
 * is pending (monitor_hart_wakeup). Retentive: the call then returns SUCCESS with every
 * register kept. Non-retentive: the hart resumes at resume_addr in S-mode with
 * a0 = hartid, a1 = opaque, satp = 0 and sstatus.SIE = 0, as after hart_start. The
 * type is 32 bits wide (SBI 2.0, 9.4): the upper bits of a0 are ignored.
 */
static long hart_suspend(struct hart *self, ureg_t a0, ureg_t resume_addr, ureg_t opaque)
{
	uint32_t type = (uint32_t)a0;
	if (self->cvm >= 0)
		return SBI_ERR_FAILED;
	if (type != SUSPEND_DEFAULT_RETENTIVE && type != SUSPEND_DEFAULT_NON_RETENTIVE)
		return SBI_ERR_INVALID_PARAM; /* reserved, or platform-specific and not offered */
	if (type == SUSPEND_DEFAULT_NON_RETENTIVE &&
	    ((resume_addr & 1) || !mem_is_hypervisor(resume_addr, 4)))
		return SBI_ERR_INVALID_ADDRESS;
	self->suspend_type = type;
	self->resume_addr = resume_addr;
	self->resume_opaque = opaque;
	self->waits = true;
	__atomic_store_n(&self->hsm_state, SBI_HSM_STATE_SUSPENDED, __ATOMIC_RELEASE);
	return SBI_SUCCESS;
}

static enum call_end hsm_handle(struct sbi_call *c)
{
	c->error = SBI_SUCCESS;
	switch (c->fid) {
	case SBI_HSM_HART_START:
		c->error = hart_start(c->a[0], c->a[1], c->a[2]);
		break;
	case SBI_HSM_HART_STOP:
		c->error = hart_stop(c->h);
		break;
	case SBI_HSM_HART_GET_STATUS:
		if (!hart_exists(c->a[0]))
			c->error = SBI_ERR_INVALID_PARAM;
		else
			c->value = (ureg_t)hsm_state_of((unsigned)c->a[0]);
		break;
	case SBI_HSM_HART_SUSPEND:
		c->error = hart_suspend(c->h, c->a[0], c->a[1], c->a[2]);
		break;
	default:
		c->error = SBI_ERR_NOT_SUPPORTED;
		break;
	}
	return CALL_RETURNS;
}

const struct sbi_ext sbi_ext_hsm = {
	.eid_lo = SBI_EXT_HSM,
	.eid_hi = SBI_EXT_HSM,
	.handle = hsm_handle,
	.probe = NULL,
};
