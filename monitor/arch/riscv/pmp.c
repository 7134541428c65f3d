/* PMP programming (layout in pmp.h) and a decision function for the invariant checker. */
#include "defence.h"
#include "arch.h"
#include "csr.h"
#include "platform.h"
#include "pmp.h"

/* CSR numbers are instruction immediates, so an index needs a switch. */
#define PMPADDR_CASE(n) case n: return csr_read(CSR_PMPADDR0 + (n))
#define PMPADDR_SET(n) case n: csr_write(CSR_PMPADDR0 + (n), v); break

ureg_t pmp_read_addr(unsigned idx)
{
	switch (idx) {
	PMPADDR_CASE(0); PMPADDR_CASE(1); PMPADDR_CASE(2); PMPADDR_CASE(3);
	PMPADDR_CASE(4); PMPADDR_CASE(5); PMPADDR_CASE(6); PMPADDR_CASE(7);
	PMPADDR_CASE(8); PMPADDR_CASE(9); PMPADDR_CASE(10); PMPADDR_CASE(11);
	PMPADDR_CASE(12); PMPADDR_CASE(13); PMPADDR_CASE(14); PMPADDR_CASE(15);
	default: return 0;
	}
}

static void write_addr(unsigned idx, ureg_t v)
{
	switch (idx) {
	PMPADDR_SET(0); PMPADDR_SET(1); PMPADDR_SET(2); PMPADDR_SET(3);
	PMPADDR_SET(4); PMPADDR_SET(5); PMPADDR_SET(6); PMPADDR_SET(7);
	PMPADDR_SET(8); PMPADDR_SET(9); PMPADDR_SET(10); PMPADDR_SET(11);
	PMPADDR_SET(12); PMPADDR_SET(13); PMPADDR_SET(14); PMPADDR_SET(15);
	default: break;
	}
}

static ureg_t read_cfg_csr(unsigned idx)
{
	return idx < 8 ? csr_read(CSR_PMPCFG0) : csr_read(CSR_PMPCFG2);
}

uint8_t pmp_read_cfg(unsigned idx)
{
	return idx < PMP_COUNT ? (uint8_t)(read_cfg_csr(idx) >> (8 * (idx % 8))) : 0;
}

void pmp_write_entry(unsigned idx, uint8_t cfg, ureg_t addr)
{
	if (idx >= PMP_COUNT)
		return;
	unsigned shift = 8 * (idx % 8);
	ureg_t word = (read_cfg_csr(idx) & ~(0xffUL << shift)) | ((ureg_t)cfg << shift);
	write_addr(idx, addr);
	if (idx < 8)
		csr_write(CSR_PMPCFG0, word);
	else
		csr_write(CSR_PMPCFG2, word);
}

static struct {
	paddr_t base;
	uint64_t size;
} seed_lock;

static void apply_seed_lock(void)
{
	if (seed_lock.size && !(pmp_read_cfg(PMP_IDX_SEED) & PMP_L))
		pmp_write_entry(PMP_IDX_SEED, PMP_L | PMP_A_NAPOT,
				(seed_lock.base >> 2) | ((seed_lock.size >> 3) - 1));
}

/* A naturally aligned power of two of at least 8 bytes: one NAPOT entry covers it. */
static bool napot_fits(paddr_t base, uint64_t size)
{
	return size >= 8 && (size & (size - 1)) == 0 && IS_ALIGNED(base, size);
}

void pmp_lock_seed(paddr_t base, uint64_t size)
{
	bool napot = napot_fits(base, size);
	seed_lock.base = napot ? base : 0;
	seed_lock.size = napot ? size : 0;
	apply_seed_lock();
}

/* Entry 1 ends where the locked seed page begins, so that entry 4 decides for it. */
static paddr_t monitor_pmp_top(void)
{
	paddr_t top = mem.monitor_base + mem.monitor_size;
	if (seed_lock.size && seed_lock.base + seed_lock.size == top && seed_lock.base > mem.monitor_base)
		top = seed_lock.base;
	return top;
}

unsigned pmp_entries_to_deny(paddr_t base, uint64_t size)
{
	return napot_fits(base, size) ? 1 : 2;
}

/*
 * The device windows of mem (devices.h), from entry PMP_IDX_DEVICES on. A TOR window is
 * widened to the 4-byte grain: denying a few more bytes of the same device is harmless.
 */
static void deny_devices(void)
{
	unsigned idx = PMP_IDX_DEVICES;
	for (unsigned i = 0; i < mem.nr_devices; i++) {
		paddr_t base = mem.devices[i].base, size = mem.devices[i].size;
		if (idx + pmp_entries_to_deny(base, size) > PMP_IDX_ALL)
			break; /* devices_init refused such a layout at boot */
		if (napot_fits(base, size)) {
			pmp_write_entry(idx++, PMP_A_NAPOT, (base >> 2) | ((size >> 3) - 1));
			continue;
		}
		pmp_write_entry(idx++, PMP_A_OFF, base >> 2);
		pmp_write_entry(idx++, PMP_A_TOR, (base + size + 3) >> 2);
	}
}

void pmp_init(void)
{
	for (unsigned i = 0; i < PMP_COUNT; i++)
		if (!(pmp_read_cfg(i) & PMP_L)) /* a locked entry (the seed) stays as boot set it */
			pmp_write_entry(i, PMP_A_OFF, 0);
	pmp_write_entry(PMP_IDX_MONITOR - 1, PMP_A_OFF, mem.monitor_base >> 2);
	pmp_write_entry(PMP_IDX_MONITOR, DEFENCE(D_PMP_GUARDS_MONITOR) ? PMP_A_TOR : PMP_A_OFF,
			monitor_pmp_top() >> 2);
	apply_seed_lock();
	pmp_write_entry(PMP_IDX_CONF - 1, PMP_A_OFF, mem.conf_base >> 2);
	pmp_write_entry(PMP_IDX_CONF, PMP_A_TOR, (mem.conf_base + mem.conf_size) >> 2);
	if (DEFENCE(D_PMP_GUARDS_DEVICES))
		deny_devices();
	pmp_write_entry(PMP_IDX_ALL, PMP_A_NAPOT | PMP_R | PMP_W | PMP_X, ~0UL);
	arch_sfence_vma_all();
}

/*
 * A world switch flips only the permission bits of the confidential entry: its TOR
 * bounds are written once, above, and nothing below M can change them. One csrs or
 * csrc, with no read-modify-write of the other entries in pmpcfg0.
 */
_Static_assert(PMP_IDX_CONF < 8, "the confidential entry's cfg byte is in pmpcfg0");
#define CONF_RWX ((ureg_t)(PMP_R | PMP_W | PMP_X) << (8 * PMP_IDX_CONF))

void pmp_open_confidential(void)
{
	csr_set(CSR_PMPCFG0, CONF_RWX);
}

void pmp_close_confidential(void)
{
	csr_clear(CSR_PMPCFG0, CONF_RWX);
}

/* [lo, hi) covered by entry idx, as the privileged spec decodes pmpaddr (rv64). */
static bool entry_range(unsigned idx, uint64_t *lo, uint64_t *hi)
{
	uint8_t cfg = pmp_read_cfg(idx);
	ureg_t addr = pmp_read_addr(idx) & ((1UL << 54) - 1);
	switch (cfg & PMP_A_NAPOT) {
	case PMP_A_TOR:
		*lo = idx ? (pmp_read_addr(idx - 1) & ((1UL << 54) - 1)) << 2 : 0;
		*hi = addr << 2;
		return *lo < *hi;
	case PMP_A_NA4:
		*lo = addr << 2;
		*hi = *lo + 4;
		return true;
	case PMP_A_NAPOT: {
		unsigned ones = 0;
		while (ones < 54 && (addr >> ones) & 1)
			ones++;
		if (ones >= 54) { /* the whole physical address space */
			*lo = 0;
			*hi = ~0UL;
			return true;
		}
		uint64_t size = 8UL << ones;
		*lo = (addr << 2) & ~(size - 1);
		*hi = *lo + size;
		return true;
	}
	default:
		return false;
	}
}

/*
 * True when no byte of [base, base+len) is accessible to S or U mode: for every byte the
 * lowest-numbered entry covering it grants nothing (no entry at all also denies). The
 * range is cut at every entry boundary inside it; within one piece every entry covers
 * all of it or none, so one byte per piece decides for the piece. Several lower entries
 * may thus cover a granting entry together (monitor image and locked seed page).
 */
bool pmp_denies_supervisor(paddr_t base, uint64_t len)
{
	uint64_t cuts[2 * PMP_COUNT + 2], end = base + len;
	unsigned n = 0;
	if (len == 0)
		return true;
	if (end < base)
		end = ~0UL; /* up to the top of the address space */
	cuts[n++] = base;
	cuts[n++] = end;
	for (unsigned i = 0; i < PMP_COUNT; i++) {
		uint64_t lo, hi;
		if (!entry_range(i, &lo, &hi))
			continue;
		if (lo > base && lo < end)
			cuts[n++] = lo;
		if (hi > base && hi < end)
			cuts[n++] = hi;
	}
	for (unsigned i = 1; i < n; i++)
		for (unsigned j = i; j > 0 && cuts[j - 1] > cuts[j]; j--) {
			uint64_t t = cuts[j];
			cuts[j] = cuts[j - 1];
			cuts[j - 1] = t;
		}
	for (unsigned k = 0; k + 1 < n; k++) {
		uint64_t at = cuts[k];
		if (at == cuts[k + 1])
			continue;
		for (unsigned i = 0; i < PMP_COUNT; i++) {
			uint64_t lo, hi;
			if (!entry_range(i, &lo, &hi) || at < lo || at >= hi)
				continue;
			if (pmp_read_cfg(i) & (PMP_R | PMP_W | PMP_X))
				return false;
			break;
		}
	}
	return true;
}
