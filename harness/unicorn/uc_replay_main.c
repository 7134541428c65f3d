/*
 * The Unicorn harness without a fuzzing engine:
 *   T [-q] FILE|DIR...        play inputs (aborts with a report on a finding)
 *   T --coverage FILE|DIR...  play inputs, print the share of .text blocks run
 *   T --bench SECONDS         exec/s on generated hypervisor call sequences (synthetic:
 *                             mostly rejected calls, not a campaign from the seeds)
 * T is the target, named by the program (unicorn-replay/hv_calls) or a first argument.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "uc_cov.h"
#include "uc_exec.h"
#include "uc_machine.h"

static int quiet;
static unsigned long played;

static void play_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "cannot open %s\n", path);
		exit(2);
	}
	static uint8_t buf[1 << 20];
	size_t n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	if (!quiet)
		fprintf(stderr, "uc-replay: %s\n", path);
	uc_exec_run(buf, n);
	played++;
}

static void play_path(const char *path)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		fprintf(stderr, "cannot stat %s\n", path);
		exit(2);
	}
	if (!S_ISDIR(st.st_mode)) {
		play_file(path);
		return;
	}
	struct dirent **names;
	int n = scandir(path, &names, NULL, alphasort);
	for (int i = 0; i < n; i++) {
		if (names[i]->d_name[0] != '.') {
			char full[4096];
			snprintf(full, sizeof(full), "%s/%s", path, names[i]->d_name);
			play_path(full);
		}
		free(names[i]);
	}
	free(names);
}

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static uint64_t rng = 0x243f6a8885a308d3ULL;
static uint64_t next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* A program of 1..8 hypervisor calls with arguments of every class, encoded. */
static size_t make_call_sequence(enum target_id t, uint8_t *out, size_t cap, unsigned *steps)
{
	static struct prog p;
	memset(&p, 0, sizeof(p));
	p.target = t;
	p.nsteps = 1 + (unsigned)(next_rand() % 8);
	for (unsigned i = 0; i < p.nsteps; i++) {
		struct step *s = &p.steps[i];
		s->kind = ST_HV_ECALL;
		s->sel = (uint8_t)(next_rand() % 15);
		s->fid = (uint8_t)(next_rand() % 20);
		for (unsigned v = 0; v < STEP_VALUES; v++) {
			s->v[v].cls = (uint8_t)(next_rand() % VC_COUNT);
			s->v[v].idx = (uint8_t)next_rand();
			s->v[v].raw = next_rand();
		}
	}
	*steps = p.nsteps;
	return prog_encode(&p, out, cap);
}

static int bench(enum target_id t, double seconds)
{
	static uint8_t buf[4096];
	unsigned long execs = 0, steps = 0;
	double start = now_s(), end = start + seconds, t_now = start;
	while (t_now < end) {
		for (int k = 0; k < 64; k++) {
			unsigned n = 0;
			size_t len = make_call_sequence(t, buf, sizeof(buf), &n);
			uc_exec_run(buf, len);
			execs++;
			steps += n;
		}
		t_now = now_s();
	}
	double el = t_now - start;
	unsigned hit, total;
	ucm_block_share(&hit, &total);
	/* random calls the monitor mostly rejects at once: the executor's and the firmware's raw
	 * speed, not what a campaign from the seeds gets (make bench-fuzz measures that) */
	printf("bench-unicorn %s, synthetic (generated call sequences, not a campaign): "
	       "%lu execs in %.1f s = %.0f exec/s (%.1f hypervisor calls per input, "
	       "%.0f calls/s, self-check %s); %u of %u firmware blocks ran (%.1f%%)\n",
	       targets[t].name, execs, el, (double)execs / el, (double)steps / (double)execs,
	       (double)steps / el, uc_exec_check_every_step ? "after every call" : "once per input", hit, total,
	       total ? 100.0 * hit / total : 0.0);
	return 0;
}

int main(int argc, char **argv)
{
	/* the target is the program's name (unicorn-replay/hv_calls), or the first argument */
	const char *base = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
	int t = target_by_name(base);
	if (t < 0 && argc > 1 && (t = target_by_name(argv[1])) >= 0) {
		argv++;
		argc--;
	}
	if (t < 0 || argc < 2) {
		fprintf(stderr, "usage: %s [TARGET] [-q] FILE|DIR... | --coverage FILE|DIR... | --bench SECONDS\n",
			argv[0]);
		return 2;
	}
	int measure = 0;
	for (int k = 1; k < argc; k++)
		measure |= strcmp(argv[k], "--coverage") == 0 || strcmp(argv[k], "--bench") == 0;
	ucm_measure_blocks(measure != 0); /* from the first boot instruction on */
	uc_exec_init((enum target_id)t);
	size_t n = 0;
	uint8_t *map = uc_cov_map(&n);
	ucm_set_coverage(map, n);
	int i = 1;
	if (strcmp(argv[i], "--bench") == 0) {
		if (argc < 3)
			return 2;
		return bench((enum target_id)t, atof(argv[2]));
	}
	int coverage = 0;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "-q") == 0)
			quiet = 1;
		else if (strcmp(argv[i], "--coverage") == 0)
			coverage = quiet = 1;
	}
	for (; i < argc; i++)
		play_path(argv[i]);
	if (coverage) {
		unsigned hit, total;
		ucm_block_share(&hit, &total);
		printf("unicorn %s: %lu inputs ran %u of %u basic blocks of the firmware's .text (%.1f%%)\n",
		       targets[t].name, played, hit, total, total ? 100.0 * hit / total : 0.0);
	} else {
		printf("%lu inputs, no finding\n", played);
	}
	return 0;
}
