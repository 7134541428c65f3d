/*
 * Console output through the legacy SBI putchar (both firmwares have it). Harts print
 * whole lines under one lock so the log stays readable with -smp 4.
 */
#include "hv.h"
#include "sbi.h"

static unsigned console_lock;

void con_lock(void)
{
	while (__atomic_exchange_n(&console_lock, 1U, __ATOMIC_ACQUIRE))
		;
}

void con_unlock(void)
{
	__atomic_store_n(&console_lock, 0U, __ATOMIC_RELEASE);
}

void con_puts(const char *s)
{
	while (*s)
		hv_ecall(SBI_EXT_LEGACY_PUTCHAR, 0, (unsigned char)*s++, 0, 0, 0, 0);
}

const char *fmt_dec(char buf[FMT_BUF], unsigned long v)
{
	unsigned i = FMT_BUF;
	buf[--i] = '\0';
	do {
		buf[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	return &buf[i];
}

const char *fmt_hex(char buf[FMT_BUF], unsigned long v)
{
	static const char digits[] = "0123456789abcdef";
	unsigned n = 0;
	int shift = 60;
	buf[n++] = '0';
	buf[n++] = 'x';
	while (shift > 0 && !((v >> shift) & 0xf))
		shift -= 4;
	for (; shift >= 0; shift -= 4)
		buf[n++] = digits[(v >> shift) & 0xf];
	buf[n] = '\0';
	return buf;
}

void con_put_dec(unsigned long v)
{
	char buf[FMT_BUF];
	con_puts(fmt_dec(buf, v));
}

void con_put_hex(unsigned long v)
{
	char buf[FMT_BUF];
	con_puts(fmt_hex(buf, v));
}

void con_line(const char *s)
{
	con_lock();
	con_puts(s);
	con_puts("\n");
	con_unlock();
}
