/*
 * Prefix snapshots for the host executor, as incremental snapshot fuzzers (Nyx) keep
 * them: after a costly step (building or promoting an image) the machine and the
 * harness's own state are checkpointed, keyed by the steps that led there; a later input
 * that begins with the same steps starts from the checkpoint instead of replaying them.
 * HARNESS_PREFIX_CACHE=0 turns it off.
 */
#ifndef HARNESS_PREFIX_CACHE_H
#define HARNESS_PREFIX_CACHE_H

#include <stdbool.h>
#include <stdint.h>

#include "prog.h"

struct prefix_cache_stats {
	uint64_t runs, hits, steps_skipped, stored;
};

bool prefix_cache_enabled(void);
/* Overrides HARNESS_PREFIX_CACHE (tests compare runs with and without the cache). */
void prefix_cache_set_enabled(bool on);
/* Forget every checkpoint (the machine they were taken on is gone). */
void prefix_cache_clear(void);
/* Resume the longest cached prefix of p: returns the number of its steps, 0 if none
 * (then nothing was touched). */
unsigned prefix_cache_resume(const struct prog *p);
/* Steps [0, n) of p ran without a finding: checkpoint here if step n-1 was costly and
 * this prefix is not cached yet. */
void prefix_cache_offer(const struct prog *p, unsigned n);
const struct prefix_cache_stats *prefix_cache_stats(void);

#endif
