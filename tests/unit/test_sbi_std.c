/*
 * The standard SBI extensions as the hypervisor sees them: every call goes through
 * the hardware model's ecall, the monitor's dispatcher and back, and every hostile
 * call is followed by the monitor's invariant checks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "csr.h"
#include "hart.h"
#include "invariants.h"
#include "model.h"
#include "model_test.h"
#include "monitor.h"
#include "platform.h"
#include "sbi.h"

/* Hypervisor RAM well away from the monitor and confidential memory. */
#define HV_BUF (MODEL_RAM_BASE + 0x400000ULL)
#define HV_START (MODEL_RAM_BASE + 0x300000ULL)

struct ret {
	long error;
	uint64_t value;
	enum model_result r;
};

/* The domain on hart h calls (eid, fid) with a0..a5. */
static struct ret sbi_call6(unsigned h, uint64_t eid, uint64_t fid, const uint64_t a[6])
{
	struct model_hart *mh = model_hart(h);
	struct ret ret;

	for (unsigned i = 0; i < 6; i++)
		mh->x[REG_A0 + i] = a[i];
	mh->x[REG_A6] = fid;
	mh->x[REG_A7] = eid;
	ret.r = model_ecall(h);
	ret.error = (long)mh->x[REG_A0];
	ret.value = mh->x[REG_A1];
	return ret;
}

#define SBI(h, eid, fid, ...) sbi_call6((h), (eid), (fid), (const uint64_t[6]){ __VA_ARGS__ })

static void assert_invariants(void)
{
	struct inv_violation v;

	memset(&v, 0, sizeof(v));
	if (!inv_check_all(&v))
		fail_msg("invariant %s broken: %s", v.invariant ? v.invariant : "?", v.detail);
}

static void assert_sbi_error(struct ret r, long expected)
{
	assert_int_equal(r.error, expected);
	assert_invariants();
}

static int setup(void **state)
{
	(void)state;
	model_init(&model_default_config);
	model_console_clear();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	model_fini();
	return 0;
}

static void assert_console(const char *expected)
{
	size_t len;
	const char *out = model_console_output(&len);

	assert_int_equal(len, strlen(expected));
	if (len)
		assert_memory_equal(out, expected, len);
}

/* Starts hart t from hart 0 at `addr`. */
static void start_hart(unsigned t, uint64_t addr, uint64_t opaque)
{
	struct ret r = SBI(0, SBI_EXT_HSM, SBI_HSM_HART_START, t, addr, opaque);

	assert_int_equal(r.error, SBI_SUCCESS);
	/* the wake-up is an M software interrupt, delivered once the monitor returns */
	assert_false(model_hart(t)->parked);
}

static uint64_t mip(unsigned h)
{
	return model_csr(h, CSR_MIP);
}

/* ---- Base ---- */

static void test_base_info(void **state)
{
	(void)state;
	struct ret r = SBI(0, SBI_EXT_BASE, SBI_BASE_GET_SPEC_VERSION, 0);

	assert_int_equal(r.r, MODEL_TRAP_M);
	assert_int_equal(r.error, SBI_SUCCESS);
	assert_int_equal(r.value, 0x02000000);
	r = SBI(0, SBI_EXT_BASE, SBI_BASE_GET_IMPL_ID, 0);
	assert_int_equal(r.error, SBI_SUCCESS);
	assert_int_equal(r.value, SBI_IMPL_ID);
	r = SBI(0, SBI_EXT_BASE, SBI_BASE_GET_IMPL_VERSION, 0);
	assert_int_equal(r.error, SBI_SUCCESS);
	assert_int_equal(r.value, SBI_IMPL_VERSION);
	r = SBI(0, SBI_EXT_BASE, SBI_BASE_GET_MVENDORID, 0);
	assert_int_equal(r.error, SBI_SUCCESS);
	assert_int_equal(r.value, model_csr(0, CSR_MVENDORID));
	r = SBI(0, SBI_EXT_BASE, SBI_BASE_GET_MARCHID, 0);
	assert_int_equal(r.error, SBI_SUCCESS);
	assert_int_equal(r.value, model_csr(0, CSR_MARCHID));
	r = SBI(0, SBI_EXT_BASE, SBI_BASE_GET_MIMPID, 0);
	assert_int_equal(r.error, SBI_SUCCESS);
	assert_int_equal(r.value, model_csr(0, CSR_MIMPID));
	assert_invariants();
}

static void test_ecall_advances_pc(void **state)
{
	(void)state;
	uint64_t pc = model_hart(0)->pc;

	SBI(0, SBI_EXT_BASE, SBI_BASE_GET_SPEC_VERSION, 0);
	assert_int_equal(model_hart(0)->pc, pc + 4);
	assert_int_equal(model_hart(0)->mode, MODE_HS);
}

static void test_base_probe(void **state)
{
	(void)state;
	static const uint64_t supported[] = {
		SBI_EXT_LEGACY_SET_TIMER, SBI_EXT_LEGACY_PUTCHAR, SBI_EXT_LEGACY_GETCHAR,
		SBI_EXT_LEGACY_CLEAR_IPI, SBI_EXT_LEGACY_SEND_IPI, SBI_EXT_LEGACY_REMOTE_FENCE_I,
		SBI_EXT_LEGACY_REMOTE_SFENCE_VMA, SBI_EXT_LEGACY_REMOTE_SFENCE_VMA_ASID,
		SBI_EXT_LEGACY_SHUTDOWN, SBI_EXT_PMU, SBI_EXT_BASE, SBI_EXT_TIME, SBI_EXT_IPI, SBI_EXT_RFENCE, SBI_EXT_HSM,
		SBI_EXT_SRST, SBI_EXT_DBCN,
	};
	/* nobody's EIDs */
	static const uint64_t unknown[] = {
		0x09, 0x0f, 0x11, 0x4442434F, 0x54494D44, 0x12345678,
		0x0FFFFFFF, 0x100000000ULL | SBI_EXT_BASE, 0x100000000ULL | SBI_EXT_LEGACY_PUTCHAR,
		~0ULL,
	};

	for (size_t i = 0; i < sizeof(supported) / sizeof(supported[0]); i++) {
		struct ret r = SBI(0, SBI_EXT_BASE, SBI_BASE_PROBE_EXT, supported[i]);

		assert_int_equal(r.error, SBI_SUCCESS);
		if (r.value != 1)
			fail_msg("probe of EID %#llx says %llu", (unsigned long long)supported[i],
				 (unsigned long long)r.value);
	}
	for (size_t i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
		struct ret r = SBI(0, SBI_EXT_BASE, SBI_BASE_PROBE_EXT, unknown[i]);

		assert_int_equal(r.error, SBI_SUCCESS);
		if (r.value != 0)
			fail_msg("probe of EID %#llx says %llu", (unsigned long long)unknown[i],
				 (unsigned long long)r.value);
	}
	assert_invariants();
}

static void test_unknown_fids(void **state)
{
	(void)state;
	uint32_t none;
	static const struct {
		uint64_t eid, fid;
	} bad[] = {
		{ SBI_EXT_BASE, 7 },    { SBI_EXT_BASE, ~0ULL },   { SBI_EXT_TIME, 1 },
		{ SBI_EXT_TIME, ~0ULL }, { SBI_EXT_IPI, 1 },        { SBI_EXT_RFENCE, 7 },
		{ SBI_EXT_RFENCE, 1ULL << 32 }, { SBI_EXT_HSM, 4 }, { SBI_EXT_HSM, ~0ULL },
		{ SBI_EXT_SRST, 1 },    { SBI_EXT_DBCN, 3 },       { SBI_EXT_DBCN, ~0ULL },
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct ret r = SBI(0, bad[i].eid, bad[i].fid, 0, 0, 0, 0, 0, 0);

		if (r.error != SBI_ERR_NOT_SUPPORTED)
			fail_msg("eid %#llx fid %#llx: error %ld", (unsigned long long)bad[i].eid,
				 (unsigned long long)bad[i].fid, r.error);
		assert_invariants();
	}
	/* nothing visible happened on the way */
	assert_console("");
	assert_int_equal(model_reset_requested(&none), -1);
	assert_false(mip(0) & MIP_SSIP);
}

static void test_unknown_eid(void **state)
{
	(void)state;
	assert_sbi_error(SBI(0, 0x12345678, 0, 0), SBI_ERR_NOT_SUPPORTED);
	assert_sbi_error(SBI(0, 0x09, 0, 0), SBI_ERR_NOT_SUPPORTED);
}

/* ---- TIME and legacy set_timer ---- */

static void check_timer(uint64_t eid, uint64_t fid)
{
	uint64_t when = model_time() + 1000;
	struct ret r = SBI(0, eid, fid, when);

	assert_int_equal(r.error, SBI_SUCCESS);
	assert_false(mip(0) & MIP_STIP);
	assert_true(model_csr(0, CSR_MIE) & MIP_MTIP);
	model_advance_time(500);
	assert_false(mip(0) & MIP_STIP);
	model_advance_time(600);
	assert_true(mip(0) & MIP_STIP);
	/* only the caller's timer */
	assert_false(mip(1) & MIP_STIP);
	assert_invariants();

	/* a new deadline withdraws the interrupt */
	r = SBI(0, eid, fid, model_time() + 1000);
	assert_int_equal(r.error, SBI_SUCCESS);
	assert_false(mip(0) & MIP_STIP);
	assert_invariants();
}

static void test_time_set_timer(void **state)
{
	(void)state;
	check_timer(SBI_EXT_TIME, SBI_TIME_SET_TIMER);
}

static void test_legacy_set_timer(void **state)
{
	(void)state;
	check_timer(SBI_EXT_LEGACY_SET_TIMER, 0);
}

static void test_time_hostile(void **state)
{
	(void)state;
	/* "never" and "already past" are both legal deadlines */
	assert_sbi_error(SBI(0, SBI_EXT_TIME, SBI_TIME_SET_TIMER, ~0ULL), SBI_SUCCESS);
	model_advance_time(100000);
	assert_false(mip(0) & MIP_STIP);
	assert_sbi_error(SBI(0, SBI_EXT_TIME, SBI_TIME_SET_TIMER, 0), SBI_SUCCESS);
	model_advance_time(1);
	assert_true(mip(0) & MIP_STIP);
	assert_invariants();
}

/* ---- IPI ---- */

static void test_ipi_self(void **state)
{
	(void)state;
	assert_false(mip(0) & MIP_SSIP);
	assert_sbi_error(SBI(0, SBI_EXT_IPI, SBI_IPI_SEND_IPI, 1, 0), SBI_SUCCESS);
	assert_true(mip(0) & MIP_SSIP);
}

static void test_ipi_other(void **state)
{
	(void)state;
	start_hart(1, HV_START, 0);
	assert_false(mip(1) & MIP_SSIP);
	assert_sbi_error(SBI(0, SBI_EXT_IPI, SBI_IPI_SEND_IPI, 1, 1), SBI_SUCCESS);
	/* relayed through an M software interrupt on hart 1 */
	assert_true(mip(1) & MIP_SSIP);
	assert_false(mip(0) & MIP_SSIP);
	assert_int_equal(sm.harts[1].ipi_pending, 0);
	assert_invariants();
}

static void test_ipi_all(void **state)
{
	(void)state;
	start_hart(2, HV_START, 0);
	assert_sbi_error(SBI(0, SBI_EXT_IPI, SBI_IPI_SEND_IPI, 0, ~0ULL), SBI_SUCCESS);
	assert_true(mip(0) & MIP_SSIP);
	assert_true(mip(2) & MIP_SSIP);
	/* stopped harts are skipped, not woken */
	assert_false(mip(1) & MIP_SSIP);
	assert_false(mip(3) & MIP_SSIP);
	assert_true(model_hart(1)->parked);
	assert_true(model_hart(3)->parked);
	assert_int_equal(sm.harts[1].hsm_state, SBI_HSM_STATE_STOPPED);
	assert_invariants();
}

static void test_ipi_stopped_target(void **state)
{
	(void)state;
	assert_sbi_error(SBI(0, SBI_EXT_IPI, SBI_IPI_SEND_IPI, 1ULL << 2, 0), SBI_SUCCESS);
	assert_true(model_hart(2)->parked);
	assert_int_equal(sm.harts[2].ipi_pending, 0);
	assert_int_equal(sm.harts[2].hsm_state, SBI_HSM_STATE_STOPPED);
}

static void test_ipi_bad_masks(void **state)
{
	(void)state;
	unsigned n = model_nr_harts();
	static const struct {
		uint64_t mask, base;
	} bad[] = {
		{ 1ULL << 4, 0 },        /* hart 4 of 4 */
		{ 0x1f, 0 },             /* harts 0..4 */
		{ 1, 4 },                /* base is past the last hart */
		{ 2, 3 },                /* base + 1 = hart 4 */
		{ 1ULL << 63, 0 },
		{ ~0ULL, 0 },
		{ 1, 99 },
		{ 3, ~0ULL - 1 },        /* base + 1 would wrap to -1 */
		{ 1ULL << 62, 2 },       /* base + bit overflows 64 */
		{ 0, 4 },                /* empty mask, bad base */
		{ 1, 1ULL << 32 },
	};

	assert_int_equal(n, 4);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct ret r = SBI(0, SBI_EXT_IPI, SBI_IPI_SEND_IPI, bad[i].mask, bad[i].base);

		if (r.error != SBI_ERR_INVALID_PARAM)
			fail_msg("mask %#llx base %#llx: error %ld", (unsigned long long)bad[i].mask,
				 (unsigned long long)bad[i].base, r.error);
		assert_invariants();
	}
	/* a rejected mask sends nothing, even to the valid harts it names */
	assert_false(mip(0) & MIP_SSIP);
	/* an empty mask is a no-op, not an error */
	assert_sbi_error(SBI(0, SBI_EXT_IPI, SBI_IPI_SEND_IPI, 0, 0), SBI_SUCCESS);
	assert_false(mip(0) & MIP_SSIP);
	/* the last hart, named through the base */
	assert_sbi_error(SBI(0, SBI_EXT_IPI, SBI_IPI_SEND_IPI, 1, 3), SBI_SUCCESS);
}

/* ---- RFENCE ---- */

static void test_rfence_all_fids(void **state)
{
	(void)state;
	start_hart(1, HV_START, 0);
	for (uint64_t fid = SBI_RFENCE_FENCE_I; fid <= SBI_RFENCE_HFENCE_VVMA; fid++) {
		uint64_t before0 = model_hfence_count(0), before1 = model_hfence_count(1);
		struct ret r = SBI(0, SBI_EXT_RFENCE, fid, 3, 0, 0x1000, 0x2000, 5);

		if (r.error != SBI_SUCCESS)
			fail_msg("rfence fid %llu: error %ld", (unsigned long long)fid, r.error);
		assert_true(model_hfence_count(0) > before0);
		assert_true(model_hfence_count(1) > before1);
		assert_int_equal(sm.harts[1].ipi_pending, 0);
		assert_invariants();
	}
}

static void test_rfence_hostile(void **state)
{
	(void)state;
	uint64_t before = model_hfence_count(0);

	/* bad masks are rejected before any fence */
	assert_sbi_error(SBI(0, SBI_EXT_RFENCE, SBI_RFENCE_HFENCE_GVMA, 1ULL << 5, 0, 0, ~0ULL),
			 SBI_ERR_INVALID_PARAM);
	assert_sbi_error(SBI(0, SBI_EXT_RFENCE, SBI_RFENCE_SFENCE_VMA, 1, 7, 0, 0),
			 SBI_ERR_INVALID_PARAM);
	assert_sbi_error(SBI(0, SBI_EXT_RFENCE, SBI_RFENCE_FENCE_I, ~0ULL, 0), SBI_ERR_INVALID_PARAM);
	assert_int_equal(model_hfence_count(0), before);
	/* any range, ASID or VMID is answered with a full flush */
	assert_sbi_error(SBI(0, SBI_EXT_RFENCE, SBI_RFENCE_HFENCE_VVMA_ASID, 0, ~0ULL, ~0ULL,
			     ~0ULL, ~0ULL),
			 SBI_SUCCESS);
	assert_sbi_error(SBI(0, SBI_EXT_RFENCE, SBI_RFENCE_HFENCE_GVMA_VMID, 1, 0, mem.conf_base,
			     mem.conf_size, 0x3fff),
			 SBI_SUCCESS);
	assert_true(model_hfence_count(0) > before);
	/* stopped harts are not woken to fence */
	assert_sbi_error(SBI(0, SBI_EXT_RFENCE, SBI_RFENCE_HFENCE_GVMA, 0xe, 0, 0, 0), SBI_SUCCESS);
	assert_true(model_hart(1)->parked);
	assert_int_equal(sm.harts[1].ipi_pending, 0);
}

/* ---- HSM ---- */

static void test_hsm_start_stop(void **state)
{
	(void)state;
	struct model_hart *h1 = model_hart(1);
	struct ret r;

	assert_true(h1->parked);
	r = SBI(0, SBI_EXT_HSM, SBI_HSM_HART_GET_STATUS, 1);
	assert_int_equal(r.error, SBI_SUCCESS);
	assert_int_equal(r.value, SBI_HSM_STATE_STOPPED);

	start_hart(1, HV_START, 0xfeedface);
	assert_int_equal(h1->mode, MODE_HS);
	assert_int_equal(h1->pc, HV_START);
	assert_int_equal(h1->x[REG_A0], 1);
	assert_int_equal(h1->x[REG_A1], 0xfeedface);
	r = SBI(0, SBI_EXT_HSM, SBI_HSM_HART_GET_STATUS, 1);
	assert_int_equal(r.error, SBI_SUCCESS);
	assert_int_equal(r.value, SBI_HSM_STATE_STARTED);
	assert_invariants();

	/* the started hart can make calls itself */
	r = SBI(1, SBI_EXT_HSM, SBI_HSM_HART_GET_STATUS, 0);
	assert_int_equal(r.error, SBI_SUCCESS);
	assert_int_equal(r.value, SBI_HSM_STATE_STARTED);

	assert_sbi_error(SBI(0, SBI_EXT_HSM, SBI_HSM_HART_START, 1, HV_START, 0),
			 SBI_ERR_ALREADY_AVAILABLE);
	assert_sbi_error(SBI(1, SBI_EXT_HSM, SBI_HSM_HART_START, 0, HV_START, 0),
			 SBI_ERR_ALREADY_AVAILABLE);

	/* hart 1 stops itself: the call never returns to it */
	SBI(1, SBI_EXT_HSM, SBI_HSM_HART_STOP, 0);
	assert_true(h1->parked);
	r = SBI(0, SBI_EXT_HSM, SBI_HSM_HART_GET_STATUS, 1);
	assert_int_equal(r.error, SBI_SUCCESS);
	assert_int_equal(r.value, SBI_HSM_STATE_STOPPED);
	assert_invariants();
	/* a parked hart does nothing */
	assert_int_equal(model_ecall(1), MODEL_PARKED);

	/* and it can be started again, somewhere else */
	start_hart(1, HV_START + 0x1000, 7);
	assert_int_equal(h1->pc, HV_START + 0x1000);
	assert_int_equal(h1->x[REG_A0], 1);
	assert_int_equal(h1->x[REG_A1], 7);
	assert_invariants();
}

/* hart 0's hart_start lands in the window after hart 1's hart_stop left the monitor. */
static bool raced;
static void start_in_the_window(unsigned h)
{
	if (h != 1 || raced)
		return;
	raced = true;
	assert_sbi_error(SBI(0, SBI_EXT_HSM, SBI_HSM_HART_START, 1, HV_START + 0x2000, 9), SBI_SUCCESS);
}

/*
 * The trap exit path once decided to park by reading hsm_state after the lock dropped:
 * a start racing in there found STOPPED, made it START_PENDING, and the stopping hart
 * then returned to the hypervisor instead of parking, pending forever.
 */
static void test_hsm_stop_races_start(void **state)
{
	(void)state;
	static const struct model_monitor_hooks window = { NULL, NULL, start_in_the_window };
	struct model_hart *h1 = model_hart(1);
	start_hart(1, HV_START, 0);
	raced = false;
	model_set_monitor_hooks(&window);
	SBI(1, SBI_EXT_HSM, SBI_HSM_HART_STOP, 0);
	model_set_monitor_hooks(NULL);
	assert_true(raced);
	/* the stop parked the hart; the start's wake-up then brought it up where asked */
	assert_int_equal(SBI(0, SBI_EXT_HSM, SBI_HSM_HART_GET_STATUS, 1).value, SBI_HSM_STATE_STARTED);
	assert_false(h1->parked);
	assert_int_equal(h1->mode, MODE_HS);
	assert_int_equal(h1->pc, HV_START + 0x2000);
	assert_int_equal(h1->x[REG_A1], 9);
	assert_invariants();
}

static void test_hsm_start_hostile(void **state)
{
	(void)state;
	uint64_t hv_end = mem.conf_base; /* hypervisor RAM ends where confidential begins */

	assert_sbi_error(SBI(0, SBI_EXT_HSM, SBI_HSM_HART_START, 99, HV_START, 0),
			 SBI_ERR_INVALID_PARAM);
	assert_sbi_error(SBI(0, SBI_EXT_HSM, SBI_HSM_HART_START, 4, HV_START, 0),
			 SBI_ERR_INVALID_PARAM);
	assert_sbi_error(SBI(0, SBI_EXT_HSM, SBI_HSM_HART_START, ~0ULL, HV_START, 0),
			 SBI_ERR_INVALID_PARAM);
	assert_sbi_error(SBI(0, SBI_EXT_HSM, SBI_HSM_HART_START, 1ULL << 32 | 1, HV_START, 0),
			 SBI_ERR_INVALID_PARAM);

	static const uint64_t bad_addr[] = {
		MODEL_RAM_BASE,            /* the monitor's code */
		MODEL_RAM_BASE + 0x1000,
		MODEL_RAM_BASE + 0x1FFFFC, /* last word of the monitor */
		0,
		0x1000,
		~0ULL,
		~0ULL - 3,
		MODEL_RAM_BASE + 0x1000000, /* past the end of RAM */
	};
	for (size_t i = 0; i < sizeof(bad_addr) / sizeof(bad_addr[0]); i++) {
		struct ret r = SBI(0, SBI_EXT_HSM, SBI_HSM_HART_START, 2, bad_addr[i], 0);

		if (r.error != SBI_ERR_INVALID_ADDRESS)
			fail_msg("start at %#llx: error %ld", (unsigned long long)bad_addr[i], r.error);
		assert_invariants();
	}
	assert_sbi_error(SBI(0, SBI_EXT_HSM, SBI_HSM_HART_START, 2, mem.conf_base, 0),
			 SBI_ERR_INVALID_ADDRESS);
	assert_sbi_error(SBI(0, SBI_EXT_HSM, SBI_HSM_HART_START, 2, mem.conf_base + 0x1000, 0),
			 SBI_ERR_INVALID_ADDRESS);
	/* the first instruction would straddle into confidential memory */
	assert_sbi_error(SBI(0, SBI_EXT_HSM, SBI_HSM_HART_START, 2, hv_end - 2, 0),
			 SBI_ERR_INVALID_ADDRESS);
	/* nothing of it reached hart 2 */
	assert_true(model_hart(2)->parked);
	assert_int_equal(sm.harts[2].hsm_state, SBI_HSM_STATE_STOPPED);
	/* the last word of hypervisor RAM is fine */
	start_hart(2, hv_end - 4, 0);
	assert_int_equal(model_hart(2)->pc, hv_end - 4);
	assert_invariants();
}

/* hart 1 suspends; hart 0 sees it SUSPENDED; an interrupt hart 1 enabled ends it. */
static void suspend_hart1(uint64_t type, uint64_t resume, uint64_t opaque)
{
	struct model_hart *h1 = model_hart(1);
	start_hart(1, HV_START, 0);
	model_set_csr(1, CSR_SIE, MIP_SEIP);  /* it wants external interrupts... */
	model_set_csr(1, CSR_SATP, 8ULL << 60); /* ...runs with paging... */
	h1->x[REG_S3] = 0x5a5a;
	model_set_csr(1, CSR_SSTATUS, 0);     /* ...and takes none right now */
	h1->pc = HV_START + 0x40;
	SBI(1, SBI_EXT_HSM, SBI_HSM_HART_SUSPEND, type, resume, opaque);
	assert_true(h1->parked);
	assert_int_equal(SBI(0, SBI_EXT_HSM, SBI_HSM_HART_GET_STATUS, 1).value, SBI_HSM_STATE_SUSPENDED);
	assert_sbi_error(SBI(0, SBI_EXT_HSM, SBI_HSM_HART_START, 1, HV_START, 0), SBI_ERR_ALREADY_AVAILABLE);
	/* an IPI it did not enable (SSIE off) is handled and does not wake it */
	assert_sbi_error(SBI(0, SBI_EXT_IPI, SBI_IPI_SEND_IPI, 2, 0), SBI_SUCCESS);
	assert_true(h1->parked);
	model_raise_irq(1, IRQ_S_EXT);
	assert_false(h1->parked);
	assert_int_equal(SBI(0, SBI_EXT_HSM, SBI_HSM_HART_GET_STATUS, 1).value, SBI_HSM_STATE_STARTED);
	assert_int_equal(h1->mode, MODE_HS);
	assert_invariants();
}

static void test_hsm_retentive_suspend(void **state)
{
	(void)state;
	struct model_hart *h1 = model_hart(1);
	/* the type is 32 bits: bit 32 set still means the default retentive suspend */
	suspend_hart1(1ULL << 32, 0, 0);
	assert_int_equal(h1->pc, HV_START + 0x44); /* the call returned */
	assert_int_equal(h1->x[REG_A0], SBI_SUCCESS);
	assert_int_equal(h1->x[REG_S3], 0x5a5a);   /* registers kept */
	assert_int_equal(model_csr(1, CSR_SATP), 8ULL << 60);
	model_clear_irq(1, IRQ_S_EXT);
}

static void test_hsm_non_retentive_suspend(void **state)
{
	(void)state;
	struct model_hart *h1 = model_hart(1);
	suspend_hart1(0x180000000ULL, HV_START + 0x3000, 0xabc);
	assert_int_equal(h1->pc, HV_START + 0x3000);
	assert_int_equal(h1->x[REG_A0], 1);
	assert_int_equal(h1->x[REG_A1], 0xabc);
	assert_int_equal(h1->x[REG_S3], 0);
	assert_int_equal(model_csr(1, CSR_SATP), 0);
	assert_false(model_csr(1, CSR_SSTATUS) & MSTATUS_SIE);
	model_clear_irq(1, IRQ_S_EXT);
}

static void test_hsm_status_and_suspend(void **state)
{
	(void)state;
	struct ret r = SBI(0, SBI_EXT_HSM, SBI_HSM_HART_GET_STATUS, 0);

	assert_int_equal(r.error, SBI_SUCCESS);
	assert_int_equal(r.value, SBI_HSM_STATE_STARTED);
	r = SBI(0, SBI_EXT_HSM, SBI_HSM_HART_GET_STATUS, 3);
	assert_int_equal(r.error, SBI_SUCCESS);
	assert_int_equal(r.value, SBI_HSM_STATE_STOPPED);
	assert_sbi_error(SBI(0, SBI_EXT_HSM, SBI_HSM_HART_GET_STATUS, 4), SBI_ERR_INVALID_PARAM);
	assert_sbi_error(SBI(0, SBI_EXT_HSM, SBI_HSM_HART_GET_STATUS, 99), SBI_ERR_INVALID_PARAM);
	assert_sbi_error(SBI(0, SBI_EXT_HSM, SBI_HSM_HART_GET_STATUS, ~0ULL),
			 SBI_ERR_INVALID_PARAM);

	static const uint64_t bad_type[] = { 1, 0x0FFFFFFF, 0x10000000, 0x7FFFFFFF, 0x80000001,
					     0xFFFFFFFF, 0x1FFFFFFFFULL, ~0ULL };
	for (size_t i = 0; i < sizeof(bad_type) / sizeof(bad_type[0]); i++) {
		r = SBI(0, SBI_EXT_HSM, SBI_HSM_HART_SUSPEND, bad_type[i], HV_START, 0);
		if (r.error != SBI_ERR_INVALID_PARAM)
			fail_msg("suspend type %#llx: error %ld", (unsigned long long)bad_type[i],
				 r.error);
		assert_invariants();
	}
	/* a non-retentive resume address must be hypervisor memory */
	assert_sbi_error(SBI(0, SBI_EXT_HSM, SBI_HSM_HART_SUSPEND, 0x80000000, mem.monitor_base, 0),
			 SBI_ERR_INVALID_ADDRESS);
	assert_sbi_error(SBI(0, SBI_EXT_HSM, SBI_HSM_HART_SUSPEND, 0x80000000, HV_START + 1, 0),
			 SBI_ERR_INVALID_ADDRESS);
	assert_false(model_hart(0)->parked);
	assert_int_equal(sm.harts[0].hsm_state, SBI_HSM_STATE_STARTED);
}

/* ---- SRST ---- */

static void test_srst_hostile(void **state)
{
	(void)state;
	uint32_t none;
	static const struct {
		uint64_t type, reason;
	} bad[] = {
		{ 3, 0 }, { 0xEFFFFFFF, 0 }, { 0xF0000000, 0 }, { 0xFFFFFFFF, 0 },
		{ 1ULL << 32, 0 }, { ~0ULL, 0 }, { 0, 2 }, { 0, 0xEFFFFFFF },
		{ 0, 1ULL << 32 }, { 0, 0x1F0000000ULL }, { 2, ~0ULL },
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct ret r = SBI(0, SBI_EXT_SRST, SBI_SRST_SYSTEM_RESET, bad[i].type, bad[i].reason);

		if (r.error != SBI_ERR_INVALID_PARAM)
			fail_msg("reset %#llx/%#llx: error %ld", (unsigned long long)bad[i].type,
				 (unsigned long long)bad[i].reason, r.error);
		assert_invariants();
	}
	assert_int_equal(model_reset_requested(&none), -1);
}

static void test_srst_shutdown(void **state)
{
	(void)state;
	uint32_t reason = 99;

	SBI(0, SBI_EXT_SRST, SBI_SRST_SYSTEM_RESET, SBI_SRST_TYPE_SHUTDOWN, SBI_SRST_REASON_NONE);
	assert_int_equal(model_reset_requested(&reason), SBI_SRST_TYPE_SHUTDOWN);
	assert_int_equal(reason, SBI_SRST_REASON_NONE);
}

static void test_srst_vendor_reason(void **state)
{
	(void)state;
	uint32_t reason = 0;

	SBI(0, SBI_EXT_SRST, SBI_SRST_SYSTEM_RESET, SBI_SRST_TYPE_WARM_REBOOT, 0xF0000123);
	assert_int_equal(model_reset_requested(&reason), SBI_SRST_TYPE_WARM_REBOOT);
	assert_int_equal(reason, 0xF0000123);
}

/* ---- DBCN and legacy console ---- */

static void test_dbcn_write(void **state)
{
	(void)state;
	static const char msg[] = "hello from HS";
	struct ret r;

	assert_true(model_phys_write(HV_BUF, msg, strlen(msg)));
	r = SBI(0, SBI_EXT_DBCN, SBI_DBCN_CONSOLE_WRITE, strlen(msg), HV_BUF, 0);
	assert_int_equal(r.error, SBI_SUCCESS);
	assert_int_equal(r.value, strlen(msg));
	assert_console(msg);

	r = SBI(0, SBI_EXT_DBCN, SBI_DBCN_CONSOLE_WRITE, 0, HV_BUF, 0);
	assert_int_equal(r.error, SBI_SUCCESS);
	assert_int_equal(r.value, 0);
	/* zero bytes touch nothing, so the address does not matter */
	r = SBI(0, SBI_EXT_DBCN, SBI_DBCN_CONSOLE_WRITE, 0, mem.conf_base, 0);
	assert_int_equal(r.error, SBI_SUCCESS);
	assert_int_equal(r.value, 0);

	r = SBI(0, SBI_EXT_DBCN, SBI_DBCN_CONSOLE_WRITE_BYTE, 0x100 | '!');
	assert_int_equal(r.error, SBI_SUCCESS);
	assert_console("hello from HS!");
	assert_invariants();
}

static void test_dbcn_write_long(void **state)
{
	(void)state;
	char buf[300];
	uint64_t done = 0;

	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (char)('a' + i % 26);
	assert_true(model_phys_write(HV_BUF, buf, sizeof(buf)));
	/* partial writes are allowed: the caller retries with the rest */
	while (done < sizeof(buf)) {
		struct ret r = SBI(0, SBI_EXT_DBCN, SBI_DBCN_CONSOLE_WRITE, sizeof(buf) - done,
				   HV_BUF + done, 0);

		assert_int_equal(r.error, SBI_SUCCESS);
		assert_true(r.value > 0 && r.value <= sizeof(buf) - done);
		done += r.value;
	}
	size_t len;
	const char *out = model_console_output(&len);
	assert_int_equal(len, sizeof(buf));
	assert_memory_equal(out, buf, sizeof(buf));

	/* all of hypervisor RAM is a legal buffer; the monitor may serve part of it */
	uint64_t hv_lo = mem.monitor_base + mem.monitor_size;
	uint64_t n = mem.conf_base - hv_lo;
	model_console_clear();
	struct ret r = SBI(0, SBI_EXT_DBCN, SBI_DBCN_CONSOLE_WRITE, n, hv_lo, 0);
	assert_int_equal(r.error, SBI_SUCCESS);
	assert_true(r.value > 0 && r.value <= n);
	model_console_output(&len);
	assert_int_equal(len, r.value);
	assert_invariants();
}

static void test_dbcn_write_hostile(void **state)
{
	(void)state;
	uint64_t hv_lo = mem.monitor_base + mem.monitor_size;
	const struct {
		uint64_t n, lo, hi;
	} bad[] = {
		{ 16, mem.monitor_base, 0 },          /* monitor memory */
		{ 16, hv_lo - 16, 0 },                /* last bytes of the monitor */
		{ 32, hv_lo - 16, 0 },                /* straddles monitor -> hypervisor */
		{ 16, mem.conf_base, 0 },             /* confidential memory */
		{ 16, mem.conf_base + mem.conf_size - 16, 0 },
		{ 32, mem.conf_base - 16, 0 },        /* straddles into confidential */
		{ 16, HV_BUF, 1 },                    /* base_hi on rv64 */
		{ 16, HV_BUF, ~0ULL },
		{ 0x20, ~0ULL - 0xf, 0 },             /* wraps around */
		{ ~0ULL, HV_BUF, 0 },                 /* wraps around */
		{ ~0ULL - HV_BUF + 2, HV_BUF, 0 },    /* ends exactly past zero */
		{ 1ULL << 40, HV_BUF, 0 },            /* far past RAM */
		{ 16, 0x1000, 0 },                    /* not RAM */
		{ 16, MODEL_RAM_BASE + 0x1000000, 0 }, /* past the end of RAM */
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		for (uint64_t fid = SBI_DBCN_CONSOLE_WRITE; fid <= SBI_DBCN_CONSOLE_READ; fid++) {
			struct ret r = SBI(0, SBI_EXT_DBCN, fid, bad[i].n, bad[i].lo, bad[i].hi);

			if (r.error != SBI_ERR_INVALID_PARAM)
				fail_msg("dbcn fid %llu n %#llx at %#llx/%#llx: error %ld",
					 (unsigned long long)fid, (unsigned long long)bad[i].n,
					 (unsigned long long)bad[i].lo, (unsigned long long)bad[i].hi,
					 r.error);
			assert_invariants();
		}
	}
	assert_console("");
}

static void test_dbcn_read(void **state)
{
	(void)state;
	char got[8];
	struct ret r;

	memset(got, 'x', sizeof(got));
	assert_true(model_phys_write(HV_BUF, got, sizeof(got)));
	model_console_input("abc");
	r = SBI(0, SBI_EXT_DBCN, SBI_DBCN_CONSOLE_READ, sizeof(got), HV_BUF, 0);
	assert_int_equal(r.error, SBI_SUCCESS);
	assert_int_equal(r.value, 3);
	assert_true(model_phys_read(HV_BUF, got, sizeof(got)));
	assert_memory_equal(got, "abcxxxxx", sizeof(got));

	/* nothing waiting */
	r = SBI(0, SBI_EXT_DBCN, SBI_DBCN_CONSOLE_READ, sizeof(got), HV_BUF, 0);
	assert_int_equal(r.error, SBI_SUCCESS);
	assert_int_equal(r.value, 0);

	/* never more than asked */
	model_console_input("0123456789");
	r = SBI(0, SBI_EXT_DBCN, SBI_DBCN_CONSOLE_READ, 4, HV_BUF, 0);
	assert_int_equal(r.error, SBI_SUCCESS);
	assert_int_equal(r.value, 4);
	assert_true(model_phys_read(HV_BUF, got, sizeof(got)));
	assert_memory_equal(got, "0123xxxx", sizeof(got));
	assert_invariants();
}

static void test_dbcn_read_hostile(void **state)
{
	(void)state;
	uint8_t before[64], after[64];

	/* input is waiting, so a missed check would write it into the target */
	model_console_input("SECRET-OVERWRITE");
	assert_true(model_phys_read(mem.conf_base, before, sizeof(before)));
	assert_sbi_error(SBI(0, SBI_EXT_DBCN, SBI_DBCN_CONSOLE_READ, 16, mem.conf_base, 0),
			 SBI_ERR_INVALID_PARAM);
	assert_sbi_error(SBI(0, SBI_EXT_DBCN, SBI_DBCN_CONSOLE_READ, 32, mem.conf_base - 16, 0),
			 SBI_ERR_INVALID_PARAM);
	assert_true(model_phys_read(mem.conf_base, after, sizeof(after)));
	assert_memory_equal(before, after, sizeof(before));

	assert_true(model_phys_read(mem.monitor_base, before, sizeof(before)));
	assert_sbi_error(SBI(0, SBI_EXT_DBCN, SBI_DBCN_CONSOLE_READ, 16, mem.monitor_base, 0),
			 SBI_ERR_INVALID_PARAM);
	assert_true(model_phys_read(mem.monitor_base, after, sizeof(after)));
	assert_memory_equal(before, after, sizeof(before));

	/* the input is still there for a legitimate read */
	struct ret r = SBI(0, SBI_EXT_DBCN, SBI_DBCN_CONSOLE_READ, 6, HV_BUF, 0);
	assert_int_equal(r.error, SBI_SUCCESS);
	assert_int_equal(r.value, 6);
}

/* ---- legacy IPI, fences and shutdown (v0.1: the hart mask is behind a pointer) ---- */

#define HV_PT (MODEL_RAM_BASE + 0x500000ULL) /* a page table in hypervisor memory */

static void put64(uint64_t pa, uint64_t v) { assert_true(model_phys_write(pa, &v, 8)); }

static void test_legacy_ipi_and_fences(void **state)
{
	(void)state;
	start_hart(1, HV_START, 0);
	model_set_csr(1, CSR_SSTATUS, 0); /* hart 1 leaves SSIP pending for us to see */
	put64(HV_BUF, 1ULL << 1);
	assert_sbi_error(SBI(0, SBI_EXT_LEGACY_SEND_IPI, 0, HV_BUF), SBI_SUCCESS);
	assert_true(mip(1) & MIP_SSIP);
	/* the mask pointer is hostile like any argument */
	assert_sbi_error(SBI(0, SBI_EXT_LEGACY_SEND_IPI, 0, mem.monitor_base), SBI_ERR_INVALID_ADDRESS);
	assert_sbi_error(SBI(0, SBI_EXT_LEGACY_SEND_IPI, 0, mem.conf_base), SBI_ERR_INVALID_ADDRESS);
	assert_sbi_error(SBI(0, SBI_EXT_LEGACY_SEND_IPI, 0, HV_BUF + 4), SBI_ERR_INVALID_ADDRESS);
	put64(HV_BUF, 1ULL << 40); /* no such hart */
	assert_sbi_error(SBI(0, SBI_EXT_LEGACY_SEND_IPI, 0, HV_BUF), SBI_ERR_INVALID_PARAM);

	/* with paging on, the pointer is a virtual address: a gigapage maps RAM at 1 GiB */
	put64(HV_PT + 8 * 1, ((MODEL_RAM_BASE >> 12) << 10) | 0x3 /* R V */);
	model_set_csr(0, CSR_SATP, (8ULL << 60) | (HV_PT >> 12));
	put64(HV_BUF, 1ULL << 1);
	uint64_t va = 0x40000000ULL + (HV_BUF - MODEL_RAM_BASE);
	model_set_csr(1, CSR_MIP, 0);
	assert_sbi_error(SBI(0, SBI_EXT_LEGACY_SEND_IPI, 0, va), SBI_SUCCESS);
	assert_true(mip(1) & MIP_SSIP);
	assert_sbi_error(SBI(0, SBI_EXT_LEGACY_SEND_IPI, 0, 0x80000000ULL), SBI_ERR_INVALID_ADDRESS);
	assert_sbi_error(SBI(0, SBI_EXT_LEGACY_SEND_IPI, 0, 1ULL << 40), SBI_ERR_INVALID_ADDRESS);
	/* a table the hypervisor points into monitor memory is never walked */
	model_set_csr(0, CSR_SATP, (8ULL << 60) | (mem.monitor_base >> 12));
	assert_sbi_error(SBI(0, SBI_EXT_LEGACY_SEND_IPI, 0, va), SBI_ERR_INVALID_ADDRESS);
	/* a leaf that maps monitor memory gives nothing either */
	put64(HV_PT + 8 * 1, ((mem.monitor_base >> 12) << 10) | 0x3);
	model_set_csr(0, CSR_SATP, (8ULL << 60) | (HV_PT >> 12));
	assert_sbi_error(SBI(0, SBI_EXT_LEGACY_SEND_IPI, 0, 0x40000000ULL), SBI_ERR_INVALID_ADDRESS);
	model_set_csr(0, CSR_SATP, 0);

	/* fences: NULL is every hart */
	uint64_t before = model_hfence_count(1);
	assert_sbi_error(SBI(0, SBI_EXT_LEGACY_REMOTE_FENCE_I, 0, 0), SBI_SUCCESS);
	assert_sbi_error(SBI(0, SBI_EXT_LEGACY_REMOTE_SFENCE_VMA, 0, 0, 0, ~0ULL), SBI_SUCCESS);
	assert_sbi_error(SBI(0, SBI_EXT_LEGACY_REMOTE_SFENCE_VMA_ASID, 0, 0, 0, ~0ULL, 1), SBI_SUCCESS);
	assert_true(model_hfence_count(1) >= before + 3);

	/* clear_ipi clears the caller's own SSIP */
	put64(HV_BUF, 1ULL << 0);
	model_set_csr(0, CSR_SSTATUS, 0);
	assert_sbi_error(SBI(0, SBI_EXT_LEGACY_SEND_IPI, 0, HV_BUF), SBI_SUCCESS);
	assert_true(mip(0) & MIP_SSIP);
	assert_sbi_error(SBI(0, SBI_EXT_LEGACY_CLEAR_IPI, 0), SBI_SUCCESS);
	assert_false(mip(0) & MIP_SSIP);
}

/* ---- PMU: cycle and instret ---- */

static void test_pmu_counters(void **state)
{
	(void)state;
	const uint64_t cycles = 0x00001, instructions = 0x00002, cache_miss = 0x00004;
	struct ret r = SBI(0, SBI_EXT_PMU, SBI_PMU_NUM_COUNTERS, 0);
	assert_int_equal(r.error, SBI_SUCCESS);
	assert_int_equal(r.value, 2);
	r = SBI(0, SBI_EXT_PMU, SBI_PMU_COUNTER_GET_INFO, 0);
	assert_int_equal(r.value, (63ULL << 12) | 0xc00);
	r = SBI(0, SBI_EXT_PMU, SBI_PMU_COUNTER_GET_INFO, 1);
	assert_int_equal(r.value, (63ULL << 12) | 0xc02);
	assert_sbi_error(SBI(0, SBI_EXT_PMU, SBI_PMU_COUNTER_GET_INFO, 2), SBI_ERR_INVALID_PARAM);
	assert_sbi_error(SBI(0, SBI_EXT_PMU, SBI_PMU_COUNTER_GET_INFO, ~0ULL), SBI_ERR_INVALID_PARAM);

	/* cycles: matched to counter 0, cleared and started in one call */
	model_set_csr(0, CSR_MCOUNTINHIBIT, 0x5);
	model_set_csr(0, CSR_MCYCLE, 1234);
	r = SBI(0, SBI_EXT_PMU, SBI_PMU_COUNTER_CONFIG_MATCHING, 0, 3, 0x6 /* clear, start */, cycles, 0);
	assert_int_equal(r.error, SBI_SUCCESS);
	assert_int_equal(r.value, 0);
	assert_int_equal(model_csr(0, CSR_MCYCLE), 0);
	assert_int_equal(model_csr(0, CSR_MCOUNTINHIBIT) & 1, 0);
	assert_sbi_error(SBI(0, SBI_EXT_PMU, SBI_PMU_COUNTER_START, 0, 1, 0, 0), SBI_ERR_ALREADY_STARTED);
	/* an event no counter has, and a counter outside the mask */
	assert_sbi_error(SBI(0, SBI_EXT_PMU, SBI_PMU_COUNTER_CONFIG_MATCHING, 0, 3, 0, cache_miss, 0),
			 SBI_ERR_NOT_SUPPORTED);
	assert_sbi_error(SBI(0, SBI_EXT_PMU, SBI_PMU_COUNTER_CONFIG_MATCHING, 0, 1, 0, instructions, 0),
			 SBI_ERR_NOT_SUPPORTED);
	assert_sbi_error(SBI(0, SBI_EXT_PMU, SBI_PMU_COUNTER_CONFIG_MATCHING, 5, 1, 0, cycles, 0),
			 SBI_ERR_INVALID_PARAM);
	assert_sbi_error(SBI(0, SBI_EXT_PMU, SBI_PMU_COUNTER_CONFIG_MATCHING, 0, 7, 0, cycles, 0),
			 SBI_ERR_INVALID_PARAM); /* names a counter that does not exist */
	/* instret, started later with an initial value */
	r = SBI(0, SBI_EXT_PMU, SBI_PMU_COUNTER_CONFIG_MATCHING, 0, 3, 0, instructions, 0);
	assert_int_equal(r.value, 1);
	assert_sbi_error(SBI(0, SBI_EXT_PMU, SBI_PMU_COUNTER_START, 1, 1, 1, 777), SBI_SUCCESS);
	assert_int_equal(model_csr(0, CSR_MINSTRET), 777);
	assert_int_equal(model_csr(0, CSR_MCOUNTINHIBIT) & 4, 0);
	/* stopping both, then again: all or nothing */
	assert_sbi_error(SBI(0, SBI_EXT_PMU, SBI_PMU_COUNTER_STOP, 0, 3, 1 /* reset */), SBI_SUCCESS);
	assert_int_equal(model_csr(0, CSR_MCOUNTINHIBIT) & 5, 5);
	assert_sbi_error(SBI(0, SBI_EXT_PMU, SBI_PMU_COUNTER_STOP, 0, 3, 0), SBI_ERR_INVALID_PARAM);
	assert_sbi_error(SBI(0, SBI_EXT_PMU, SBI_PMU_COUNTER_START, 0, 1, 0, 0), SBI_ERR_INVALID_PARAM);
	assert_sbi_error(SBI(0, SBI_EXT_PMU, SBI_PMU_COUNTER_FW_READ, 0), SBI_ERR_INVALID_PARAM);
	assert_sbi_error(SBI(0, SBI_EXT_PMU, 99, 0), SBI_ERR_NOT_SUPPORTED);
}

static void test_legacy_shutdown(void **state)
{
	(void)state;
	uint32_t reason = 99;
	SBI(0, SBI_EXT_LEGACY_SHUTDOWN, 0);
	assert_int_equal(model_reset_requested(&reason), SBI_SRST_TYPE_SHUTDOWN);
	assert_int_equal(reason, SBI_SRST_REASON_NONE);
}

static void test_legacy_console(void **state)
{
	(void)state;
	struct ret r = SBI(0, SBI_EXT_LEGACY_PUTCHAR, 0, 'A');

	assert_int_equal(r.error, 0);
	r = SBI(0, SBI_EXT_LEGACY_PUTCHAR, 0, 0xff00 | 'B');
	assert_int_equal(r.error, 0);
	assert_console("AB");

	r = SBI(0, SBI_EXT_LEGACY_GETCHAR, 0, 0);
	assert_int_equal(r.error, -1);
	model_console_input("z");
	r = SBI(0, SBI_EXT_LEGACY_GETCHAR, 0, 0);
	assert_int_equal(r.error, 'z');
	r = SBI(0, SBI_EXT_LEGACY_GETCHAR, 0, 0);
	assert_int_equal(r.error, -1);
	assert_invariants();
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_base_info),
		T(test_ecall_advances_pc),
		T(test_base_probe),
		T(test_unknown_fids),
		T(test_unknown_eid),
		T(test_time_set_timer),
		T(test_legacy_set_timer),
		T(test_time_hostile),
		T(test_ipi_self),
		T(test_ipi_other),
		T(test_ipi_all),
		T(test_ipi_stopped_target),
		T(test_ipi_bad_masks),
		T(test_rfence_all_fids),
		T(test_rfence_hostile),
		T(test_hsm_start_stop),
		T(test_hsm_stop_races_start),
		T(test_hsm_retentive_suspend),
		T(test_hsm_non_retentive_suspend),
		T(test_hsm_start_hostile),
		T(test_hsm_status_and_suspend),
		T(test_srst_hostile),
		T(test_srst_shutdown),
		T(test_srst_vendor_reason),
		T(test_dbcn_write),
		T(test_dbcn_write_long),
		T(test_dbcn_write_hostile),
		T(test_dbcn_read),
		T(test_dbcn_read_hostile),
		T(test_legacy_console),
		T(test_legacy_ipi_and_fences),
		T(test_legacy_shutdown),
		T(test_pmu_counters),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
