/* The ecall wrapper and console output over the legacy putchar both firmwares offer. */
#include "sbi_call.h"
#include "sbi.h"

struct sbiret sbi_call(unsigned long eid, unsigned long fid, unsigned long a0,
		       unsigned long a1, unsigned long a2, unsigned long a3, unsigned long a4)
{
	return sbi_ecall(eid, fid, a0, a1, a2, a3, a4, 0);
}

void out_char(char c)
{
	sbi_call(SBI_EXT_LEGACY_PUTCHAR, 0, (unsigned char)c, 0, 0, 0, 0);
}

void out_str(const char *s)
{
	while (*s)
		out_char(*s++);
}

void out_dec(long v)
{
	char buf[24];
	unsigned i = sizeof(buf);
	unsigned long u = v < 0 ? 0UL - (unsigned long)v : (unsigned long)v;
	buf[--i] = '\0';
	do {
		buf[--i] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		buf[--i] = '-';
	out_str(&buf[i]);
}

void out_hex(unsigned long v)
{
	static const char digits[] = "0123456789abcdef";
	int shift = 60;
	while (shift > 0 && !((v >> shift) & 0xf))
		shift -= 4;
	out_str("0x");
	for (; shift >= 0; shift -= 4)
		out_char(digits[(v >> shift) & 0xf]);
}
