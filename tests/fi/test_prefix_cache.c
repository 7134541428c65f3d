/*
 * The prefix cache changes nothing but speed: every committed seed and regression input
 * of every target, played without the cache, then with a cold cache and with a warm one,
 * ends in the same machine state (model_state_digest) with the same findings; and the
 * cache is used (some runs resume a prefix).
 */
#include "cmocka_prelude.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "model.h"
#include "model_test.h"
#include "prefix_cache.h"
#include "prog.h"

#define MAX_INPUTS 1024

struct input {
	char name[160];
	uint8_t *bin;
	size_t len;
};

struct outcome {
	uint64_t digest;
	unsigned findings;
	const char *oracle;
};

static struct input inputs[MAX_INPUTS];
static struct outcome without[MAX_INPUTS];

static char *read_text(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	static char buf[1 << 16];
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = 0;
	return buf;
}

/* The target's seeds (text); regression inputs are binary and decoded as they are. */
static unsigned load(const char *target, enum target_id t)
{
	static struct prog p;
	char dir[128], path[512], err[200];
	unsigned n = 0;
	for (unsigned pass = 0; pass < 2; pass++) {
		snprintf(dir, sizeof(dir), pass ? "corpora/regressions/%s" : "corpora/%s", target);
		struct dirent **names;
		int nn = scandir(dir, &names, NULL, alphasort); /* the order replay uses */
		for (int k = 0; k < nn; k++) {
			const struct dirent *e = names[k];
			if (e->d_name[0] == '.' || n >= MAX_INPUTS)
				continue;
			snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
			struct input *in = &inputs[n];
			snprintf(in->name, sizeof(in->name), "%s", path);
			if (!pass) {
				const char *text = read_text(path);
				if (!text || !prog_from_text(text, &p, err, sizeof(err)) || p.target != t)
					continue;
				in->bin = malloc(1 << 16);
				in->len = prog_encode(&p, in->bin, 1 << 16);
			} else {
				FILE *f = fopen(path, "rb");
				if (!f)
					continue;
				in->bin = malloc(1 << 16);
				in->len = fread(in->bin, 1, 1 << 16, f);
				fclose(f);
			}
			n++;
		}
		for (int k = 0; k < nn; k++)
			free(names[k]);
		if (nn > 0)
			free(names);
	}
	return n;
}

static struct outcome play(enum target_id t, const struct input *in)
{
	harness_findings = 0;
	harness_last_oracle = NULL;
	harness_run(t, in->bin, in->len);
	return (struct outcome){ model_state_digest(), harness_findings, harness_last_oracle };
}

static void same_outcomes(const char *target, enum target_id t, bool expect_hits)
{
	unsigned n = load(target, t);
	assert_true(n > 0);
	harness_count_only = 1;
	prefix_cache_set_enabled(false);
	for (unsigned i = 0; i < n; i++)
		without[i] = play(t, &inputs[i]);
	prefix_cache_set_enabled(true);
	uint64_t hits = prefix_cache_stats()->hits;
	for (unsigned round = 0; round < 2; round++) /* cold, then warm */
		for (unsigned i = 0; i < n; i++) {
			struct outcome with = play(t, &inputs[i]);
			if (with.digest != without[i].digest || with.findings != without[i].findings ||
			    with.oracle != without[i].oracle)
				fail_msg("%s (round %u): with the prefix cache the run ends elsewhere "
					 "(digest %llx, %u findings) than without (digest %llx, %u findings)",
					 inputs[i].name, round, (unsigned long long)with.digest, with.findings,
					 (unsigned long long)without[i].digest, without[i].findings);
		}
	hits = prefix_cache_stats()->hits - hits;
	print_message("%s: %u inputs, %llu resumed from a cached prefix\n", target, n, (unsigned long long)hits);
	if (expect_hits)
		assert_true(hits > 0);
	for (unsigned i = 0; i < n; i++)
		free(inputs[i].bin);
}

static void hv_calls_same_with_and_without(void **state) { (void)state; same_outcomes("hv_calls", TGT_HV_CALLS, true); }
static void cvm_calls_same_with_and_without(void **state) { (void)state; same_outcomes("cvm_calls", TGT_CVM_CALLS, false); }
static void multi_hart_same_with_and_without(void **state) { (void)state; same_outcomes("multi_hart", TGT_MULTI_HART, false); }
static void promote_same_with_and_without(void **state) { (void)state; same_outcomes("promote", TGT_PROMOTE, true); }

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(hv_calls_same_with_and_without),
		cmocka_unit_test(cvm_calls_same_with_and_without),
		cmocka_unit_test(multi_hart_same_with_and_without),
		cmocka_unit_test(promote_same_with_and_without),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
