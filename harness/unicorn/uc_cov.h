/* Where emulated block-edge coverage goes: one definition per engine build. */
#ifndef UC_COV_H
#define UC_COV_H

#include <stddef.h>
#include <stdint.h>

/* The map (a power of two in size) for this process; may be NULL before it exists. */
uint8_t *uc_cov_map(size_t *size);

#endif
