/* What the suite found, per attack and backend, and the markdown report of it. */
#ifndef ATTACKS_REPORT_H
#define ATTACKS_REPORT_H

#include <stdio.h>

#include "attack.h"

enum verdict { V_OK, V_FAIL, V_PENDING };

struct outcome {
	enum attack_result host_on;  /* every defence on: must be blocked */
	enum attack_result host_off; /* its defence off: must succeed (AR_NOT_RUN: no switch) */
	enum attack_result qemu;     /* from the QEMU backend's results, AR_NOT_RUN if none */
	enum attack_result qemu_off; /* QEMU, firmware built with its defence off */
	struct attack_run on, off, qemu_on_ev, qemu_off_ev;
	enum verdict verdict;
	const char *why; /* for V_FAIL */
};

/* Writes the report for attacks[0..n) with their outcomes. */
void report_write(FILE *f, const struct attack *attacks, const struct outcome *o, size_t n);

#endif
