/*
 * One SBI call from S-mode or VS-mode (the SBI calling convention: EID in a7, FID in
 * a6, arguments in a0..a5, error and value back in a0 and a1). Shared by the payloads
 * that run above the firmware: the hostile hypervisor, its attack agent and the SBI
 * conformance payload.
 */
#ifndef EMULATOR_SBI_ECALL_H
#define EMULATOR_SBI_ECALL_H

struct sbiret {
	long error;
	unsigned long value;
};

static inline struct sbiret sbi_ecall(unsigned long eid, unsigned long fid, unsigned long a0,
				      unsigned long a1, unsigned long a2, unsigned long a3,
				      unsigned long a4, unsigned long a5)
{
	register unsigned long r_a0 __asm__("a0") = a0;
	register unsigned long r_a1 __asm__("a1") = a1;
	register unsigned long r_a2 __asm__("a2") = a2;
	register unsigned long r_a3 __asm__("a3") = a3;
	register unsigned long r_a4 __asm__("a4") = a4;
	register unsigned long r_a5 __asm__("a5") = a5;
	register unsigned long r_a6 __asm__("a6") = fid;
	register unsigned long r_a7 __asm__("a7") = eid;
	__asm__ __volatile__("ecall"
			     : "+r"(r_a0), "+r"(r_a1)
			     : "r"(r_a2), "r"(r_a3), "r"(r_a4), "r"(r_a5), "r"(r_a6), "r"(r_a7)
			     : "memory");
	return (struct sbiret){ .error = (long)r_a0, .value = r_a1 };
}

#endif
