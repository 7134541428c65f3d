/* Basic types shared by every part of the monitor. Freestanding headers only. */
#ifndef MONITOR_TYPES_H
#define MONITOR_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint64_t ureg_t;   /* one XLEN=64 register */
typedef uint64_t paddr_t;  /* host (supervisor) physical address */
typedef uint64_t gpaddr_t; /* guest physical address of a (C)VM */

#define PAGE_SHIFT 12
#define PAGE_SIZE (1ULL << PAGE_SHIFT)
#define PAGE_MASK (PAGE_SIZE - 1)

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define IS_ALIGNED(x, a) (((x) & ((a) - 1)) == 0)

/* [base, base+len) with len > 0 and no wrap-around. */
static inline bool range_ok(uint64_t base, uint64_t len)
{
	return len != 0 && base + len > base;
}

/* [a, a+alen) lies inside [b, b+blen); both ranges must already be range_ok. */
static inline bool range_within(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a >= b && a - b <= blen && alen <= blen - (a - b);
}

static inline bool ranges_overlap(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a < b + blen && b < a + alen;
}

#endif
