/*
 * phys_ptr and the fences over the hardware model (model/mem.c, model/host_arch.c):
 * phys_ptr checks the range is RAM and aborts otherwise; each fence empties the caches
 * the model keeps for the current hart as the spec says the instruction does. Included
 * through arch.h.
 */
#ifndef MODEL_ARCH_HART_H
#define MODEL_ARCH_HART_H

#include "types.h"

void *phys_ptr(paddr_t pa, size_t len);
void arch_fence_i(void);
void arch_sfence_vma_all(void);
void arch_hfence_gvma_all(void);
void arch_hfence_vvma_all(void);

#endif
