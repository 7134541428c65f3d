/*
 * Attestation evidence is the CVM's to ask for (COVG), never the hypervisor's: a
 * hypervisor that could obtain a victim's evidence, or extend its measurements, could
 * impersonate it to a relying party. Until attestation lands, the host check is that
 * every COVG attestation function refuses a caller in HS-mode and writes nothing;
 * replaying evidence to a verifier needs the evidence format first.
 */
#include "host_attacks.h"

#include "cove.h"

enum attack_result attack_evidence_by_hypervisor(struct attack_run *run)
{
	static const unsigned fids[] = { COVG_GET_ATTCAPS, COVG_EXTEND_MEASUREMENT, COVG_GET_EVIDENCE,
					 COVG_RETRIEVE_SECRET, COVG_READ_MEASUREMENT };
	struct victim v;
	if (!victim_with_secret(run, &v, 0xE7, CVM_SECRET | 0xE7))
		return AR_ERROR;
	uint64_t buf = vm_pool_alloc(PAGE_SIZE, PAGE_SIZE);
	if (!buf)
		return AR_ERROR;
	unsigned answered = 0;
	for (unsigned i = 0; i < sizeof(fids) / sizeof(fids[0]); i++) {
		for (uint64_t off = 0; off < PAGE_SIZE; off += 8)
			phys64_set(buf + off, 0);
		/* the victim's id wherever an implementation might look for one */
		struct sbiret r = hv_ecall(0, SBI_EXT_COVG, fids[i], buf, PAGE_SIZE, v.id, buf, PAGE_SIZE, v.id);
		bool written = false;
		for (uint64_t off = 0; off < PAGE_SIZE && !written; off += 8)
			written = phys64(buf + off) != 0;
		if (r.error == 0 || r.value != 0 || written) {
			answered++;
			attack_note(run, "FID %u answered (error %ld, value 0x%llx, buffer %s)", fids[i], r.error,
				    (unsigned long long)r.value, written ? "written" : "untouched");
		}
	}
	if (!answered)
		attack_note(run, "all %zu COVG attestation functions refused the hypervisor, buffer untouched",
			    sizeof(fids) / sizeof(fids[0]));
	return answered ? AR_SUCCEEDED : AR_BLOCKED;
}
