/*
 * CSR access on the real hart: each accessor is one instruction. The CSR number is an
 * immediate, so it must be a compile-time constant. Included through csr.h.
 */
#ifndef MONITOR_HART_ARCH_CSR_H
#define MONITOR_HART_ARCH_CSR_H

#include "types.h"

#define csr_read(csr)                                                     \
	__extension__({                                                   \
		ureg_t __v;                                               \
		__asm__ __volatile__("csrr %0, %1" : "=r"(__v) : "i"(csr) : "memory"); \
		__v;                                                      \
	})
#define csr_write(csr, val) \
	__asm__ __volatile__("csrw %0, %1" ::"i"(csr), "rK"((ureg_t)(val)) : "memory")
/* writes val and returns the old value, in one instruction (csrrw) */
#define csr_swap(csr, val)                                                \
	__extension__({                                                   \
		ureg_t __o;                                               \
		__asm__ __volatile__("csrrw %0, %1, %2"                   \
				     : "=r"(__o)                          \
				     : "i"(csr), "rK"((ureg_t)(val))      \
				     : "memory");                         \
		__o;                                                      \
	})
#define csr_set(csr, bits) \
	__asm__ __volatile__("csrs %0, %1" ::"i"(csr), "rK"((ureg_t)(bits)) : "memory")
#define csr_clear(csr, bits) \
	__asm__ __volatile__("csrc %0, %1" ::"i"(csr), "rK"((ureg_t)(bits)) : "memory")

#endif
