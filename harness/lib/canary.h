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
#define CANARY_OWNER_MASK (0xffULL << 40)
static inline bool is_canary(uint64_t v) { return (v >> 48) == CANARY_TAG; }
static inline unsigned canary_cvm(uint64_t v) { return (unsigned)((v >> 40) & 0xff) - 1; }

/*
 * Exactly a value the harness plants: the tag, the 0x5ec0 marker, a CVM that can exist, a
 * vCPU (or 0xff, memory) and a slot below 128. Memory and console output are checked
 * against this, not the tag alone: the hypervisor writes bytes at any width and offset,
 * so it could forge a tag but not, without feedback, all of these fields at once.
 */
static inline bool is_planted_canary(uint64_t v, unsigned max_cvms, unsigned max_vcpus)
{
	unsigned cvm = (unsigned)((v >> 40) & 0xff), vcpu = (unsigned)((v >> 32) & 0xff);
	return is_canary(v) && (v & 0xffff0000u) == 0x5ec00000u && (v & 0xffff) < 128 &&
	       cvm >= 1 && cvm <= max_cvms && (vcpu < max_vcpus || vcpu == 0xff);
}

/* The hypervisor never holds a CVM's secret: inputs that look like one are changed. */
static inline uint64_t declassify(uint64_t v) { return is_canary(v) ? v ^ (1ULL << 63) : v; }

#endif
