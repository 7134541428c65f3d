/*
 * Answers to a CVM's exits: forwarded hypercalls (console, the guest's own calls, HSM,
 * the final SRST), MMIO loads and stores for the device, shared-page requests, and
 * the interrupts that ended a turn. What is answered here reaches the guest on its
 * vCPU's next run (struct hv_answer).
 */
#include "cove.h"
#include "hv.h"
#include "sbi.h"

#define SIP_STIP (1UL << 5)
#define SIP_SSIP (1UL << 1)
#define MCAUSE_INTR (1UL << 63)

static uint8_t share_pool[SHARED_SIZE] __attribute__((aligned(4096)));

static void console_char(struct hv_cvm *c, unsigned vcpu, char ch)
{
	struct hv_vcpu *v = &c->vcpu[vcpu];
	if (ch != '\n' && v->line_len + 1 < sizeof(v->line)) {
		v->line[v->line_len++] = ch;
		return;
	}
	v->line[v->line_len] = '\0';
	con_lock();
	con_puts("  [cvm ");
	con_put_dec(c->id);
	con_puts(" vcpu ");
	con_put_dec(vcpu);
	con_puts("] ");
	con_puts(v->line);
	con_puts("\n");
	con_unlock();
	v->line_len = 0;
}

static void answer(struct hv_vcpu *v, long err, unsigned long val)
{
	v->answer.resp0 = (unsigned long)err;
	v->answer.resp1 = val;
}

static void put_hex_bytes(const volatile uint8_t *p, unsigned long len)
{
	static const char digits[] = "0123456789abcdef";
	char chunk[65];
	unsigned n = 0;
	for (unsigned long i = 0; i < len; i++) {
		chunk[n++] = digits[p[i] >> 4];
		chunk[n++] = digits[p[i] & 0xf];
		if (n == sizeof(chunk) - 1 || i + 1 == len) {
			chunk[n] = '\0';
			con_puts(chunk);
			n = 0;
		}
	}
}

/*
 * The relying party's challenge, passed on to the guest in the shared page: the one
 * the test gave in the option block, else one made from the time CSR. Printed, so a
 * relying party that only reads the console knows what it asked.
 */
static bool give_challenge(struct hv_cvm *c)
{
	if (c->share.len < GUEST_CHALLENGE_SIZE)
		return false;
	volatile uint8_t *dst = (volatile uint8_t *)c->share.hpa;
	if (hv_options & HV_OPT_CHALLENGE) {
		const volatile uint8_t *src = (const volatile uint8_t *)HV_CHALLENGE_ADDR;
		for (unsigned i = 0; i < GUEST_CHALLENGE_SIZE; i++)
			dst[i] = src[i];
	} else {
		unsigned long t;
		__asm__ __volatile__("rdtime %0" : "=r"(t));
		for (unsigned i = 0; i < GUEST_CHALLENGE_SIZE; i += 8) {
			uint64_t w = secret_mix(t ^ ((uint64_t)i << 56));
			for (unsigned k = 0; k < 8; k++)
				dst[i + k] = (uint8_t)(w >> (8 * k));
		}
	}
	con_lock();
	con_puts("hv: attestation challenge ");
	put_hex_bytes(dst, GUEST_CHALLENGE_SIZE);
	con_puts("\n");
	con_unlock();
	return true;
}

/* What leaves the CVM is the hypervisor's to pass on: one hex line for the relying party. */
static bool print_evidence(struct hv_cvm *c, unsigned long len)
{
	if (len == 0 || len > c->share.len)
		return false;
	con_lock();
	con_puts("hv: attestation evidence ");
	put_hex_bytes((const volatile uint8_t *)c->share.hpa, len);
	con_puts("\n");
	con_unlock();
	return true;
}

/* The guest's own calls (guest_abi.h). */
static void guest_call(struct hv_cvm *c, struct hv_vcpu *v, unsigned long fid, unsigned long a0)
{
	switch (fid) {
	case GUEST_FID_CONFIG:
		answer(v, SBI_SUCCESS, (hv_options & HV_OPT_BENCH) ? GUEST_CFG_BENCH : 0);
		break;
	case GUEST_FID_WANT_TICKS:
		v->ticks_wanted = a0 > 16 ? 16 : (unsigned)a0;
		answer(v, SBI_SUCCESS, 0);
		hv_timer_arm(true);
		break;
	case GUEST_FID_TICK_ACK:
		if (v->tick_pending) {
			v->tick_pending = false;
			__atomic_fetch_add(&hv_acked, 1UL, __ATOMIC_RELAXED);
		}
		answer(v, SBI_SUCCESS, 0);
		break;
	case GUEST_FID_BENCH_NOP:
		answer(v, SBI_SUCCESS, 0);
		break;
	case GUEST_FID_CHALLENGE:
		if (give_challenge(c))
			answer(v, SBI_SUCCESS, GUEST_CHALLENGE_SIZE);
		else
			answer(v, SBI_ERR_INVALID_STATE, 0);
		break;
	case GUEST_FID_EVIDENCE:
		answer(v, print_evidence(c, a0) ? SBI_SUCCESS : SBI_ERR_INVALID_PARAM, 0);
		break;
	case GUEST_FID_BENCH:
		hv_quiet = a0 != 0;
		hv_timer_arm(!hv_quiet);
		answer(v, SBI_SUCCESS, 0);
		if (!hv_quiet) { /* the labels bench-switch.sh reads */
			con_lock();
			con_puts("bench: phase 1 = CVM hypercall round trip, ");
			con_put_dec(GUEST_BENCH_ITERS);
			con_puts(" iterations\nbench: phase 2 = CVM MMIO load round trip, ");
			con_put_dec(GUEST_BENCH_ITERS);
			con_puts(" iterations\n");
			con_unlock();
		}
		break;
	default:
		answer(v, SBI_ERR_NOT_SUPPORTED, 0);
		break;
	}
}

static bool hypercall(struct hv_cvm *c, unsigned vcpu, const struct hv_exit *e)
{
	struct hv_vcpu *v = &c->vcpu[vcpu];
	const unsigned long *a = e->payload; /* guest a0..a5, then FID, EID */
	unsigned long fid = e->payload[6], eid = e->payload[7];
	switch (eid) {
	case SBI_EXT_LEGACY_PUTCHAR:
		console_char(c, vcpu, (char)a[0]);
		answer(v, SBI_SUCCESS, 0);
		return true;
	case GUEST_EID:
		guest_call(c, v, fid, a[0]);
		return true;
	case SBI_EXT_HSM:
		/* the monitor has checked and reset the target; schedule it */
		if (fid == SBI_HSM_HART_START && a[0] < c->nr_vcpus) {
			hv_vcpu_make_runnable(c, (unsigned)a[0]);
			answer(v, SBI_SUCCESS, 0);
		} else {
			answer(v, SBI_ERR_NOT_SUPPORTED, 0);
		}
		return true;
	case SBI_EXT_SRST:
		con_lock();
		con_puts("hv: the guest shut down, reason ");
		con_put_dec(a[1]);
		con_puts(a[1] == 0 ? " (its checks passed)\n" : " (its checks FAILED)\n");
		con_unlock();
		c->verdict = (long)a[1];
		c->done = true;
		v->state = VR_HALTED;
		return false;
	default:
		answer(v, SBI_ERR_NOT_SUPPORTED, 0);
		return true;
	}
}

static void share(struct hv_cvm *c, struct hv_vcpu *v, unsigned long gpa, unsigned long len)
{
	if (c->share.len || gpa != SHARED_GPA || len != SHARED_SIZE) {
		answer(v, 0, 0); /* decline: resp0 = 0 */
		return;
	}
	for (unsigned i = 0; i < SHARED_SIZE; i++)
		share_pool[i] = 0;
	if (hv_options & HV_OPT_PLANT_LEAK) /* oracle self-test: as if the secret leaked */
		((volatile uint64_t *)share_pool)[100] = secret_value(3);
	c->share = (struct hv_share){ .gpa = gpa, .hpa = (unsigned long)share_pool, .len = len };
	answer(v, (long)(unsigned long)share_pool, 0);
}

static void interrupt(struct hv_cvm *c, unsigned vcpu, unsigned long cause)
{
	unsigned long sip;
	__asm__ __volatile__("csrr %0, sip" : "=r"(sip));
	if (sip & SIP_SSIP) /* an IPI from another hart: new work for this one */
		__asm__ __volatile__("csrc sip, %0" ::"r"(SIP_SSIP));
	if (!(sip & SIP_STIP))
		return;
	/* the hypervisor's tick: due interrupts for the guest, then the next tick */
	struct hv_vcpu *v = &c->vcpu[vcpu];
	if (v->ticks_wanted && !v->tick_pending) {
		v->ticks_wanted--;
		v->tick_pending = true;
		__atomic_fetch_add(&hv_injected, 1UL, __ATOMIC_RELAXED);
	}
	hv_timer_arm(!hv_quiet);
	(void)cause;
}

bool hv_handle_exit(struct hv_cvm *c, unsigned vcpu, const struct hv_exit *e)
{
	struct hv_vcpu *v = &c->vcpu[vcpu];
	if (e->error) {
		con_lock();
		con_puts("hv: FAIL run_tvm_vcpu refused, error ");
		con_put_dec((unsigned long)-e->error);
		con_puts("\n");
		con_unlock();
		hv_fail("run_tvm_vcpu");
		v->state = VR_FAULTED;
		c->done = true;
		return false;
	}
	hv_count_exit(e->reason);
	const unsigned long *p = e->payload;
	bool go_on = true;
	switch (e->reason) {
	case TVM_EXIT_HYPERCALL:
		go_on = hypercall(c, vcpu, e);
		break;
	case TVM_EXIT_MMIO_LOAD:
		answer(v, (long)vdev_read(c, p[0] - DEV_GPA, (unsigned)p[1]), 0);
		break;
	case TVM_EXIT_MMIO_STORE:
		vdev_write(c, p[0] - DEV_GPA, (unsigned)p[1], p[2]);
		break;
	case TVM_EXIT_SHARE:
		share(c, v, p[0], p[1]);
		break;
	case TVM_EXIT_UNSHARE:
		if (secrets_scan((const void *)c->share.hpa, c->share.len))
			hv_fail("LEAK: a guest secret in the page it unshared");
		c->share = (struct hv_share){ 0 };
		break;
	case TVM_EXIT_INTERRUPT:
		if (!(p[0] & MCAUSE_INTR))
			hv_fail("interrupt exit without the interrupt bit");
		interrupt(c, vcpu, p[0]);
		go_on = false; /* a chance to schedule another vCPU */
		break;
	case TVM_EXIT_FAULT:
		con_lock();
		con_puts("hv: FAIL vCPU ");
		con_put_dec(vcpu);
		con_puts(" faulted, mcause ");
		con_put_hex(p[0]);
		con_puts("\n");
		con_unlock();
		hv_fail("guest fault");
		v->state = VR_FAULTED;
		c->done = true;
		return false;
	case TVM_EXIT_HALT:
		v->state = VR_HALTED;
		return false;
	default:
		hv_fail("unknown exit reason");
		c->done = true;
		return false;
	}
	v->answer.inject = v->tick_pending ? (1UL << TVM_IRQ_VSTI) : 0;
	return go_on;
}
