/*
 * The test guest: a VS-mode program the demo hypervisor promotes to a CVM. It keeps
 * secrets in memory, in every general-purpose register and in every FP register, and
 * after every exit checks that none of them changed and that the answers it got are
 * the ones the device and the hypervisor must give. It prints progress through
 * forwarded console hypercalls (never a secret value) and reports the verdict with an
 * SRST shutdown: reason 0 = every check passed.
 */
#include <stdbool.h>
#include <stdint.h>

#include "attest.h"
#include "cove.h"
#include "guest_abi.h"
#include "probe.h"
#include "sbi.h"

#define SIE_STIE (1UL << 5)
#define SCAUSE_INTR (1UL << 63)
#define IRQ_S_TIMER 5
#define REG_A0 10
#define REG_A1 11
#define REG_A2 12
#define BIT(n) (1UL << (n))
#define TICKS_WANTED 3
#define VCPU1_HYPERCALLS 16
#define VCPU1_OPAQUE 0x5ec0dd11UL

void guest_main(unsigned long vcpu, unsigned long fdt);
void guest_secondary(unsigned long vcpu, unsigned long opaque);
void guest_trap(struct vcpu_area *area, unsigned long scause, unsigned long sepc);
extern char secondary_entry[];

struct vcpu_area vcpu_areas[GUEST_VCPUS];
static volatile uint64_t secret_mem[SECRET_MEM_WORDS];
static volatile uint64_t ticks;
static volatile uint64_t vcpu1_done;
static unsigned failures;        /* vCPU 0's count; vCPU 1 adds through the atomic */
static unsigned rounds[GUEST_VCPUS]; /* rotates which secret sits in which register */
static struct dev_req *const queue_req = (struct dev_req *)SHARED_GPA;
static struct dev_resp *const queue_resp = (struct dev_resp *)(SHARED_GPA + DEV_RESP_OFF);

static unsigned current_vcpu(void)
{
	unsigned long area;
	__asm__ __volatile__("csrr %0, sscratch" : "=r"(area));
	return area == (unsigned long)&vcpu_areas[1] ? 1 : 0;
}

static void fail_count(void)
{
	__atomic_fetch_add(&failures, 1U, __ATOMIC_RELAXED);
}

/* ---- probes and the integrity check ---- */

static void probe_prepare(struct probe *p, unsigned vcpu)
{
	unsigned r = rounds[vcpu]++;
	for (unsigned i = 1; i < 32; i++)
		p->in[i] = secret_value(SECRET_GPR_BASE(vcpu) + (i + r) % 32);
	for (unsigned i = 0; i < 32; i++)
		p->fin[i] = secret_value(SECRET_FPR_BASE(vcpu) + (i + r + 7) % 32);
	p->fcsr_in = (r * 0x25U + 0x41U) & 0xff; /* frm and fflags, both architectural */
}

static void out_raw(const char *s);

/* Mismatches between what the probe loaded and what came back, except `allowed`. */
static unsigned probe_mismatches(const struct probe *p, uint32_t allowed, bool quiet)
{
	unsigned bad = 0;
	for (unsigned i = 1; i < 32; i++) {
		if ((allowed & BIT(i)) || p->out[i] == p->in[i])
			continue;
		bad++;
		if (!quiet) { /* the name only: the values are secrets */
			static const char *const names[32] = {
				"x0", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0",
				"a1", "a2", "a3", "a4", "a5", "a6", "a7", "s2", "s3", "s4", "s5",
				"s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6" };
			out_raw("guest: FAIL register ");
			out_raw(names[i]);
			out_raw(" changed across an exit\n");
		}
	}
	for (unsigned i = 0; i < 32; i++)
		if (p->fout[i] != p->fin[i]) {
			bad++;
			if (!quiet)
				out_raw("guest: FAIL an FP register changed across an exit\n");
		}
	if (p->fcsr_out != p->fcsr_in) {
		bad++;
		if (!quiet)
			out_raw("guest: FAIL fcsr changed across an exit\n");
	}
	return bad;
}

static unsigned memory_mismatches(void)
{
	unsigned bad = 0;
	for (unsigned i = 0; i < SECRET_MEM_WORDS; i++)
		bad += secret_mem[i] != secret_value(i);
	return bad;
}

/* After every probe: registers, FP state and the memory secrets. */
static void integrity_check(const struct probe *p, uint32_t allowed)
{
	unsigned bad = probe_mismatches(p, allowed, false);
	if (memory_mismatches()) {
		out_raw("guest: FAIL memory secrets changed\n");
		bad++;
	}
	if (bad)
		fail_count();
}

struct ret {
	long error;
	unsigned long value;
};

/* a0..a5 as given; all of a0..a7 travel to the hypervisor (or the monitor, for COVG) */
static struct ret ecall_args(unsigned long eid, unsigned long fid, const unsigned long a[6])
{
	struct probe p;
	unsigned vcpu = current_vcpu();
	probe_prepare(&p, vcpu);
	for (unsigned i = 0; i < 6; i++)
		p.in[10 + i] = a[i];
	p.in[16] = fid;
	p.in[17] = eid;
	struct vcpu_area *area = &vcpu_areas[vcpu];
	struct probe *outer = area->cur; /* an interrupt may arrive inside probe_spin */
	probe_ecall(&p);
	area->cur = outer;
	integrity_check(&p, BIT(REG_A0) | BIT(REG_A1));
	return (struct ret){ .error = (long)p.out[10], .value = p.out[11] };
}

static struct ret ecall6(unsigned long eid, unsigned long fid, unsigned long a0,
			 unsigned long a1, unsigned long a2)
{
	const unsigned long a[6] = { a0, a1, a2, 0, 0, 0 };
	return ecall_args(eid, fid, a);
}

static void out_raw(const char *s)
{
	/* each character is one forwarded hypercall, each checked like any other exit */
	while (*s)
		ecall6(SBI_EXT_LEGACY_PUTCHAR, 0, (unsigned char)*s++, 0, 0);
}

static void out_dec(unsigned long v)
{
	char buf[24];
	unsigned i = sizeof(buf);
	buf[--i] = '\0';
	do {
		buf[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	out_raw(&buf[i]);
}

static void out_hex(unsigned long v)
{
	static const char digits[] = "0123456789abcdef";
	char buf[19];
	unsigned n = 0;
	buf[n++] = '0';
	buf[n++] = 'x';
	int shift = 60;
	while (shift > 0 && !((v >> shift) & 0xf))
		shift -= 4;
	for (; shift >= 0; shift -= 4)
		buf[n++] = digits[(v >> shift) & 0xf];
	buf[n] = '\0';
	out_raw(buf);
}

static void expect(bool ok, const char *what)
{
	if (ok)
		return;
	out_raw("guest: FAIL ");
	out_raw(what);
	out_raw("\n");
	fail_count();
}

static unsigned long mmio(void (*op)(struct probe *), unsigned long gpa, unsigned long val)
{
	struct probe p;
	probe_prepare(&p, current_vcpu());
	p.in[10] = gpa;
	bool load = op == probe_lbu || op == probe_lw || op == probe_ld;
	if (!load)
		p.in[11] = val;
	op(&p);
	integrity_check(&p, load ? BIT(REG_A1) : 0);
	return p.out[11];
}

/* Waits with interrupts on until *counter >= target. */
static void spin_until(volatile uint64_t *counter, uint64_t target)
{
	struct probe p;
	probe_prepare(&p, current_vcpu());
	p.in[10] = (unsigned long)counter;
	p.in[11] = target;
	probe_spin(&p);
	integrity_check(&p, BIT(REG_A2));
}

/* ---- the checker must be able to fail ---- */

static void checker_self_test(void)
{
	struct probe p;
	probe_prepare(&p, 0);
	for (unsigned i = 10; i < 16; i++) /* a0..a7 travel to the hypervisor */
		p.in[i] = 0;
	p.in[16] = GUEST_FID_CONFIG;
	p.in[17] = GUEST_EID;
	probe_ecall(&p);
	unsigned clean = probe_mismatches(&p, BIT(REG_A0) | BIT(REG_A1), true);
	p.out[17] ^= 1; /* as if a7 had come back changed */
	unsigned gpr = probe_mismatches(&p, BIT(REG_A0) | BIT(REG_A1), true);
	p.out[17] ^= 1;
	p.fout[9] ^= 1UL << 40;
	unsigned fpr = probe_mismatches(&p, BIT(REG_A0) | BIT(REG_A1), true);
	p.fout[9] ^= 1UL << 40;
	secret_mem[5] ^= 4;
	unsigned mem = memory_mismatches();
	secret_mem[5] ^= 4;
	bool ok = clean == 0 && gpr == 1 && fpr == 1 && mem == 1 && memory_mismatches() == 0;
	expect(ok, "checker self-test: a planted change went unnoticed");
	if (ok)
		out_raw("guest: checker self-test ok (planted GPR, FP and memory changes detected)\n");
}

/* ---- the phases ---- */

static void device_phase(void)
{
	uint32_t magic = (uint32_t)mmio(probe_lw, DEV_GPA + DEV_REG_MAGIC, 0);
	uint32_t version = (uint32_t)mmio(probe_lw, DEV_GPA + DEV_REG_VERSION, 0);
	uint32_t id = (uint32_t)mmio(probe_lw, DEV_GPA + DEV_REG_DEVICE_ID, 0);
	uint64_t features = mmio(probe_ld, DEV_GPA + DEV_REG_FEATURES, 0);
	expect(magic == DEV_MAGIC && version == DEV_VERSION && id == DEV_DEVICE_ID,
	       "device identification registers");
	expect(features == DEV_FEATURES, "device 64-bit feature register");
	char cfg[sizeof(DEV_CONFIG_STR)];
	for (unsigned i = 0; i + 1 < sizeof(cfg); i++)
		cfg[i] = (char)mmio(probe_lbu, DEV_GPA + DEV_REG_CONFIG + i, 0);
	cfg[sizeof(cfg) - 1] = '\0';
	bool cfg_ok = true;
	for (unsigned i = 0; i < sizeof(cfg); i++)
		cfg_ok &= cfg[i] == DEV_CONFIG_STR[i];
	expect(cfg_ok, "device config bytes");
	out_raw("guest: device magic ");
	out_hex(magic);
	out_raw(" version ");
	out_dec(version);
	out_raw(" id ");
	out_hex(id);
	out_raw(" config \"");
	out_raw(cfg);
	out_raw("\"\n");

	mmio(probe_sd, DEV_GPA + DEV_REG_QUEUE_ADDR, SHARED_GPA);
	expect(mmio(probe_ld, DEV_GPA + DEV_REG_QUEUE_ADDR, 0) == SHARED_GPA, "queue address read back");
	static const char *const msgs[] = { "hello device", "confidential? no, shared", "abc" };
	for (unsigned m = 0; m < 3; m++) {
		const char *s = msgs[m];
		uint32_t len = 0, sum = 0;
		while (s[len]) {
			queue_req->data[len] = (uint8_t)s[len];
			sum += (uint8_t)s[len];
			len++;
		}
		queue_req->len = len;
		queue_req->id = 100 + m;
		mmio(probe_sw, DEV_GPA + DEV_REG_NOTIFY, 100 + m);
		uint32_t st = (uint32_t)mmio(probe_lw, DEV_GPA + DEV_REG_INT_STATUS, 0);
		bool ok = (st & 1) && queue_resp->id == 100 + m && queue_resp->len == len &&
			  queue_resp->sum == sum;
		for (uint32_t i = 0; ok && i < len; i++)
			ok = queue_resp->data[i] == (uint8_t)s[len - 1 - i];
		expect(ok, "device response in the shared page");
		mmio(probe_sw, DEV_GPA + DEV_REG_INT_ACK, 1);
	}
	expect(((uint32_t)mmio(probe_lw, DEV_GPA + DEV_REG_INT_STATUS, 0) & 1) == 0, "interrupt ack");
	out_raw("guest: 3 device requests answered through the shared page\n");
}

static void timer_phase(void)
{
	struct ret r = ecall6(SBI_EXT_COVG, COVG_ALLOW_EXTERNAL_INTERRUPT, TVM_IRQ_VSTI, 0, 0);
	expect(r.error == SBI_SUCCESS, "COVG allow VSTI");
	r = ecall6(GUEST_EID, GUEST_FID_WANT_TICKS, TICKS_WANTED, 0, 0);
	expect(r.error == SBI_SUCCESS, "want_ticks");
	__asm__ __volatile__("csrs sie, %0" ::"r"(SIE_STIE));
	spin_until(&ticks, TICKS_WANTED);
	__asm__ __volatile__("csrc sie, %0" ::"r"(SIE_STIE));
	r = ecall6(SBI_EXT_COVG, COVG_DENY_EXTERNAL_INTERRUPT, TVM_IRQ_VSTI, 0, 0);
	expect(r.error == SBI_SUCCESS, "COVG deny VSTI");
	out_raw("guest: took ");
	out_dec(ticks);
	out_raw(" injected timer interrupts\n");
}

static void second_vcpu_phase(void)
{
	struct ret r = ecall6(SBI_EXT_HSM, SBI_HSM_HART_START, 1, (unsigned long)secondary_entry,
			      VCPU1_OPAQUE);
	expect(r.error == SBI_SUCCESS, "HSM hart_start of vCPU 1");
	if (r.error != SBI_SUCCESS)
		return;
	spin_until(&vcpu1_done, 1);
	out_raw("guest: vCPU 1 finished\n");
}

static void bench_phase(void)
{
	struct ret r = ecall6(GUEST_EID, GUEST_FID_BENCH, 1, 0, 0);
	expect(r.error == SBI_SUCCESS, "bench begin");
	bench_hypercall_loop(GUEST_BENCH_ITERS, GUEST_EID, GUEST_FID_BENCH_NOP);
	bench_mmio_loop(GUEST_BENCH_ITERS, DEV_GPA + DEV_REG_MAGIC);
	r = ecall6(GUEST_EID, GUEST_FID_BENCH, 0, 0, 0);
	expect(r.error == SBI_SUCCESS, "bench end");
	out_raw("guest: benchmark loops done (");
	out_dec(GUEST_BENCH_ITERS);
	out_raw(" hypercalls, ");
	out_dec(GUEST_BENCH_ITERS);
	out_raw(" MMIO loads)\n");
}

/*
 * Attestation: the relying party's challenge comes in through the shared page (the
 * hypervisor carries it, and may change it: the relying party checks it), is copied
 * into private memory, and the monitor signs the evidence there; only then is it
 * copied out for the hypervisor to pass on. Without an endorsement seed the monitor
 * offers no evidence format, and the phase is skipped.
 */
static uint8_t attest_in[4096] __attribute__((aligned(4096)));
static uint8_t attest_out[4096] __attribute__((aligned(4096)));

static void attest_phase(void)
{
	volatile uint8_t *shared = (volatile uint8_t *)SHARED_GPA;
	struct ret r = ecall6(SBI_EXT_COVG, COVG_GET_ATTCAPS, (unsigned long)attest_out,
			      sizeof(attest_out), 0);
	expect(r.error == SBI_SUCCESS && r.value == sizeof(struct attest_caps), "COVG get_attcaps");
	const struct attest_caps *caps = (const struct attest_caps *)attest_out;
	if (r.error != SBI_SUCCESS || !(caps->certificate_formats & ATTEST_FORMAT_CSEV1)) {
		out_raw("guest: attestation: no evidence format offered (no endorsement seed), skipped\n");
		return;
	}

	for (unsigned i = 0; i < ATTEST_MR_SIZE; i++)
		attest_in[i] = (uint8_t)(i ^ GUEST_EXTEND_XOR);
	r = ecall6(SBI_EXT_COVG, COVG_EXTEND_MEASUREMENT, (unsigned long)attest_in, ATTEST_MR_SIZE,
		   GUEST_EXTEND_INDEX);
	expect(r.error == SBI_SUCCESS, "COVG extend_measurement");

	r = ecall6(GUEST_EID, GUEST_FID_CHALLENGE, 0, 0, 0);
	expect(r.error == SBI_SUCCESS && r.value == GUEST_CHALLENGE_SIZE, "challenge from the hypervisor");
	if (r.error != SBI_SUCCESS)
		return;
	for (unsigned i = 0; i < GUEST_CHALLENGE_SIZE; i++)
		attest_in[i] = shared[i];

	const unsigned long a[6] = { 0, 0, (unsigned long)attest_in, ATTEST_FORMAT_CSEV1,
				     (unsigned long)attest_out, sizeof(attest_out) };
	r = ecall_args(SBI_EXT_COVG, COVG_GET_EVIDENCE, a);
	bool ok = r.error == SBI_SUCCESS && r.value == EVID_SIZE;
	for (unsigned i = 0; ok && i < GUEST_CHALLENGE_SIZE; i++)
		ok = attest_out[EVID_OFF_CHALLENGE + i] == attest_in[i];
	expect(ok, "COVG get_evidence: 864 bytes carrying my challenge");
	if (!ok)
		return;
	for (unsigned i = 0; i < EVID_SIZE; i++)
		shared[i] = attest_out[i];
	r = ecall6(GUEST_EID, GUEST_FID_EVIDENCE, EVID_SIZE, 0, 0);
	expect(r.error == SBI_SUCCESS, "evidence handed to the hypervisor");
	out_raw("guest: attestation: evidence for the relying party's challenge handed out (");
	out_dec(EVID_SIZE);
	out_raw(" bytes)\n");
}

void guest_main(unsigned long vcpu, unsigned long fdt)
{
	for (unsigned i = 0; i < SECRET_MEM_WORDS; i++)
		secret_mem[i] = secret_value(i);
	out_raw("guest: vCPU ");
	out_dec(vcpu);
	out_raw(" up, device tree at ");
	out_hex(fdt);
	out_raw(", secrets planted in memory, GPRs and FP registers\n");
	expect(vcpu == 0 && fdt == GUEST_FDT_GPA, "boot registers a0/a1");
	checker_self_test();

	struct ret cfg = ecall6(GUEST_EID, GUEST_FID_CONFIG, 0, 0, 0);
	expect(cfg.error == SBI_SUCCESS, "config hypercall");

	struct ret r = ecall6(SBI_EXT_COVG, COVG_ADD_MMIO_REGION, DEV_GPA, DEV_SIZE, 0);
	expect(r.error == SBI_SUCCESS, "COVG add_mmio_region");
	r = ecall6(SBI_EXT_COVG, COVG_SHARE_MEMORY_REGION, SHARED_GPA, SHARED_SIZE, 0);
	expect(r.error == SBI_SUCCESS, "COVG share_memory_region");
	out_raw("guest: MMIO region and shared page registered\n");
	bool shared = r.error == SBI_SUCCESS;
	if (shared)
		device_phase();
	timer_phase();
	second_vcpu_phase();
	if (cfg.value & GUEST_CFG_BENCH)
		bench_phase();
	if (shared)
		attest_phase();
	r = ecall6(SBI_EXT_COVG, COVG_UNSHARE_MEMORY_REGION, SHARED_GPA, SHARED_SIZE, 0);
	expect(r.error == SBI_SUCCESS, "COVG unshare_memory_region");

	unsigned total = __atomic_load_n(&failures, __ATOMIC_RELAXED);
	out_raw(total ? "guest: integrity FAIL, " : "guest: integrity ok, ");
	out_dec(total);
	out_raw(" failed checks\n");
	ecall6(SBI_EXT_SRST, SBI_SRST_SYSTEM_RESET, SBI_SRST_TYPE_SHUTDOWN,
	       total ? SBI_SRST_REASON_FAILURE : SBI_SRST_REASON_NONE, 0);
	out_raw("guest: FAIL resumed after shutdown\n");
	for (;;)
		__asm__ __volatile__("wfi");
}

void guest_secondary(unsigned long vcpu, unsigned long opaque)
{
	out_raw("guest: vCPU ");
	out_dec(vcpu);
	out_raw(" up\n");
	expect(vcpu == 1 && opaque == VCPU1_OPAQUE, "secondary start registers");
	for (unsigned i = 0; i < VCPU1_HYPERCALLS; i++) {
		struct ret r = ecall6(GUEST_EID, GUEST_FID_CONFIG, 0, 0, 0);
		expect(r.error == SBI_SUCCESS, "vCPU 1 hypercall");
	}
	for (unsigned i = 0; i < 4; i++)
		expect((uint32_t)mmio(probe_lw, DEV_GPA + DEV_REG_MAGIC, 0) == DEV_MAGIC,
		       "vCPU 1 MMIO load");
	expect(memory_mismatches() == 0, "memory secrets seen from vCPU 1");
	out_raw("guest: vCPU 1 done: ");
	out_dec(VCPU1_HYPERCALLS);
	out_raw(" hypercalls and 4 MMIO loads checked\n");
	__atomic_store_n(&vcpu1_done, 1, __ATOMIC_RELEASE);
	ecall6(SBI_EXT_HSM, SBI_HSM_HART_STOP, 0, 0, 0);
	out_raw("guest: FAIL vCPU 1 resumed after hart_stop\n");
	fail_count();
	for (;;)
		__asm__ __volatile__("wfi");
}

/* The VS timer interrupt the hypervisor injects: count it and tell it to stop. */
void guest_trap(struct vcpu_area *area, unsigned long scause, unsigned long sepc)
{
	(void)area;
	if (scause == (SCAUSE_INTR | IRQ_S_TIMER)) {
		ticks++;
		ecall6(GUEST_EID, GUEST_FID_TICK_ACK, 0, 0, 0);
		return;
	}
	out_raw("guest: FAIL unexpected trap, scause ");
	out_hex(scause);
	out_raw(" sepc ");
	out_hex(sepc);
	out_raw("\n");
	ecall6(SBI_EXT_SRST, SBI_SRST_SYSTEM_RESET, SBI_SRST_TYPE_SHUTDOWN, SBI_SRST_REASON_FAILURE, 0);
	for (;;)
		__asm__ __volatile__("wfi");
}
