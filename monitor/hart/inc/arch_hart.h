/*
 * The arch.h primitives that are one instruction or none on the real hart, inlined
 * where the world switch uses them: the fences, and phys_ptr (M-mode runs with
 * translation off, so a physical address is a pointer). Included through arch.h.
 */
#ifndef MONITOR_HART_ARCH_HART_H
#define MONITOR_HART_ARCH_HART_H

#include "types.h"

static inline void *phys_ptr(paddr_t pa, size_t len)
{
	(void)len;
	return (void *)(uintptr_t)pa;
}

static inline void arch_fence_i(void) { __asm__ __volatile__("fence.i" ::: "memory"); }
static inline void arch_sfence_vma_all(void) { __asm__ __volatile__("sfence.vma" ::: "memory"); }
static inline void arch_hfence_gvma_all(void) { __asm__ __volatile__("hfence.gvma" ::: "memory"); }
static inline void arch_hfence_vvma_all(void) { __asm__ __volatile__("hfence.vvma" ::: "memory"); }

#endif
