/* The arch.h primitives the firmware implements as functions (phys_ptr and the fences are inline, inc/arch_hart.h). */
#include "arch.h"
#include "csr.h"

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
