/*
 * Measured boot and attestation on the host library: the seed lock, the measurement
 * registers promote fills, the COVG attestation calls and their hostile-argument checks.
 * Signatures are checked with libsodium in tests/crypto (make attest-test).
 */
#include "cmocka_prelude.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "attest.h"
#include "cove.h"
#include "crypto.h"
#include "csr.h"
#include "fixture.h"
#include "gstage.h"
#include "model_test.h"
#include "monitor.h"
#include "pmp.h"
#include "sbi.h"

#define COVH SBI_EXT_COVH
#define COVG SBI_EXT_COVG
#define NR_PAGES 6
#define CHALLENGE_GPA (VM_GPA_BASE + 2 * PAGE_SIZE)
#define OUT_GPA (VM_GPA_BASE + 3 * PAGE_SIZE)
#define KEY_GPA (VM_GPA_BASE + 4 * PAGE_SIZE)

static struct vm_image img;

/* Promote a VM built from `seed` (page `poke` changed first unless -1); returns its id. */
static uint64_t promote(uint64_t seed, int poke)
{
	assert_true(vm_build(&img, NR_PAGES, 1, seed));
	if (poke >= 0) {
		uint8_t b = 0x42;
		assert_true(model_phys_write(img.hpa_first + (uint64_t)poke * PAGE_SIZE + 100, &b, 1));
	}
	struct sbiret r = hv_promote(0, &img);
	assert_int_equal(r.error, 0);
	return r.value;
}

static void run(uint64_t id)
{
	hv_run(0, id, 0, 0, 0, 0);
	assert_true(hart_in_guest(0));
}

static long covg(uint64_t fid, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
		 uint64_t a5, uint64_t *val)
{
	cvm_ecall(0, COVG, fid, a0, a1, a2, a3, a4, a5);
	assert_true(hart_in_guest(0)); /* answered in the CVM's turn */
	if (val)
		*val = model_hart(0)->x[REG_A1];
	return (long)model_hart(0)->x[REG_A0];
}

static uint64_t cvm_pa(uint64_t id, uint64_t gpa)
{
	paddr_t pa = gstage_lookup(sm.cvms[id - 1].root, gpa, NULL);
	assert_true(pa != 0);
	return pa + (gpa & PAGE_MASK);
}

static void cvm_write(uint64_t id, uint64_t gpa, const void *buf, size_t len)
{
	assert_true(model_phys_write(cvm_pa(id, gpa), buf, len));
}

static void cvm_read(uint64_t id, uint64_t gpa, void *buf, size_t len)
{
	assert_true(model_phys_read(cvm_pa(id, gpa), buf, len));
}

static void put_le64(uint8_t *p, uint64_t v)
{
	for (unsigned i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* MR4 as docs/abi.md defines it, from the hypervisor's pages of the image */
static void expected_mr4(uint8_t out[48])
{
	struct sha512_ctx h;
	sha384_init(&h);
	for (unsigned p = 0; p < NR_PAGES; p++) {
		uint8_t head[16], page[PAGE_SIZE];
		put_le64(head, VM_GPA_BASE + p * PAGE_SIZE);
		put_le64(head + 8, p == NR_PAGES - 1 ? 3 : 7); /* the device tree page is RW */
		assert_true(model_phys_read(img.hpa_first + p * PAGE_SIZE, page, PAGE_SIZE));
		sha512_update(&h, head, sizeof(head));
		sha512_update(&h, page, sizeof(page));
	}
	sha512_final(&h, out);
}

static void hypervisor_cannot_call_attestation(void **state)
{
	(void)state;
	static const uint64_t fids[] = { COVG_GET_ATTCAPS, COVG_EXTEND_MEASUREMENT, COVG_GET_EVIDENCE,
					 COVG_READ_MEASUREMENT, COVG_RETRIEVE_SECRET };
	for (unsigned i = 0; i < ARRAY_SIZE(fids); i++) {
		struct sbiret r = hv_ecall(0, COVG, fids[i], MODEL_HV_ENTRY + 0x100000, 4096, 0,
					   ATTEST_FORMAT_CSEV1, MODEL_HV_ENTRY + 0x200000, 4096);
		assert_int_equal(r.error, SBI_ERR_NOT_SUPPORTED);
	}
	/* get_tsm_info advertises remote attestation: the test seed is provisioned */
	uint64_t info = MODEL_HV_ENTRY + 0x100000;
	struct sbiret r = hv_ecall(0, COVH, COVH_GET_TSM_INFO, info, 48, 0, 0, 0, 0);
	assert_int_equal(r.error, 0);
	struct tsm_info ti;
	assert_true(model_phys_read(info, &ti, sizeof(ti)));
	assert_int_equal(ti.tsm_capabilities, TSM_CAP_PROMOTE_TVM | TSM_CAP_ATTESTATION_REMOTE);
	assert_invariants_hold();
}

static void promote_fills_initial_registers(void **state)
{
	(void)state;
	uint64_t id = promote(7, -1);
	const struct cvm *c = &sm.cvms[id - 1];
	uint8_t want[48], zero[48] = { 0 };
	expected_mr4(want);
	assert_memory_equal(c->mr[ATTEST_MR_TVM_PAGES], want, 48);
	sha384(model_monitor_image, strlen(model_monitor_image), want);
	assert_memory_equal(c->mr[ATTEST_MR_TSM], want, 48);
	/* pc, a0, a1, then the VS CSRs promote took from the calling hart, then the vCPUs */
	const uint64_t config[9] = { img.entry, 0, img.fdt_gpa, model_csr(0, CSR_VSATP),
				     model_csr(0, CSR_VSSTATUS), model_csr(0, CSR_VSTVEC),
				     model_csr(0, CSR_VSSCRATCH), model_csr(0, CSR_VSIE), 1 };
	uint8_t cfg[72];
	for (unsigned i = 0; i < 9; i++)
		put_le64(cfg + 8 * i, config[i]);
	sha384(cfg, sizeof(cfg), want);
	assert_memory_equal(c->mr[ATTEST_MR_TVM_CONFIG], want, 48);
	for (unsigned i = 0; i < ATTEST_MR_COUNT; i++)
		if (i != ATTEST_MR_TSM && i != ATTEST_MR_TVM_PAGES && i != ATTEST_MR_TVM_CONFIG)
			assert_memory_equal(c->mr[i], zero, 48);

	/* the CVM reads the same through read_measurement */
	run(id);
	uint64_t val;
	for (unsigned i = 0; i < ATTEST_MR_COUNT; i++) {
		uint8_t got[48];
		assert_int_equal(covg(COVG_READ_MEASUREMENT, OUT_GPA, 48, i, 0, 0, 0, &val), 0);
		assert_int_equal(val, 48);
		cvm_read(id, OUT_GPA, got, 48);
		assert_memory_equal(got, c->mr[i], 48);
	}
	assert_invariants_hold();
}

static void changed_page_measures_differently(void **state)
{
	(void)state;
	uint64_t a = promote(7, -1), same = promote(7, -1), poked = promote(7, 1), other = promote(8, -1);
	const uint8_t(*ma)[48] = sm.cvms[a - 1].mr;
	assert_memory_equal(ma, sm.cvms[same - 1].mr, sizeof(sm.cvms[0].mr)); /* deterministic */
	assert_memory_not_equal(ma[ATTEST_MR_TVM_PAGES], sm.cvms[poked - 1].mr[ATTEST_MR_TVM_PAGES], 48);
	assert_memory_not_equal(ma[ATTEST_MR_TVM_PAGES], sm.cvms[other - 1].mr[ATTEST_MR_TVM_PAGES], 48);
	/* a change after promote reaches only the copy the hypervisor no longer owns */
	assert_memory_equal(ma[ATTEST_MR_TVM_CONFIG], sm.cvms[poked - 1].mr[ATTEST_MR_TVM_CONFIG], 48);
}

static void extend_changes_only_the_runtime_register(void **state)
{
	(void)state;
	uint64_t id = promote(7, -1);
	run(id);
	uint8_t before[ATTEST_MR_COUNT][48], digest[48], want[48];
	memcpy(before, sm.cvms[id - 1].mr, sizeof(before));
	for (unsigned i = 0; i < 48; i++)
		digest[i] = (uint8_t)(i * 3 + 1);
	cvm_write(id, CHALLENGE_GPA, digest, 48);
	assert_int_equal(covg(COVG_EXTEND_MEASUREMENT, CHALLENGE_GPA, 48, 7, 0, 0, 0, NULL), 0);
	struct sha512_ctx h;
	sha384_init(&h);
	sha512_update(&h, before[7], 48);
	sha512_update(&h, digest, 48);
	sha512_final(&h, want);
	for (unsigned i = 0; i < ATTEST_MR_COUNT; i++) {
		if (i == 7)
			assert_memory_equal(sm.cvms[id - 1].mr[i], want, 48);
		else
			assert_memory_equal(sm.cvms[id - 1].mr[i], before[i], 48);
	}
	/* initial registers and bad lengths are refused, and change nothing */
	memcpy(before, sm.cvms[id - 1].mr, sizeof(before));
	assert_int_equal(covg(COVG_EXTEND_MEASUREMENT, CHALLENGE_GPA, 48, ATTEST_MR_TVM_PAGES, 0, 0, 0, NULL),
			 SBI_ERR_INVALID_PARAM);
	assert_int_equal(covg(COVG_EXTEND_MEASUREMENT, CHALLENGE_GPA, 48, ATTEST_MR_COUNT, 0, 0, 0, NULL),
			 SBI_ERR_INVALID_PARAM);
	assert_int_equal(covg(COVG_EXTEND_MEASUREMENT, CHALLENGE_GPA, 47, 6, 0, 0, 0, NULL),
			 SBI_ERR_INVALID_PARAM);
	assert_memory_equal(sm.cvms[id - 1].mr, before, sizeof(before));
	assert_invariants_hold();
}

static void hostile_buffers_are_refused(void **state)
{
	(void)state;
	uint64_t id = promote(7, -1);
	run(id);
	uint64_t hv_page = MODEL_HV_ENTRY + 0x100000; /* hypervisor memory, not mapped in the CVM */
	uint64_t conf_other = sm.mt.base;             /* confidential, not the CVM's GPA */
	const struct { uint64_t fid, a0, a1, a2, a3, a4, a5; long err; } cases[] = {
		{ COVG_READ_MEASUREMENT, OUT_GPA + 8, 48, 0, 0, 0, 0, SBI_ERR_INVALID_ADDRESS },
		{ COVG_READ_MEASUREMENT, hv_page, 48, 0, 0, 0, 0, SBI_ERR_INVALID_ADDRESS },
		{ COVG_READ_MEASUREMENT, conf_other, 48, 0, 0, 0, 0, SBI_ERR_INVALID_ADDRESS },
		{ COVG_READ_MEASUREMENT, 1ULL << 45, 48, 0, 0, 0, 0, SBI_ERR_INVALID_ADDRESS },
		{ COVG_READ_MEASUREMENT, OUT_GPA, 47, 0, 0, 0, 0, SBI_ERR_INVALID_PARAM },
		{ COVG_READ_MEASUREMENT, OUT_GPA, 48, ATTEST_MR_COUNT, 0, 0, 0, SBI_ERR_INVALID_PARAM },
		{ COVG_GET_ATTCAPS, OUT_GPA, sizeof(struct attest_caps) - 1, 0, 0, 0, 0, SBI_ERR_INVALID_PARAM },
		{ COVG_GET_ATTCAPS, hv_page, 4096, 0, 0, 0, 0, SBI_ERR_INVALID_ADDRESS },
		{ COVG_GET_EVIDENCE, 0, 0, CHALLENGE_GPA, 1, OUT_GPA, 4096, SBI_ERR_INVALID_PARAM },
		{ COVG_GET_EVIDENCE, KEY_GPA, 31, CHALLENGE_GPA, ATTEST_FORMAT_CSEV1, OUT_GPA, 4096, SBI_ERR_INVALID_PARAM },
		{ COVG_GET_EVIDENCE, 0, 0, CHALLENGE_GPA, ATTEST_FORMAT_CSEV1, OUT_GPA, EVID_SIZE - 1, SBI_ERR_INVALID_PARAM },
		{ COVG_GET_EVIDENCE, 0, 0, CHALLENGE_GPA + 1, ATTEST_FORMAT_CSEV1, OUT_GPA, 4096, SBI_ERR_INVALID_ADDRESS },
		{ COVG_GET_EVIDENCE, 0, 0, hv_page, ATTEST_FORMAT_CSEV1, OUT_GPA, 4096, SBI_ERR_INVALID_ADDRESS },
		{ COVG_GET_EVIDENCE, hv_page, 32, CHALLENGE_GPA, ATTEST_FORMAT_CSEV1, OUT_GPA, 4096, SBI_ERR_INVALID_ADDRESS },
		{ COVG_GET_EVIDENCE, 0, 0, CHALLENGE_GPA, ATTEST_FORMAT_CSEV1, hv_page, 4096, SBI_ERR_INVALID_ADDRESS },
		{ COVG_GET_EVIDENCE, 0, 0, CHALLENGE_GPA, ATTEST_FORMAT_CSEV1, ~0ULL & ~PAGE_MASK, 4096, SBI_ERR_INVALID_ADDRESS },
	};
	uint8_t hv_before[PAGE_SIZE], hv_after[PAGE_SIZE];
	assert_true(model_phys_read(hv_page, hv_before, sizeof(hv_before)));
	for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
		long err = covg(cases[i].fid, cases[i].a0, cases[i].a1, cases[i].a2, cases[i].a3, cases[i].a4,
				cases[i].a5, NULL);
		if (err != cases[i].err)
			fail_msg("case %u: got %ld want %ld", i, err, cases[i].err);
		assert_invariants_hold();
	}
	assert_true(model_phys_read(hv_page, hv_after, sizeof(hv_after)));
	assert_memory_equal(hv_before, hv_after, sizeof(hv_before)); /* nothing written outside */
}

static void evidence_binds_challenge_and_registers(void **state)
{
	(void)state;
	uint64_t id = promote(7, -1);
	run(id);
	uint8_t challenge[64], tvm_key[32], ev[EVID_SIZE], seed[32], mac[64], pk[32];
	for (unsigned i = 0; i < 64; i++)
		challenge[i] = (uint8_t)(0xC0 + i);
	memset(tvm_key, 0x77, sizeof(tvm_key));
	cvm_write(id, CHALLENGE_GPA, challenge, 64);
	cvm_write(id, KEY_GPA, tvm_key, 32);
	uint64_t val;
	assert_int_equal(covg(COVG_GET_EVIDENCE, KEY_GPA, 32, CHALLENGE_GPA, ATTEST_FORMAT_CSEV1, OUT_GPA,
			      4096, &val), 0);
	assert_int_equal(val, EVID_SIZE);
	cvm_read(id, OUT_GPA, ev, sizeof(ev));
	assert_memory_equal(ev + EVID_OFF_MAGIC, EVID_MAGIC, 8);
	assert_memory_equal(ev + EVID_OFF_CHALLENGE, challenge, 64);
	assert_memory_equal(ev + EVID_OFF_TVM_KEY, tvm_key, 32);
	assert_memory_equal(ev + EVID_OFF_MRS, sm.cvms[id - 1].mr, sizeof(sm.cvms[0].mr));
	model_test_seed(seed);
	hmac_sha512(seed, 32, ATTEST_LABEL_PLATFORM, strlen(ATTEST_LABEL_PLATFORM), mac);
	ed25519_public_key(pk, mac);
	assert_memory_equal(ev + EVID_OFF_PLATFORM_KEY, pk, 32);

	/* attcaps: ten SHA-384 registers, the evidence format on offer */
	struct attest_caps caps;
	assert_int_equal(covg(COVG_GET_ATTCAPS, OUT_GPA, 4096, 0, 0, 0, 0, &val), 0);
	assert_int_equal(val, sizeof(caps));
	cvm_read(id, OUT_GPA, &caps, sizeof(caps));
	assert_int_equal(caps.certificate_formats, ATTEST_FORMAT_CSEV1);
	assert_int_equal(caps.initial_measurements, 6);
	assert_int_equal(caps.runtime_measurements, 4);
	assert_int_equal(caps.msmt_regs[6].measurement_type, ATTEST_MR_TYPE_RUNTIME);
	assert_int_equal(caps.msmt_regs[5].measurement_type, ATTEST_MR_TYPE_INITIAL);
	assert_invariants_hold();
}

static void touch_seed(void)
{
	model_set_current_hart(0);
	(void)phys_ptr(model_seed_pa(), 8);
}

static void seed_is_locked_after_boot(void **state)
{
	(void)state;
	uint64_t seed = model_seed_pa();
	assert_true(seed != 0);
	assert_false(model_pmp_allows(0, PRV_M, seed, 8, 'r'));
	assert_false(model_pmp_allows(0, PRV_S, seed, 8, 'r'));
	assert_true((model_csr(0, CSR_PMPCFG0) >> (8 * PMP_IDX_SEED)) & PMP_L);
	/* the monitor's own read faults (the model aborts as the hardware would trap) */
	int st;
	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		freopen("/dev/null", "w", stderr);
		touch_seed();
		_exit(0);
	}
	waitpid(pid, &st, 0);
	assert_true(WIFSIGNALED(st) && WTERMSIG(st) == SIGABRT);
	/* the page below it is the monitor's and still readable by M */
	assert_true(model_pmp_allows(0, PRV_M, seed - 8, 8, 'r'));
	/* a hart started later locks it too */
	struct sbiret r = hv_ecall(0, SBI_EXT_HSM, SBI_HSM_HART_START, 1, MODEL_HV_ENTRY, 0, 0, 0, 0);
	assert_int_equal(r.error, 0);
	assert_false(model_hart(1)->parked);
	assert_false(model_pmp_allows(1, PRV_M, seed, 8, 'r'));
	assert_invariants_hold();
}

/* The lock is what denies: on the same machine before boot, M reads the seed. */
static void seed_readable_before_boot(void **state)
{
	(void)state;
	model_init_hw(&model_default_config);
	assert_true(model_pmp_allows(0, PRV_M, model_seed_pa(), 8, 'r'));
	model_boot();
	assert_false(model_pmp_allows(0, PRV_M, model_seed_pa(), 8, 'r'));
}

/* No seed (all zero): boot works, measurements work, evidence is not offered. */
static void unprovisioned_monitor_offers_no_evidence(void **state)
{
	(void)state;
	uint8_t zero[32] = { 0 };
	model_init_hw(&model_default_config);
	assert_true(model_phys_write(model_seed_pa(), zero, sizeof(zero)));
	model_boot();
	vm_pool_reset();
	uint64_t info = MODEL_HV_ENTRY + 0x100000;
	assert_int_equal(hv_ecall(0, COVH, COVH_GET_TSM_INFO, info, 48, 0, 0, 0, 0).error, 0);
	struct tsm_info ti;
	assert_true(model_phys_read(info, &ti, sizeof(ti)));
	assert_int_equal(ti.tsm_capabilities, TSM_CAP_PROMOTE_TVM);
	uint64_t id = promote(7, -1);
	run(id);
	assert_int_equal(covg(COVG_GET_EVIDENCE, 0, 0, CHALLENGE_GPA, ATTEST_FORMAT_CSEV1, OUT_GPA, 4096, NULL),
			 SBI_ERR_NOT_SUPPORTED);
	assert_int_equal(covg(COVG_READ_MEASUREMENT, OUT_GPA, 48, 4, 0, 0, 0, NULL), 0);
	struct attest_caps caps;
	assert_int_equal(covg(COVG_GET_ATTCAPS, OUT_GPA, 4096, 0, 0, 0, 0, NULL), 0);
	cvm_read(id, OUT_GPA, &caps, sizeof(caps));
	assert_int_equal(caps.certificate_formats, 0);
	assert_invariants_hold();
	model_fini();
}

int main(void)
{
	const struct CMUnitTest booted[] = {
		cmocka_unit_test_setup(hypervisor_cannot_call_attestation, fixture_reset),
		cmocka_unit_test_setup(promote_fills_initial_registers, fixture_reset),
		cmocka_unit_test_setup(changed_page_measures_differently, fixture_reset),
		cmocka_unit_test_setup(extend_changes_only_the_runtime_register, fixture_reset),
		cmocka_unit_test_setup(hostile_buffers_are_refused, fixture_reset),
		cmocka_unit_test_setup(evidence_binds_challenge_and_registers, fixture_reset),
		cmocka_unit_test_setup(seed_is_locked_after_boot, fixture_reset),
	};
	const struct CMUnitTest fresh[] = {
		cmocka_unit_test(seed_readable_before_boot),
		cmocka_unit_test(unprovisioned_monitor_offers_no_evidence),
	};
	int fails = cmocka_run_group_tests_name("attest", booted, fixture_group_setup, fixture_group_teardown);
	return fails + cmocka_run_group_tests_name("attest-boot", fresh, NULL, NULL);
}
