/* Minimal output for the boot banner and fatal messages (no printf in the monitor). */
#include "virt.h"

void virt_puts(const char *s)
{
	while (*s)
		virt_uart_putc(*s++);
}

void virt_put_hex(uint64_t v)
{
	static const char digits[] = "0123456789abcdef";
	int shift = 60;
	while (shift > 0 && !((v >> shift) & 0xf))
		shift -= 4;
	virt_puts("0x");
	for (; shift >= 0; shift -= 4)
		virt_uart_putc(digits[(v >> shift) & 0xf]);
}

void virt_put_dec(uint64_t v)
{
	char buf[21];
	unsigned i = sizeof(buf);
	buf[--i] = '\0';
	do {
		buf[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v && i);
	virt_puts(&buf[i]);
}

/* Whole MiB when exact, bytes otherwise. */
void virt_put_size(uint64_t bytes)
{
	if (bytes && IS_ALIGNED(bytes, 1UL << 20)) {
		virt_put_dec(bytes >> 20);
		virt_puts(" MiB");
	} else {
		virt_put_dec(bytes);
		virt_puts(" B");
	}
}
