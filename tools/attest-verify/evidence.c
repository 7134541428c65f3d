/*
 * Verification of CSEV1 evidence. Written against docs/abi.md, with libsodium for every
 * cryptographic check, so that it does not share code with the monitor it judges.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evidence.h"

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static bool fail(const char **why, const char *msg)
{
	if (why)
		*why = msg;
	return false;
}

static bool all_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

bool evidence_verify(const uint8_t *ev, size_t len, const struct evidence_expect *x, const char **why)
{
	if (sodium_init() < 0)
		return fail(why, "libsodium did not initialise");
	if (!x->platform_key || !x->challenge)
		return fail(why, "no platform key or challenge to check against");
	if (len != EVID_SIZE || le32(ev + EVID_OFF_SIZE) != EVID_SIZE)
		return fail(why, "wrong size");
	if (memcmp(ev + EVID_OFF_MAGIC, EVID_MAGIC, 8) || le32(ev + EVID_OFF_FORMAT) != ATTEST_FORMAT_CSEV1 ||
	    memcmp(ev + EVID_OFF_PLAT_MAGIC, EVID_PLATFORM_MAGIC, 8) ||
	    memcmp(ev + EVID_OFF_TOKEN_MAGIC, EVID_TOKEN_MAGIC, 8))
		return fail(why, "not CSEV1 evidence");
	if (sodium_memcmp(ev + EVID_OFF_PLATFORM_KEY, x->platform_key, 32) != 0)
		return fail(why, "signed for another platform key");
	if (crypto_sign_ed25519_verify_detached(ev + EVID_OFF_PLATFORM_SIG, ev + EVID_OFF_PLATFORM,
						EVID_OFF_PLATFORM_SIG - EVID_OFF_PLATFORM,
						ev + EVID_OFF_PLATFORM_KEY) != 0)
		return fail(why, "platform signature over the attestation key is invalid");
	if (crypto_sign_ed25519_verify_detached(ev + EVID_OFF_SIGNATURE, ev, EVID_OFF_SIGNATURE,
						ev + EVID_OFF_ATTEST_KEY) != 0)
		return fail(why, "attestation signature is invalid");
	if (le32(ev + EVID_OFF_HASH_ALG) != ATTEST_HASH_SHA384 || le32(ev + EVID_OFF_MR_COUNT) != ATTEST_MR_COUNT)
		return fail(why, "unexpected hash algorithm or register count");
	const uint8_t *mrs = ev + EVID_OFF_MRS;
	if (memcmp(mrs + ATTEST_MR_TSM * ATTEST_MR_SIZE, ev + EVID_OFF_MONITOR_MR, ATTEST_MR_SIZE))
		return fail(why, "MR2 disagrees with the endorsed monitor measurement");
	if (sodium_memcmp(ev + EVID_OFF_CHALLENGE, x->challenge, EVID_CHALLENGE_SIZE) != 0)
		return fail(why, "challenge does not match");
	if (x->monitor_mr && memcmp(ev + EVID_OFF_MONITOR_MR, x->monitor_mr, ATTEST_MR_SIZE))
		return fail(why, "monitor measurement does not match");
	for (unsigned i = 0; i < ATTEST_MR_COUNT; i++)
		if (x->mr[i] && memcmp(mrs + i * ATTEST_MR_SIZE, x->mr[i], ATTEST_MR_SIZE)) {
			static char msg[48];
			snprintf(msg, sizeof(msg), "measurement register %u does not match", i);
			return fail(why, msg);
		}
	uint32_t key_len = le32(ev + EVID_OFF_TVM_KEY_LEN);
	if ((key_len != 0 && key_len != EVID_TVM_KEY_MAX) || le32(ev + EVID_OFF_RESERVED) != 0 ||
	    (key_len == 0 && !all_zero(ev + EVID_OFF_TVM_KEY, EVID_TVM_KEY_MAX)))
		return fail(why, "malformed CVM key field");
	if (x->tvm_key && (key_len != EVID_TVM_KEY_MAX || memcmp(ev + EVID_OFF_TVM_KEY, x->tvm_key, key_len)))
		return fail(why, "CVM public key does not match");
	if (why)
		*why = "ok";
	return true;
}

void evidence_platform_key(uint8_t pk[32], const uint8_t seed[ATTEST_SEED_SIZE])
{
	uint8_t mac[crypto_auth_hmacsha512_BYTES], sk[crypto_sign_SECRETKEYBYTES];
	crypto_auth_hmacsha512_state st;
	if (sodium_init() < 0)
		abort();
	crypto_auth_hmacsha512_init(&st, seed, ATTEST_SEED_SIZE);
	crypto_auth_hmacsha512_update(&st, (const uint8_t *)ATTEST_LABEL_PLATFORM, strlen(ATTEST_LABEL_PLATFORM));
	crypto_auth_hmacsha512_final(&st, mac);
	crypto_sign_seed_keypair(pk, sk, mac); /* the first 32 bytes are the Ed25519 seed */
	sodium_memzero(mac, sizeof(mac));
	sodium_memzero(sk, sizeof(sk));
}
