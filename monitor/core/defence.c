/* The test build's switchboard (see defence.h); empty in every other build. */
#include "defence.h"

#ifdef MONITOR_FAULT_INJECTION
/* A build may start with defences already off (a firmware variant with a planted bug). */
#ifndef MONITOR_DEFENCES_OFF
#define MONITOR_DEFENCES_OFF 0
#endif
unsigned defences_off = MONITOR_DEFENCES_OFF;
#else
typedef int defence_c_is_empty_outside_fault_injection_builds;
#endif
