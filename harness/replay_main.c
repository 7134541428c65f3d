/*
 * Runs saved inputs through a fuzz target without a fuzzing engine: the regression
 * replay `make test` runs, the driver of the coverage build, and the way to reproduce a
 * crash under a debugger. Arguments are files or directories (their regular files, in
 * name order, dot files skipped); arguments starting with '-' are engine flags and are
 * ignored, so a libFuzzer command line works unchanged. `-q` prints only the total.
 *
 * A crashing input aborts the process (sanitizer report or abort()), so the name of the
 * input is printed and flushed before it runs.
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
/* weak: a target without one-time setup may leave it out */
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

/* weak: the coverage build has no sanitizer runtime */
void __sanitizer_set_death_callback(void (*callback)(void)) __attribute__((weak));

static int quiet;
static unsigned long inputs_run;
static const char *current_input;
static volatile sig_atomic_t crash_reported;

static void write_stderr(const char *s)
{
	size_t left = strlen(s);
	while (left) {
		ssize_t n = write(STDERR_FILENO, s, left);
		if (n <= 0)
			return;
		s += n;
		left -= (size_t)n;
	}
}

/* Names the input that killed the process, once, even under -q. Async-signal-safe. */
static void report_crashing_input(void)
{
	if (crash_reported || !current_input)
		return;
	crash_reported = 1;
	write_stderr("\nreplay: CRASH on ");
	write_stderr(current_input);
	write_stderr("\n");
}

static void on_abort(int sig)
{
	report_crashing_input();
	signal(sig, SIG_DFL);
	raise(sig);
}

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int read_whole_file(const char *path, uint8_t **data, size_t *size)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	size_t cap = 4096, len = 0;
	uint8_t *buf = malloc(cap);
	while (buf) {
		len += fread(buf + len, 1, cap - len, f);
		if (len < cap)
			break;
		uint8_t *bigger = realloc(buf, cap * 2);
		if (!bigger) {
			free(buf);
			buf = NULL;
			break;
		}
		buf = bigger;
		cap *= 2;
	}
	int failed = ferror(f) || !buf;
	fclose(f);
	if (failed) {
		free(buf);
		return -1;
	}
	/* an exact-size copy, so ASan catches a target reading past the input */
	*data = malloc(len ? len : 1);
	if (!*data) {
		free(buf);
		return -1;
	}
	memcpy(*data, buf, len);
	free(buf);
	*size = len;
	return 0;
}

static int run_file(const char *path)
{
	uint8_t *data;
	size_t size;
	if (read_whole_file(path, &data, &size) != 0) {
		fprintf(stderr, "replay: cannot read %s: %s\n", path, strerror(errno));
		return 1;
	}
	if (!quiet) {
		printf("%s ", path);
		fflush(stdout);
	}
	current_input = path;
	double start = now_ms();
	int rc = LLVMFuzzerTestOneInput(data, size);
	double took = now_ms() - start;
	current_input = NULL;
	free(data);
	inputs_run++;
	/* libFuzzer reserves every return value but 0 and -1 */
	if (rc != 0 && rc != -1) {
		if (quiet)
			printf("%s ", path);
		printf("FAILED: LLVMFuzzerTestOneInput returned %d\n", rc);
		return 1;
	}
	if (!quiet)
		printf("ok (%zu bytes, %.1f ms)\n", size, took);
	return 0;
}

static int skip_dot_files(const struct dirent *e)
{
	return e->d_name[0] != '.';
}

static int run_path(const char *path)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return 1;
	}
	if (!S_ISDIR(st.st_mode))
		return run_file(path);

	struct dirent **entries;
	int n = scandir(path, &entries, skip_dot_files, alphasort);
	if (n < 0) {
		fprintf(stderr, "replay: cannot list %s: %s\n", path, strerror(errno));
		return 1;
	}
	int failed = 0;
	for (int i = 0; i < n; i++) {
		if (!failed) {
			size_t len = strlen(path) + strlen(entries[i]->d_name) + 2;
			char *child = malloc(len);
			if (!child) {
				failed = 1;
			} else {
				snprintf(child, len, "%s/%s", path, entries[i]->d_name);
				struct stat cst;
				if (stat(child, &cst) == 0 && S_ISREG(cst.st_mode))
					failed = run_file(child);
				free(child);
			}
		}
		free(entries[i]);
	}
	free(entries);
	return failed;
}

int main(int argc, char **argv)
{
	/* sanitizer reports end in the death callback; a plain abort() ends in SIGABRT */
	if (__sanitizer_set_death_callback)
		__sanitizer_set_death_callback(report_crashing_input);
	signal(SIGABRT, on_abort);

	if (LLVMFuzzerInitialize)
		LLVMFuzzerInitialize(&argc, &argv);

	int paths = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-q") == 0)
			quiet = 1;
		else if (argv[i][0] != '-')
			paths++;
	}
	if (paths == 0) {
		fprintf(stderr, "usage: %s [-q] FILE|DIR...\n", argv[0]);
		return 2;
	}
	for (int i = 1; i < argc; i++) {
		if (argv[i][0] == '-')
			continue;
		if (run_path(argv[i]) != 0) {
			printf("replay: stopped after %lu inputs: %s failed\n", inputs_run, argv[i]);
			return 1;
		}
	}
	printf("replay: %lu inputs ok\n", inputs_run);
	return 0;
}
