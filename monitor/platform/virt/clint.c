/* The ACLINT (CLINT layout) of QEMU virt: M software interrupts and the M timer. */
#include "virt.h"

#define CLINT_MSIP(h) (VIRT_CLINT_BASE + 4UL * (h))
#define CLINT_MTIMECMP(h) (VIRT_CLINT_BASE + 0x4000UL + 8UL * (h))
#define CLINT_MTIME (VIRT_CLINT_BASE + 0xbff8UL)

uint64_t virt_clint_time(void)
{
	return *(volatile uint64_t *)CLINT_MTIME;
}

void virt_clint_set_timer(unsigned hart, uint64_t when)
{
	*(volatile uint64_t *)CLINT_MTIMECMP(hart) = when;
}

void virt_clint_send_ipi(unsigned hart)
{
	/* make the work the target reads after the interrupt visible first */
	__asm__ __volatile__("fence w, o" ::: "memory");
	*(volatile uint32_t *)CLINT_MSIP(hart) = 1;
}

void virt_clint_clear_ipi(unsigned hart)
{
	*(volatile uint32_t *)CLINT_MSIP(hart) = 0;
	__asm__ __volatile__("fence o, r" ::: "memory");
}
