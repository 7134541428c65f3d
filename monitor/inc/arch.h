/*
 * The hart, as the core sees it: memory, FP registers, fences and inspection here, CSR
 * access in csr.h (arch_csr.h). One implementation per build, picked by the build:
 * monitor/hart implements them with instructions in the firmware, model/ over the
 * hardware model in the host library. The board's devices are the other seam
 * (platform.h).
 */
#ifndef MONITOR_ARCH_H
#define MONITOR_ARCH_H

#include "types.h"

struct fp_state {
	uint64_t f[32];
	uint64_t fcsr;
};

/*
 * phys_ptr(pa, len): pointer through which the monitor reads or writes [pa, pa+len).
 * The caller must have checked the range is RAM it may touch; the host model aborts
 * otherwise, which is how fuzzing catches the monitor's own illegal memory accesses.
 * arch_fence_i, arch_sfence_vma_all, arch_hfence_gvma_all, arch_hfence_vvma_all: the
 * fences, all addresses and IDs. Both in the build's arch_hart.h (inline on the hart).
 */
#include "arch_hart.h"

/* Save/restore f0-f31 and fcsr whatever mstatus.FS says: they turn the FP unit on for
 * the copy and leave mstatus as they found it (the monitor itself is soft-float). */
void arch_fp_save(struct fp_state *fp);
void arch_fp_restore(const struct fp_state *fp);

/*
 * False only if the page at pa is known to hold what boot left there (all zero for
 * confidential memory). Lets the I.MT.3 check skip untouched pages on the host model;
 * the firmware answers true and checks every free page.
 */
bool phys_page_maybe_dirty(paddr_t pa);

/*
 * Makes csr_read() refer to hart `hart` for an inspection outside a trap (the invariant
 * checker). The host model can look at any hart; real hardware only at itself, so the
 * firmware answers true only for the hart it runs on.
 */
bool arch_inspect_hart(unsigned hart);

#endif
