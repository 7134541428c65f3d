/*
 * The leak oracle. The hypervisor knows (from guest_abi.h) every value the guest uses
 * as a secret, and looks for them in everything the narrow interface lets it see:
 * the registers a run hands back, the shared page, the VM's original pages. The table
 * lives in the hypervisor's own memory, which is never scanned. A hit is a leak.
 */
#include "hv.h"

#define SLOTS 1024 /* open addressing, load < 1/4 */

static uint64_t table[SLOTS];

static unsigned slot_of(uint64_t v)
{
	return (unsigned)((v * 0x9e3779b97f4a7c15UL) >> 54) & (SLOTS - 1);
}

void secrets_init(void)
{
	_Static_assert(SECRET_COUNT * 4 <= SLOTS, "secret table too small");
	for (unsigned i = 0; i < SECRET_COUNT; i++) {
		uint64_t v = secret_value(i);
		unsigned s = slot_of(v);
		while (table[s] != 0 && table[s] != v)
			s = (s + 1) & (SLOTS - 1);
		table[s] = v;
	}
}

bool secret_is(uint64_t v)
{
	if (v == 0)
		return false;
	for (unsigned s = slot_of(v);; s = (s + 1) & (SLOTS - 1)) {
		if (table[s] == v)
			return true;
		if (table[s] == 0)
			return false;
	}
}

/* 8-byte aligned words in [base, base+len). */
unsigned secrets_scan(const void *base, unsigned long len)
{
	const volatile uint64_t *w = base;
	unsigned hits = 0;
	for (unsigned long i = 0; i < len / 8; i++)
		hits += secret_is(w[i]);
	return hits;
}

/* Every GPR and FP register value a run gave back (and what was passed in, which
 * would be the hypervisor's own mistake). */
unsigned secrets_scan_regs(const struct hv_regs *r)
{
	unsigned hits = 0;
	for (unsigned i = 1; i < 32; i++)
		hits += secret_is(r->out[i]);
	for (unsigned i = 0; i < 32; i++)
		hits += secret_is(r->fout[i]);
	return hits;
}
