/* The memory tracker and the ownership checker (S.MT.1, I.MT.1-3). */
#include "cmocka_prelude.h"

#include <string.h>

#include "fixture.h"
#include "gstage.h"
#include "monitor.h"
#include "platform.h"

static void alloc_release_round_trip(void **state)
{
	(void)state;
	uint64_t free0 = sm.mt.nr_free;
	paddr_t p = mt_alloc(&sm.mt, MT_CVM(0), 1);
	assert_true(mem_is_confidential(p, PAGE_SIZE));
	assert_int_equal(mt_owner_of(&sm.mt, p), MT_CVM(0));
	assert_int_equal(sm.mt.nr_free, free0 - 1);
	memset(model_ram() + (p - MODEL_RAM_BASE), 0xA5, PAGE_SIZE);

	assert_false(mt_release(&sm.mt, p, MT_CVM(1))); /* not the owner: nothing changes */
	assert_int_equal(mt_owner_of(&sm.mt, p), MT_CVM(0));
	assert_false(mt_release(&sm.mt, p + 8, MT_CVM(0)));
	assert_true(mt_release(&sm.mt, p, MT_CVM(0)));
	assert_false(mt_release(&sm.mt, p, MT_CVM(0))); /* double release */
	uint8_t buf[PAGE_SIZE], zero[PAGE_SIZE] = { 0 };
	model_phys_read(p, buf, PAGE_SIZE);
	assert_memory_equal(buf, zero, PAGE_SIZE); /* I.MT.3: zeroed on the way out */
	assert_int_equal(sm.mt.nr_free, free0);
	assert_invariants_hold();
}

static void alloc_aligned_runs_and_exhaustion(void **state)
{
	(void)state;
	paddr_t root = mt_alloc(&sm.mt, MT_MONITOR, 4);
	assert_true(root != 0 && IS_ALIGNED(root, 4 * PAGE_SIZE));
	for (unsigned i = 0; i < 4; i++)
		assert_int_equal(mt_owner_of(&sm.mt, root + i * PAGE_SIZE), MT_MONITOR);
	assert_int_equal(mt_alloc(&sm.mt, MT_FREE, 1), 0);  /* "free" is not an owner */
	assert_int_equal(mt_alloc(&sm.mt, MT_MONITOR, 3), 0); /* not a power of two */
	uint64_t got = 0;
	while (mt_alloc(&sm.mt, MT_MONITOR, 1))
		got++;
	assert_int_equal(got + 4, sm.mt.pages);
	assert_int_equal(sm.mt.nr_free, 0);
	assert_int_equal(mt_release_all(&sm.mt, MT_MONITOR), sm.mt.pages);
	assert_int_equal(sm.mt.nr_free, sm.mt.pages);
}

static void init_rejects_bad_regions(void **state)
{
	(void)state;
	struct mem_tracker t;
	assert_false(mt_init(&t, mem.conf_base + 1, PAGE_SIZE));
	assert_false(mt_init(&t, mem.conf_base, 0));
	assert_false(mt_init(&t, mem.conf_base, (MAX_CONF_PAGES + 1ULL) * PAGE_SIZE));
	assert_false(mt_init(&t, ~0ULL & ~PAGE_MASK, 2 * PAGE_SIZE));
}

/* Two CVMs; returns their ids through the out parameters. */
static void two_cvms(uint64_t *a, uint64_t *b)
{
	struct vm_image va, vb;
	assert_true(vm_build(&va, 4, 1, 1));
	assert_true(vm_build(&vb, 4, 1, 2));
	struct sbiret r = hv_promote(0, &va);
	assert_int_equal(r.error, 0);
	*a = r.value;
	r = hv_promote(0, &vb);
	assert_int_equal(r.error, 0);
	*b = r.value;
	assert_invariants_hold();
}

static uint64_t *leaf_pte(paddr_t root, gpaddr_t gpa)
{
	paddr_t table = root;
	for (int level = 2; level > 0; level--) {
		uint64_t idx = (gpa >> (12 + 9 * level)) & (level == 2 ? 2047 : 511);
		uint64_t pte;
		model_phys_read(table + idx * 8, &pte, 8);
		table = pte_pa(pte);
	}
	return (uint64_t *)(model_ram() + (table - MODEL_RAM_BASE) + ((gpa >> 12) & 511) * 8);
}

static void checker_catches_page_with_two_owners(void **state)
{
	(void)state;
	uint64_t a, b;
	two_cvms(&a, &b);
	paddr_t victim = gstage_lookup(sm.cvms[a - 1].root, VM_GPA_BASE, NULL);
	assert_true(mt_owner_of(&sm.mt, victim) == MT_CVM(a - 1));
	/* CVM b's first leaf now also maps CVM a's page: one page, two owners */
	uint64_t *pte = leaf_pte(sm.cvms[b - 1].root, VM_GPA_BASE);
	paddr_t own = pte_pa(*pte);
	*pte = (*pte & ~PTE_PPN_MASK) | ((victim >> 12) << PTE_PPN_SHIFT);
	struct inv_violation v;
	assert_false(inv_check_memory(&v));
	assert_string_equal(v.invariant, "I.MT.1");
	assert_non_null(strstr(v.detail, "two owners"));
	*pte = (*pte & ~PTE_PPN_MASK) | ((own >> 12) << PTE_PPN_SHIFT);
	assert_true(inv_check_memory(&v));
}

static void checker_catches_token_disagreeing_with_tables(void **state)
{
	(void)state;
	uint64_t a, b;
	two_cvms(&a, &b);
	paddr_t page = gstage_lookup(sm.cvms[a - 1].root, VM_GPA_BASE, NULL);
	uint64_t i = (page - sm.mt.base) / PAGE_SIZE;
	struct inv_violation v;

	sm.mt.owner[i] = MT_CVM(b - 1); /* the token names b, a's tables map it */
	assert_false(inv_check_memory(&v));
	assert_string_equal(v.invariant, "I.MT.1");

	sm.mt.owner[i] = MT_FREE; /* mapped by a, but in the free pool */
	sm.mt.nr_free++;
	assert_false(inv_check_memory(&v));
	sm.mt.nr_free--;
	sm.mt.owner[i] = MT_CVM(a - 1);
	assert_true(inv_check_memory(&v));
}

static void checker_catches_leaked_and_dirty_free_pages(void **state)
{
	(void)state;
	struct inv_violation v;
	paddr_t p = mt_alloc(&sm.mt, MT_CVM(2), 1); /* owned by a CVM slot that is free */
	assert_false(inv_check_memory(&v));
	assert_string_equal(v.invariant, "S.MT.1");
	sm.mt.owner[(p - sm.mt.base) / PAGE_SIZE] = MT_FREE; /* freed without zeroing... */
	sm.mt.nr_free++;
	uint64_t junk = 0x5ec7e7;
	model_phys_write(p + 64, &junk, 8); /* ...and left holding data */
	assert_false(inv_check_memory(&v));
	assert_string_equal(v.invariant, "I.MT.3");
	junk = 0;
	model_phys_write(p + 64, &junk, 8);
	assert_true(inv_check_memory(&v));
}

static void checker_catches_changed_region_and_counts(void **state)
{
	(void)state;
	struct inv_violation v;
	sm.mt.pages--;
	assert_false(inv_check_memory(&v));
	assert_string_equal(v.invariant, "I.MT.2");
	sm.mt.pages++;
	sm.mt.nr_free--;
	assert_false(inv_check_memory(&v));
	assert_string_equal(v.invariant, "S.MT.1");
	sm.mt.nr_free++;
	assert_true(inv_check_memory(&v));
}

static void checker_catches_cvm_mapping_monitor_memory(void **state)
{
	(void)state;
	uint64_t a, b;
	two_cvms(&a, &b);
	uint64_t *pte = leaf_pte(sm.cvms[a - 1].root, VM_GPA_BASE);
	*pte = (*pte & ~PTE_PPN_MASK) | ((mem.monitor_base >> 12) << PTE_PPN_SHIFT);
	struct inv_violation v;
	assert_false(inv_check_memory(&v));
	assert_string_equal(v.invariant, "I.FSM.2");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(alloc_release_round_trip, fixture_reset),
		cmocka_unit_test_setup(alloc_aligned_runs_and_exhaustion, fixture_reset),
		cmocka_unit_test_setup(init_rejects_bad_regions, fixture_reset),
		cmocka_unit_test_setup(checker_catches_page_with_two_owners, fixture_reset),
		cmocka_unit_test_setup(checker_catches_token_disagreeing_with_tables, fixture_reset),
		cmocka_unit_test_setup(checker_catches_leaked_and_dirty_free_pages, fixture_reset),
		cmocka_unit_test_setup(checker_catches_changed_region_and_counts, fixture_reset),
		cmocka_unit_test_setup(checker_catches_cvm_mapping_monitor_memory, fixture_reset),
	};
	return cmocka_run_group_tests_name("tracker", tests, fixture_group_setup, fixture_group_teardown);
}
