/*
 * The executor behind every host fuzz target: decode a program, play it against the
 * monitor on the hardware model, and check the oracles after every step.
 */
#ifndef HARNESS_HARNESS_H
#define HARNESS_HARNESS_H

#include <stddef.h>
#include <stdint.h>

#include "../../catalog/oracles.h"
#include "prog.h"

/* Boots the model, runs the target's prologue and snapshots the result. */
void harness_init(enum target_id t);
/* Restores the snapshot and plays the program; aborts (after a report) on a finding. */
int harness_run(enum target_id t, const uint8_t *data, size_t size);

/* The oracles (enum oracle, oracle_name) are catalog/oracles.def's. Each can be
 * switched off on its own to show, in tests, what it catches. */
extern unsigned harness_oracles_enabled; /* bit per enum oracle; all on by default */

/* With harness_count_only set, findings are counted instead of aborting (oracle tests). */
extern int harness_count_only;
extern unsigned harness_findings;
extern const char *harness_last_oracle;

void harness_finding(enum oracle o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
