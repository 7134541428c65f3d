/*
 * PMP matching (privileged spec 1.12, 3.7.1). Addresses are compared in units of 4
 * bytes (pmpaddr holds bits 55:2 and the grain is 4 bytes), which keeps NAPOT regions
 * as large as the whole physical address space inside 64-bit arithmetic.
 */
#include "pmp_match.h"

bool refhw_pmp_entry_words(const uint8_t *cfg, const uint64_t *addr, unsigned idx,
			   uint64_t *lo, uint64_t *hi)
{
	uint64_t a = addr[idx];
	switch ((cfg[idx] & REFHW_PMP_A_MASK) >> REFHW_PMP_A_SHIFT) {
	case REFHW_PMP_TOR: {
		/* pmpaddr[i-1] <= y < pmpaddr[i], whatever entry i-1's own A field says. */
		uint64_t bottom = idx == 0 ? 0 : addr[idx - 1];
		if (bottom >= a)
			return false;
		*lo = bottom;
		*hi = a - 1;
		return true;
	}
	case REFHW_PMP_NA4:
		*lo = *hi = a;
		return true;
	case REFHW_PMP_NAPOT: {
		/* t trailing ones encode a region of 2^(t+3) bytes = 2^(t+1) words. */
		unsigned t = 0;
		while (t < 64 && (a >> t) & 1)
			t++;
		uint64_t words_mask = (t + 1 >= 64) ? UINT64_MAX : (1ULL << (t + 1)) - 1;
		*lo = a & ~words_mask;
		*hi = *lo + words_mask;
		return true;
	}
	default:
		return false; /* OFF */
	}
}

bool refhw_pmp_allows(const uint8_t *cfg, const uint64_t *addr, unsigned n, unsigned priv,
		      uint64_t pa, uint64_t len, unsigned need)
{
	if (len == 0 || pa + (len - 1) < pa)
		return false;
	uint64_t first = pa >> 2, last = (pa + len - 1) >> 2;

	/* The lowest-numbered entry matching any byte decides (3.7.1, priority). */
	for (unsigned i = 0; i < n; i++) {
		uint64_t lo, hi;
		if (!refhw_pmp_entry_words(cfg, addr, i, &lo, &hi) || last < lo || first > hi)
			continue;
		/* It must match every byte, irrespective of L, R, W and X. */
		if (first < lo || last > hi)
			return false;
		/* M-mode is held only by locked entries. */
		if (priv == REFHW_PRV_M && !(cfg[i] & REFHW_PMP_L))
			return true;
		return (cfg[i] & need) != 0;
	}
	/* No match: M succeeds; S and U fail when PMP entries are implemented. */
	return priv == REFHW_PRV_M || n == 0;
}
