/* The monitor's mutable state (all of it, in one place) and its entry points. */
#ifndef MONITOR_MONITOR_H
#define MONITOR_MONITOR_H

#include "cvm.h"
#include "fsm.h"
#include "hart.h"
#include "mt.h"
#include "types.h"

struct monitor_state {
	struct mem_tracker mt;
	struct cvm cvms[MAX_CVMS];
	struct hart harts[MAX_HARTS];
	/* I.MT.2: the tracked region as boot fixed it, checked against mt at run time */
	paddr_t boot_conf_base;
	uint64_t boot_conf_pages;
};

extern struct monitor_state sm;

/*
 * Boot-time setup once `mem` and `plat` are filled: memory tracker, harts (the boot
 * hart STARTED, others STOPPED), PMP. Returns false if the layout is unusable.
 */
bool monitor_init(unsigned boot_hart);

/*
 * Every trap into M-mode lands here with the interrupted domain's registers in h->regs->
 * Returns true when the hart stopped or suspended itself (HSM) and must wait in M-mode
 * instead of returning, until monitor_hart_wakeup says otherwise: decided under the
 * monitor's lock, so a hart_start racing in after the lock drops finds a hart that waits
 * and answers its wake-up, never one that carries on.
 */
bool monitor_trap(struct hart *h);

/*
 * A waiting hart whose wait may end: a STOPPED one woken by HSM hart_start (h->regs and
 * M CSRs then enter S-mode at the requested address), or a SUSPENDED one with an
 * interrupt pending. False if it must go on waiting.
 */
bool monitor_hart_wakeup(struct hart *h);

/* The (static) dispatch table type shared by all SBI extension files. */
struct sbi_call {
	struct hart *h;
	ureg_t eid, fid;
	const ureg_t *a; /* a0..a5 as the caller passed them */
	long error;      /* -> a0, when the call returns */
	ureg_t value;    /* -> a1 */
};

struct sbi_ext {
	unsigned long eid_lo, eid_hi;
	enum call_end (*handle)(struct sbi_call *c);
	/* optional: whether probe_extension reports it (default yes) */
	bool (*probe)(void);
};

/* A call a CVM makes (VS ecall), answered by the monitor or forwarded to the hypervisor. */
struct cvm_call {
	struct hart *h;
	struct cvm *cvm;
	unsigned idx; /* the CVM's index in sm.cvms */
	struct vcpu *v;
	ureg_t eid, fid;
	const ureg_t *a; /* a0..a5 as the CVM passed them */
	long error;      /* -> a0, when the call returns to the CVM */
	ureg_t value;    /* -> a1 */
};

/* The CVM-facing table (cvm_table.c), shaped like hv_extensions[]. */
struct cvm_ext {
	unsigned long eid_lo, eid_hi;
	enum call_end (*handle)(struct cvm_call *c);
};

/* The confidential flow: a trap taken while hart h runs a CVM (core/cvm_trap.c). */
void cvm_trap(struct hart *h, ureg_t cause);
/* Interrupts that reach the monitor, from either flow (core/interrupts.c). */
void handle_m_interrupt(struct hart *h, ureg_t cause);

/* The hypervisor-facing table (standard SBI and COVH), defined in sbi_table.c */
extern const struct sbi_ext *const hv_extensions[];
const struct sbi_ext *sbi_find_ext(ureg_t eid);
extern const struct cvm_ext *const cvm_extensions[];
const struct cvm_ext *cvm_find_ext(ureg_t eid);

#endif
