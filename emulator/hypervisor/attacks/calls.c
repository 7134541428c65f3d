/*
 * The monitor as a confused deputy: calls whose buffers point where the hypervisor may
 * not reach, the CVM-only attestation calls made by the hypervisor, and the attacks
 * this backend cannot express.
 */
#include "atk.h"
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

enum atk_verdict atk_evidence_by_hypervisor(struct atk_report *r)
{
	static uint8_t buf[4096] __attribute__((aligned(4096)));
	static const unsigned long fids[] = { COVG_GET_ATTCAPS, COVG_EXTEND_MEASUREMENT,
					      COVG_GET_EVIDENCE, COVG_RETRIEVE_SECRET,
					      COVG_READ_MEASUREMENT };
	for (unsigned i = 0; i < sizeof(buf); i++)
		buf[i] = FILL;
	unsigned refused = 0, n = sizeof(fids) / sizeof(fids[0]);
	for (unsigned i = 0; i < n; i++) {
		unsigned long b = (unsigned long)buf;
		struct sbiret s = hv_ecall(SBI_EXT_COVG, fids[i], b, sizeof(buf), b, 0x80000000UL, b);
		refused += s.error == SBI_ERR_NOT_SUPPORTED;
	}
	unsigned changed = 0;
	for (unsigned i = 0; i < sizeof(buf); i++)
		changed += buf[i] != FILL;
	ev_dec(r, refused);
	ev(r, " of ");
	ev_dec(r, n);
	ev(r, " COVG attestation functions refused the hypervisor, ");
	ev_dec(r, changed);
	ev(r, " buffer bytes changed");
	return refused == n && !changed ? ATK_BLOCKED : ATK_SUCCEEDED;
}

enum atk_verdict atk_evidence_replay(struct atk_report *r)
{
	ev(r, "a replay is judged by a verifier, not on the machine: the attest-smp2 scenario "
	      "of ci/qemu-demo-tests.sh replays a guest's evidence for another challenge");
	return ATK_NOT_APPLICABLE;
}

enum atk_verdict atk_reuse_unzeroed(struct atk_report *r)
{
	ev(r, "no domain can read a free page, and every page promote gives a later CVM is "
	      "first overwritten with the hypervisor's copy: the leftover is not observable "
	      "through the ABI (the host backend inspects the pool)");
	return ATK_NOT_APPLICABLE;
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
