/*
 * Handing the monitor pages it must not give a CVM: G-stage tables passed to promote
 * whose leaves point into monitor memory or at another CVM's confidential page, and a
 * SHARE answer that names another CVM's page, so one page would belong to two CVMs.
 * The attacker builds the receiving CVM itself, so anything copied or mapped into it
 * reaches the hypervisor through that CVM's next hypercall.
 */
#include "host_attacks.h"

#include "cove.h"
#include "hart.h"
#include "platform.h"
#include "sbi.h"

/* The attacker's CVM on hart 0 loads gpa and hands the value over in a hypercall. */
static enum attack_result exfiltrate(struct attack_run *run, uint64_t gpa, uint64_t secret)
{
	uint64_t got = 0;
	if (!dom_load64(0, gpa, &got)) {
		attack_note(run, "the attacker's CVM faulted loading GPA 0x%llx", (unsigned long long)gpa);
		return AR_BLOCKED;
	}
	if (!cvm_yield(0, got))
		return AR_ERROR;
	uint64_t seen = model_hart(0)->x[REG_A2];
	attack_note(run, "hypervisor received 0x%llx", (unsigned long long)seen);
	return seen == secret ? AR_SUCCEEDED : AR_BLOCKED;
}

/* Promotes a VM whose second data page the hypervisor pointed at `pa`'s page. */
static enum attack_result promote_aliasing(struct attack_run *run, uint64_t pa, uint64_t secret)
{
	struct victim attacker;
	if (!vm_build(&attacker.img, 4, 1, 0xA1) ||
	    !hv_remap(attacker.img.hgatp, VM_GPA_BASE + PAGE_SIZE, pa & ~PAGE_MASK))
		return AR_ERROR;
	struct sbiret r = hv_promote(0, &attacker.img);
	if (r.error) {
		attack_note(run, "promote refused the tables (error %ld)", r.error);
		return AR_BLOCKED;
	}
	attacker.id = r.value;
	attack_note(run, "promote accepted the tables as TVM %llu", (unsigned long long)r.value);
	if (!victim_enter(run, 0, &attacker, 0, 0, 0, 0))
		return AR_ERROR;
	return exfiltrate(run, VM_GPA_BASE + PAGE_SIZE + (pa & PAGE_MASK), secret);
}

enum attack_result attack_promote_alias_cvm(struct attack_run *run)
{
	struct victim v;
	const uint64_t secret = CVM_SECRET | 0xA2;
	if (!victim_with_secret(run, &v, 0xA2, secret))
		return AR_ERROR;
	return promote_aliasing(run, victim_hpa(&v, SECRET_GPA), secret);
}

enum attack_result attack_promote_alias_monitor(struct attack_run *run)
{
	return promote_aliasing(run, plant_monitor_secret(), MONITOR_SECRET);
}

enum attack_result attack_share_foreign_page(struct attack_run *run)
{
	struct victim v, attacker;
	const uint64_t secret = CVM_SECRET | 0xA3;
	if (!victim_with_secret(run, &v, 0xA3, secret))
		return AR_ERROR;
	uint64_t pa = victim_hpa(&v, SECRET_GPA);
	if (!victim_promote(run, 0, &attacker, 4, 1, 0xA4) || !victim_enter(run, 0, &attacker, 0, 0, 0, 0))
		return AR_ERROR;
	cvm_ecall(0, SBI_EXT_COVG, COVG_SHARE_MEMORY_REGION, SHARE_GPA, PAGE_SIZE, 0, 0, 0, 0);
	if (hart_in_guest(0) || hv_exit_reason(0) != TVM_EXIT_SHARE) {
		attack_note(run, "the share request did not reach the hypervisor");
		return AR_ERROR;
	}
	/* the answer: the victim's confidential page as the backing of the shared range */
	if (!victim_enter(run, 0, &attacker, 0, pa & ~PAGE_MASK, 0, 0))
		return AR_ERROR;
	attack_note(run, "share answered with error %ld", (long)model_hart(0)->x[REG_A0]);
	return exfiltrate(run, SHARE_GPA + (pa & PAGE_MASK), secret);
}
