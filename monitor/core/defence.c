/* The test build's switchboard (see defence.h); empty in every other build. */
#include "defence.h"

#ifdef MONITOR_FAULT_INJECTION
unsigned defences_off;
#else
typedef int defence_c_is_empty_outside_fault_injection_builds;
#endif
