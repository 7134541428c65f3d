/*
 * The monitor as a confused deputy: calls whose buffers point where the hypervisor may
 * not reach, the CVM-only attestation calls made by the hypervisor, and the attacks
 * this backend cannot express.
 */
#include "atk.h"
#include "attest.h"
#include "cove.h"
#include "sbi.h"

#define MONITOR_SPARE 0x800ff000UL /* monitor memory (below the seed page) no code uses */
#define CONSOLE_BYTES 64
#define FILL 0x5a

enum atk_verdict atk_tsm_info_over_monitor(struct atk_report *r)
{
	struct sbiret s = hv_ecall(SBI_EXT_COVH, COVH_GET_TSM_INFO, MONITOR_SPARE,
				   sizeof(struct tsm_info), 0, 0, 0);
	static struct tsm_info mine;
	struct sbiret alive = hv_ecall(SBI_EXT_COVH, COVH_GET_TSM_INFO, (unsigned long)&mine,
				       sizeof(mine), 0, 0, 0);
	ev(r, "get_tsm_info at ");
	ev_hex(r, MONITOR_SPARE);
	ev(r, " (monitor memory) returned ");
	ev_err(r, s.error);
	if (s.error == 0) {
		ev(r, ": the monitor wrote ");
		ev_dec(r, s.value);
		ev(r, " bytes there");
	}
	ev(r, alive.error == 0 ? "; the monitor still answers" : "; the monitor stopped answering");
	if (s.error == 0)
		return ATK_SUCCEEDED;
	return s.error == SBI_ERR_INVALID_ADDRESS && alive.error == 0 ? ATK_BLOCKED : ATK_ERROR;
}

enum atk_verdict atk_console_prints_cvm(struct atk_report *r)
{
	if (!atk_victim()) {
		ev(r, "the victim CVM did not start");
		return ATK_ERROR;
	}
	/* the first CVM of a boot has its G-stage root at the start of confidential memory */
	con_line("attack-console-begin");
	struct sbiret s = hv_ecall(SBI_EXT_DBCN, SBI_DBCN_CONSOLE_WRITE, CONSOLE_BYTES,
				   atk_env.conf_base, 0, 0, 0);
	con_line("\nattack-console-end");
	ev(r, "console_write of ");
	ev_dec(r, CONSOLE_BYTES);
	ev(r, " bytes at ");
	ev_hex(r, atk_env.conf_base);
	ev(r, " returned ");
	ev_err(r, s.error);
	ev(r, ", ");
	ev_dec(r, s.value);
	ev(r, " bytes printed");
	if (s.error == 0 && s.value)
		return ATK_SUCCEEDED;
	return s.error == SBI_ERR_INVALID_PARAM && s.value == 0 ? ATK_BLOCKED : ATK_ERROR;
}

/* The challenges of two sessions with a relying party: the victim's, and the attacker's. */
static void session_challenge(uint8_t *c, unsigned session)
{
	for (unsigned i = 0; i < EVID_CHALLENGE_SIZE; i++)
		c[i] = (uint8_t)(session * 0x1f + i * 7 + 3);
}

/* Does `ev` look like evidence over `challenge`? (Its signature is a verifier's to
 * check: the host backend runs tools/attest-verify's check; here a monitor that signs
 * whatever it is asked to is the finding.) */
static bool evidence_over(const uint8_t *ev, const uint8_t *challenge)
{
	for (unsigned i = 0; i < 8; i++)
		if (ev[EVID_OFF_MAGIC + i] != (uint8_t)EVID_MAGIC[i])
			return false;
	for (unsigned i = 0; i < EVID_CHALLENGE_SIZE; i++)
		if (ev[EVID_OFF_CHALLENGE + i] != challenge[i])
			return false;
	return true;
}

static void ev_evidence(struct atk_report *r, const uint8_t *out, const uint8_t *challenge)
{
	ev(r, evidence_over(out, challenge) ? "evidence over the attacker's challenge was written"
					    : "no evidence over the attacker's challenge");
}

/* Every COVG attestation function from HS; get_evidence with the victim's TVM id where
 * a host-side interface would take one. */
enum atk_verdict atk_evidence_by_hypervisor(struct atk_report *r)
{
	static uint8_t buf[2][4096] __attribute__((aligned(4096)));
	static const unsigned long fids[] = { COVG_GET_ATTCAPS, COVG_EXTEND_MEASUREMENT,
					      COVG_GET_EVIDENCE, COVG_RETRIEVE_SECRET,
					      COVG_READ_MEASUREMENT };
	struct atk_cvm *victim = atk_victim();
	if (!victim) {
		ev(r, "the victim CVM did not start");
		return ATK_ERROR;
	}
	uint8_t challenge[EVID_CHALLENGE_SIZE];
	session_challenge(challenge, 2);
	for (unsigned i = 0; i < sizeof(buf); i++)
		buf[i / 4096][i % 4096] = FILL;
	for (unsigned i = 0; i < EVID_CHALLENGE_SIZE; i++)
		buf[0][i] = challenge[i];
	unsigned refused = 0, n = sizeof(fids) / sizeof(fids[0]);
	for (unsigned i = 0; i < n; i++) {
		unsigned long b = (unsigned long)buf[1];
		struct sbiret s = fids[i] == COVG_GET_EVIDENCE
			? sbi_ecall(SBI_EXT_COVG, fids[i], victim->id, 0, (unsigned long)buf[0],
				    ATTEST_FORMAT_CSEV1, b, sizeof(buf[1]))
			: hv_ecall(SBI_EXT_COVG, fids[i], b, sizeof(buf[1]), b, 0x80000000UL, b);
		refused += s.error == SBI_ERR_NOT_SUPPORTED;
	}
	unsigned changed = 0;
	for (unsigned i = 0; i < sizeof(buf[1]); i++)
		changed += buf[1][i] != FILL;
	ev_dec(r, refused);
	ev(r, " of ");
	ev_dec(r, n);
	ev(r, " COVG attestation functions refused the hypervisor, ");
	ev_dec(r, changed);
	ev(r, " buffer bytes changed; ");
	ev_evidence(r, buf[1], challenge);
	return refused == n && !changed ? ATK_BLOCKED : ATK_SUCCEEDED;
}

/*
 * The victim asks for evidence over a challenge in a page it shares (where its
 * relying party's message arrived) and the hypervisor has put its own session's
 * challenge there. Replays of evidence as issued or edited are judged on the host,
 * where a verifier checks signatures.
 */
enum atk_verdict atk_evidence_replay(struct atk_report *r)
{
	static uint8_t shared[2][4096] __attribute__((aligned(4096)));
	struct atk_cvm c;
	struct atk_exit e;
	if (!atk_start(&c, 1, NULL, 0)) {
		ev(r, "the victim CVM did not start");
		return ATK_ERROR;
	}
	for (unsigned i = 0; i < sizeof(shared); i++)
		shared[i / 4096][i % 4096] = FILL;
	c.share_answer = (unsigned long)shared;
	unsigned long region[2] = { SHARED_GPA, sizeof(shared) };
	if (atk_command(&c, 0, AGENT_CMD_COVG, COVG_SHARE_MEMORY_REGION, region, 2, &e) != STOP_NEXT ||
	    e.p[1] != 0) {
		ev(r, "the victim could not share its pages");
		atk_destroy(&c);
		return ATK_ERROR;
	}
	uint8_t challenge[EVID_CHALLENGE_SIZE];
	session_challenge(challenge, 2);
	for (unsigned i = 0; i < EVID_CHALLENGE_SIZE; i++)
		shared[0][i] = challenge[i];
	unsigned long out = SHARED_GPA + sizeof(shared[0]);
	enum atk_stop s = atk_command(&c, 0, AGENT_CMD_EVIDENCE, SHARED_GPA, &out, 1, &e);
	long err = (long)e.p[1];
	atk_destroy(&c);
	if (s != STOP_NEXT) {
		ev(r, "the victim's get_evidence did not complete");
		return ATK_ERROR;
	}
	ev(r, "get_evidence over a challenge in a shared page returned ");
	ev_err(r, err);
	ev(r, "; ");
	ev_evidence(r, shared[1], challenge);
	if (err == 0 || evidence_over(shared[1], challenge))
		return ATK_SUCCEEDED;
	return err == SBI_ERR_INVALID_ADDRESS ? ATK_BLOCKED : ATK_ERROR;
}

/*
 * What a destroyed CVM leaves in the pages the monitor will hand out next. No domain
 * may read a free page, so the judge is the machine owner's view of physical memory:
 * run-attacks.py answers "attack-inspect" through QEMU's monitor, as the host backend
 * inspects the model's pool. The victim's last store is a value no image holds.
 */
#define REUSE_STORES 0x1235UL
#define REUSE_GPA (AGENT_FDT_GPA + 0x800) /* the device tree page: read only at boot */

static int owner_inspects(unsigned long tag)
{
	con_lock();
	con_puts("attack-inspect ");
	con_put_hex(atk_env.conf_base);
	con_puts(" ");
	con_put_hex(tag);
	con_puts("\n");
	con_unlock();
	for (;;) {
		struct sbiret c = hv_ecall(SBI_EXT_LEGACY_GETCHAR, 0, 0, 0, 0, 0, 0);
		if (c.error == 'L' || c.error == 'Z' || c.error == 'E')
			return (int)c.error;
	}
}

enum atk_verdict atk_reuse_unzeroed(struct atk_report *r)
{
	struct atk_cvm c;
	struct atk_exit e;
	unsigned long n = REUSE_STORES, tag = AGENT_STORE_TAG + REUSE_STORES - 1;
	if (!atk_start(&c, 1, NULL, 0)) {
		ev(r, "the victim CVM did not start");
		return ATK_ERROR;
	}
	if (atk_command(&c, 0, AGENT_CMD_STORE_LOOP, REUSE_GPA, &n, 1, &e) != STOP_NEXT ||
	    e.p[1] != REUSE_STORES) {
		ev(r, "the victim could not write its data");
		atk_destroy(&c);
		return ATK_ERROR;
	}
	long err = atk_destroy(&c);
	ev(r, "the victim wrote ");
	ev_hex(r, tag);
	ev(r, " and was destroyed (");
	ev_err(r, err);
	ev(r, "); confidential memory from ");
	ev_hex(r, atk_env.conf_base);
	if (err)
		return ATK_ERROR;
	int seen = owner_inspects(tag);
	ev(r, seen == 'L' ? " still holds it in a free page" : seen == 'Z' ? " holds it nowhere"
								      : " could not be inspected");
	return seen == 'L' ? ATK_SUCCEEDED : seen == 'Z' ? ATK_BLOCKED : ATK_ERROR;
}

/* A CVM of the attacker's jumps where nothing is mapped; the victim must carry on. */
enum atk_verdict atk_crashing_cvm(struct atk_report *r)
{
	struct atk_cvm *victim = atk_victim();
	struct atk_cvm c;
	struct atk_exit e;
	if (!victim || !atk_start(&c, 1, NULL, 0)) {
		ev(r, "a CVM did not start");
		return ATK_ERROR;
	}
	enum atk_stop s = atk_command(&c, 0, AGENT_CMD_JUMP, 0x7ff0000UL, NULL, 0, &e);
	unsigned long mcause = e.p[0];
	ev(r, "the machine keeps running; the crash ");
	if (s == STOP_FAULT) {
		ev(r, "came as a FAULT exit (mcause ");
		ev_dec(r, mcause);
		ev(r, ")");
	} else {
		ev(r, "did not come as a FAULT exit");
	}
	bool victim_ok = atk_command(victim, 0, AGENT_CMD_READ, AGENT_GPA, NULL, 0, &e) == STOP_NEXT;
	ev(r, victim_ok ? "; the victim still runs and makes calls" : "; the victim stopped");
	struct atk_exit again = atk_run(&c, 0, 0, 0);
	bool refused = again.error == SBI_ERR_INVALID_STATE;
	ev(r, refused ? "; the crashed vCPU is refused further runs" : "; the crashed vCPU ran again");
	atk_destroy(&c);
	return s == STOP_FAULT && victim_ok && refused ? ATK_BLOCKED : ATK_ERROR;
}
