/*
 * System reset through QEMU's SiFive test device: QEMU exits with status 0 on PASS,
 * with the given code on FAIL, and resets the machine on RESET.
 */
#include "sbi.h"
#include "virt.h"

#define FINISHER_FAIL 0x3333U
#define FINISHER_PASS 0x5555U
#define FINISHER_RESET 0x7777U

static void finisher_write(uint32_t v)
{
	*(volatile uint32_t *)VIRT_TEST_BASE = v;
}

static _Noreturn void hang(void)
{
	for (;;)
		__asm__ __volatile__("wfi");
}

void virt_system_reset(uint32_t type, uint32_t reason)
{
	if (type == SBI_SRST_TYPE_SHUTDOWN) {
		/* any non-zero reason is reported as a failing exit status (at most 0xffff) */
		if (reason == SBI_SRST_REASON_NONE)
			finisher_write(FINISHER_PASS);
		else
			finisher_write(FINISHER_FAIL | ((reason > 0xffffU ? 0xffffU : reason) << 16));
	} else {
		finisher_write(FINISHER_RESET);
	}
	hang();
}

_Noreturn void virt_fail(void)
{
	virt_system_reset(SBI_SRST_TYPE_SHUTDOWN, SBI_SRST_REASON_FAILURE);
	hang();
}
