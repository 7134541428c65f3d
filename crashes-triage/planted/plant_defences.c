/*
 * Linked only into the triage self-test build (mk/triage.mk, $(BUILD)/triage-test): it
 * switches monitor defences off before the fuzz target starts, from TRIAGE_DEFENCES_OFF
 * (a number, e.g. 0x10 for D_RELEASE_ZEROES). One build then carries every planted bug
 * the test needs, and the fuzzers, the minimisers and the replay all inherit the choice
 * through their environment.
 */
#include <stdlib.h>

#include "defence.h"

static void plant_defences_from_environment(void) __attribute__((constructor));

static void plant_defences_from_environment(void)
{
	const char *off = getenv("TRIAGE_DEFENCES_OFF");
	if (off && *off)
		defences_off = (unsigned)strtoul(off, NULL, 0);
}
