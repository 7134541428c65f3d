/*
 * Physical memory protection as the privileged spec (1.12, 3.7) defines the check,
 * written from the specification alone: it never consults the monitor's PMP code.
 *
 * Addresses are compared in units of 4 bytes (pmpaddr holds bits 55:2 and the grain
 * is 4 bytes), which keeps NAPOT regions as large as the whole physical address space
 * inside 64-bit arithmetic.
 */
#include "model_priv.h"

/* The word range [*lo, *hi] entry `idx` covers; false if it covers nothing. */
static bool entry_range(const struct hart_state *hs, unsigned idx, uint64_t *lo, uint64_t *hi)
{
	uint8_t cfg = csr_pmp_cfg(hs, idx);
	uint64_t addr = csr_pmp_addr(hs, idx);
	switch ((cfg & M_PMP_A_MASK) >> M_PMP_A_SHIFT) {
	case M_PMP_TOR: {
		/* pmpaddr[i-1] <= y < pmpaddr[i], whatever entry i-1's own A field says. */
		uint64_t bottom = idx == 0 ? 0 : csr_pmp_addr(hs, idx - 1);
		if (bottom >= addr)
			return false;
		*lo = bottom;
		*hi = addr - 1;
		return true;
	}
	case M_PMP_NA4:
		*lo = *hi = addr;
		return true;
	case M_PMP_NAPOT: {
		/* t trailing ones encode a region of 2^(t+3) bytes = 2^(t+1) words (t <= 54). */
		unsigned t = 0;
		while (t < 64 && (addr >> t) & 1)
			t++;
		uint64_t words_mask = (t + 1 >= 64) ? UINT64_MAX : (1ULL << (t + 1)) - 1;
		*lo = addr & ~words_mask;
		*hi = *lo + words_mask;
		return true;
	}
	default:
		return false; /* OFF */
	}
}

static uint8_t perm_bit(char type)
{
	switch (type) {
	case 'r': return M_PMP_R;
	case 'w': return M_PMP_W;
	case 'x': return M_PMP_X;
	default: model_fatal("PMP check with access type '%c' (want r, w or x)", type);
	}
}

bool pmp_check(const struct hart_state *hs, unsigned priv, uint64_t pa, uint64_t len, char type)
{
	uint8_t need = perm_bit(type);
	if (!range_ok(pa, len) || ((pa + len - 1) >> MODEL_PA_BITS) != 0)
		return false; /* beyond the physical address width: no such location */
	uint64_t first = pa >> 2, last = (pa + len - 1) >> 2;

	/* The lowest-numbered entry matching any byte decides (3.7.1, priority). */
	for (unsigned i = 0; i < MODEL_PMP_ENTRIES; i++) {
		uint64_t lo, hi;
		if (!entry_range(hs, i, &lo, &hi) || last < lo || first > hi)
			continue;
		/* It must match every byte, irrespective of L, R, W and X. */
		if (first < lo || last > hi)
			return false;
		uint8_t cfg = csr_pmp_cfg(hs, i);
		/* M-mode is held only by locked entries. */
		if (priv == PRV_M && !(cfg & M_PMP_L))
			return true;
		return (cfg & need) != 0;
	}
	/* No match: M succeeds; S and U fail because PMP entries are implemented. */
	return priv == PRV_M;
}

bool model_pmp_allows(unsigned h, unsigned priv, uint64_t pa, uint64_t len, char type)
{
	const struct hart_state *hs = model_hs(h, "model_pmp_allows");
	if (priv != PRV_U && priv != PRV_S && priv != PRV_M)
		model_fatal("model_pmp_allows: privilege %u is not PRV_U, PRV_S or PRV_M", priv);
	return pmp_check(hs, priv, pa, len, type);
}
