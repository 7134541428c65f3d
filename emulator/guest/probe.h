/*
 * A probe: one guest instruction that leaves the guest (ecall, MMIO access) or waits
 * for interrupts, executed with every register the instruction does not need filled
 * with secret patterns, and every register captured the moment the guest runs again.
 * The offsets are shared with probe.S and crt0.S.
 */
#ifndef DEMO_GUEST_PROBE_H
#define DEMO_GUEST_PROBE_H

#define PR_IN 0
#define PR_OUT 256
#define PR_FIN 512
#define PR_FOUT 768
#define PR_FCSR_IN 1024
#define PR_FCSR_OUT 1032
#define PR_HOST 1040 /* ra sp gp tp s0..s11 of the caller */
#define PR_AREA 1168
#define PR_SIZE 1176

#define VA_CUR 0     /* the probe in flight on this vCPU */
#define VA_TRAP_SP 8 /* top of this vCPU's trap stack */
#define VA_FRAME 16  /* trap save area: x0..x31 */
#define VA_FFRAME 272 /* f0..f31 */
#define VA_FCSR 528
#define VA_SIZE 536

#ifndef __ASSEMBLER__
#include <stdint.h>

struct probe {
	uint64_t in[32];
	uint64_t out[32];
	uint64_t fin[32];
	uint64_t fout[32];
	uint64_t fcsr_in;
	uint64_t fcsr_out;
	uint64_t host[16];
	uint64_t area;
};

struct vcpu_area {
	struct probe *cur;
	uint64_t trap_sp;
	uint64_t frame[32];
	uint64_t fframe[32];
	uint64_t fcsr;
};

_Static_assert(__builtin_offsetof(struct probe, out) == PR_OUT, "probe.out");
_Static_assert(__builtin_offsetof(struct probe, fin) == PR_FIN, "probe.fin");
_Static_assert(__builtin_offsetof(struct probe, fout) == PR_FOUT, "probe.fout");
_Static_assert(__builtin_offsetof(struct probe, fcsr_in) == PR_FCSR_IN, "probe.fcsr_in");
_Static_assert(__builtin_offsetof(struct probe, host) == PR_HOST, "probe.host");
_Static_assert(__builtin_offsetof(struct probe, area) == PR_AREA, "probe.area");
_Static_assert(sizeof(struct probe) == PR_SIZE, "probe size");
_Static_assert(__builtin_offsetof(struct vcpu_area, frame) == VA_FRAME, "area.frame");
_Static_assert(__builtin_offsetof(struct vcpu_area, fframe) == VA_FFRAME, "area.fframe");
_Static_assert(__builtin_offsetof(struct vcpu_area, fcsr) == VA_FCSR, "area.fcsr");

/* Each runs its instruction with p->in loaded; p->out and p->fout hold what came back. */
void probe_ecall(struct probe *p);
void probe_lbu(struct probe *p); /* a1 = *(u8 *)a0 */
void probe_lw(struct probe *p);  /* a1 = *(s32 *)a0 */
void probe_ld(struct probe *p);  /* a1 = *(u64 *)a0 */
void probe_sw(struct probe *p);  /* *(u32 *)a0 = a1 */
void probe_sd(struct probe *p);  /* *(u64 *)a0 = a1 */
void probe_spin(struct probe *p); /* interrupts on until *(u64 *)a0 >= a1; a2 scratch */

/* The benchmark loops: n round trips each, between the counting plugin's markers. */
void bench_hypercall_loop(unsigned long n, unsigned long eid, unsigned long fid);
void bench_mmio_loop(unsigned long n, unsigned long gpa);
#endif

#endif
