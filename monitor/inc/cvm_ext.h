/*
 * The extensions a CVM calls (VS ecall), one file each under monitor/core/, all
 * registered in cvm_table.c. A handler answers inside the CVM's turn (CALL_RETURNS:
 * error and value go to a0/a1, pc steps past the ecall) or ends the turn through the
 * exit node (CALL_SWITCHED).
 */
#ifndef MONITOR_CVM_EXT_H
#define MONITOR_CVM_EXT_H

#include "monitor.h"

extern const struct cvm_ext cvm_ext_covg;      /* core/covg.c */
extern const struct cvm_ext cvm_ext_hsm;       /* core/cvm_hsm.c */
extern const struct cvm_ext cvm_ext_hypercall; /* core/cvm_hypercall.c: any other EID */

/* Ends the CVM's turn with an exit whose resume pc is past the ecall. */
enum call_end cvm_call_exit(struct cvm_call *c, enum tvm_exit_reason reason, const ureg_t *payload,
			    unsigned n);

/* COVG attestation calls (core/attest.c). */
enum call_end covg_get_attcaps(struct cvm_call *c);
enum call_end covg_extend_measurement(struct cvm_call *c);
enum call_end covg_get_evidence(struct cvm_call *c);
enum call_end covg_read_measurement(struct cvm_call *c);

#endif
