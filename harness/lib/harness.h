/*
 * The executor behind every host fuzz target: decode a program, play it against the
 * monitor on the hardware model, and check the oracles after every step.
 */
#ifndef HARNESS_HARNESS_H
#define HARNESS_HARNESS_H

#include <stddef.h>
#include <stdint.h>

#include "prog.h"

/* Boots the model, runs the target's prologue and snapshots the result. */
void harness_init(enum target_id t);
/* Restores the snapshot and plays the program; aborts (after a report) on a finding. */
int harness_run(enum target_id t, const uint8_t *data, size_t size);

/* Oracles can be switched off one at a time to show, in tests, what each catches. */
enum oracle {
	ORACLE_INVARIANTS,    /* inv_check_all over the live monitor state */
	ORACLE_REG_LEAK,      /* CVM canaries in hypervisor registers/CSRs or another CVM */
	ORACLE_MEM_REACH,     /* the hypervisor can reach confidential or monitor memory */
	ORACLE_CVM_INTEGRITY, /* a CVM's state changed outside the narrow interface */
	ORACLE_MEM_LEAK,      /* a CVM canary or a monitor secret where the hypervisor reads */
	ORACLE_BUS_MASTER,    /* a bus master the hypervisor programs reached monitor or
				 confidential memory */
	ORACLE_STATE,         /* a CSR crossed domains or changed outside its owner (csr_state.c) */
	ORACLE_COUNT,
};
extern unsigned harness_oracles_enabled; /* bit per enum oracle; all on by default */

/* With harness_count_only set, findings are counted instead of aborting (oracle tests). */
extern int harness_count_only;
extern unsigned harness_findings;
extern const char *harness_last_oracle;

void harness_finding(enum oracle o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
