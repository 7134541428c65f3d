/*
 * Test-only switches that turn one defence off at a time. The oracle tests and the
 * attack suite use them to show that what they check actually notices the defence
 * missing. They exist only in a separate test build (-DMONITOR_FAULT_INJECTION);
 * in the firmware and in the normal host library DEFENCE() is the constant 1.
 */
#ifndef MONITOR_DEFENCE_H
#define MONITOR_DEFENCE_H

enum defence {
	D_EXIT_RESTORES_GPRS = 1U << 0,  /* exit node replaces the CVM's GPRs (I.FSM.5) */
	D_EXIT_RESTORES_FP = 1U << 1,    /* ... and its FP registers */
	D_EXIT_CLOSES_PMP = 1U << 2,     /* exit node closes confidential memory (I.FSM.3) */
	D_RESUME_ONLY_ANSWER = 1U << 3,  /* nothing but the exit's answer reaches the CVM */
	D_RELEASE_ZEROES = 1U << 4,      /* pages are zeroed before they change owner (I.MT.3) */
	D_PROMOTE_CHECKS_LEAVES = 1U << 5, /* promote copies only hypervisor memory */
	D_VCPU_ON_ONE_HART = 1U << 6,    /* a vCPU runs on at most one hart */
	D_IRQ_FILTER = 1U << 7,          /* only interrupts the CVM allowed are injected */
	D_MMIO_IN_REGION = 1U << 8,      /* MMIO exits only inside registered regions */
	D_ARGS_IN_HV_MEMORY = 1U << 9,   /* call buffers must be hypervisor memory */
	D_DESTROY_WAITS = 1U << 10,      /* no destroy while a vCPU runs */
	D_PMP_GUARDS_MONITOR = 1U << 11, /* PMP denies S/U the monitor's memory (S.Init.1) */
	D_EXIT_RESTORES_VS_CSRS = 1U << 12, /* exit node puts the hypervisor's vs* CSRs back */
	D_ENTER_LOADS_VS_CSRS = 1U << 13,   /* enter node loads the vCPU's own vs* CSRs */
	D_CVM_TRAPS_TO_MONITOR = 1U << 14,  /* no CVM exception is delegated to HS (I.FSM.2) */
	D_SHARE_CHECKS_HPA = 1U << 15,   /* a shared page must be hypervisor memory */
	D_UNSHARE_FENCES_REMOTE = 1U << 16, /* unshare fences harts running sibling vCPUs */
	D_CVM_FAULT_CONTAINED = 1U << 17, /* a CVM fault ends that vCPU only, never the machine */
	D_ATTEST_ONLY_FROM_CVM = 1U << 18, /* attestation answers only the CVM that asks */
	D_ATTEST_BUFFERS_PRIVATE = 1U << 19, /* attestation buffers are the CVM's own pages */
	D_PMP_GUARDS_DEVICES = 1U << 20, /* PMP denies S/U bus masters and the CLINT (S.Init.3) */
	D_ENTER_CLEARS_MXR = 1U << 21,   /* the hypervisor's sstatus.MXR/SUM are off under a CVM */
	D_SWAPS_UNSHADOWED_CSRS = 1U << 22, /* scounteren, senvcfg swapped on every switch */
	D_KEEPS_SELF_IPI = 1U << 23,     /* a CVM's own hvip.VSSIP survives its exits */
	D_ENTER_DISABLES_VECTOR = 1U << 24, /* mstatus.VS is Off under a CVM */
	D_FENCES_VS_STAGE = 1U << 25,    /* hfence.vvma for the CVM's VMID at enter and exit */
	D_ENTER_DISABLES_FP = 1U << 26,  /* mstatus.FS is Off under a CVM until it uses FP */
};

#ifdef MONITOR_FAULT_INJECTION
extern unsigned defences_off;
#define DEFENCE(d) (!(defences_off & (d)))
#else
#define DEFENCE(d) 1
#endif

#endif
