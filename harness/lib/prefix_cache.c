/* Prefix snapshots for the host executor (prefix_cache.h). */
#include "prefix_cache.h"

#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "scenario.h"
#include "state.h"

#define PREFIX_SLOTS 32

struct prefix_entry {
	bool used;
	struct model_checkpoint *ckpt; /* kept when the slot is reused */
	enum target_id target;
	unsigned nsteps;
	struct step steps[PROG_MAX_STEPS];
	struct hstate hs;
	uint64_t pool_mark;
	uint64_t last_used;
};

static struct prefix_entry cache[PREFIX_SLOTS];
static uint64_t now;
static struct prefix_cache_stats stats;

static int enabled = -1;

/*
 * A prefix is checkpointed the second time it runs, not the first: most mutations make
 * a prefix that never comes back, and taking a checkpoint costs more than a cached
 * prefix saves once. Sightings are counted in a small table of prefix hashes (a
 * collision only checkpoints a prefix early).
 */
#define SIGHTINGS 4096
static uint8_t seen[SIGHTINGS];

static bool second_sighting(const struct prog *p, unsigned n)
{
	uint64_t h = 0xcbf29ce484222325ULL ^ p->target;
	const uint8_t *b = (const uint8_t *)p->steps;
	for (size_t i = 0; i < n * sizeof(struct step); i++)
		h = (h ^ b[i]) * 0x100000001b3ULL;
	uint8_t *count = &seen[h % SIGHTINGS];
	if (*count < 2)
		(*count)++;
	return *count >= 2;
}

void prefix_cache_set_enabled(bool on)
{
	enabled = on;
	prefix_cache_clear();
}

bool prefix_cache_enabled(void)
{
	if (enabled < 0) {
		const char *e = getenv("HARNESS_PREFIX_CACHE");
		enabled = !(e && strcmp(e, "0") == 0);
	}
	return enabled;
}

void prefix_cache_clear(void)
{
	memset(seen, 0, sizeof(seen));
	for (unsigned i = 0; i < PREFIX_SLOTS; i++) {
		model_checkpoint_free(cache[i].ckpt);
		cache[i].ckpt = NULL;
		cache[i].used = false;
	}
}

/* Steps are decoded into zeroed structs, so equal steps compare equal byte for byte. */
static bool is_prefix(const struct prefix_entry *e, const struct prog *p)
{
	return e->used && e->target == p->target && e->nsteps <= p->nsteps &&
	       memcmp(e->steps, p->steps, e->nsteps * sizeof(struct step)) == 0;
}

unsigned prefix_cache_resume(const struct prog *p)
{
	stats.runs++;
	if (!prefix_cache_enabled())
		return 0;
	struct prefix_entry *best = NULL;
	for (unsigned i = 0; i < PREFIX_SLOTS; i++)
		if (is_prefix(&cache[i], p) && (!best || cache[i].nsteps > best->nsteps))
			best = &cache[i];
	if (!best)
		return 0;
	model_checkpoint_resume(best->ckpt);
	hs = best->hs;
	vm_pool_set(best->pool_mark);
	best->last_used = ++now;
	stats.hits++;
	stats.steps_skipped += best->nsteps;
	return best->nsteps;
}

static bool costly(const struct step *s)
{
	return s->kind == ST_HV_BUILD || s->kind == ST_HV_PROMOTE;
}

void prefix_cache_offer(const struct prog *p, unsigned n)
{
	if (!prefix_cache_enabled() || n == 0 || !costly(&p->steps[n - 1]))
		return;
	struct prefix_entry *slot = &cache[0];
	for (unsigned i = 0; i < PREFIX_SLOTS; i++) {
		struct prefix_entry *e = &cache[i];
		if (e->nsteps == n && is_prefix(e, p))
			return; /* cached already */
		if (!e->used || (slot->used && e->last_used < slot->last_used))
			slot = e; /* a free slot, else the least recently used */
	}
	if (!second_sighting(p, n))
		return;
	memcpy(slot->steps, p->steps, n * sizeof(struct step));
	slot->ckpt = model_checkpoint_take(slot->ckpt);
	slot->used = true;
	slot->target = p->target;
	slot->nsteps = n;
	slot->hs = hs;
	slot->pool_mark = vm_pool_mark();
	slot->last_used = ++now;
	stats.stored++;
}

const struct prefix_cache_stats *prefix_cache_stats(void)
{
	return &stats;
}
