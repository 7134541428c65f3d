/* Confidential VM control data, kept in monitor memory. */
#ifndef MONITOR_CVM_H
#define MONITOR_CVM_H

#include "arch.h"
#include "attest.h"
#include "cove.h"
#include "config.h"
#include "hart.h"
#include "mmio.h"
#include "types.h"

enum vcpu_state { VCPU_STOPPED = 0, VCPU_RUNNABLE, VCPU_FAULTED };

/* Payload words an exit can carry: a2..a7, t0, t1 of the run call's result. */
#define CVM_EXIT_PAYLOAD_MAX 8

/*
 * How a CVM's turn ends, as one value: the exit node (fsm_exit_to_hypervisor) reports
 * it to the hypervisor and keeps it in the vCPU, where it is what the vCPU waits for
 * until the hypervisor's next run answers it. Everything the vCPU's state machine needs
 * derives from it: the resume pc, FAULTED after a fault, STOPPED after a halt, and what
 * the answer may change (cvm_resume.c).
 */
struct cvm_exit {
	enum tvm_exit_reason reason;
	ureg_t resume_pc; /* where the vCPU continues on its next run */
	unsigned n;       /* payload words the hypervisor sees */
	ureg_t payload[CVM_EXIT_PAYLOAD_MAX];
	struct {          /* TVM_EXIT_MMIO_LOAD: where the answer goes */
		unsigned rd, width;
		bool is_signed;
	} load;
};

struct vcpu_csrs {
	ureg_t vsstatus, vsie, vstvec, vsscratch, vsepc, vscause, vstval, vsatp;
	ureg_t hstatus; /* only the bits the monitor lets a CVM keep */
	/* S CSRs with no VS copy (privileged spec 8.2): VS-mode reaches the real ones */
	ureg_t scounteren, senvcfg;
	ureg_t vssip; /* hvip.VSSIP as the CVM left it: its own self-IPI, set through sip */
};

/*
 * The last MMIO instruction the vCPU trapped on where the hart gave no mtinst
 * (cvm_trap.c): its pc, where its bits are, the bits and what they decode to. It holds
 * while the CVM's G-stage tables are as they were (gen == the CVM's gstage_gen,
 * I.MMIO.1); gen 0 is no site.
 */
struct mmio_site {
	ureg_t pc;
	paddr_t pa;
	uint32_t insn;
	uint32_t gen;
	struct mmio_access acc;
};

struct vcpu {
	enum vcpu_state state;
	int running_on; /* hart index, or -1 */
	struct regs regs;
	ureg_t pc; /* where it continues on its next run */
	struct fp_state fp;
	struct vcpu_csrs csrs;
	ureg_t injected; /* hvip bits the hypervisor asked for and the CVM allows */
	struct cvm_exit exit; /* its last exit; reason TVM_EXIT_NONE once answered */
	struct mmio_site mmio_site;
};

struct gregion {
	gpaddr_t gpa;
	uint64_t len; /* 0: slot unused */
	paddr_t hpa;  /* shared regions: the hypervisor page backing it */
};

enum cvm_state { CVM_FREE = 0, CVM_ACTIVE };

struct cvm {
	enum cvm_state state;
	paddr_t root;       /* Sv39x4 root (16 KiB) in confidential memory */
	uint32_t gstage_gen; /* 1 at promote, +1 on every later change of its G-stage tables */
	unsigned nr_vcpus;
	ureg_t allowed_irqs; /* hvip bits the CVM lets the hypervisor inject */
	struct vcpu vcpu[MAX_VCPUS];
	struct gregion mmio[MAX_MMIO_REGIONS];
	struct gregion shared[MAX_SHARED_REGIONS];
	/* measurement registers (attest.h): initial ones set by promote, runtime ones
	 * extended by the CVM */
	uint8_t mr[ATTEST_MR_COUNT][ATTEST_MR_SIZE];
};

/* TVM ids handed to the hypervisor are index + 1; 0 is never valid. */
static inline unsigned long cvm_id(unsigned idx) { return idx + 1UL; }

#endif
