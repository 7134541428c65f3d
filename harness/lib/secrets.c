/* The monitor's secrets, derived independently (secrets.h). */
#include "secrets.h"

#include <string.h>

#include "attest.h"
#include "crypto.h"
#include "model_test.h"

#define NR_SECRETS 4
#define SECRET_BYTES 32
static uint8_t secret[NR_SECRETS][SECRET_BYTES];
static const char *const secret_name[NR_SECRETS] = {
	"the endorsement seed", "the platform key seed", "the CDI", "the attestation key seed",
};
static unsigned nr_secrets;

/*
 * Comparisons here are plain integer compares in code the fuzzer does not instrument:
 * libFuzzer intercepts memcmp and memmem and feeds their operands back as dictionary
 * entries, which would teach the hypervisor the very secrets it must never see, and it
 * would then "leak" them by writing them itself.
 */
static uint64_t word_at(const uint8_t *p)
{
	uint64_t v;
	memcpy(&v, p, sizeof(v));
	return v;
}

/* Every 8-byte window of every secret, in an open-addressing table. */
#define WINDOWS (SECRET_BYTES - 7)
#define TABLE_SLOTS 512
static struct {
	uint64_t value;
	int8_t secret; /* -1: empty slot */
} table[TABLE_SLOTS];

static unsigned slot_of(uint64_t v)
{
	return (unsigned)((v * 0x9e3779b97f4a7c15ULL) >> 55); /* 9 bits */
}

static void index_windows(void)
{
	for (unsigned i = 0; i < TABLE_SLOTS; i++)
		table[i].secret = -1;
	for (unsigned s = 0; s < nr_secrets; s++)
		for (unsigned off = 0; off < WINDOWS; off++) {
			uint64_t v = word_at(secret[s] + off);
			unsigned i = slot_of(v);
			while (table[i].secret >= 0 && table[i].value != v)
				i = (i + 1) % TABLE_SLOTS;
			table[i].value = v;
			table[i].secret = (int8_t)s;
		}
}

const char *secrets_in_words(const uint64_t *w, size_t n)
{
	for (size_t k = 0; k < n; k++)
		for (unsigned i = slot_of(w[k]); table[i].secret >= 0; i = (i + 1) % TABLE_SLOTS)
			if (table[i].value == w[k])
				return secret_name[table[i].secret];
	return NULL;
}

void secrets_init(void)
{
	uint8_t seed[ATTEST_SEED_SIZE], mac[SHA512_DIGEST_SIZE], cdi[SHA512_DIGEST_SIZE];
	struct hmac_ctx h;
	model_test_seed(seed);
	memcpy(secret[0], seed, SECRET_BYTES);
	hmac_sha512(seed, sizeof(seed), ATTEST_LABEL_PLATFORM, sizeof(ATTEST_LABEL_PLATFORM) - 1, mac);
	memcpy(secret[1], mac, SECRET_BYTES);
	hmac_sha512_init(&h, seed, sizeof(seed));
	hmac_update(&h, ATTEST_LABEL_CDI, sizeof(ATTEST_LABEL_CDI) - 1);
	hmac_update(&h, attest_monitor_measurement(), ATTEST_MR_SIZE);
	hmac_final(&h, cdi);
	memcpy(secret[2], cdi, SECRET_BYTES);
	hmac_sha512(cdi, sizeof(cdi), ATTEST_LABEL_ATTEST, sizeof(ATTEST_LABEL_ATTEST) - 1, mac);
	memcpy(secret[3], mac, SECRET_BYTES);
	/* a machine booted without a seed has no keys to lose */
	nr_secrets = attest_provisioned() ? NR_SECRETS : 0;
	index_windows();
}

const char *secrets_in_bytes(const uint8_t *buf, size_t len)
{
	for (size_t i = 0; i + 8 <= len; i++) {
		uint64_t v = word_at(buf + i);
		for (unsigned s = 0; s < nr_secrets; s++)
			if (v == word_at(secret[s]))
				return secret_name[s];
	}
	return NULL;
}

const char *secrets_in_word(uint64_t v)
{
	for (unsigned s = 0; s < nr_secrets; s++)
		for (unsigned w = 0; w < SECRET_BYTES / 8; w++)
			if (v == word_at(secret[s] + 8 * w))
				return secret_name[s];
	return NULL;
}
