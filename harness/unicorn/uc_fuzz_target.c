/* The libFuzzer / AFL++ entry points of one Unicorn target (UC_TARGET_NAME). */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "uc_cov.h"
#include "uc_exec.h"
#include "uc_machine.h"

#ifndef UC_TARGET_NAME
#error "UC_TARGET_NAME must name a target of harness/lib/prog.c"
#endif

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void init_once(void)
{
	static int done;
	if (done)
		return;
	done = 1;
	int t = target_by_name(UC_TARGET_NAME);
	if (t < 0) {
		fprintf(stderr, "unknown target %s\n", UC_TARGET_NAME);
		exit(2);
	}
	uc_exec_init((enum target_id)t);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	init_once();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	init_once();
	/* AFL++ may move its map between runs (fork server, shared memory attach) */
	size_t n = 0;
	uint8_t *map = uc_cov_map(&n);
	ucm_set_coverage(map, map ? n : 0);
	uc_exec_run(data, size);
	return 0;
}
