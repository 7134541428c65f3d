/*
 * Proof unit for the range predicates of monitor/inc/types.h (range_ok, range_within,
 * ranges_overlap): Frama-C analyses the static inline functions this file pulls in.
 * Not built into the monitor.
 */
#include "types.h"
