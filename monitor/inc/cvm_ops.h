/* Operations on CVM control data shared by the COVH, COVG and trap handlers. */
#ifndef MONITOR_CVM_OPS_H
#define MONITOR_CVM_OPS_H

#include "cvm.h"
#include "monitor.h"

#define SV39X4_GPA_BITS_CVM 41

/* The ACTIVE CVM with hypervisor-visible id `id`, or NULL. */
struct cvm *cvm_lookup(ureg_t id, unsigned *idx);
bool cvm_any_vcpu_running(const struct cvm *c);
void cvm_teardown(unsigned idx);
/* Page-aligned, non-empty, non-wrapping and inside the CVM's 41-bit GPA space. */
bool cvm_gpa_range_ok(gpaddr_t gpa, uint64_t len);
bool cvm_region_overlaps(const struct cvm *c, gpaddr_t gpa, uint64_t len);

/* COVH promote_to_tvm (core/promote.c). */
void covh_promote(struct sbi_call *c);
/* Applies the hypervisor's answer to the vCPU's pending exit (core/cvm_resume.c). */
void cvm_apply_response(struct cvm *c, unsigned idx, struct vcpu *v, ureg_t resp0, ureg_t resp1);

#endif
