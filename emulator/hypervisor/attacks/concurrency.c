/*
 * Two harts: a vCPU runs on the other hart while the boot hart unshares a page it is
 * writing, runs the same vCPU again, or destroys its CVM. Needs -smp 2 or more.
 */
#include <string.h>

#include "atk.h"
#include "cove.h"
#include "sbi.h"

#define LONG_SPIN 50000000UL   /* far longer than any attack waits: ended by an IPI */
/* vCPU 1 must still be storing well after the unshare (2 x SETTLE_MS) when nothing
 * stops it: 20 M stores were over in that time on a fast host. The loop ends by itself
 * only with the defence off, within STORE_LOOP_MS even on a slow one. */
#define STORE_LOOPS 200000000UL
#define STORE_LOOP_MS 20000
#define SETTLE_MS 20

struct remote {
	struct atk_cvm *c;
	unsigned vcpu;
	unsigned long op, arg, args[2];
	unsigned nargs;
	volatile bool entered;
	enum atk_stop stop;
	struct atk_exit e;
};

static void remote_command(void *p)
{
	struct remote *m = p;
	m->entered = true;
	m->stop = m->op == AGENT_CMD_NONE ? atk_drive(m->c, m->vcpu, 0, 0, &m->e)
					  : atk_command(m->c, m->vcpu, m->op, m->arg, m->args, m->nargs, &m->e);
}

static bool need_two_harts(struct atk_report *r)
{
	if (atk_env.other_hart >= 0)
		return true;
	ev(r, "needs a second hart (QEMU -smp 2 or more)");
	return false;
}

/* Starts `m` on the other hart and gives it time to be inside the CVM. */
static bool remote_start(struct remote *m)
{
	m->entered = false;
	if (!atk_on_hart(atk_env.other_hart, remote_command, m))
		return false;
	unsigned long end = atk_now_ms() + 1000;
	while (!m->entered)
		if (atk_now_ms() > end)
			return false;
	atk_delay_ms(SETTLE_MS);
	return true;
}

/* A one-vCPU victim whose vCPU 0 spins on the other hart until remote_stop. */
static bool start_spinning_victim(struct atk_report *r, struct atk_cvm *c, struct remote *m)
{
	if (!atk_start(c, 1, NULL, 0)) {
		ev(r, "the victim CVM did not start");
		return false;
	}
	*m = (struct remote){ .c = c, .vcpu = 0, .op = AGENT_CMD_SPIN, .arg = LONG_SPIN };
	if (!remote_start(m)) {
		ev(r, "the other hart did not take the job");
		return false;
	}
	return true;
}

/* Ends the other hart's run: an IPI is an interrupt exit there, which its driver ends. */
static bool remote_stop(struct atk_cvm *c)
{
	c->stop_on_interrupt = true;
	hv_ecall(SBI_EXT_IPI, SBI_IPI_SEND_IPI, 1UL << atk_env.other_hart, 0, 0, 0, 0);
	return atk_wait_hart(atk_env.other_hart, 2000);
}

enum atk_verdict atk_vcpu_two_harts(struct atk_report *r)
{
	if (!need_two_harts(r))
		return ATK_NOT_APPLICABLE;
	static struct atk_cvm c;
	static struct remote m;
	if (!start_spinning_victim(r, &c, &m))
		return ATK_ERROR;
	struct atk_exit e;
	bool inside = !atk_hart_done(atk_env.other_hart); /* its run is in its long spin */
	enum atk_stop s = atk_command(&c, 0, AGENT_CMD_READ, AGENT_GPA, NULL, 0, &e);
	enum atk_verdict v;
	if (s == STOP_REFUSED) {
		ev(r, "second run refused (");
		ev_err(r, e.error);
		ev(r, ") while the other hart ran the vCPU");
		v = e.error == SBI_ERR_INVALID_STATE && inside ? ATK_BLOCKED : ATK_ERROR;
	} else {
		ev(r, "a second run of vCPU 0 entered it on the boot hart while the other hart ");
		ev(r, inside ? "ran it" : "had left it");
		ev(r, s == STOP_NEXT ? "; it made its next request there" : "");
		v = inside ? ATK_SUCCEEDED : ATK_ERROR;
	}
	if (!remote_stop(&c)) {
		ev(r, "; the other hart did not come back");
		return v == ATK_BLOCKED ? ATK_ERROR : v;
	}
	atk_destroy(&c);
	return v;
}

enum atk_verdict atk_destroy_running(struct atk_report *r)
{
	if (!need_two_harts(r))
		return ATK_NOT_APPLICABLE;
	static struct atk_cvm c;
	static struct remote m;
	if (!start_spinning_victim(r, &c, &m))
		return ATK_ERROR;
	unsigned long id = c.id;
	long err = atk_destroy(&c);
	ev(r, "destroy returned ");
	ev_err(r, err);
	ev(r, " while the vCPU ran on the other hart");
	if (err == 0) {
		/* the CVM is gone: its pages are free, and the vCPU is still inside it */
		atk_delay_ms(SETTLE_MS);
		if (!atk_hart_done(atk_env.other_hart)) {
			ev(r, "; the vCPU still runs on the freed pages");
		} else {
			ev(r, "; then its run ended with exit reason ");
			ev_dec(r, m.e.reason);
			ev(r, " (its pages were zeroed under it)");
		}
		return ATK_SUCCEEDED;
	}
	c.id = id;
	bool back = remote_stop(&c);
	long again = back ? atk_destroy(&c) : -1;
	ev(r, back ? "; after its run ended destroy returned " : "; the other hart did not come back");
	if (back)
		ev_err(r, again);
	return err == SBI_ERR_INVALID_STATE && again == 0 ? ATK_BLOCKED : ATK_ERROR;
}

static uint8_t hv_page[4096] __attribute__((aligned(4096)));

enum atk_verdict atk_unshare_stale_mapping(struct atk_report *r)
{
	if (!need_two_harts(r))
		return ATK_NOT_APPLICABLE;
	static struct atk_cvm c;
	static struct remote m;
	struct atk_exit e;
	memset(hv_page, 0, sizeof(hv_page));
	if (!atk_start(&c, 2, NULL, 0)) {
		ev(r, "the victim CVM did not start");
		return ATK_ERROR;
	}
	c.share_answer = (unsigned long)hv_page;
	unsigned long region[2] = { SHARED_GPA, sizeof(hv_page) };
	if (atk_command(&c, 0, AGENT_CMD_COVG, COVG_SHARE_MEMORY_REGION, region, 2, &e) != STOP_NEXT ||
	    e.p[1] != 0 || atk_command(&c, 0, AGENT_CMD_START_VCPU, 1, NULL, 0, &e) != STOP_NEXT ||
	    e.p[1] != 0) {
		ev(r, "the victim could not share its page or start vCPU 1");
		atk_destroy(&c);
		return ATK_ERROR;
	}
	/* vCPU 1 boots on the other hart, then stores into the shared page in a loop */
	m = (struct remote){ .c = &c, .vcpu = 1, .op = AGENT_CMD_NONE };
	if (!remote_start(&m) || !atk_wait_hart(atk_env.other_hart, 2000) || m.stop != STOP_NEXT) {
		ev(r, "vCPU 1 did not boot on the other hart");
		return ATK_ERROR;
	}
	volatile uint64_t *word = (volatile uint64_t *)hv_page;
	m = (struct remote){ .c = &c, .vcpu = 1, .op = AGENT_CMD_STORE_LOOP, .arg = SHARED_GPA,
			     .args = { STORE_LOOPS }, .nargs = 1 };
	if (!remote_start(&m)) {
		ev(r, "the other hart did not take the job");
		return ATK_ERROR;
	}
	unsigned long end = atk_now_ms() + 1000;
	while (*word == 0 && atk_now_ms() < end)
		;
	bool writing = *word != 0;
	enum atk_stop s = atk_command(&c, 0, AGENT_CMD_COVG, COVG_UNSHARE_MEMORY_REGION, region, 2, &e);
	bool unshared = s == STOP_NEXT && e.p[1] == 0;
	/* the fence reaches the other hart a moment after the unshare returns here */
	end = atk_now_ms() + SETTLE_MS;
	while (!c.interrupt_exits && atk_now_ms() < end)
		;
	*word = 0;
	atk_delay_ms(SETTLE_MS);
	uint64_t after = *word;
	bool back = atk_wait_hart(atk_env.other_hart, STORE_LOOP_MS);
	if (!writing || !unshared || !back) {
		ev(r, !writing ? "vCPU 1 never wrote the shared page"
			       : !unshared ? "the unshare did not complete" : "vCPU 1's hart did not come back");
		return ATK_ERROR;
	}
	ev(r, "vCPU 1 ");
	ev(r, c.interrupt_exits ? "was interrupted by the unshare's fence" : "was not interrupted");
	ev(r, m.stop == STOP_FAULT ? "; its next store faulted" : "; its stores went on");
	if ((after & ~0xffffffffUL) == AGENT_STORE_TAG)
		ev(r, "; the hypervisor's page holds a store vCPU 1 made after the unshare");
	else if (after)
		ev(r, "; the hypervisor's page changed after the unshare");
	else
		ev(r, "; the hypervisor's page holds 0x0 after the unshare");
	atk_destroy(&c);
	if (after)
		return ATK_SUCCEEDED;
	return m.stop == STOP_FAULT ? ATK_BLOCKED : ATK_ERROR;
}
