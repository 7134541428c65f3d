/*
 * CSR access on the hardware model: each accessor goes to the CSR file of the hart the
 * model is running the monitor on (model/csr_file.c). Included through csr.h.
 */
#ifndef MODEL_ARCH_CSR_H
#define MODEL_ARCH_CSR_H

#include "types.h"

ureg_t host_csr_read(unsigned csr);
void host_csr_write(unsigned csr, ureg_t val);
#define csr_read(csr) host_csr_read(csr)
#define csr_write(csr, val) host_csr_write((csr), (ureg_t)(val))
#define csr_set(csr, bits) host_csr_write((csr), host_csr_read(csr) | (ureg_t)(bits))
#define csr_clear(csr, bits) host_csr_write((csr), host_csr_read(csr) & ~(ureg_t)(bits))
static inline ureg_t host_csr_swap(unsigned csr, ureg_t val)
{
	ureg_t old = host_csr_read(csr);
	host_csr_write(csr, val);
	return old;
}
#define csr_swap(csr, val) host_csr_swap((csr), (ureg_t)(val))

#endif
