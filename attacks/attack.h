/*
 * The threat-model attack suite: what an attack is, independent of where it runs.
 *
 * Every attack has a stable id that all backends share, the threat-model goal it
 * pursues, the policy it tests, and the one defence (defence.h) whose absence lets it
 * through. Each backend supplies its own implementation; the host library is the first,
 * QEMU (the hostile hypervisor payload reporting the same ids over the UART) is next.
 */
#ifndef ATTACKS_ATTACK_H
#define ATTACKS_ATTACK_H

#include <stdbool.h>
#include <stddef.h>

enum policy { POL_ISOLATION, POL_INFO_FLOW, POL_SANITIZATION, POL_FAULT_ISOLATION };

enum attack_result {
	AR_BLOCKED,   /* the attacker got nothing: the defence held */
	AR_SUCCEEDED, /* the attacker got what it was after */
	AR_ERROR,     /* the scenario could not be set up: neither verdict applies */
	AR_CRASHED,   /* the backend died (abort, sanitizer report, time-out) */
	AR_NOT_RUN,   /* no implementation on this backend yet */
	AR_NOT_APPLICABLE, /* the backend cannot express the attack ("not-applicable") */
};

/* What one run of an attack leaves behind: the verdict's evidence, in words. */
struct attack_run {
	char evidence[320];
};

typedef enum attack_result (*attack_fn)(struct attack_run *run);

struct attack {
	const char *id;      /* stable across backends and reports */
	const char *name;
	const char *goal;    /* what the attacker wants, in threat-model terms */
	enum policy policy;
	unsigned defence;    /* the D_* switch it targets; 0 when none exists yet */
	const char *defence_name;
	const char *pending; /* non-NULL: why the attack cannot be complete yet */
	attack_fn host;      /* the host-library implementation, or NULL */
};

extern const struct attack attack_table[];
extern const size_t attack_count;

/* Sets the evidence (printf-style); later calls append "; ...". */
void attack_note(struct attack_run *run, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

const char *policy_name(enum policy p);
const char *result_name(enum attack_result r);

#endif
