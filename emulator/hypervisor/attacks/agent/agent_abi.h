/*
 * The contract between the attack mode of the hostile hypervisor and its agent, a
 * VS-mode program it promotes as a victim CVM or as a CVM of its own. The agent asks
 * for a command with a hypercall, carries it out, and hands the results over in its
 * next request. The agent keeps the test guest's secrets (guest_abi.h) in memory and
 * plants them in every register a command exposes, so the hypervisor's leak oracle
 * (secrets.c) recognises them wherever they turn up.
 */
#ifndef ATTACK_AGENT_ABI_H
#define ATTACK_AGENT_ABI_H

#include "guest_abi.h"

/* The agent's memory: its image from GPA 0x40000000, its device tree in the next page. */
#define AGENT_GPA 0x40000000UL
#define AGENT_IMAGE_SIZE 0x20000UL
#define AGENT_FDT_GPA (AGENT_GPA + AGENT_IMAGE_SIZE)
#define AGENT_RAM_SIZE (AGENT_IMAGE_SIZE + 0x1000UL)

/* Agent requests: SBI experimental EID range. NEXT: a0 = status of the last command,
 * a1..a5 = its results; the answer is a0 = the next command, a1 = its argument. */
#define AGENT_EID 0x0841544BUL
#define AGENT_FID_NEXT 0
#define AGENT_FID_ARG 1     /* answer a1 = one more argument */
#define AGENT_FID_PLANTED 2 /* the exit of PLANT_GPRS: every other register holds a secret */
#define AGENT_FID_PING 3    /* the exit of PLANT_CSRS */

enum agent_cmd {
	AGENT_CMD_NONE,
	AGENT_CMD_PLANT_GPRS,  /* r0 = registers changed besides a0/a1, r1 = first (FP: 32+i,
				* fcsr: 64), r2 = its value now */
	AGENT_CMD_PLANT_CSRS,  /* r0 = mask of CSRs changed, r1..r5 = the CSRs as seen after */
	AGENT_CMD_READ,        /* arg gpa: r0 = the doubleword loaded */
	AGENT_CMD_SCAN,        /* arg gpa, ARG len: r0 = 1 if a memory secret was found, r1 = its
				* GPA, r2 = the value */
	AGENT_CMD_STORE_LOOP,  /* arg gpa, ARG n: n stores of AGENT_STORE_TAG + i; r0 = n */
	AGENT_CMD_SPIN,        /* arg n: n iterations without an exit */
	AGENT_CMD_SPIN_IRQ,    /* arg n: n iterations with every S interrupt enabled; r0 =
				* interrupts taken, r1 = mask of their causes */
	AGENT_CMD_COVG,        /* arg fid, ARG a0, ARG a1: r0 = error */
	AGENT_CMD_START_VCPU,  /* arg vCPU: HSM hart_start at the agent's secondary entry */
	AGENT_CMD_JUMP,        /* arg address: the agent jumps there */
	AGENT_CMD_CHECK_MEM,   /* r0 = memory secrets changed, r1 = first index, r2 = its value */
	AGENT_CMD_STOP,        /* HSM hart_stop */
	AGENT_CMD_EVIDENCE,    /* arg challenge GPA, ARG output GPA: COVG get_evidence in
				* format CSEV1, no TVM key; r0 = error */
	AGENT_CMD_READ_VECTOR, /* turn vsstatus.VS on and read v1[0] (64-bit): r0 = it */
};

#define AGENT_STATUS_OK 0UL
#define AGENT_STATUS_TRAP 0x7a9UL /* an exception in the agent: r0 = scause, r1 = sepc */
#define AGENT_STORE_TAG 0x5707e00000000000UL
#define AGENT_FCSR 0x45UL /* the fcsr PLANT_GPRS loads: rounding mode 2, flags 5 */
#define AGENT_EVIDENCE_ROOM 0x1000UL /* the cert_size EVIDENCE passes */
#define AGENT_CSRS 5      /* sscratch, sepc, scause, stval, stvec */

/* The values PLANT_CSRS writes: secret mixes, 4-byte aligned so sepc and stvec keep them. */
static inline uint64_t agent_csr_plant(unsigned vcpu, unsigned k)
{
	return secret_mix(secret_value(SECRET_COUNT + 8 * vcpu + k)) & ~3UL;
}

#endif
