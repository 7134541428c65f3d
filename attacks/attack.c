#include "attack.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void attack_note(struct attack_run *run, const char *fmt, ...)
{
	size_t used = strlen(run->evidence);
	if (used + 3 >= sizeof(run->evidence))
		return;
	if (used) {
		memcpy(run->evidence + used, "; ", 3);
		used += 2;
	}
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(run->evidence + used, sizeof(run->evidence) - used, fmt, ap);
	va_end(ap);
}

const char *policy_name(enum policy p)
{
	switch (p) {
	case POL_ISOLATION: return "isolation";
	case POL_INFO_FLOW: return "information flow";
	case POL_SANITIZATION: return "sanitization";
	case POL_FAULT_ISOLATION: return "fault isolation";
	}
	return "?";
}

const char *result_name(enum attack_result r)
{
	switch (r) {
	case AR_BLOCKED: return "blocked";
	case AR_SUCCEEDED: return "succeeded";
	case AR_ERROR: return "error";
	case AR_CRASHED: return "crashed";
	case AR_NOT_RUN: return "not run";
	case AR_NOT_APPLICABLE: return "n/a";
	}
	return "?";
}
