/*
 * CoVE (RISC-V AP-TEE) numbering for the host (COVH) and guest (COVG) interfaces,
 * and this monitor's choices where the specification leaves one (see docs/abi.md).
 */
#ifndef MONITOR_COVE_H
#define MONITOR_COVE_H

#include "types.h"

#define SBI_EXT_COVH 0x434F5648
#define COVH_GET_TSM_INFO 0
#define COVH_PROMOTE_TO_TVM 7
#define COVH_DESTROY_TVM 8
#define COVH_RUN_TVM_VCPU 15

#define SBI_EXT_COVG 0x434F5647
#define COVG_ADD_MMIO_REGION 0
#define COVG_REMOVE_MMIO_REGION 1
#define COVG_SHARE_MEMORY_REGION 2
#define COVG_UNSHARE_MEMORY_REGION 3
#define COVG_ALLOW_EXTERNAL_INTERRUPT 4
#define COVG_DENY_EXTERNAL_INTERRUPT 5
#define COVG_GET_ATTCAPS 6
#define COVG_EXTEND_MEASUREMENT 7
#define COVG_GET_EVIDENCE 8
#define COVG_RETRIEVE_SECRET 9
#define COVG_READ_MEASUREMENT 10

#define TSM_STATE_NOT_LOADED 0
#define TSM_STATE_LOADED 1
#define TSM_STATE_READY 2

#define TSM_CAP_PROMOTE_TVM (1ULL << 0)
#define TSM_CAP_ATTESTATION_LOCAL (1ULL << 1)
#define TSM_CAP_ATTESTATION_REMOTE (1ULL << 2)

struct tsm_info {
	uint32_t tsm_state;
	uint32_t tsm_impl_id;
	uint32_t tsm_version;
	uint32_t reserved;
	uint64_t tsm_capabilities;
	uint64_t tvm_state_pages;
	uint64_t tvm_max_vcpus;
	uint64_t tvm_vcpu_state_pages;
};

/*
 * How run_tvm_vcpu reports an exit: a0 = SBI error, a1 = exit reason, a2.. = payload.
 * How the hypervisor answers the previous exit: run_tvm_vcpu(id, vcpu, resp0, resp1,
 * inject) in a0..a4.
 */
enum tvm_exit_reason {
	TVM_EXIT_NONE = 0,       /* never reported: a vCPU's exit once answered */
	TVM_EXIT_HYPERCALL = 1,  /* a2..a7 = guest a0..a5, t0 = guest a6, t1 = guest a7 */
	TVM_EXIT_MMIO_LOAD = 2,  /* a2 = gpa, a3 = width in bytes */
	TVM_EXIT_MMIO_STORE = 3, /* a2 = gpa, a3 = width, a4 = value (width bytes) */
	TVM_EXIT_INTERRUPT = 4,  /* a2 = interrupt cause */
	TVM_EXIT_SHARE = 5,      /* a2 = gpa, a3 = len: answer resp0 = host PA or 0 */
	TVM_EXIT_UNSHARE = 6,    /* a2 = gpa, a3 = len: already unmapped and fenced */
	TVM_EXIT_FAULT = 7,      /* a2 = trap cause; the vCPU cannot run again */
	TVM_EXIT_HALT = 8,       /* the vCPU stopped itself (HSM hart_stop) */
};

/* Interrupts a hypervisor may inject (hvip bits), if the CVM allowed them. */
#define TVM_IRQ_VSSI 2
#define TVM_IRQ_VSTI 6
#define TVM_IRQ_VSEI 10
#define TVM_IRQ_ALL ((1UL << TVM_IRQ_VSSI) | (1UL << TVM_IRQ_VSTI) | (1UL << TVM_IRQ_VSEI))

#endif
