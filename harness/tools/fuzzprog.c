/*
 * Converts fuzz programs between the binary form the engines mutate and the text form
 * people read:  fuzzprog decode TARGET in.bin      (text to stdout)
 *               fuzzprog encode TARGET in.txt out.bin
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prog.h"

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		perror(path);
		exit(2);
	}
	size_t cap = 1 << 16, n = 0;
	char *buf = malloc(cap + 1);
	size_t got;
	while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap)
			buf = realloc(buf, (cap *= 2) + 1);
	}
	fclose(f);
	if (!buf)
		exit(2);
	buf[n] = 0;
	*len = n;
	return buf;
}

static int usage(void)
{
	fprintf(stderr, "usage: fuzzprog decode TARGET in.bin\n       fuzzprog encode TARGET in.txt out.bin\n");
	return 2;
}

int main(int argc, char **argv)
{
	if (argc < 4)
		return usage();
	int t = target_by_name(argv[2]);
	if (t < 0) {
		fprintf(stderr, "fuzzprog: unknown target '%s' (hv_calls, cvm_calls, promote, multi_hart)\n", argv[2]);
		return 2;
	}
	static struct prog p;
	size_t len;
	char *in = slurp(argv[3], &len);
	if (!strcmp(argv[1], "decode")) {
		static char text[1 << 16];
		prog_decode((enum target_id)t, (const uint8_t *)in, len, &p);
		prog_to_text(&p, text, sizeof(text));
		fputs(text, stdout);
	} else if (!strcmp(argv[1], "encode") && argc == 5) {
		char err[256];
		bool ok = prog_from_text(in, &p, err, sizeof(err));
		free(in);
		in = NULL;
		if (!ok) {
			fprintf(stderr, "%s: %s\n", argv[3], err);
			return 1;
		}
		if ((int)p.target != t) {
			fprintf(stderr, "%s: program is for target %s, not %s\n", argv[3], targets[p.target].name, argv[2]);
			return 1;
		}
		static uint8_t bin[1 << 16];
		size_t n = prog_encode(&p, bin, sizeof(bin));
		if (n == 0 && p.nsteps) {
			fprintf(stderr, "%s: a step cannot be expressed for target %s\n", argv[3], argv[2]);
			return 1;
		}
		FILE *f = fopen(argv[4], "wb");
		if (!f || fwrite(bin, 1, n, f) != n || fclose(f)) {
			perror(argv[4]);
			return 1;
		}
	} else {
		return usage();
	}
	free(in);
	return 0;
}
