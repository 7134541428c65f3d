/*
 * Seams of the host model for unit tests and harnesses: choose the hart the arch glue
 * acts on, and stand in for the monitor's entry points so trap entry and mret can be
 * observed without a booted monitor.
 */
#ifndef HOST_MODEL_TEST_H
#define HOST_MODEL_TEST_H

#include "hart.h"
#include "model.h"

/* The hart csr_read/csr_write, phys_ptr, arch_fp_* and the fences act on. */
void model_set_current_hart(unsigned h);
unsigned model_current_hart(void);

/*
 * Called instead of monitor_trap / monitor_hart_wakeup when non-NULL. They run exactly
 * where the monitor would: M-mode CSRs written, h->regs loaded, current hart set.
 */
struct model_monitor_hooks {
	bool (*trap)(struct hart *h);
	bool (*wakeup)(struct hart *h);
	/* Runs after the monitor returned and its lock dropped, before the hart leaves M:
	 * where another hart's call can land (the race window of the trap exit path). */
	void (*after_trap)(unsigned h);
};
/* NULL restores the real monitor. The hooks are configuration, not snapshot state. */
void model_set_monitor_hooks(const struct model_monitor_hooks *hooks);

/*
 * Boot (boot.c). model_init = model_init_hw + model_boot; between the two a test may
 * replace the endorsement seed at model_seed_pa() (0: the monitor region is too small
 * to hold one) with model_phys_write. model_init_hw writes model_test_seed there.
 */
void model_boot(void);
uint64_t model_seed_pa(void);
void model_test_seed(uint8_t seed[32]);
void model_load_test_seed(void);
/* What the host model measures as "the monitor image" (its bytes, without the NUL). */
extern const char model_monitor_image[];

/*
 * Whether guest-page faults fill mtinst with the transformed instruction (8.6.3), as the
 * model does by default, or leave it 0, as QEMU 7.2 does: the monitor then reads and
 * decodes the instruction at mepc itself. Reset by model_restore.
 */
void model_set_tinst(bool on);

/*
 * A digest of the whole machine: every hart's state and CSRs, the monitor's state, the
 * console output and the RAM pages written since the snapshot. Two runs that end in
 * the same state have the same digest.
 */
uint64_t model_state_digest(void);

/* Interrupt deliveries cut short because an M-level source stayed pending (livelock). */
uint64_t model_interrupt_storms(void);

#endif
