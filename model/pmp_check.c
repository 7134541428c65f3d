/*
 * Physical memory protection: the hart's PMP CSRs judged by the reference matcher
 * (refhw/pmp_match.c, written from the privileged spec alone; it never consults the
 * monitor's PMP code).
 */
#include "model_priv.h"
#include "pmp_match.h"

_Static_assert(PRV_U == REFHW_PRV_U && PRV_S == REFHW_PRV_S && PRV_M == REFHW_PRV_M,
	       "the model and the reference matcher number privileges alike");

static uint8_t perm_bit(char type)
{
	switch (type) {
	case 'r': return REFHW_PMP_R;
	case 'w': return REFHW_PMP_W;
	case 'x': return REFHW_PMP_X;
	default: model_fatal("PMP check with access type '%c' (want r, w or x)", type);
	}
}

bool pmp_check(const struct hart_state *hs, unsigned priv, uint64_t pa, uint64_t len, char type)
{
	uint8_t need = perm_bit(type);
	if (!range_ok(pa, len) || ((pa + len - 1) >> MODEL_PA_BITS) != 0)
		return false; /* beyond the physical address width: no such location */
	uint8_t cfg[MODEL_PMP_ENTRIES];
	uint64_t addr[MODEL_PMP_ENTRIES];
	for (unsigned i = 0; i < MODEL_PMP_ENTRIES; i++) {
		cfg[i] = csr_pmp_cfg(hs, i);
		addr[i] = csr_pmp_addr(hs, i);
	}
	return refhw_pmp_allows(cfg, addr, MODEL_PMP_ENTRIES, priv, pa, len, need);
}

bool model_pmp_allows(unsigned h, unsigned priv, uint64_t pa, uint64_t len, char type)
{
	const struct hart_state *hs = model_hs(h, "model_pmp_allows");
	if (priv != PRV_U && priv != PRV_S && priv != PRV_M)
		model_fatal("model_pmp_allows: privilege %u is not PRV_U, PRV_S or PRV_M", priv);
	return pmp_check(hs, priv, pa, len, type);
}
