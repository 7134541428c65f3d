/* The arch.h primitives the firmware implements with plain instructions. */
#include "arch.h"
#include "csr.h"

/* M-mode runs with translation off: a physical address is a pointer. */
void *phys_ptr(paddr_t pa, size_t len)
{
	(void)len;
	return (void *)(uintptr_t)pa;
}

#ifndef MONITOR_FUZZ_SELFCHECK
/* Without a record of which pages were written, every page may be dirty. */
bool phys_page_maybe_dirty(paddr_t pa)
{
	(void)pa;
	return true;
}
#endif /* the fuzzing build's version, fed by the harness, is in selfcheck.c */

/* A hart can only look at its own CSRs. */
bool arch_inspect_hart(unsigned hart)
{
	return hart == csr_read(CSR_MHARTID);
}

void arch_fence_i(void)
{
	__asm__ __volatile__("fence.i" ::: "memory");
}

void arch_sfence_vma_all(void)
{
	__asm__ __volatile__("sfence.vma" ::: "memory");
}

void arch_hfence_gvma_all(void)
{
	__asm__ __volatile__("hfence.gvma" ::: "memory");
}

void arch_hfence_vvma_all(void)
{
	__asm__ __volatile__("hfence.vvma" ::: "memory");
}
