/* Checking CSEV1 evidence (docs/abi.md, "Attestation") with libsodium. */
#ifndef ATTEST_VERIFY_EVIDENCE_H
#define ATTEST_VERIFY_EVIDENCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "attest.h"

/* What the relying party expects; NULL fields are not checked. */
struct evidence_expect {
	const uint8_t *platform_key;                  /* required: the root of trust */
	const uint8_t *challenge;                     /* required: EVID_CHALLENGE_SIZE bytes */
	const uint8_t *monitor_mr;                    /* SHA-384 of the monitor image */
	const uint8_t *mr[ATTEST_MR_COUNT];           /* per register */
	const uint8_t *tvm_key;                       /* EVID_TVM_KEY_MAX bytes */
};

/* True if the evidence is genuine and matches; otherwise *why says what failed first. */
bool evidence_verify(const uint8_t *ev, size_t len, const struct evidence_expect *x, const char **why);

/* The platform public key a monitor derives from this endorsement seed. */
void evidence_platform_key(uint8_t pk[32], const uint8_t seed[ATTEST_SEED_SIZE]);

#endif
