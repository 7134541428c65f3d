/* QEMU virt platform internals shared by the files of monitor/platform/virt. */
#ifndef VIRT_H
#define VIRT_H

#include "hart.h"
#include "platform.h"
#include "types.h"

/* memory map of QEMU 7.2 `virt` */
#define VIRT_UART_BASE 0x10000000UL
#define VIRT_CLINT_BASE 0x02000000UL
#define VIRT_TEST_BASE 0x00100000UL
/*
 * QEMU loads -kernel 2 MiB into RAM. The monitor region is only as large as the image
 * (plus .bss and stacks), not the whole 2 MiB: u-boot puts its first stack and global
 * data just below its load address, which OpenSBI also leaves open to S-mode.
 */
#define VIRT_KERNEL_OFFSET 0x200000UL

/* Confidential memory taken from the top of RAM; override with -DCONF_SIZE=... */
#ifndef CONF_SIZE
#define CONF_SIZE (64UL << 20)
#endif
#define VIRT_MIN_HV_RAM (32UL << 20)

void virt_uart_putc(char c);
int virt_uart_getc(void);

uint64_t virt_clint_time(void);
void virt_clint_set_timer(unsigned hart, uint64_t when);
void virt_clint_send_ipi(unsigned hart);
void virt_clint_clear_ipi(unsigned hart);

void virt_system_reset(uint32_t type, uint32_t reason);
_Noreturn void virt_fail(void);

void virt_puts(const char *s);
void virt_put_hex(uint64_t v);
void virt_put_dec(uint64_t v);
void virt_put_size(uint64_t bytes);

/* The per-hart M-mode setup every hart does before it can run a domain. */
void virt_hart_setup(unsigned hartid);
ureg_t virt_stack_top(unsigned hartid);

/* Called from the assembly (entry.S, trap.S). */
struct hart *virt_boot_main(unsigned long hartid, unsigned long fdt);
struct hart *virt_secondary_init(unsigned long hartid);
void virt_hart_parking(struct hart *h);
bool virt_waiting_hart_wakes(struct hart *h);
_Noreturn void virt_fatal_trap(void);

/* Linker script symbols (monitor.ld) and the boot flags of entry.S. */
extern char __monitor_start[], __monitor_end[];
extern char virt_stacks[];
extern volatile uint32_t virt_boot_done;

#endif
