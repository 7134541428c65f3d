/*
 * The secrets the harness plants in CVMs, shared by the host executor and the Unicorn
 * harness so both oracles look for the same thing:
 *   0xC5EC << 48 | (cvm+1) << 40 | vcpu << 32 | 0x5ec00000 | slot
 */
#ifndef HARNESS_CANARY_H
#define HARNESS_CANARY_H

#include <stdbool.h>
#include <stdint.h>

#define CANARY_TAG 0xC5ECULL
static inline uint64_t canary(unsigned cvm, unsigned vcpu, unsigned slot)
{
	return (CANARY_TAG << 48) | ((uint64_t)(cvm + 1) << 40) | ((uint64_t)vcpu << 32) |
	       (0x5ec00000u | slot);
}
static inline bool is_canary(uint64_t v) { return (v >> 48) == CANARY_TAG; }
static inline unsigned canary_cvm(uint64_t v) { return (unsigned)((v >> 40) & 0xff) - 1; }

/* The hypervisor never holds a CVM's secret: inputs that look like one are changed. */
static inline uint64_t declassify(uint64_t v) { return is_canary(v) ? v ^ (1ULL << 63) : v; }

#endif
