/*
 * Attestation evidence is the CVM's to ask for (COVG), never the hypervisor's, and it
 * is worth something only for the session whose challenge it carries. Both attacks are
 * judged as a relying party would: by tools/attest-verify's check (libsodium), given
 * the platform key the model's test seed endorses. Each run first shows that the judge
 * can say yes: the victim's own evidence, for its own challenge, must verify, or the
 * run is an error rather than a block.
 */
#include "host_attacks.h"

#include <string.h>

#include "attest.h"
#include "cove.h"
#include "evidence.h"
#include "hart.h"
#include "model_test.h"

#define CHALLENGE_GPA (VM_GPA_BASE + 2 * PAGE_SIZE) /* the victim's own pages */
#define EVIDENCE_GPA (VM_GPA_BASE + 3 * PAGE_SIZE)

static const uint8_t *trusted_platform_key(void)
{
	static uint8_t pk[32];
	uint8_t seed[ATTEST_SEED_SIZE];
	model_test_seed(seed);
	evidence_platform_key(pk, seed);
	return pk;
}

/* Does a relying party that sent `challenge` accept `ev`? *why says why not. */
static bool relying_party_accepts(const uint8_t ev[EVID_SIZE], const uint8_t challenge[EVID_CHALLENGE_SIZE],
				  const char **why)
{
	struct evidence_expect x = { .platform_key = trusted_platform_key(), .challenge = challenge };
	*why = "accepted";
	return evidence_verify(ev, EVID_SIZE, &x, why);
}

static void make_challenge(uint8_t c[EVID_CHALLENGE_SIZE], uint8_t session)
{
	for (unsigned i = 0; i < EVID_CHALLENGE_SIZE; i++)
		c[i] = (uint8_t)(session * 0x1f + i * 7 + 3);
}

/* The victim, running on hart 0, asks the monitor for evidence over `challenge` with
 * its own loads, stores and COVG call, and hands the result over. */
static bool victim_evidence(struct attack_run *run, const struct victim *v,
			    const uint8_t challenge[EVID_CHALLENGE_SIZE], uint8_t ev[EVID_SIZE])
{
	if (!victim_enter(run, 0, v, 0, 0, 0, 0))
		return false;
	for (unsigned off = 0; off < EVID_CHALLENGE_SIZE; off += 8) {
		uint64_t w;
		memcpy(&w, challenge + off, 8);
		if (!dom_store64(0, CHALLENGE_GPA + off, w)) {
			attack_note(run, "the victim could not write its challenge");
			return false;
		}
	}
	cvm_ecall(0, SBI_EXT_COVG, COVG_GET_EVIDENCE, 0, 0, CHALLENGE_GPA, ATTEST_FORMAT_CSEV1,
		  EVIDENCE_GPA, PAGE_SIZE);
	long err = (long)model_hart(0)->x[REG_A0];
	if (!hart_in_guest(0) || err != 0) {
		attack_note(run, "the victim's own get_evidence failed (error %ld)", err);
		return false;
	}
	for (unsigned off = 0; off < EVID_SIZE; off += 8) {
		uint64_t w;
		if (!dom_load64(0, EVIDENCE_GPA + off, &w)) {
			attack_note(run, "the victim could not read its evidence");
			return false;
		}
		memcpy(ev + off, &w, 8);
	}
	if (!cvm_yield(0, 0)) {
		attack_note(run, "the victim's hypercall did not reach the hypervisor");
		return false;
	}
	return true;
}

/* The victim's genuine evidence, checked to verify for its own challenge. */
static bool genuine_evidence(struct attack_run *run, struct victim *v, uint8_t seed,
			     const uint8_t challenge[EVID_CHALLENGE_SIZE], uint8_t ev[EVID_SIZE])
{
	const char *why;
	if (!victim_with_secret(run, v, seed, CVM_SECRET | seed) || !victim_evidence(run, v, challenge, ev))
		return false;
	if (!relying_party_accepts(ev, challenge, &why)) {
		attack_note(run, "control failed: the victim's own evidence was refused (%s)", why);
		return false;
	}
	return true;
}

enum attack_result attack_evidence_by_hypervisor(struct attack_run *run)
{
	static const unsigned fids[] = { COVG_GET_ATTCAPS, COVG_EXTEND_MEASUREMENT, COVG_GET_EVIDENCE,
					 COVG_RETRIEVE_SECRET, COVG_READ_MEASUREMENT };
	uint8_t challenge[EVID_CHALLENGE_SIZE], ev[EVID_SIZE];
	struct victim v;
	make_challenge(challenge, 1);
	if (!genuine_evidence(run, &v, 0xE7, challenge, ev))
		return AR_ERROR;
	attack_note(run, "control: the victim's own evidence verifies");

	/* the attacker's session: a challenge of its choosing, in its own memory */
	make_challenge(challenge, 2);
	uint64_t buf = vm_pool_alloc(2 * PAGE_SIZE, PAGE_SIZE);
	if (!buf)
		return AR_ERROR;
	uint64_t out = buf + PAGE_SIZE;
	unsigned answered = 0, verified = 0;
	for (unsigned i = 0; i < sizeof(fids) / sizeof(fids[0]); i++) {
		for (uint64_t off = 0; off < 2 * PAGE_SIZE; off += 8)
			phys64_set(buf + off, 0);
		if (!model_phys_write(buf, challenge, sizeof(challenge)))
			return AR_ERROR;
		/* get_evidence's arguments, with the victim's id wherever an implementation
		 * might look for one */
		struct sbiret r = hv_ecall(0, SBI_EXT_COVG, fids[i], v.id, 0, buf, ATTEST_FORMAT_CSEV1, out,
					   PAGE_SIZE);
		uint8_t got[EVID_SIZE];
		if (!model_phys_read(out, got, sizeof(got)))
			return AR_ERROR;
		bool written = false;
		for (size_t k = 0; k < sizeof(got) && !written; k++)
			written = got[k] != 0;
		const char *why = "nothing written";
		bool ok = written && relying_party_accepts(got, challenge, &why);
		verified += ok;
		if (r.error == 0 || r.value != 0 || written) {
			answered++;
			attack_note(run, "FID %u answered (error %ld, value 0x%llx, buffer %s: %s)", fids[i],
				    r.error, (unsigned long long)r.value, written ? "written" : "untouched", why);
		}
	}
	if (!answered)
		attack_note(run, "all %zu COVG attestation functions refused the hypervisor, buffers untouched",
			    sizeof(fids) / sizeof(fids[0]));
	/* anything answered is a way into the victim's attestation state: not blocked */
	return answered || verified ? AR_SUCCEEDED : AR_BLOCKED;
}

/*
 * The challenge swapped under the victim. A relying party's challenge reaches a CVM
 * through the hypervisor's network, into a page the CVM shares; a CVM that asks for
 * evidence straight from that buffer lets the hypervisor write its own session's
 * challenge there first, and the evidence the victim hands back is good for that
 * session. The monitor reads challenges only from the CVM's private pages.
 */
static bool relayed_through_shared_page(struct attack_run *run, const struct victim *v,
					const uint8_t session_a[EVID_CHALLENGE_SIZE],
					const uint8_t session_b[EVID_CHALLENGE_SIZE], bool *accepted)
{
	*accepted = false;
	uint64_t page = vm_pool_alloc(PAGE_SIZE, PAGE_SIZE);
	if (!page || !victim_enter(run, 0, v, 0, 0, 0, 0))
		return false;
	cvm_ecall(0, SBI_EXT_COVG, COVG_SHARE_MEMORY_REGION, SHARE_GPA, PAGE_SIZE, 0, 0, 0, 0);
	if (hart_in_guest(0) || hv_exit_reason(0) != TVM_EXIT_SHARE ||
	    !victim_enter(run, 0, v, 0, page, 0, 0) || model_hart(0)->x[REG_A0] != 0) {
		attack_note(run, "the victim could not share a page");
		return false;
	}
	/* session A's challenge arrives in the shared page; the victim's next exit is the
	 * hypervisor's chance to put session B's there */
	if (!model_phys_write(page, session_a, EVID_CHALLENGE_SIZE) || !cvm_yield(0, 0) ||
	    !model_phys_write(page, session_b, EVID_CHALLENGE_SIZE) || !victim_enter(run, 0, v, 0, 0, 0, 0))
		return false;
	cvm_ecall(0, SBI_EXT_COVG, COVG_GET_EVIDENCE, 0, 0, SHARE_GPA, ATTEST_FORMAT_CSEV1, EVIDENCE_GPA,
		  PAGE_SIZE);
	long err = (long)model_hart(0)->x[REG_A0];
	if (!hart_in_guest(0))
		return false;
	if (err != 0) {
		attack_note(run, "get_evidence over the shared page was refused (error %ld)", err);
		return cvm_yield(0, 0);
	}
	uint8_t ev[EVID_SIZE];
	for (unsigned off = 0; off < EVID_SIZE; off += 8) {
		uint64_t w;
		if (!dom_load64(0, EVIDENCE_GPA + off, &w))
			return false;
		memcpy(ev + off, &w, 8);
	}
	const char *why;
	*accepted = relying_party_accepts(ev, session_b, &why);
	attack_note(run, "get_evidence read the shared page: the evidence the victim hands out, for session B: %s",
		    why);
	return cvm_yield(0, 0);
}

enum attack_result attack_evidence_replay(struct attack_run *run)
{
	uint8_t session_a[EVID_CHALLENGE_SIZE], session_b[EVID_CHALLENGE_SIZE], ev[EVID_SIZE];
	struct victim v;
	make_challenge(session_a, 1);
	make_challenge(session_b, 2);
	if (!genuine_evidence(run, &v, 0xE8, session_a, ev))
		return AR_ERROR;
	attack_note(run, "control: the evidence verifies for the session it was issued for");

	/* replayed as it is, then with session B's challenge written over A's */
	const char *why_as_is, *why_edited;
	bool as_is = relying_party_accepts(ev, session_b, &why_as_is);
	uint8_t edited[EVID_SIZE];
	memcpy(edited, ev, sizeof(edited));
	memcpy(edited + EVID_OFF_CHALLENGE, session_b, EVID_CHALLENGE_SIZE);
	bool rewritten = relying_party_accepts(edited, session_b, &why_edited);
	attack_note(run, "replayed for session B as issued: %s; with B's challenge written in: %s",
		    why_as_is, why_edited);
	bool relayed;
	if (!relayed_through_shared_page(run, &v, session_a, session_b, &relayed))
		return AR_ERROR;
	return as_is || rewritten || relayed ? AR_SUCCEEDED : AR_BLOCKED;
}
