/* SBI calls from S-mode and the payload's console. */
#ifndef SBIC_SBI_CALL_H
#define SBIC_SBI_CALL_H

#include <stdint.h>

#include "sbi_ecall.h"

struct sbiret sbi_call(unsigned long eid, unsigned long fid, unsigned long a0,
		       unsigned long a1, unsigned long a2, unsigned long a3, unsigned long a4);

void out_char(char c);
void out_str(const char *s);
void out_dec(long v);
void out_hex(unsigned long v);

#endif
