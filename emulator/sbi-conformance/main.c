/*
 * SBI conformance payload: runs in S-mode at 0x80200000 under the monitor or under
 * OpenSBI and prints one line per check:
 *   CHECK <extension> <name> <results> ok|BAD   results that both firmwares must agree on
 *   INFO <extension> <name> <results>            what may differ (versions, ids)
 * An extension a firmware lacks prints "CHECK <extension> unsupported"; the comparison
 * script then drops that extension's lines on both sides. The run ends with ALLPASS or
 * FAIL <count> and an SRST shutdown.
 */
#include <stdbool.h>
#include <stdint.h>

#include "sbi.h"
#include "sbi_call.h"

#define MAX_HARTS 8
#define UNKNOWN_EID 0x5A5A5A5AUL
#define BAD_HART 1000UL
#define MONITOR_ADDR 0x80000000UL
#define TIMEBASE_HZ 10000000UL /* QEMU virt */
#define SIP_SSIP (1UL << 1)
#define SIP_STIP (1UL << 5)
#define SIE_STIE (1UL << 5)
#define SSTATUS_SPP (1UL << 8)
#define SECONDARY_OPAQUE 0x5eed1234UL

void payload_main(unsigned long hartid, unsigned long fdt);
void payload_secondary(unsigned long hartid, unsigned long opaque);
void payload_resumed(unsigned long hartid, unsigned long opaque, unsigned long satp,
		     unsigned long sstatus);
extern char resume_entry[];
unsigned long s_trap(unsigned long scause, unsigned long sepc, unsigned long stval);
unsigned long probe_load(unsigned long addr);
void probe_store(unsigned long addr);
extern char secondary_entry[];

static int failures;

/* set by an expected access fault (s_trap), read by the check that caused it */
static volatile bool expect_fault;
static volatile unsigned long fault_cause, fault_tval;
static volatile bool fault_spp_s; /* sstatus.SPP said the fault came from S-mode */

/* written by a secondary hart, read by the boot hart */
static volatile unsigned long sec_entered, sec_hartid, sec_opaque;

static unsigned long read_time(void)
{
	unsigned long t;
	__asm__ __volatile__("rdtime %0" : "=r"(t));
	return t;
}

static unsigned long read_sip(void)
{
	unsigned long v;
	__asm__ __volatile__("csrr %0, sip" : "=r"(v));
	return v;
}

static void begin(const char *kind, const char *ext, const char *name)
{
	out_str(kind);
	out_char(' ');
	out_str(ext);
	out_char(' ');
	out_str(name);
}

static void field(const char *key, long v)
{
	out_char(' ');
	out_str(key);
	out_char('=');
	out_dec(v);
}

static void end(bool ok)
{
	out_str(ok ? " ok\n" : " BAD\n");
	if (!ok)
		failures++;
}

/* A call whose error code both must return; value only if `with_value`. */
static struct sbiret check_call(const char *ext, const char *name, struct sbiret r,
				long want_err, bool with_value, long want_value)
{
	begin("CHECK", ext, name);
	field("err", r.error);
	if (with_value)
		field("val", r.value);
	end(r.error == want_err && (!with_value || (long)r.value == want_value));
	return r;
}

static void info(const char *ext, const char *name, struct sbiret r)
{
	begin("INFO", ext, name);
	field("err", r.error);
	out_str(" val=");
	out_hex((unsigned long)r.value);
	out_char('\n');
}

static struct sbiret call(unsigned long eid, unsigned long fid, unsigned long a0,
			  unsigned long a1, unsigned long a2)
{
	return sbi_call(eid, fid, a0, a1, a2, 0, 0);
}

static long probe(unsigned long eid)
{
	return call(SBI_EXT_BASE, SBI_BASE_PROBE_EXT, eid, 0, 0).value;
}

static void test_base(void)
{
	struct sbiret spec = call(SBI_EXT_BASE, SBI_BASE_GET_SPEC_VERSION, 0, 0, 0);
	info("base", "spec_version", spec);
	info("base", "impl_id", call(SBI_EXT_BASE, SBI_BASE_GET_IMPL_ID, 0, 0, 0));
	info("base", "impl_version", call(SBI_EXT_BASE, SBI_BASE_GET_IMPL_VERSION, 0, 0, 0));

	/* probe and the v0.2+ extensions below exist from spec 0.2 on */
	long major = (spec.value >> 24) & 0x7f, minor = spec.value & 0xffffff;
	begin("CHECK", "base", "spec_at_least_0.2");
	field("err", spec.error);
	end(spec.error == 0 && (major > 0 || minor >= 2));

	check_call("base", "mvendorid", call(SBI_EXT_BASE, SBI_BASE_GET_MVENDORID, 0, 0, 0),
		   0, false, 0);
	check_call("base", "marchid", call(SBI_EXT_BASE, SBI_BASE_GET_MARCHID, 0, 0, 0), 0,
		   false, 0);
	check_call("base", "mimpid", call(SBI_EXT_BASE, SBI_BASE_GET_MIMPID, 0, 0, 0), 0,
		   false, 0);
	check_call("base", "unknown_fid", call(SBI_EXT_BASE, 0x77, 0, 0, 0),
		   SBI_ERR_NOT_SUPPORTED, false, 0);

	static const struct {
		const char *name;
		unsigned long eid;
	} exts[] = {
		{ "probe_base", SBI_EXT_BASE },   { "probe_legacy_putchar", SBI_EXT_LEGACY_PUTCHAR },
		{ "probe_time", SBI_EXT_TIME },   { "probe_ipi", SBI_EXT_IPI },
		{ "probe_rfence", SBI_EXT_RFENCE }, { "probe_hsm", SBI_EXT_HSM },
		{ "probe_srst", SBI_EXT_SRST },
	};
	for (unsigned i = 0; i < sizeof(exts) / sizeof(exts[0]); i++) {
		struct sbiret r = call(SBI_EXT_BASE, SBI_BASE_PROBE_EXT, exts[i].eid, 0, 0);
		begin("CHECK", "base", exts[i].name);
		field("err", r.error);
		field("present", r.value != 0);
		end(r.error == 0 && r.value != 0);
	}
	check_call("base", "probe_unknown",
		   call(SBI_EXT_BASE, SBI_BASE_PROBE_EXT, UNKNOWN_EID, 0, 0), 0, true, 0);
}

static bool wait_sip(unsigned long bit, unsigned long ticks)
{
	unsigned long start = read_time();
	while (read_time() - start < ticks)
		if (read_sip() & bit)
			return true;
	return false;
}

static void test_time(void)
{
	__asm__ __volatile__("csrs sie, %0" ::"r"(SIE_STIE));
	/* a deadline far ahead must not raise STIP, however slowly the host runs us */
	struct sbiret r = call(SBI_EXT_TIME, SBI_TIME_SET_TIMER, read_time() + 10 * TIMEBASE_HZ,
			       0, 0);
	bool early = (read_sip() & SIP_STIP) != 0;
	check_call("time", "set_timer", r, 0, false, 0);
	r = call(SBI_EXT_TIME, SBI_TIME_SET_TIMER, read_time() + TIMEBASE_HZ / 1000, 0, 0);
	bool raised = wait_sip(SIP_STIP, 2 * TIMEBASE_HZ);
	begin("CHECK", "time", "stip");
	field("err", r.error);
	field("early", early);
	field("raised", raised);
	end(r.error == 0 && !early && raised);

	r = call(SBI_EXT_TIME, SBI_TIME_SET_TIMER, ~0UL, 0, 0);
	bool cleared = !(read_sip() & SIP_STIP);
	begin("CHECK", "time", "stip_cleared_by_far_deadline");
	field("err", r.error);
	field("cleared", cleared);
	end(r.error == 0 && cleared);
	__asm__ __volatile__("csrc sie, %0" ::"r"(SIE_STIE));
}

static void test_ipi(unsigned long self)
{
	struct sbiret r = call(SBI_EXT_IPI, SBI_IPI_SEND_IPI, 1UL, self, 0);
	bool seen = wait_sip(SIP_SSIP, TIMEBASE_HZ);
	__asm__ __volatile__("csrc sip, %0" ::"r"(SIP_SSIP));
	begin("CHECK", "ipi", "self");
	field("err", r.error);
	field("ssip", seen);
	end(r.error == 0 && seen);

	check_call("ipi", "bad_base", call(SBI_EXT_IPI, SBI_IPI_SEND_IPI, 1UL, BAD_HART, 0),
		   SBI_ERR_INVALID_PARAM, false, 0);
	__asm__ __volatile__("csrc sip, %0" ::"r"(SIP_SSIP));
}

/* SBI v0.1 IPI and fences: the hart mask is behind a pointer (here physical: no paging). */
static void test_legacy(unsigned long self)
{
	static volatile unsigned long mask;
	mask = 1UL << self;
	struct sbiret r = call(SBI_EXT_LEGACY_SEND_IPI, 0, (unsigned long)&mask, 0, 0);
	bool seen = wait_sip(SIP_SSIP, TIMEBASE_HZ);
	struct sbiret cl = call(SBI_EXT_LEGACY_CLEAR_IPI, 0, 0, 0, 0);
	bool cleared = !(read_sip() & SIP_SSIP);
	begin("CHECK", "legacy", "send_ipi_clear_ipi");
	field("err", r.error);
	field("ssip", seen);
	field("clear_err", cl.error);
	field("cleared", cleared);
	end(r.error == 0 && seen && cl.error == 0 && cleared);
	check_call("legacy", "remote_fence_i_all", call(SBI_EXT_LEGACY_REMOTE_FENCE_I, 0, 0, 0, 0),
		   0, false, 0);
	check_call("legacy", "remote_sfence_vma_mask",
		   call(SBI_EXT_LEGACY_REMOTE_SFENCE_VMA, 0, (unsigned long)&mask, 0, ~0UL), 0, false, 0);
	check_call("legacy", "remote_sfence_vma_asid_mask",
		   sbi_call(SBI_EXT_LEGACY_REMOTE_SFENCE_VMA_ASID, 0, (unsigned long)&mask, 0, ~0UL, 1, 0),
		   0, false, 0);
}

static unsigned long read_cycle(void)
{
	unsigned long v;
	__asm__ __volatile__("rdcycle %0" : "=r"(v));
	return v;
}

/* SBI PMU: a cycle counter listed, configured for HW_CPU_CYCLES, started and stopped. */
static void test_pmu(void)
{
	if (probe(SBI_EXT_PMU) != 1) {
		out_str("INFO pmu absent\n");
		return;
	}
	struct sbiret n = call(SBI_EXT_PMU, SBI_PMU_NUM_COUNTERS, 0, 0, 0);
	long cycle_idx = -1;
	for (unsigned long i = 0; n.error == 0 && i < n.value && i < 64; i++) {
		struct sbiret info = call(SBI_EXT_PMU, SBI_PMU_COUNTER_GET_INFO, i, 0, 0);
		if (info.error == 0 && !(info.value >> 63) && (info.value & 0xfff) == 0xc00)
			cycle_idx = (long)i;
	}
	unsigned long all = n.value < 64 ? (1UL << n.value) - 1 : ~0UL;
	struct sbiret m = sbi_call(SBI_EXT_PMU, SBI_PMU_COUNTER_CONFIG_MATCHING, 0, all,
				   0x6 /* clear value, auto start */, 0x00001 /* HW_CPU_CYCLES */, 0);
	unsigned long a = read_cycle();
	for (volatile int i = 0; i < 1000; i++)
		;
	bool counts = read_cycle() > a;
	struct sbiret stop = call(SBI_EXT_PMU, SBI_PMU_COUNTER_STOP, m.value, 1, 1 /* reset */);
	struct sbiret again = call(SBI_EXT_PMU, SBI_PMU_COUNTER_STOP, m.value, 1, 0);
	begin("CHECK", "pmu", "cycle_counter");
	field("has_cycle", cycle_idx >= 0);
	field("matched", m.error == 0); /* which counter is the firmware's choice */
	field("counts", counts);
	field("stop_err", stop.error);
	field("stop_again_err", again.error != 0);
	end(n.error == 0 && cycle_idx >= 0 && m.error == 0 && counts &&
	    stop.error == 0 && again.error != 0);
	check_call("pmu", "get_info_bad_counter",
		   call(SBI_EXT_PMU, SBI_PMU_COUNTER_GET_INFO, 1UL << 20, 0, 0), SBI_ERR_INVALID_PARAM, false, 0);
}

static void test_rfence(unsigned long self)
{
	check_call("rfence", "fence_i_self",
		   call(SBI_EXT_RFENCE, SBI_RFENCE_FENCE_I, 1UL, self, 0), 0, false, 0);
	check_call("rfence", "sfence_vma_self",
		   sbi_call(SBI_EXT_RFENCE, SBI_RFENCE_SFENCE_VMA, 1UL, self, 0, ~0UL, 0), 0,
		   false, 0);
	check_call("rfence", "sfence_vma_all",
		   sbi_call(SBI_EXT_RFENCE, SBI_RFENCE_SFENCE_VMA, 0, ~0UL, 0, ~0UL, 0), 0,
		   false, 0);
}

static long hart_status(unsigned long hart)
{
	return call(SBI_EXT_HSM, SBI_HSM_HART_GET_STATUS, hart, 0, 0).value;
}

static bool wait_status(unsigned long hart, long want)
{
	unsigned long start = read_time();
	while (read_time() - start < TIMEBASE_HZ)
		if (hart_status(hart) == want)
			return true;
	return false;
}

/* Starts `other`, which records its arguments and stops itself. */
static void start_and_wait(const char *name, unsigned long other)
{
	unsigned long before = sec_entered;
	struct sbiret r = call(SBI_EXT_HSM, SBI_HSM_HART_START, other,
			       (unsigned long)secondary_entry, SECONDARY_OPAQUE);
	unsigned long start = read_time();
	while (sec_entered == before && read_time() - start < TIMEBASE_HZ)
		;
	bool entered = sec_entered != before;
	bool args_ok = entered && sec_hartid == other && sec_opaque == SECONDARY_OPAQUE;
	bool stopped = wait_status(other, SBI_HSM_STATE_STOPPED);
	begin("CHECK", "hsm", name);
	field("err", r.error);
	field("entered", entered);
	field("args_ok", args_ok);
	field("stopped_again", stopped);
	end(r.error == 0 && entered && args_ok && stopped);
}

static void test_hsm(unsigned long self)
{
	/* one line for this hart, one for all others: which hart boots varies per run */
	unsigned long nr = 0, others_stopped = 0;
	struct sbiret mine = { SBI_ERR_FAILED, -1 };
	for (unsigned long h = 0; h < MAX_HARTS; h++) {
		struct sbiret r = call(SBI_EXT_HSM, SBI_HSM_HART_GET_STATUS, h, 0, 0);
		if (r.error == SBI_ERR_INVALID_PARAM)
			break;
		nr++;
		if (h == self)
			mine = r;
		else if (r.error == 0 && r.value == SBI_HSM_STATE_STOPPED)
			others_stopped++;
	}
	check_call("hsm", "status_self", mine, 0, true, SBI_HSM_STATE_STARTED);
	begin("CHECK", "hsm", "status_others");
	field("harts", (long)nr);
	field("others_stopped", (long)others_stopped);
	end(nr >= 1 && others_stopped == nr - 1);
	check_call("hsm", "status_bad_hart",
		   call(SBI_EXT_HSM, SBI_HSM_HART_GET_STATUS, BAD_HART, 0, 0),
		   SBI_ERR_INVALID_PARAM, false, 0);
	check_call("hsm", "start_self",
		   call(SBI_EXT_HSM, SBI_HSM_HART_START, self, (unsigned long)secondary_entry, 0),
		   SBI_ERR_ALREADY_AVAILABLE, false, 0);
	check_call("hsm", "start_bad_hart",
		   call(SBI_EXT_HSM, SBI_HSM_HART_START, BAD_HART, (unsigned long)secondary_entry, 0),
		   SBI_ERR_INVALID_PARAM, false, 0);
	if (nr < 2) {
		out_str("INFO hsm secondary_start skipped (one hart)\n");
		return;
	}
	unsigned long other = self == 0 ? 1 : 0;
	check_call("hsm", "start_into_firmware",
		   call(SBI_EXT_HSM, SBI_HSM_HART_START, other, MONITOR_ADDR, 0),
		   SBI_ERR_INVALID_ADDRESS, false, 0);
	start_and_wait("start_other", other);
	start_and_wait("restart_other", other);
}

void payload_secondary(unsigned long hartid, unsigned long opaque)
{
	sec_hartid = hartid;
	sec_opaque = opaque;
	__atomic_fetch_add(&sec_entered, 1, __ATOMIC_RELEASE);
	call(SBI_EXT_HSM, SBI_HSM_HART_STOP, 0, 0, 0);
	out_str("FAIL hart_stop returned\n");
	for (;;)
		__asm__ __volatile__("wfi");
}

static void test_dbcn(void)
{
	static const char msg[] = "dbcn hello\n";
	if (!probe(SBI_EXT_DBCN)) {
		out_str("CHECK dbcn unsupported\n");
		return;
	}
	check_call("dbcn", "write",
		   call(SBI_EXT_DBCN, SBI_DBCN_CONSOLE_WRITE, sizeof(msg) - 1, (unsigned long)msg, 0),
		   0, true, (long)sizeof(msg) - 1);
	check_call("dbcn", "write_firmware_memory",
		   call(SBI_EXT_DBCN, SBI_DBCN_CONSOLE_WRITE, 16, MONITOR_ADDR, 0),
		   SBI_ERR_INVALID_PARAM, false, 0);
	check_call("dbcn", "write_byte", call(SBI_EXT_DBCN, SBI_DBCN_CONSOLE_WRITE_BYTE, '\n', 0, 0),
		   0, false, 0);
}

static void check_fault(const char *name, bool store, unsigned long addr, unsigned long want)
{
	fault_cause = 0;
	fault_tval = 0;
	fault_spp_s = false;
	expect_fault = true;
	if (store)
		probe_store(addr);
	else
		(void)probe_load(addr);
	expect_fault = false;
	begin("CHECK", "pmp", name);
	field("scause", (long)fault_cause);
	field("stval_ok", fault_tval == addr);
	field("from_s", fault_spp_s);
	end(fault_cause == want && fault_tval == addr && fault_spp_s);
}

unsigned long s_trap(unsigned long scause, unsigned long sepc, unsigned long stval)
{
	if (expect_fault && !(scause >> 63)) {
		unsigned long sstatus;
		__asm__ __volatile__("csrr %0, sstatus" : "=r"(sstatus));
		fault_cause = scause;
		fault_tval = stval;
		fault_spp_s = (sstatus & SSTATUS_SPP) != 0;
		expect_fault = false;
		/* a firmware that reports the wrong previous mode must not drop us to U */
		__asm__ __volatile__("csrs sstatus, %0" ::"r"(SSTATUS_SPP));
		return sepc + 4;
	}
	out_str("FAIL unexpected trap scause=");
	out_hex(scause);
	out_str(" sepc=");
	out_hex(sepc);
	out_str(" stval=");
	out_hex(stval);
	out_char('\n');
	call(SBI_EXT_SRST, SBI_SRST_SYSTEM_RESET, SBI_SRST_TYPE_SHUTDOWN, SBI_SRST_REASON_FAILURE, 0);
	for (;;)
		__asm__ __volatile__("wfi");
}

/*
 * HSM suspend, woken by the timer (sie.STIE on, sstatus.SIE off: the interrupt ends the
 * suspend without being taken). The type is 32 bits wide: bit 32 set must still mean the
 * default retentive suspend.
 */
#define SUSPEND_WAKE_TICKS (TIMEBASE_HZ / 100)
#define RESUME_OPAQUE 0x5e5e5e5eUL
static unsigned long suspend_deadline;

static void arm_wake_timer(void)
{
	__asm__ __volatile__("csrs sie, %0" ::"r"(SIE_STIE));
	suspend_deadline = read_time() + SUSPEND_WAKE_TICKS;
	call(SBI_EXT_TIME, SBI_TIME_SET_TIMER, suspend_deadline, 0, 0);
}

static void test_suspend_retentive(void)
{
	arm_wake_timer();
	struct sbiret r = call(SBI_EXT_HSM, SBI_HSM_HART_SUSPEND, 1UL << 32, 0, 0);
	bool after = read_time() >= suspend_deadline;
	call(SBI_EXT_TIME, SBI_TIME_SET_TIMER, ~0UL, 0, 0);
	__asm__ __volatile__("csrc sie, %0" ::"r"(SIE_STIE));
	begin("CHECK", "hsm", "suspend_retentive_32bit_type");
	field("err", r.error);
	field("woke_after_deadline", after);
	end(r.error == 0 && after);
	check_call("hsm", "suspend_reserved_type",
		   call(SBI_EXT_HSM, SBI_HSM_HART_SUSPEND, 1, 0, 0), SBI_ERR_INVALID_PARAM, false, 0);
}

static void finish(void)
{
	if (failures == 0) {
		out_str("ALLPASS\n");
		call(SBI_EXT_SRST, SBI_SRST_SYSTEM_RESET, SBI_SRST_TYPE_SHUTDOWN, SBI_SRST_REASON_NONE, 0);
	} else {
		out_str("FAIL ");
		out_dec(failures);
		out_char('\n');
		call(SBI_EXT_SRST, SBI_SRST_SYSTEM_RESET, SBI_SRST_TYPE_SHUTDOWN,
		     SBI_SRST_REASON_FAILURE, 0);
	}
	out_str("FAIL srst returned\n");
}

static unsigned long suspended_hart;

/* The last test: a non-retentive suspend does not return, the run goes on here. */
static void test_suspend_non_retentive(unsigned long hartid)
{
	suspended_hart = hartid;
	arm_wake_timer();
	struct sbiret r = call(SBI_EXT_HSM, SBI_HSM_HART_SUSPEND, 0x180000000UL,
			       (unsigned long)resume_entry, RESUME_OPAQUE);
	begin("CHECK", "hsm", "suspend_non_retentive");
	field("err", r.error);
	field("returned", 1);
	end(false);
	finish();
}

void payload_resumed(unsigned long hartid, unsigned long opaque, unsigned long satp,
		     unsigned long sstatus)
{
	bool after = read_time() >= suspend_deadline;
	call(SBI_EXT_TIME, SBI_TIME_SET_TIMER, ~0UL, 0, 0);
	__asm__ __volatile__("csrc sie, %0" ::"r"(SIE_STIE));
	begin("CHECK", "hsm", "suspend_non_retentive");
	field("hartid_ok", hartid == suspended_hart);
	field("opaque_ok", opaque == RESUME_OPAQUE);
	field("satp", (long)satp);
	field("sie", (long)(sstatus & 2));
	field("woke_after_deadline", after);
	end(hartid == suspended_hart && opaque == RESUME_OPAQUE && satp == 0 && !(sstatus & 2) && after);
	finish();
}

void payload_main(unsigned long hartid, unsigned long fdt)
{
	out_str("sbi-conformance: hart ");
	out_dec((long)hartid);
	out_str(" fdt ");
	out_hex(fdt);
	out_char('\n');

	test_base();
	test_time();
	test_ipi(hartid);
	test_rfence(hartid);
	test_legacy(hartid);
	test_pmu();
	test_hsm(hartid);
	test_dbcn();
	check_fault("load_firmware", false, MONITOR_ADDR, 5);
	check_fault("store_firmware", true, MONITOR_ADDR, 7);
	check_call("legacy", "getchar_empty", call(SBI_EXT_LEGACY_GETCHAR, 0, 0, 0, 0), -1,
		   false, 0);
	check_call("unknown", "eid", call(UNKNOWN_EID, 0, 0, 0, 0), SBI_ERR_NOT_SUPPORTED, false, 0);
	check_call("srst", "bad_type",
		   call(SBI_EXT_SRST, SBI_SRST_SYSTEM_RESET, 0x1234, SBI_SRST_REASON_NONE, 0),
		   SBI_ERR_INVALID_PARAM, false, 0);

	test_suspend_retentive();
	test_suspend_non_retentive(hartid);
}
