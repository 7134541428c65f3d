/* libFuzzer reads counters in this section as extra coverage features. */
#include "uc_cov.h"

__attribute__((section("__libfuzzer_extra_counters"), used)) static uint8_t uc_counters[1 << 16];

uint8_t *uc_cov_map(size_t *size)
{
	*size = sizeof(uc_counters);
	return uc_counters;
}
