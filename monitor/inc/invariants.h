/*
 * Named invariants (DESIGN section 1) checked over the monitor's live data. Tests,
 * fuzz oracles and the firmware's self-check entry use the same functions.
 */
#ifndef MONITOR_INVARIANTS_H
#define MONITOR_INVARIANTS_H

#include "types.h"

struct inv_violation {
	const char *invariant; /* "I.MT.1", ... */
	char detail[160];
};

/*
 * S.MT.1, I.MT.1, I.MT.2, I.MT.3 and CVM table sanity: every tracked page has exactly
 * one owner, counted from the tokens and again from every CVM's tables; no table maps
 * monitor memory, another CVM's page or a page twice; free pages are zero.
 */
bool inv_check_memory(struct inv_violation *v);

/*
 * I.FSM.1-3 for hart `hart` at the moment the monitor returns from a trap: interrupts
 * off in M-mode, PMP closes monitor memory always and confidential memory unless a CVM
 * runs, hgatp is that CVM's, and no interrupt is delegated away from the monitor
 * while a CVM runs.
 */
bool inv_check_hart(unsigned hart, struct inv_violation *v);

bool inv_check_all(struct inv_violation *v);

#endif
