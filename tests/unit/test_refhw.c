/*
 * The reference hardware (refhw/) against cases worked by hand from the privileged spec:
 * PMP matching (3.7.1) and the G-stage walk and mapper (8.5.1, 4.3.2).
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "cmocka_prelude.h"
#include "gstage_pt.h"
#include "pmp_match.h"

/* --- PMP ------------------------------------------------------------------------- */

#define TOR (REFHW_PMP_TOR << REFHW_PMP_A_SHIFT)
#define NA4 (REFHW_PMP_NA4 << REFHW_PMP_A_SHIFT)
#define NAPOT (REFHW_PMP_NAPOT << REFHW_PMP_A_SHIFT)
#define R REFHW_PMP_R
#define W REFHW_PMP_W
#define X REFHW_PMP_X

static bool s_ok(const uint8_t *cfg, const uint64_t *addr, unsigned n, uint64_t pa, uint64_t len, unsigned need)
{
	return refhw_pmp_allows(cfg, addr, n, REFHW_PRV_S, pa, len, need);
}

static bool m_ok(const uint8_t *cfg, const uint64_t *addr, unsigned n, uint64_t pa, uint64_t len, unsigned need)
{
	return refhw_pmp_allows(cfg, addr, n, REFHW_PRV_M, pa, len, need);
}

/* Entry 0 in TOR mode: its lower bound is address 0 (pmpaddr[-1] = 0). */
static void pmp_tor_from_zero(void **state)
{
	(void)state;
	const uint8_t cfg[2] = { TOR | R, 0 };
	const uint64_t addr[2] = { 0x1000 >> 2, 0 };
	assert_true(s_ok(cfg, addr, 2, 0, 8, R));
	assert_true(s_ok(cfg, addr, 2, 0xff8, 8, R));
	assert_false(s_ok(cfg, addr, 2, 0xff8, 8, W));  /* matched, no W */
	assert_false(s_ok(cfg, addr, 2, 0xffc, 8, R));  /* straddles the top: partial match */
	assert_false(s_ok(cfg, addr, 2, 0x1000, 8, R)); /* above it: no entry, S fails */
	assert_true(m_ok(cfg, addr, 2, 0x1000, 8, W));  /* ... M succeeds */
}

/* TOR whose lower bound is not below its upper bound matches nothing. */
static void pmp_tor_empty(void **state)
{
	(void)state;
	const uint8_t cfg[2] = { 0, TOR | R | W };
	const uint64_t addr[2] = { 0x2000 >> 2, 0x2000 >> 2 };
	assert_false(s_ok(cfg, addr, 2, 0x1ffc, 8, R)); /* no match (not a partial one): S fails */
	assert_true(m_ok(cfg, addr, 2, 0x1ffc, 8, R));
	uint64_t lo, hi;
	assert_false(refhw_pmp_entry_words(cfg, addr, 1, &lo, &hi));
}

/* NAPOT: t trailing ones in pmpaddr give 2^(t+3) bytes. */
static void pmp_napot_sizes(void **state)
{
	(void)state;
	uint8_t cfg[1] = { NAPOT | R };
	uint64_t addr[1] = { 0x2000 >> 2 }; /* t = 0: 8 bytes at 0x2000 */
	uint64_t lo, hi;
	assert_true(refhw_pmp_entry_words(cfg, addr, 0, &lo, &hi));
	assert_int_equal(lo, 0x2000 >> 2);
	assert_int_equal(hi, (0x2008 >> 2) - 1);
	assert_true(s_ok(cfg, addr, 1, 0x2000, 8, R));
	assert_false(s_ok(cfg, addr, 1, 0x2004, 8, R)); /* partial */
	assert_false(s_ok(cfg, addr, 1, 0x2008, 4, R)); /* outside */

	addr[0] = (0x80000000ULL >> 2) | 0x1ff; /* t = 9: 4 KiB at 0x80000000 */
	assert_true(s_ok(cfg, addr, 1, 0x80000000ULL, 8, R));
	assert_true(s_ok(cfg, addr, 1, 0x80000ff8ULL, 8, R));
	assert_false(s_ok(cfg, addr, 1, 0x80001000ULL, 8, R));
	assert_false(s_ok(cfg, addr, 1, 0x7ffffffcULL, 8, R));

	addr[0] = (1ULL << 54) - 1; /* every implemented bit set: the whole 2^56-byte space */
	assert_true(s_ok(cfg, addr, 1, 0, 8, R));
	assert_true(s_ok(cfg, addr, 1, (1ULL << 56) - 8, 8, R));
	assert_false(s_ok(cfg, addr, 1, 0x1000, 8, X));
}

static void pmp_na4(void **state)
{
	(void)state;
	const uint8_t cfg[1] = { NA4 | W | R };
	const uint64_t addr[1] = { 0x3004 >> 2 };
	assert_true(s_ok(cfg, addr, 1, 0x3004, 4, W));
	assert_false(s_ok(cfg, addr, 1, 0x3000, 8, W)); /* 8 bytes over a 4-byte entry */
	assert_false(s_ok(cfg, addr, 1, 0x3008, 4, W));
}

/* The lowest-numbered matching entry decides; M-mode only obeys locked entries. */
static void pmp_priority_and_lock(void **state)
{
	(void)state;
	uint8_t cfg[2] = { NAPOT, NAPOT | R | W | X };
	const uint64_t addr[2] = { (0x4000 >> 2) | 0x1ff, (1ULL << 54) - 1 };
	assert_false(s_ok(cfg, addr, 2, 0x4000, 8, R)); /* entry 0 denies, entry 1 is never asked */
	assert_true(s_ok(cfg, addr, 2, 0x6000, 8, R));
	assert_true(m_ok(cfg, addr, 2, 0x4000, 8, W)); /* not locked: M unaffected */
	cfg[0] |= REFHW_PMP_L | R;
	assert_true(m_ok(cfg, addr, 2, 0x4000, 8, R));
	assert_false(m_ok(cfg, addr, 2, 0x4000, 8, W)); /* locked: binds M too */
	assert_false(m_ok(cfg, addr, 2, 0x3ffc, 8, R)); /* partial match fails for M as well */
	assert_false(s_ok(cfg, addr, 2, 0, 0, R));       /* empty access */
	assert_false(s_ok(cfg, addr, 2, UINT64_MAX - 3, 8, R)); /* wraps */
}

/* --- G-stage tables ------------------------------------------------------------------ */

#define MEM_BASE 0x80000000ULL
#define MEM_SIZE (64 * 4096ULL)

static uint64_t mem[MEM_SIZE / 8];
static uint64_t next_table;

static bool rd(void *ctx, uint64_t pa, uint64_t *v)
{
	(void)ctx;
	if (pa < MEM_BASE || pa - MEM_BASE >= MEM_SIZE || (pa & 7))
		return false;
	*v = mem[(pa - MEM_BASE) / 8];
	return true;
}

static bool wr(void *ctx, uint64_t pa, uint64_t v)
{
	(void)ctx;
	if (pa < MEM_BASE || pa - MEM_BASE >= MEM_SIZE || (pa & 7))
		return false;
	mem[(pa - MEM_BASE) / 8] = v;
	return true;
}

static uint64_t alloc(void *ctx)
{
	(void)ctx;
	if (next_table >= MEM_BASE + MEM_SIZE)
		return 0;
	uint64_t t = next_table;
	next_table += 4096;
	return t;
}

static const struct refhw_mem M = { .read64 = rd, .write64 = wr, .alloc_table = alloc };
#define ROOT MEM_BASE /* 16 KiB */

static int reset_mem(void **state)
{
	(void)state;
	memset(mem, 0, sizeof(mem));
	next_table = MEM_BASE + 4 * 4096;
	return 0;
}

static void set_pte(uint64_t pa, uint64_t v) { assert_true(wr(NULL, pa, v)); }
static uint64_t pte_to(uint64_t pa, uint64_t flags) { return ((pa >> 12) << 10) | flags | REFHW_PTE_V; }

#define LEAF_RWX (REFHW_PTE_R | REFHW_PTE_W | REFHW_PTE_X | REFHW_PTE_U | REFHW_PTE_A | REFHW_PTE_D)

static void walk_4k_from_mapper(void **state)
{
	(void)state;
	const uint64_t gpa = 0x80001234ULL, hpa = 0x1234567000ULL;
	assert_true(refhw_gstage_map_4k(&M, ROOT, REFHW_SV39X4_LEVELS, gpa, hpa, LEAF_RWX));
	/* root index gpa[40:30] = 2, then a table for level 1 and one for level 0 */
	uint64_t l2;
	assert_true(rd(NULL, ROOT + 2 * 8, &l2));
	assert_int_equal(l2, pte_to(MEM_BASE + 4 * 4096, 0));
	struct refhw_leaf leaf;
	assert_int_equal(refhw_gstage_walk(&M, ROOT, REFHW_SV39X4_LEVELS, gpa, &leaf), REFHW_XLATE_OK);
	assert_int_equal(leaf.level, 0);
	assert_int_equal(leaf.pa, hpa | 0x234);
	assert_int_equal(leaf.pte, pte_to(hpa, LEAF_RWX));
	assert_int_equal(leaf.pte_pa, MEM_BASE + 5 * 4096 + 1 * 8);
	/* a second page in the same 2 MiB reuses both tables */
	assert_true(refhw_gstage_map_4k(&M, ROOT, REFHW_SV39X4_LEVELS, gpa + 4096, hpa, LEAF_RWX));
	assert_int_equal(next_table, MEM_BASE + 6 * 4096);
	/* the neighbour left unmapped: V clear */
	assert_int_equal(refhw_gstage_walk(&M, ROOT, REFHW_SV39X4_LEVELS, gpa + 8192, &leaf),
			 REFHW_XLATE_PAGE_FAULT);
}

/* A 2 MiB leaf at level 1: the low 21 bits of the GPA pass through. */
static void walk_superpage(void **state)
{
	(void)state;
	const uint64_t l1 = MEM_BASE + 4 * 4096;
	set_pte(ROOT + 1030 * 8, pte_to(l1, 0)); /* gpa[40:30] = 1030: an x4 root index */
	set_pte(l1 + 3 * 8, pte_to(0x40200000ULL, LEAF_RWX));
	const uint64_t gpa = (1030ULL << 30) | (3ULL << 21) | 0x1abcd8;
	struct refhw_leaf leaf;
	assert_int_equal(refhw_gstage_walk(&M, ROOT, REFHW_SV39X4_LEVELS, gpa, &leaf), REFHW_XLATE_OK);
	assert_int_equal(leaf.level, 1);
	assert_int_equal(leaf.pa, 0x40200000ULL | 0x1abcd8);

	/* the same leaf 4 KiB off its 2 MiB alignment: a misaligned superpage faults */
	set_pte(l1 + 3 * 8, pte_to(0x40201000ULL, LEAF_RWX));
	assert_int_equal(refhw_gstage_walk(&M, ROOT, REFHW_SV39X4_LEVELS, gpa, &leaf),
			 REFHW_XLATE_PAGE_FAULT);
}

static void walk_faults(void **state)
{
	(void)state;
	const uint64_t gpa = 0x1000;
	struct refhw_leaf leaf;
	const uint64_t l1 = MEM_BASE + 4 * 4096, l0 = MEM_BASE + 5 * 4096;
	set_pte(ROOT, pte_to(l1, 0));
	set_pte(l1, pte_to(l0, 0));
	set_pte(l0 + 8, pte_to(0x1000, LEAF_RWX) & ~REFHW_PTE_V); /* invalid PTE */
	assert_int_equal(refhw_gstage_walk(&M, ROOT, 3, gpa, &leaf), REFHW_XLATE_PAGE_FAULT);
	set_pte(l0 + 8, pte_to(0x1000, REFHW_PTE_W | REFHW_PTE_U)); /* W without R */
	assert_int_equal(refhw_gstage_walk(&M, ROOT, 3, gpa, &leaf), REFHW_XLATE_PAGE_FAULT);
	set_pte(l0 + 8, pte_to(0x1000, LEAF_RWX) | (1ULL << 63)); /* N: not implemented */
	assert_int_equal(refhw_gstage_walk(&M, ROOT, 3, gpa, &leaf), REFHW_XLATE_PAGE_FAULT);
	set_pte(l0 + 8, pte_to(l0, 0)); /* a pointer at level 0 */
	assert_int_equal(refhw_gstage_walk(&M, ROOT, 3, gpa, &leaf), REFHW_XLATE_PAGE_FAULT);
	set_pte(l0 + 8, pte_to(0x1000, LEAF_RWX));
	assert_int_equal(refhw_gstage_walk(&M, ROOT, 3, gpa, &leaf), REFHW_XLATE_OK);
	set_pte(l1, pte_to(l0, REFHW_PTE_A)); /* A on a pointer is reserved */
	assert_int_equal(refhw_gstage_walk(&M, ROOT, 3, gpa, &leaf), REFHW_XLATE_PAGE_FAULT);
	set_pte(l1, pte_to(0x7000000000ULL, 0)); /* a table outside memory: access fault */
	assert_int_equal(refhw_gstage_walk(&M, ROOT, 3, gpa, &leaf), REFHW_XLATE_ACCESS_FAULT);
	/* Sv39x4 takes 41-bit GPAs: bit 41 set faults before any read */
	assert_int_equal(refhw_gstage_walk(&M, ROOT, 3, gpa | (1ULL << 41), &leaf),
			 REFHW_XLATE_PAGE_FAULT);
}

static void walk_sv48x4(void **state)
{
	(void)state;
	const uint64_t gpa = (1ULL << 49) | 0x5000, hpa = 0x90000000ULL;
	assert_true(refhw_gstage_map_4k(&M, ROOT, REFHW_SV48X4_LEVELS, gpa, hpa, LEAF_RWX));
	uint64_t top;
	assert_true(rd(NULL, ROOT + 0x400 * 8, &top)); /* gpa[49:39] = 0x400 */
	assert_true(top & REFHW_PTE_V);
	struct refhw_leaf leaf;
	assert_int_equal(refhw_gstage_walk(&M, ROOT, REFHW_SV48X4_LEVELS, gpa, &leaf), REFHW_XLATE_OK);
	assert_int_equal(leaf.pa, hpa);
	assert_int_equal(refhw_gstage_walk(&M, ROOT, REFHW_SV48X4_LEVELS, gpa | (1ULL << 50), &leaf),
			 REFHW_XLATE_PAGE_FAULT);
	/* out of tables: the mapper says so */
	next_table = MEM_BASE + MEM_SIZE;
	assert_false(refhw_gstage_map_4k(&M, ROOT, REFHW_SV48X4_LEVELS, 0x1000, hpa, LEAF_RWX));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(pmp_tor_from_zero),
		cmocka_unit_test(pmp_tor_empty),
		cmocka_unit_test(pmp_napot_sizes),
		cmocka_unit_test(pmp_na4),
		cmocka_unit_test(pmp_priority_and_lock),
		cmocka_unit_test_setup(walk_4k_from_mapper, reset_mem),
		cmocka_unit_test_setup(walk_superpage, reset_mem),
		cmocka_unit_test_setup(walk_faults, reset_mem),
		cmocka_unit_test_setup(walk_sv48x4, reset_mem),
	};
	return cmocka_run_group_tests_name("refhw", tests, NULL, NULL);
}
