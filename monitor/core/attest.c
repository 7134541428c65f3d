/*
 * Keys derived at boot, and the COVG attestation calls (get_attcaps, extend_measurement,
 * get_evidence, read_measurement). Layouts and the derivation are in docs/abi.md.
 *
 * Every address comes from the CVM: a buffer must start on a page boundary (as the CoVE
 * spec asks), fit in that page, be mapped in the CVM's own tables with the access the
 * call needs, and be backed by a confidential page the CVM owns, so the monitor never
 * reads or writes hypervisor memory (a shared page) on a CVM's behalf. Inputs are
 * copied once before they are used, since other vCPUs of the CVM may be changing them.
 */
#include <string.h>

#include "attest.h"
#include "cove.h"
#include "cvm_ext.h"
#include "cvm_ops.h"
#include "defence.h"
#include "gstage.h"
#include "monitor.h"
#include "mt.h"
#include "platform.h"
#include "sbi.h"
#include "sbi_ext.h"

/* Fixed after boot. The endorsement seed itself is never kept. */
static struct {
	bool provisioned;
	uint8_t monitor_mr[ATTEST_MR_SIZE];
	uint8_t attest_seed[ED25519_SEED_SIZE]; /* secret: the attestation key */
	/* the platform block of every evidence, platform signature included */
	uint8_t platform_block[EVID_OFF_TOKEN - EVID_OFF_PLATFORM];
} keys;

static uint8_t evidence[EVID_SIZE]; /* built under the monitor lock */

static void put_le32(uint8_t *p, uint32_t v)
{
	for (unsigned i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static bool all_zero(const uint8_t *p, size_t len)
{
	uint8_t acc = 0;
	for (size_t i = 0; i < len; i++)
		acc |= p[i];
	return acc == 0;
}

bool attest_boot(const void *image, size_t image_len, const uint8_t seed[ATTEST_SEED_SIZE])
{
	crypto_wipe(&keys, sizeof(keys));
	sha384(image, image_len, keys.monitor_mr);
	if (all_zero(seed, ATTEST_SEED_SIZE))
		return false; /* not provisioned: measurements only, no evidence */

	uint8_t mac[SHA512_DIGEST_SIZE], cdi[SHA512_DIGEST_SIZE], platform_seed[ED25519_SEED_SIZE];
	uint8_t platform_pk[ED25519_PUBLIC_KEY_SIZE], attest_pk[ED25519_PUBLIC_KEY_SIZE];
	struct hmac_ctx h;

	/* the platform key depends on the seed alone: the verifier's root of trust */
	hmac_sha512(seed, ATTEST_SEED_SIZE, ATTEST_LABEL_PLATFORM, sizeof(ATTEST_LABEL_PLATFORM) - 1, mac);
	memcpy(platform_seed, mac, sizeof(platform_seed));
	ed25519_public_key(platform_pk, platform_seed);

	/* the CDI binds the seed to this monitor image: another image gets other keys */
	hmac_sha512_init(&h, seed, ATTEST_SEED_SIZE);
	hmac_update(&h, ATTEST_LABEL_CDI, sizeof(ATTEST_LABEL_CDI) - 1);
	hmac_update(&h, keys.monitor_mr, sizeof(keys.monitor_mr));
	hmac_final(&h, cdi);
	hmac_sha512(cdi, sizeof(cdi), ATTEST_LABEL_ATTEST, sizeof(ATTEST_LABEL_ATTEST) - 1, mac);
	memcpy(keys.attest_seed, mac, sizeof(keys.attest_seed));
	ed25519_public_key(attest_pk, keys.attest_seed);

	/* the platform key endorses (monitor measurement, attestation key), then is gone */
	uint8_t *pb = keys.platform_block;
	memcpy(pb, EVID_PLATFORM_MAGIC, 8); /* NOLINT(bugprone-not-null-terminated-result): a tag, not a string */
	memcpy(pb + EVID_OFF_PLATFORM_KEY - EVID_OFF_PLATFORM, platform_pk, sizeof(platform_pk));
	memcpy(pb + EVID_OFF_MONITOR_MR - EVID_OFF_PLATFORM, keys.monitor_mr, ATTEST_MR_SIZE);
	memcpy(pb + EVID_OFF_ATTEST_KEY - EVID_OFF_PLATFORM, attest_pk, sizeof(attest_pk));
	ed25519_sign(pb + EVID_OFF_PLATFORM_SIG - EVID_OFF_PLATFORM, pb,
		     EVID_OFF_PLATFORM_SIG - EVID_OFF_PLATFORM, platform_seed, platform_pk);

	crypto_wipe(mac, sizeof(mac));
	crypto_wipe(cdi, sizeof(cdi));
	crypto_wipe(platform_seed, sizeof(platform_seed));
	crypto_wipe(&h, sizeof(h));
	keys.provisioned = true;
	return true;
}

bool attest_provisioned(void)
{
	return keys.provisioned;
}

const uint8_t *attest_monitor_measurement(void)
{
	return keys.monitor_mr;
}

const uint8_t *attest_platform_key(void)
{
	return keys.provisioned ? keys.platform_block + EVID_OFF_PLATFORM_KEY - EVID_OFF_PLATFORM : NULL;
}

/* The CVM's own confidential bytes behind [gpa, gpa+len), or NULL (see the top). */
static void *guest_buffer(const struct cvm *c, unsigned idx, gpaddr_t gpa, uint64_t len, bool write)
{
	uint64_t perms = 0;
	if (!IS_ALIGNED(gpa, PAGE_SIZE) || len == 0 || len > PAGE_SIZE || gpa >> SV39X4_GPA_BITS_CVM)
		return NULL;
	paddr_t pa = gstage_lookup(c->root, gpa, &perms);
	if (!pa || !(perms & PTE_R) || (write && !(perms & PTE_W)))
		return NULL;
	if ((!mem_is_confidential(pa, PAGE_SIZE) || mt_owner_of(&sm.mt, pa) != MT_CVM(idx)) &&
	    DEFENCE(D_ATTEST_BUFFERS_PRIVATE))
		return NULL;
	return phys_ptr(pa, len);
}

static long get_attcaps(const struct cvm *c, unsigned idx, gpaddr_t gpa, uint64_t size, ureg_t *val)
{
	if (size < sizeof(struct attest_caps))
		return SBI_ERR_INVALID_PARAM;
	void *out = guest_buffer(c, idx, gpa, sizeof(struct attest_caps), true);
	if (!out)
		return SBI_ERR_INVALID_ADDRESS;
	struct attest_caps caps = {
		.tcb_svn = 1,
		.hash_algorithm = ATTEST_HASH_SHA384,
		.certificate_formats = keys.provisioned ? ATTEST_FORMAT_CSEV1 : 0,
		.initial_measurements = ATTEST_MR_INITIAL,
		.runtime_measurements = ATTEST_MR_RUNTIME,
	};
	for (unsigned i = 0; i < ATTEST_MR_COUNT; i++)
		caps.msmt_regs[i] = (struct attest_mr_desc){
			.hash_algorithm = ATTEST_HASH_SHA384,
			.measurement_type = i < ATTEST_MR_INITIAL ? ATTEST_MR_TYPE_INITIAL : ATTEST_MR_TYPE_RUNTIME,
			.tcg_pcr_index = ATTEST_TCG_PCR_UNMAPPED,
		};
	memcpy(out, &caps, sizeof(caps));
	*val = sizeof(caps);
	return SBI_SUCCESS;
}

static long read_measurement(const struct cvm *c, unsigned idx, gpaddr_t gpa, uint64_t size,
			     ureg_t index, ureg_t *val)
{
	if (size < ATTEST_MR_SIZE || index >= ATTEST_MR_COUNT)
		return SBI_ERR_INVALID_PARAM;
	void *out = guest_buffer(c, idx, gpa, ATTEST_MR_SIZE, true);
	if (!out)
		return SBI_ERR_INVALID_ADDRESS;
	memcpy(out, c->mr[index], ATTEST_MR_SIZE);
	*val = ATTEST_MR_SIZE;
	return SBI_SUCCESS;
}

/* MR[index] = SHA-384(MR[index] || digest), for runtime registers only */
static long extend_measurement(struct cvm *c, unsigned idx, gpaddr_t gpa, uint64_t len, ureg_t index)
{
	if (len != ATTEST_MR_SIZE || index < ATTEST_MR_RUNTIME_FIRST || index >= ATTEST_MR_COUNT)
		return SBI_ERR_INVALID_PARAM;
	const void *in = guest_buffer(c, idx, gpa, ATTEST_MR_SIZE, false);
	if (!in)
		return SBI_ERR_INVALID_ADDRESS;
	uint8_t digest[ATTEST_MR_SIZE];
	memcpy(digest, in, sizeof(digest));
	struct sha512_ctx h;
	sha384_init(&h);
	sha512_update(&h, c->mr[index], ATTEST_MR_SIZE);
	sha512_update(&h, digest, sizeof(digest));
	sha512_final(&h, c->mr[index]);
	return SBI_SUCCESS;
}

/* Builds CVM c's evidence over a copied challenge (and TVM key) into `evidence`, signed. */
static void build_evidence(const struct cvm *c, const void *challenge, const void *tvm_key, uint32_t key_len)
{
	memset(evidence, 0, sizeof(evidence));
	memcpy(evidence + EVID_OFF_MAGIC, EVID_MAGIC, 8);
	put_le32(evidence + EVID_OFF_SIZE, EVID_SIZE);
	put_le32(evidence + EVID_OFF_FORMAT, ATTEST_FORMAT_CSEV1);
	memcpy(evidence + EVID_OFF_PLATFORM, keys.platform_block, sizeof(keys.platform_block));
	memcpy(evidence + EVID_OFF_TOKEN_MAGIC, EVID_TOKEN_MAGIC, 8);
	put_le32(evidence + EVID_OFF_HASH_ALG, ATTEST_HASH_SHA384);
	put_le32(evidence + EVID_OFF_MR_COUNT, ATTEST_MR_COUNT);
	memcpy(evidence + EVID_OFF_MRS, c->mr, sizeof(c->mr));
	memcpy(evidence + EVID_OFF_CHALLENGE, challenge, EVID_CHALLENGE_SIZE);
	put_le32(evidence + EVID_OFF_TVM_KEY_LEN, key_len);
	if (tvm_key)
		memcpy(evidence + EVID_OFF_TVM_KEY, tvm_key, key_len);
	ed25519_sign(evidence + EVID_OFF_SIGNATURE, evidence, EVID_OFF_SIGNATURE, keys.attest_seed,
		     keys.platform_block + EVID_OFF_ATTEST_KEY - EVID_OFF_PLATFORM);
}

/* a0 pub_key_addr, a1 pub_key_size, a2 challenge_addr, a3 cert_format, a4 cert_addr, a5 cert_size */
static long get_evidence(const struct cvm *c, unsigned idx, const ureg_t *a, ureg_t *val)
{
	if (!keys.provisioned)
		return SBI_ERR_NOT_SUPPORTED;
	if (a[3] != ATTEST_FORMAT_CSEV1 || (a[1] != 0 && a[1] != EVID_TVM_KEY_MAX) || a[5] < EVID_SIZE)
		return SBI_ERR_INVALID_PARAM;
	const void *challenge = guest_buffer(c, idx, a[2], EVID_CHALLENGE_SIZE, false);
	const void *tvm_key = a[1] ? guest_buffer(c, idx, a[0], a[1], false) : NULL;
	void *out = guest_buffer(c, idx, a[4], EVID_SIZE, true);
	if (!challenge || (a[1] && !tvm_key) || !out)
		return SBI_ERR_INVALID_ADDRESS;
	build_evidence(c, challenge, tvm_key, (uint32_t)a[1]);
	memcpy(out, evidence, EVID_SIZE);
	*val = EVID_SIZE;
	return SBI_SUCCESS;
}

/* The COVG attestation calls (covg.c's table): a0.. as the CVM passed them. */
enum call_end covg_get_attcaps(struct cvm_call *call)
{
	call->error = get_attcaps(call->cvm, call->idx, call->a[0], call->a[1], &call->value);
	return CALL_RETURNS;
}

enum call_end covg_extend_measurement(struct cvm_call *call)
{
	call->error = extend_measurement(call->cvm, call->idx, call->a[0], call->a[1], call->a[2]);
	return CALL_RETURNS;
}

enum call_end covg_get_evidence(struct cvm_call *call)
{
	call->error = get_evidence(call->cvm, call->idx, call->a, &call->value);
	return CALL_RETURNS;
}

enum call_end covg_read_measurement(struct cvm_call *call)
{
	call->error = read_measurement(call->cvm, call->idx, call->a[0], call->a[1], call->a[2],
				       &call->value);
	return CALL_RETURNS;
}

#ifdef MONITOR_FAULT_INJECTION
/*
 * Test builds only: the flaw the evidence-by-hypervisor attack looks for, a host-side
 * "attestation proxy" that hands the hypervisor evidence in the name of the TVM it
 * names (a0) over a challenge it picks (a2; a3 format, a4 output, a5 size, buffers in
 * hypervisor memory). With D_ATTEST_ONLY_FROM_CVM on it is invisible: probe says no and
 * every call gets NOT_SUPPORTED, as if the extension were absent.
 */
static bool covg_proxy_offered(void)
{
	return !DEFENCE(D_ATTEST_ONLY_FROM_CVM);
}

static enum call_end covg_proxy_handle(struct sbi_call *call)
{
	const ureg_t *a = call->a;
	unsigned idx;
	const struct cvm *c = cvm_lookup(a[0], &idx);
	if (!covg_proxy_offered() || call->fid != COVG_GET_EVIDENCE || !keys.provisioned)
		return CALL_RETURNS; /* call->error stays NOT_SUPPORTED */
	if (!c || a[3] != ATTEST_FORMAT_CSEV1 || a[5] < EVID_SIZE) {
		call->error = SBI_ERR_INVALID_PARAM;
		return CALL_RETURNS;
	}
	if (!mem_is_hypervisor(a[2], EVID_CHALLENGE_SIZE) || !mem_is_hypervisor(a[4], EVID_SIZE)) {
		call->error = SBI_ERR_INVALID_ADDRESS;
		return CALL_RETURNS;
	}
	uint8_t challenge[EVID_CHALLENGE_SIZE];
	memcpy(challenge, phys_ptr(a[2], sizeof(challenge)), sizeof(challenge));
	build_evidence(c, challenge, NULL, 0);
	memcpy(phys_ptr(a[4], EVID_SIZE), evidence, EVID_SIZE);
	call->error = SBI_SUCCESS;
	call->value = EVID_SIZE;
	return CALL_RETURNS;
}

const struct sbi_ext sbi_ext_covg_proxy = {
	.eid_lo = SBI_EXT_COVG,
	.eid_hi = SBI_EXT_COVG,
	.handle = covg_proxy_handle,
	.probe = covg_proxy_offered,
};
#endif
