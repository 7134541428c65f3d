/*
 * End to end on the host library: a CVM obtains evidence and the relying party's check
 * (tools/attest-verify, libsodium) accepts it; replays, other CVMs, other platforms,
 * forgeries and tampering are rejected. Writes the cases to $ATTEST_OUT for the
 * command-line checks in attest-verify-cli.sh.
 */
#include "cmocka_prelude.h"

#include <openssl/evp.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attest.h"
#include "cove.h"
#include "evidence.h"
#include "fixture.h"
#include "gstage.h"
#include "model_test.h"
#include "monitor.h"

#define COVG SBI_EXT_COVG
#define CHALLENGE_GPA (VM_GPA_BASE + 2 * PAGE_SIZE)
#define OUT_GPA (VM_GPA_BASE + 3 * PAGE_SIZE)

static uint64_t promote_and_run(uint64_t seed, int poke)
{
	struct vm_image img;
	assert_true(vm_build(&img, 6, 1, seed));
	if (poke >= 0) {
		uint8_t b = 0x42;
		assert_true(model_phys_write(img.hpa_first + (uint64_t)poke * PAGE_SIZE + 9, &b, 1));
	}
	struct sbiret r = hv_promote(0, &img);
	assert_int_equal(r.error, 0);
	hv_run(0, r.value, 0, 0, 0, 0);
	assert_true(hart_in_guest(0));
	return r.value;
}

static uint64_t cvm_pa(uint64_t id, uint64_t gpa)
{
	return gstage_lookup(sm.cvms[id - 1].root, gpa, NULL);
}

/* The CVM now on hart 0 asks for evidence over `challenge`. */
static void get_evidence(uint64_t id, const uint8_t challenge[64], uint8_t ev[EVID_SIZE])
{
	assert_true(model_phys_write(cvm_pa(id, CHALLENGE_GPA), challenge, 64));
	cvm_ecall(0, COVG, COVG_GET_EVIDENCE, 0, 0, CHALLENGE_GPA, ATTEST_FORMAT_CSEV1, OUT_GPA, 4096);
	assert_int_equal(model_hart(0)->x[REG_A0], 0);
	assert_true(model_phys_read(cvm_pa(id, OUT_GPA), ev, EVID_SIZE));
}

static void platform_key(uint8_t pk[32])
{
	uint8_t seed[32];
	model_test_seed(seed);
	evidence_platform_key(pk, seed);
}

static void monitor_mr(uint8_t out[48])
{
	unsigned n = 48;
	EVP_Digest(model_monitor_image, strlen(model_monitor_image), out, &n, EVP_sha384(), NULL);
}

static bool check(const uint8_t *ev, const uint8_t *pk, const uint8_t *challenge, const uint8_t *mr4)
{
	uint8_t mon[48];
	monitor_mr(mon);
	struct evidence_expect x = { .platform_key = pk, .challenge = challenge, .monitor_mr = mon };
	x.mr[ATTEST_MR_TVM_PAGES] = mr4;
	const char *why = NULL;
	bool ok = evidence_verify(ev, EVID_SIZE, &x, &why);
	if (getenv("ATTEST_VERBOSE"))
		print_message("    verify: %s\n", why);
	return ok;
}

static void write_file(const char *name, const void *data, size_t len)
{
	const char *dir = getenv("ATTEST_OUT");
	if (!dir)
		return;
	char path[512];
	snprintf(path, sizeof(path), "mkdir -p '%s'", dir);
	assert_int_equal(system(path), 0);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	fclose(f);
}

static void evidence_verifies_only_as_issued(void **state)
{
	(void)state;
	uint8_t pk[32], c1[64], c2[64], ev[EVID_SIZE], mr4[48];
	platform_key(pk);
	randombytes_buf(c1, sizeof(c1));
	memcpy(c2, c1, sizeof(c2));
	c2[63] ^= 1;
	uint64_t id = promote_and_run(7, -1);
	memcpy(mr4, sm.cvms[id - 1].mr[ATTEST_MR_TVM_PAGES], 48);
	get_evidence(id, c1, ev);

	assert_true(check(ev, pk, c1, mr4));
	assert_false(check(ev, pk, c2, mr4)); /* replayed for another challenge */

	uint8_t other_pk[32], other_seed[32] = { 9 };
	evidence_platform_key(other_pk, other_seed);
	assert_false(check(ev, other_pk, c1, mr4)); /* another platform */

	uint8_t bad_mr4[48];
	memcpy(bad_mr4, mr4, 48);
	bad_mr4[0] ^= 1;
	assert_false(check(ev, pk, c1, bad_mr4)); /* another expected CVM */

	for (size_t off = 0; off < EVID_SIZE; off += 37) { /* any bit flipped anywhere */
		uint8_t t[EVID_SIZE];
		memcpy(t, ev, sizeof(t));
		t[off] ^= 0x10;
		assert_false(check(t, pk, c1, mr4));
	}

	/* a forgery: the genuine platform block, a token signed with a key of one's own */
	uint8_t forged[EVID_SIZE], fpk[32], fsk[64];
	memcpy(forged, ev, sizeof(forged));
	crypto_sign_ed25519_keypair(fpk, fsk);
	crypto_sign_ed25519_detached(forged + EVID_OFF_SIGNATURE, NULL, forged, EVID_OFF_SIGNATURE, fsk);
	assert_false(check(forged, pk, c1, mr4));

	write_file("evidence.bin", ev, sizeof(ev));
	write_file("challenge.bin", c1, sizeof(c1));
	write_file("other-challenge.bin", c2, sizeof(c2));
	write_file("platform.pub", pk, sizeof(pk));
	write_file("mr4.bin", mr4, sizeof(mr4));
	assert_invariants_hold();
}

/* Another CVM, whose page differed before promote, asks with the victim's challenge. */
static void other_cvm_evidence_fails(void **state)
{
	(void)state;
	uint8_t pk[32], c1[64], ev[EVID_SIZE], victim_mr4[48], own_mr4[48];
	platform_key(pk);
	randombytes_buf(c1, sizeof(c1));
	uint64_t victim = promote_and_run(7, -1);
	memcpy(victim_mr4, sm.cvms[victim - 1].mr[ATTEST_MR_TVM_PAGES], 48);
	cvm_ecall(0, 0x10, 0, 0, 0, 0, 0, 0, 0); /* a forwarded call: back to the hypervisor */
	assert_false(hart_in_guest(0));
	uint64_t other = promote_and_run(7, 1);
	memcpy(own_mr4, sm.cvms[other - 1].mr[ATTEST_MR_TVM_PAGES], 48);
	get_evidence(other, c1, ev);
	assert_true(check(ev, pk, c1, own_mr4));     /* genuine evidence of the other CVM */
	assert_false(check(ev, pk, c1, victim_mr4)); /* but not of the victim */
	write_file("other-cvm-evidence.bin", ev, sizeof(ev));
	assert_invariants_hold();
}

int main(void)
{
	if (sodium_init() < 0)
		return 2;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(evidence_verifies_only_as_issued, fixture_reset),
		cmocka_unit_test_setup(other_cvm_evidence_fails, fixture_reset),
	};
	return cmocka_run_group_tests_name("attest-verify", tests, fixture_group_setup, fixture_group_teardown);
}
