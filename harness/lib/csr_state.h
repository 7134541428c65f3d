/*
 * Architectural state beyond GPRs and FP registers, classed the way the privileged
 * spec's H chapter makes a monitor treat it, and the state-isolation oracle built on
 * that table (csr_state.c).
 */
#ifndef HARNESS_CSR_STATE_H
#define HARNESS_CSR_STATE_H

#include <stdbool.h>
#include <stdint.h>

#include "prog.h"

enum csr_class {
	/* The hypervisor's own: its HS, H and VS-for-its-VMs CSRs. No CVM sees them, and a
	 * CVM's turn on the hart leaves them as they were. */
	CC_HV,
	/* Ditto, and in force while a CVM runs: the monitor must replace them with its own
	 * CVM-mode value (`cvm_mask` bits must read `cvm_value`). */
	CC_HV_GUEST_FACING,
	/* S CSRs with no VS copy (H chapter, 8.2): VS-mode reaches the real register, so
	 * software must swap it; each domain keeps its own value. */
	CC_NO_VS_COPY,
};

struct csr_desc {
	unsigned num;
	const char *name;
	uint8_t cls;
	uint64_t cvm_mask, cvm_value; /* CC_HV_GUEST_FACING */
	uint64_t ignore;              /* bits hardware changes on its own (sstatus.FS/SD) */
	bool set_by_calls;            /* an SBI call of the hypervisor's sets it (stimecmp) */
};

extern const struct csr_desc csr_table[];
extern const unsigned csr_table_len;

/* What the harness's domains may name in csr steps (fid picks one). */
extern const unsigned hv_csr_choices[], cvm_csr_choices[];
extern const unsigned nr_hv_csr_choices, nr_cvm_csr_choices;

/* Bookkeeping around every step, and the oracle itself (ORACLE_STATE). */
void csr_state_reset(void);               /* at boot: nothing known */
void csr_state_forget_cvm(unsigned cvm);  /* a new CVM in this slot: its vCPUs start at 0 */
void csr_state_hv_acted(unsigned h);      /* the hypervisor changed its own state on h */
void csr_state_cvm_acted(unsigned h);     /* the CVM on h changed its own state */
void csr_state_after_step(const struct step *s);

#endif
