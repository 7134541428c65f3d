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
/* Kept out of line: a rare path inlined into a hot caller (the world switch's) makes it
 * save registers that only the rare path needs, on every call. */
#define OFF_HOT_PATH __attribute__((noinline))
#define IS_ALIGNED(x, a) (((x) & ((a) - 1)) == 0)

/*
 * The range predicates every call relies on. Their ACSL contracts (proved by `make
 * prove`, docs/proofs.md) state them over mathematical integers, where nothing wraps.
 */
/*@ predicate range_ok_m(integer base, integer len) = len > 0 && base + len <= 18446744073709551615;
  @ predicate within_m(integer a, integer alen, integer b, integer blen) = b <= a && a + alen <= b + blen;
  @ predicate overlap_m(integer a, integer alen, integer b, integer blen) = a < b + blen && b < a + alen;
  @*/

/*
 * Physical memory as the proofs see it: one byte array PHYS, so that phys_ptr(pa, len)
 * is phys_at(pa) == PHYS + pa (the firmware's identity map is PHYS == 0). phys_at is
 * defined by its one axiom; it is a name of its own only so that WP's simplifier leaves
 * the pointer whole and the provers can match it. The contract of phys_ptr that uses it
 * is an assumption of the proofs (proofs/phys_model.h, docs/proofs.md).
 */
/*@ axiomatic PhysMem {
  @   logic char *PHYS;
  @   logic char *phys_at(integer pa);
  @   axiom phys_at_def: \forall integer pa; phys_at(pa) == PHYS + pa;
  @ }
  @*/

/* [base, base+len) with len > 0 and no wrap-around. */
/*@ assigns \nothing;
  @ ensures \result <==> range_ok_m(base, len);
  @*/
static inline bool range_ok(uint64_t base, uint64_t len)
{
	/* the same as base + len > base, written without the wrap WP cannot reason about */
	return len != 0 && len <= UINT64_MAX - base;
}

/* [a, a+alen) lies inside [b, b+blen); both ranges must already be range_ok. */
/*@ assigns \nothing;
  @ ensures \result <==> within_m(a, alen, b, blen);
  @*/
static inline bool range_within(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a >= b && a - b <= blen && alen <= blen - (a - b);
}

/* Only meaningful for ranges that are range_ok; then it is exact. */
/*@ requires range_ok_m(a, alen) && range_ok_m(b, blen);
  @ assigns \nothing;
  @ ensures \result <==> overlap_m(a, alen, b, blen);
  @*/
static inline bool ranges_overlap(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a < b + blen && b < a + alen;
}

#endif
