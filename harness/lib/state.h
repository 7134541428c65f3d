/* The executor's own state: what the "hypervisor" and "CVMs" of the harness know. */
#ifndef HARNESS_STATE_H
#define HARNESS_STATE_H

#include <stdbool.h>

#include "canary.h"
#include "config.h"
#include "scenario.h"
#include "values.h"

/* A vCPU's architectural state as the CVM itself knows it. */
struct cpu_view {
	uint64_t x[32], f[32], fcsr, pc;
	uint64_t vsscratch, vsepc, vscause, vstval, vstvec, vsstatus, vsie, vsatp;
};

/* What a vCPU must look like when it next runs. */
struct shadow {
	bool valid;   /* false: nothing known (not checked) */
	bool fresh;   /* just created: only GPRs and pc are known */
	bool dead;    /* it faulted: it must never run again */
	struct cpu_view cpu;
	unsigned exit_reason;
	unsigned mmio_rd, mmio_width;
	bool mmio_signed;
	unsigned pc_step; /* how far pc moves on resume */
};

/* csr_state.c: each domain's own view of the CSRs of csr_table */
#define HARNESS_CSR_MAX 48
struct csr_cvm_view {
	uint64_t val[HARNESS_CSR_MAX]; /* the CC_NO_VS_COPY entries */
	bool vssip;                    /* the self-IPI it raised and has not cleared */
};
struct csr_views {
	bool hv_valid[MAX_HARTS];
	uint64_t hv[MAX_HARTS][HARNESS_CSR_MAX];
	struct csr_cvm_view cvm[MAX_CVMS][MAX_VCPUS];
};

struct hstate {
	struct vm_image vm[2];  /* the images the hypervisor built, as it built them */
	struct value_env env;   /* what the program's values name: images, pool, memory map */
	uint64_t pool_mark; /* the image allocator's position */
	struct shadow shadow[MAX_CVMS][MAX_VCPUS];
	bool in_guest[MAX_HARTS];
	int cvm_on[MAX_HARTS], vcpu_on[MAX_HARTS];
	struct cpu_view pre[MAX_HARTS]; /* each guest hart's state before the current step */
	uint64_t last_resp0, last_resp1; /* the answer of the latest run_tvm_vcpu */
	/* the current step's successful run_tvm_vcpu: what it ran (-1: none) and the exit */
	int run_cvm, run_vcpu;
	uint64_t run_exit;
	struct csr_views csrs;
};

extern struct hstate hs;


void cpu_view_read(unsigned h, struct cpu_view *c);
/* Oracles run after every step (oracles.c). */
void oracles_after_step(void);
/* The current state is known good (just restored from a checked snapshot). */
void oracles_state_checked(void);
/* Entry/exit bookkeeping for the integrity oracle (integrity.c). */
void integrity_before_step(void);
void integrity_after_step(const struct step *s, uint64_t resp0, uint64_t resp1);
void integrity_forget_cvm(unsigned cvm);
/* A vCPU that starts afresh: all GPRs zero but a0/a1, FP zero, at pc. */
void integrity_fresh_vcpu(unsigned cvm, unsigned vcpu, uint64_t pc, uint64_t a0, uint64_t a1);

#endif
