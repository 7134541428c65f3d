/*
 * Attacks that need a second hart: a shared page unshared underneath a sibling vCPU
 * that still holds a translation for it (time of check to time of use), one vCPU run
 * on two harts at once, and a TVM destroyed while its vCPU runs elsewhere.
 */
#include "host_attacks.h"

#include "cove.h"
#include "hart.h"
#include "monitor.h"
#include "mt.h"
#include "sbi.h"

/*
 * vCPU 0 (hart 0) shares a page and unshares it while vCPU 1 (hart 1) has used it. Once
 * the hypervisor holds the UNSHARE exit, the page is its own again; a store vCPU 1 then
 * makes to that GPA must not land there.
 */
enum attack_result attack_unshare_stale_mapping(struct attack_run *run)
{
	struct victim v;
	const uint64_t secret = CVM_SECRET | 0xC1;
	if (!env_start_hart(run, 1) || !victim_promote(run, 0, &v, 4, 2, 0xC1) ||
	    !victim_enter(run, 0, &v, 0, 0, 0, 0))
		return AR_ERROR;
	cvm_ecall(0, SBI_EXT_HSM, SBI_HSM_HART_START, 1, VM_GPA_BASE, 0, 0, 0, 0);
	if (!victim_enter(run, 0, &v, 0, 0, 0, 0))
		return AR_ERROR;
	cvm_ecall(0, SBI_EXT_COVG, COVG_SHARE_MEMORY_REGION, SHARE_GPA, PAGE_SIZE, 0, 0, 0, 0);
	uint64_t page = vm_pool_alloc(PAGE_SIZE, PAGE_SIZE);
	if (hv_exit_reason(0) != TVM_EXIT_SHARE || !page || !victim_enter(run, 0, &v, 0, page, 0, 0) ||
	    model_hart(0)->x[REG_A0] != 0) {
		attack_note(run, "the victim could not share a page");
		return AR_ERROR;
	}
	uint64_t ignored;
	if (!victim_enter(run, 1, &v, 1, 0, 0, 0) || !dom_load64(1, SHARE_GPA, &ignored)) {
		attack_note(run, "vCPU 1 could not use the shared page");
		return AR_ERROR;
	}
	cvm_ecall(0, SBI_EXT_COVG, COVG_UNSHARE_MEMORY_REGION, SHARE_GPA, PAGE_SIZE, 0, 0, 0, 0);
	if (hart_in_guest(0) || hv_exit_reason(0) != TVM_EXIT_UNSHARE) {
		attack_note(run, "unshare did not exit to the hypervisor");
		return AR_ERROR;
	}
	/* the hypervisor keeps vCPU 1 running (or runs it again if it was interrupted) */
	bool interrupted = !hart_in_guest(1);
	if (interrupted && !victim_enter(run, 1, &v, 1, 0, 0, 0))
		return AR_ERROR;
	attack_note(run, "vCPU 1 %s", interrupted ? "was interrupted by the unshare's fence" : "kept running");
	bool stored = dom_store64(1, SHARE_GPA, secret);
	uint64_t now = phys64(page);
	attack_note(run, "its store %s; the hypervisor's page holds 0x%llx", stored ? "completed" : "faulted",
		    (unsigned long long)now);
	return now == secret ? AR_SUCCEEDED : AR_BLOCKED;
}

enum attack_result attack_vcpu_two_harts(struct attack_run *run)
{
	struct victim v;
	if (!env_start_hart(run, 1) || !victim_promote(run, 0, &v, 4, 1, 0xC2) ||
	    !victim_enter(run, 0, &v, 0, 0, 0, 0))
		return AR_ERROR;
	struct sbiret r = hv_run(1, v.id, 0, 0, 0, 0);
	if (!hart_in_guest(1)) {
		attack_note(run, "second run refused (error %ld)", r.error);
		return AR_BLOCKED;
	}
	attack_note(run, "vCPU 0 now runs on harts 0 and 1 (monitor: hart 0 runs CVM %d, hart 1 runs CVM %d)",
		    sm.harts[0].cvm, sm.harts[1].cvm);
	return AR_SUCCEEDED;
}

/*
 * The TVM's vCPU runs on hart 1 and has used its page; hart 0 destroys the TVM. If that
 * is allowed, the vCPU keeps running on pages back in the free pool: its next store
 * lands in memory the monitor will hand to the next CVM as if it were zero.
 */
enum attack_result attack_destroy_running(struct attack_run *run)
{
	struct victim v;
	if (!env_start_hart(run, 1) || !victim_promote(run, 0, &v, 4, 1, 0xC3) ||
	    !victim_enter(run, 1, &v, 0, 0, 0, 0) || !dom_store64(1, SECRET_GPA, CVM_SECRET | 0xC3))
		return AR_ERROR;
	uint64_t pa = victim_hpa(&v, SECRET_GPA);
	struct sbiret r = hv_ecall(0, SBI_EXT_COVH, COVH_DESTROY_TVM, v.id, 0, 0, 0, 0, 0);
	attack_note(run, "destroy returned %ld while the vCPU ran on hart 1", r.error);
	bool stored = hart_in_guest(1) && dom_store64(1, SECRET_GPA, CVM_SECRET | 0xC4);
	mt_owner_t owner = mt_owner_of(&sm.mt, pa & ~PAGE_MASK);
	attack_note(run, "the vCPU's next store %s; its page is now %s", stored ? "completed" : "faulted",
		    owner == MT_FREE ? "free" : "still the TVM's");
	return stored && owner == MT_FREE && phys64(pa) == (CVM_SECRET | 0xC4) ? AR_SUCCEEDED : AR_BLOCKED;
}
