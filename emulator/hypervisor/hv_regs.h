/*
 * The register file around one run_tvm_vcpu ecall: every GPR but x0 and every FP
 * register is loaded from `in`/`fin` before the ecall and captured into `out`/`fout`
 * right after it, so the hypervisor checks exactly what the monitor handed back.
 * Offsets are shared with run.S.
 */
#ifndef DEMO_HV_REGS_H
#define DEMO_HV_REGS_H

#define HR_IN 0
#define HR_OUT 256
#define HR_FIN 512
#define HR_FOUT 768
#define HR_HOST 1024 /* ra sp gp tp s0..s11 of the caller */
#define HR_SIZE 1152

#ifndef __ASSEMBLER__
#include <stdint.h>

struct hv_regs {
	uint64_t in[32];
	uint64_t out[32];
	uint64_t fin[32];
	uint64_t fout[32];
	uint64_t host[16];
};

_Static_assert(__builtin_offsetof(struct hv_regs, out) == HR_OUT, "hv_regs.out");
_Static_assert(__builtin_offsetof(struct hv_regs, fin) == HR_FIN, "hv_regs.fin");
_Static_assert(__builtin_offsetof(struct hv_regs, fout) == HR_FOUT, "hv_regs.fout");
_Static_assert(__builtin_offsetof(struct hv_regs, host) == HR_HOST, "hv_regs.host");
_Static_assert(sizeof(struct hv_regs) == HR_SIZE, "hv_regs size");

/* The ecall with r->in loaded (a7/a6/a0.. included); HS sscratch is borrowed. */
void hv_ecall_regs(struct hv_regs *r);
#endif

#endif
