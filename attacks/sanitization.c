/*
 * Page reuse: a destroyed TVM's pages go back to the free pool, and promote hands free
 * pages out assuming they are zero. Anything the TVM left in them would reach the next
 * CVM's page tables and pages. No domain can read the free pool directly, so the
 * attack looks where the next owner would: every free confidential page.
 */
#include "host_attacks.h"

#include "cove.h"
#include "monitor.h"
#include "mt.h"
#include "platform.h"
#include "sbi.h"

enum attack_result attack_reuse_unzeroed(struct attack_run *run)
{
	struct victim v;
	const uint64_t secret = CVM_SECRET | 0xE1;
	if (!victim_with_secret(run, &v, 0xE1, secret))
		return AR_ERROR;
	struct sbiret r = hv_ecall(0, SBI_EXT_COVH, COVH_DESTROY_TVM, v.id, 0, 0, 0, 0, 0);
	if (r.error) {
		attack_note(run, "destroy failed (error %ld)", r.error);
		return AR_ERROR;
	}
	unsigned residue = 0;
	uint64_t first = 0;
	for (uint64_t pa = mem.conf_base; pa < mem.conf_base + mem.conf_size; pa += 8) {
		if (mt_owner_of(&sm.mt, pa & ~PAGE_MASK) != MT_FREE || phys64(pa) != secret)
			continue;
		if (!residue++)
			first = pa;
	}
	if (residue)
		attack_note(run, "the destroyed TVM's secret is still in free page 0x%llx",
			    (unsigned long long)(first & ~PAGE_MASK));
	else
		attack_note(run, "no free page holds the destroyed TVM's secret");
	return residue ? AR_SUCCEEDED : AR_BLOCKED;
}
