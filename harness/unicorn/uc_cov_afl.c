/*
 * AFL++'s shared map, in a binary linked by afl-clang-fast with
 * AFL_LLVM_INSTRUMENT=CLASSIC, whose map is a fixed 64 KiB: AFL++'s runtime points
 * __afl_area_ptr at the shared memory when afl-fuzz runs the binary, and at a private
 * map otherwise. This file is compiled without the AFL++ pass, which owns that symbol
 * in the files it instruments.
 */
#include "uc_cov.h"

extern uint8_t *__afl_area_ptr;

uint8_t *uc_cov_map(size_t *size)
{
	*size = 1 << 16;
	return __afl_area_ptr;
}
