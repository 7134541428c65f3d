/* Confidential VM control data, kept in monitor memory. */
#ifndef MONITOR_CVM_H
#define MONITOR_CVM_H

#include "arch.h"
#include "attest.h"
#include "config.h"
#include "hart.h"
#include "types.h"

enum vcpu_state { VCPU_STOPPED = 0, VCPU_RUNNABLE, VCPU_FAULTED };

/* What a vCPU is waiting for the hypervisor to answer on its next run. */
enum vcpu_pending { PEND_NONE = 0, PEND_HYPERCALL, PEND_MMIO_LOAD, PEND_MMIO_STORE,
		    PEND_SHARE, PEND_UNSHARE, PEND_INTERRUPT };

struct vcpu_csrs {
	ureg_t vsstatus, vsie, vstvec, vsscratch, vsepc, vscause, vstval, vsatp;
	ureg_t hstatus; /* only the bits the monitor lets a CVM keep */
	/* S CSRs with no VS copy (privileged spec 8.2): VS-mode reaches the real ones */
	ureg_t scounteren, senvcfg;
	ureg_t vssip; /* hvip.VSSIP as the CVM left it: its own self-IPI, set through sip */
};

struct vcpu {
	enum vcpu_state state;
	int running_on; /* hart index, or -1 */
	struct regs regs;
	ureg_t pc;
	struct fp_state fp;
	struct vcpu_csrs csrs;
	ureg_t injected; /* hvip bits the hypervisor asked for and the CVM allows */
	enum vcpu_pending pending;
	/* decoded MMIO access awaiting completion */
	unsigned mmio_rd, mmio_width, insn_len;
	bool mmio_signed;
	gpaddr_t req_gpa; /* share/unshare request awaiting an answer */
	uint64_t req_len;
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
