/*
 * A CVM the attacker controls crashes (jumps to an address it has no memory at) while a
 * victim CVM runs on another hart. The crash must end the crashing vCPU only: the
 * monitor keeps serving, the machine keeps running, the victim keeps running.
 */
#include "host_attacks.h"

#include "cove.h"
#include "hart.h"
#include "sbi.h"

enum attack_result attack_crashing_cvm(struct attack_run *run)
{
	struct victim victim, crasher;
	if (!env_start_hart(run, 1) || !victim_promote(run, 0, &victim, 4, 1, 0xF1) ||
	    !victim_promote(run, 0, &crasher, 4, 1, 0xF2) || !victim_enter(run, 1, &victim, 0, 0, 0, 0) ||
	    !victim_enter(run, 0, &crasher, 0, 0, 0, 0))
		return AR_ERROR;
	model_fetch(0, 0x40000000ULL);
	uint32_t reason = 0;
	bool machine_down = model_reset_requested(&reason) >= 0;
	bool fault_exit = !hart_in_guest(0) && hv_exit_reason(0) == TVM_EXIT_FAULT;
	bool victim_alive = hart_in_guest(1) && cvm_yield(1, 0x1);
	bool victim_resumes = victim_alive && victim_enter(run, 1, &victim, 0, 0, 0, 0);
	bool crasher_dead = hv_run(0, crasher.id, 0, 0, 0, 0).error == SBI_ERR_INVALID_STATE;
	attack_note(run, "%s; crash reported as %s; victim %s; crashed vCPU %s",
		    machine_down ? "the monitor shut the machine down" : "the machine keeps running",
		    fault_exit ? "a FAULT exit" : "something else",
		    victim_resumes ? "still runs and makes calls" : "lost",
		    crasher_dead ? "refused further runs" : "still runnable");
	if (machine_down || !victim_resumes)
		return AR_SUCCEEDED;
	return fault_exit && crasher_dead ? AR_BLOCKED : AR_ERROR;
}
