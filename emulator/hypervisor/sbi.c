/* SBI calls from HS: the firmware below is the monitor, or OpenSBI for comparison. */
#include "hv.h"

struct sbiret hv_ecall(unsigned long eid, unsigned long fid, unsigned long a0,
		       unsigned long a1, unsigned long a2, unsigned long a3, unsigned long a4)
{
	return sbi_ecall(eid, fid, a0, a1, a2, a3, a4, 0);
}
