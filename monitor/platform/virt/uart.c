/* The NS16550A UART of QEMU virt, polled. QEMU needs no divisor or FIFO setup. */
#include "virt.h"

#define UART_RBR 0 /* receive buffer (read) */
#define UART_THR 0 /* transmit holding (write) */
#define UART_LSR 5 /* line status */
#define LSR_DATA_READY 0x01
#define LSR_THR_EMPTY 0x20

static volatile uint8_t *uart_reg(unsigned off)
{
	return (volatile uint8_t *)(VIRT_UART_BASE + off);
}

void virt_uart_putc(char c)
{
	while (!(*uart_reg(UART_LSR) & LSR_THR_EMPTY))
		;
	*uart_reg(UART_THR) = (uint8_t)c;
}

int virt_uart_getc(void)
{
	if (!(*uart_reg(UART_LSR) & LSR_DATA_READY))
		return -1;
	return *uart_reg(UART_RBR);
}
