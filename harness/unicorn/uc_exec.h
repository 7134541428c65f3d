/*
 * Plays the host harness's programs (harness/lib/prog.h) against the firmware binary
 * on Unicorn, with the oracles the binary allows (docs in harness/unicorn/README.md).
 */
#ifndef UC_EXEC_H
#define UC_EXEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "prog.h"

/* Firmware: $UC_FIRMWARE, else the path compiled in. Exits with a message on failure. */
void uc_exec_init(enum target_id t);
/* Restores the snapshot and plays one input; aborts after a report on a finding. */
void uc_exec_run(const uint8_t *data, size_t size);

/* Findings: counted instead of aborting when uc_exec_count_only is set. */
extern int uc_exec_count_only;
extern unsigned uc_exec_findings;
extern const char *uc_exec_last_oracle;
/* Run the firmware's self-check after every step rather than once per input. */
extern bool uc_exec_check_every_step;

#endif
