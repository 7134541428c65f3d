/*
 * One hart's attack context, shared with entry.S. HS sscratch points at it for as long
 * as attack mode runs, so the trap vector always finds it: a fault of the hypervisor's
 * own probe is stepped over, and a trap that arrives from V=1 (the hypervisor's own VM,
 * or a CVM whose trap reached HS) ends the run it interrupted, with what HS saw.
 */
#ifndef ATTACK_CTX_H
#define ATTACK_CTX_H

#define AC_IN 0           /* GPRs loaded before a run_tvm_vcpu ecall */
#define AC_OUT 256        /* ... and captured after it */
#define AC_FIN 512
#define AC_FOUT 768
#define AC_FCSR_IN 1024
#define AC_FCSR_OUT 1032
#define AC_HOST 1040      /* ra sp gp tp s0..s11 of the caller */
#define AC_TRAP 1168      /* scause sepc stval htval htinst hstatus at the last trap */
#define AC_TRAP_REGS 1216 /* x0..x31 at that trap */
#define AC_ESCAPE 1472    /* a run is in flight: a trap from V=1 ends it */
#define AC_ESCAPED 1480   /* ... and one did */
#define AC_EXPECT 1488    /* an HS probe may fault */
#define AC_FAULTED 1496   /* ... and did */
#define AC_SIZE 1504

/* An SBI EID no firmware serves: after a trap from V=1 the hypervisor makes this call so
 * that a monitor which still thinks its CVM runs hands the hart back through its exit
 * node (the run then returns where it was made). */
#define AC_RESYNC_EID 0x0A7C5E5CUL

#ifndef __ASSEMBLER__
#include <stdint.h>

struct atk_ctx {
	uint64_t in[32], out[32], fin[32], fout[32];
	uint64_t fcsr_in, fcsr_out;
	uint64_t host[16];
	uint64_t scause, sepc, stval, htval, htinst, hstatus;
	uint64_t trap_regs[32];
	volatile uint64_t escape, escaped, expect, faulted;
};

_Static_assert(__builtin_offsetof(struct atk_ctx, out) == AC_OUT, "ctx.out");
_Static_assert(__builtin_offsetof(struct atk_ctx, fin) == AC_FIN, "ctx.fin");
_Static_assert(__builtin_offsetof(struct atk_ctx, fout) == AC_FOUT, "ctx.fout");
_Static_assert(__builtin_offsetof(struct atk_ctx, fcsr_in) == AC_FCSR_IN, "ctx.fcsr_in");
_Static_assert(__builtin_offsetof(struct atk_ctx, host) == AC_HOST, "ctx.host");
_Static_assert(__builtin_offsetof(struct atk_ctx, scause) == AC_TRAP, "ctx.scause");
_Static_assert(__builtin_offsetof(struct atk_ctx, trap_regs) == AC_TRAP_REGS, "ctx.trap_regs");
_Static_assert(__builtin_offsetof(struct atk_ctx, escape) == AC_ESCAPE, "ctx.escape");
_Static_assert(__builtin_offsetof(struct atk_ctx, faulted) == AC_FAULTED, "ctx.faulted");
_Static_assert(sizeof(struct atk_ctx) == AC_SIZE, "ctx size");

/* entry.S */
void atk_trap_entry(void);
void atk_secondary_entry(void);
/* run_tvm_vcpu (or any ecall) with c->in/fin/fcsr_in loaded, c->out/fout/fcsr_out after */
void atk_ecall_regs(struct atk_ctx *c);
/* Enters the hypervisor's own VM at `pc` (VS, bare) with a0..a2 given; returns when it
 * traps back to HS, with its registers in c->trap_regs. */
void atk_vm_enter(struct atk_ctx *c, unsigned long a0, unsigned long a1, unsigned long a2,
		  unsigned long pc);
/* The VM's code: scan [a0, a2) for the doubleword a1 (a0 = where it stopped), or store
 * a1 at a0; each ends in an ecall to HS. */
extern const char atk_vm_scan[], atk_vm_store[];
/* One 4-byte load or store that may fault (c->expect set by the caller). */
unsigned long atk_probe_load(unsigned long addr);
void atk_probe_store(unsigned long addr, unsigned long val);
/* the agent's image */
extern const uint8_t agent_image[], agent_image_end[];
#endif

#endif
