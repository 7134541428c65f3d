/* COVH get_tsm_info, promote_to_tvm and destroy_tvm: success paths and hostile input. */
#include "cmocka_prelude.h"

#include <string.h>

#include "cove.h"
#include "csr.h"
#include "fdt_writer.h"
#include "fixture.h"
#include "gstage.h"
#include "monitor.h"
#include "platform.h"
#include "sbi.h"

#define COVH SBI_EXT_COVH

static void w64(uint64_t pa, uint64_t v) { assert_true(model_phys_write(pa, &v, 8)); }
static uint64_t r64(uint64_t pa)
{
	uint64_t v = 0;
	assert_true(model_phys_read(pa, &v, 8));
	return v;
}
static uint64_t table_pte(uint64_t pa) { return ((pa >> 12) << 10) | PTE_V; }
static uint64_t leaf(uint64_t pa) { return ((pa >> 12) << 10) | PTE_V | PTE_R | PTE_W | PTE_X | PTE_U | PTE_A | PTE_D; }
static uint64_t hgatp_for(uint64_t root) { return (HGATP_MODE_SV39X4 << HGATP_MODE_SHIFT) | (root >> 12); }

/* Whatever a failed call did, nothing may remain of it. */
static void assert_no_cvm_left(void)
{
	for (unsigned i = 0; i < MAX_CVMS; i++)
		assert_int_equal(sm.cvms[i].state, CVM_FREE);
	assert_int_equal(sm.mt.nr_free, sm.mt.pages);
	assert_invariants_hold();
}

static struct sbiret promote_raw(uint64_t hgatp, uint64_t fdt, uint64_t entry)
{
	model_set_csr(0, CSR_HGATP, hgatp);
	return hv_ecall(0, COVH, COVH_PROMOTE_TO_TVM, fdt, 0, entry, 0, 0, 0);
}

static void tsm_info_success_and_hostile_addresses(void **state)
{
	(void)state;
	uint64_t buf = vm_pool_alloc(PAGE_SIZE, PAGE_SIZE);
	struct sbiret r = HV_CALL(0, COVH, COVH_GET_TSM_INFO, buf, sizeof(struct tsm_info), 0, 0, 0, 0);
	assert_int_equal(r.error, SBI_SUCCESS);
	assert_int_equal(r.value, sizeof(struct tsm_info));
	struct tsm_info info;
	model_phys_read(buf, &info, sizeof(info));
	assert_int_equal(info.tsm_state, TSM_STATE_READY);
	assert_true(info.tsm_capabilities & TSM_CAP_PROMOTE_TVM);
	assert_int_equal(info.tvm_max_vcpus, MAX_VCPUS);

	uint8_t before[64], after[64];
	model_phys_read(mem.monitor_base, before, sizeof(before));
	const uint64_t bad[] = { mem.monitor_base, mem.monitor_base + mem.monitor_size - 8, mem.conf_base,
				 mem.conf_base - 8, buf + 4, ~0ULL - 7, 0, MODEL_RAM_BASE + model_ram_size() };
	for (unsigned i = 0; i < ARRAY_SIZE(bad); i++) {
		r = HV_CALL(0, COVH, COVH_GET_TSM_INFO, bad[i], 4096, 0, 0, 0, 0);
		assert_int_equal(r.error, SBI_ERR_INVALID_ADDRESS);
	}
	r = HV_CALL(0, COVH, COVH_GET_TSM_INFO, buf, sizeof(struct tsm_info) - 1, 0, 0, 0, 0);
	assert_int_equal(r.error, SBI_ERR_INVALID_PARAM);
	model_phys_read(mem.monitor_base, after, sizeof(after));
	assert_memory_equal(before, after, sizeof(before));
	assert_invariants_hold();
}

static void promote_copies_memory_into_confidential_pages(void **state)
{
	(void)state;
	struct vm_image img;
	assert_true(vm_build(&img, 8, 2, 42));
	struct sbiret r = hv_promote(0, &img);
	assert_int_equal(r.error, SBI_SUCCESS);
	assert_int_equal(r.value, 1);
	const struct cvm *c = &sm.cvms[0];
	assert_int_equal(c->state, CVM_ACTIVE);
	assert_int_equal(c->nr_vcpus, 2);
	assert_int_equal(c->vcpu[0].state, VCPU_RUNNABLE);
	assert_int_equal(c->vcpu[1].state, VCPU_STOPPED);
	for (unsigned p = 0; p + 1 < img.nr_pages; p++) {
		paddr_t pa = gstage_lookup(c->root, img.gpa_base + p * PAGE_SIZE, NULL);
		assert_true(mem_is_confidential(pa, PAGE_SIZE));
		uint64_t w;
		model_phys_read(pa + 8 * 17, &w, 8);
		assert_true(w == vm_pattern(42, p, 17));
		/* the hypervisor cannot reach the copy */
		assert_false(model_pmp_allows(0, PRV_S, pa, 8, 'r'));
	}
	assert_invariants_hold();
}

static void promote_rejects_hostile_roots(void **state)
{
	(void)state;
	struct vm_image img;
	assert_true(vm_build(&img, 4, 1, 1));
	uint64_t root = (img.hgatp & HGATP_PPN_MASK) << 12;
	struct { uint64_t hgatp; long err; } cases[] = {
		{ img.hgatp & ~(0xfULL << 60), SBI_ERR_INVALID_PARAM },           /* bare */
		{ (img.hgatp & ~(0xfULL << 60)) | (10ULL << 60), SBI_ERR_INVALID_PARAM }, /* sv57x4 */
		{ hgatp_for(mem.monitor_base), SBI_ERR_INVALID_ADDRESS },
		{ hgatp_for(mem.conf_base), SBI_ERR_INVALID_ADDRESS },
		{ hgatp_for(0x1000000), SBI_ERR_INVALID_ADDRESS },                 /* not RAM */
	};
	(void)root;
	for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
		struct sbiret r = promote_raw(cases[i].hgatp, img.fdt_gpa, img.entry);
		assert_int_equal(r.error, cases[i].err);
		assert_no_cvm_left();
	}
}

static void promote_rejects_tables_pointing_outside_hypervisor_memory(void **state)
{
	(void)state;
	struct vm_image img;
	assert_true(vm_build(&img, 4, 1, 1));
	uint64_t root = (img.hgatp & HGATP_PPN_MASK) << 12;
	uint64_t l2_idx = (VM_GPA_BASE >> 30) & 2047;
	uint64_t l1 = pte_pa(r64(root + l2_idx * 8));
	uint64_t l1_idx = (VM_GPA_BASE >> 21) & 511;
	uint64_t l0 = pte_pa(r64(l1 + l1_idx * 8));
	uint64_t saved_leaf = r64(l0), saved_tab = r64(l1 + l1_idx * 8);
	const uint64_t targets[] = { mem.monitor_base, mem.conf_base, mem.conf_base + mem.conf_size - PAGE_SIZE,
				     0x10000000 /* UART */ };
	for (unsigned i = 0; i < ARRAY_SIZE(targets); i++) {
		w64(l0, leaf(targets[i])); /* a leaf onto monitor / confidential / MMIO */
		assert_int_equal(hv_promote(0, &img).error, SBI_ERR_INVALID_ADDRESS);
		assert_no_cvm_left();
		w64(l0, saved_leaf);
		w64(l1 + l1_idx * 8, table_pte(targets[i])); /* a table there */
		assert_int_equal(hv_promote(0, &img).error, SBI_ERR_INVALID_ADDRESS);
		assert_no_cvm_left();
		w64(l1 + l1_idx * 8, saved_tab);
	}
	/* a 2 MiB superpage onto confidential memory */
	w64(l1 + l1_idx * 8, leaf(mem.conf_base));
	assert_int_equal(hv_promote(0, &img).error, SBI_ERR_INVALID_ADDRESS);
	assert_no_cvm_left();
	w64(l1 + l1_idx * 8, leaf(mem.conf_base - (1ULL << 21) + PAGE_SIZE)); /* misaligned */
	assert_int_equal(hv_promote(0, &img).error, SBI_ERR_INVALID_PARAM);
	assert_no_cvm_left();
	w64(l1 + l1_idx * 8, saved_tab);
	/* a leaf without the U bit, and a write-only leaf */
	w64(l0, saved_leaf & ~PTE_U);
	assert_int_equal(hv_promote(0, &img).error, SBI_ERR_INVALID_PARAM);
	w64(l0, (saved_leaf & ~PTE_R));
	assert_int_equal(hv_promote(0, &img).error, SBI_ERR_INVALID_PARAM);
	w64(l0, saved_leaf);
	assert_int_equal(hv_promote(0, &img).error, SBI_SUCCESS);
}

static void promote_survives_loops_and_huge_counts(void **state)
{
	(void)state;
	uint64_t root = vm_pool_alloc(4 * PAGE_SIZE, 4 * PAGE_SIZE);
	uint64_t l1 = vm_pool_alloc(PAGE_SIZE, PAGE_SIZE);
	uint64_t l0 = vm_pool_alloc(PAGE_SIZE, PAGE_SIZE);
	uint64_t page = vm_pool_alloc(PAGE_SIZE, PAGE_SIZE);
	/* every root entry -> the same L1, every L1 entry -> the same L0, every leaf -> one
	 * page: 2^30 mappings described in 24 KiB */
	for (unsigned i = 0; i < 2048; i++)
		w64(root + i * 8, table_pte(l1));
	for (unsigned i = 0; i < 512; i++) {
		w64(l1 + i * 8, table_pte(l0));
		w64(l0 + i * 8, leaf(page));
	}
	assert_int_equal(promote_raw(hgatp_for(root), VM_GPA_BASE, VM_GPA_BASE).error, SBI_ERR_INVALID_PARAM);
	assert_no_cvm_left();
	/* a table that points at itself at every level */
	uint64_t self = vm_pool_alloc(4 * PAGE_SIZE, 4 * PAGE_SIZE);
	for (unsigned i = 0; i < 2048; i++)
		w64(self + i * 8, table_pte(self));
	assert_int_equal(promote_raw(hgatp_for(self), VM_GPA_BASE, VM_GPA_BASE).error, SBI_ERR_INVALID_PARAM);
	assert_no_cvm_left();
	/* more pages than a CVM may hold */
	for (unsigned i = 0; i < 2048; i++)
		w64(root + i * 8, 0);
	w64(root + 2 * 8, table_pte(l1));
	for (unsigned i = 0; i < 512; i++)
		w64(l1 + i * 8, i < 2 ? table_pte(l0) : 0);
	assert_true(2 * 512 > MAX_CVM_PAGES);
	assert_int_equal(promote_raw(hgatp_for(root), VM_GPA_BASE, VM_GPA_BASE).error, SBI_ERR_INVALID_PARAM);
	assert_no_cvm_left();
}

static void promote_rejects_lying_device_trees(void **state)
{
	(void)state;
	struct vm_image img;
	assert_true(vm_build(&img, 4, 1, 1));
	uint64_t fdt_hpa = img.hpa_first + (img.nr_pages - 1) * PAGE_SIZE;
	uint8_t good[PAGE_SIZE], t[PAGE_SIZE];
	model_phys_read(fdt_hpa, good, sizeof(good));

	memcpy(t, good, sizeof(t));
	t[4] = 0x7f; /* totalsize: 2 GiB */
	model_phys_write(fdt_hpa, t, sizeof(t));
	assert_int_equal(hv_promote(0, &img).error, SBI_ERR_INVALID_PARAM);
	assert_no_cvm_left();

	memcpy(t, good, sizeof(t));
	t[0] ^= 0xff; /* magic */
	model_phys_write(fdt_hpa, t, sizeof(t));
	assert_int_equal(hv_promote(0, &img).error, SBI_ERR_INVALID_PARAM);
	assert_no_cvm_left();

	memcpy(t, good, sizeof(t));
	t[8 + 3] = 0xf0; /* off_dt_struct beyond the blob */
	model_phys_write(fdt_hpa, t, sizeof(t));
	assert_int_equal(hv_promote(0, &img).error, SBI_ERR_INVALID_PARAM);
	assert_no_cvm_left();

	size_t n = fdtb_make_vm_tree(t, sizeof(t), MAX_VCPUS + 1, VM_GPA_BASE, 1 << 20);
	assert_true(n > 0);
	model_phys_write(fdt_hpa, t, n);
	assert_int_equal(hv_promote(0, &img).error, SBI_ERR_INVALID_PARAM); /* too many harts */
	assert_no_cvm_left();

	model_phys_write(fdt_hpa, good, sizeof(good));
	struct vm_image moved = img;
	moved.fdt_gpa = VM_GPA_BASE + 64 * PAGE_SIZE; /* not mapped */
	assert_int_equal(hv_promote(0, &moved).error, SBI_ERR_INVALID_PARAM);
	moved.fdt_gpa = img.fdt_gpa + PAGE_SIZE - 8; /* header runs off the mapped end */
	assert_int_equal(hv_promote(0, &moved).error, SBI_ERR_INVALID_PARAM);
	moved.fdt_gpa = ~0ULL - 3;
	assert_int_equal(hv_promote(0, &moved).error, SBI_ERR_INVALID_PARAM);
	assert_no_cvm_left();
	assert_int_equal(hv_promote(0, &img).error, SBI_SUCCESS);
}

static void promote_rejects_bad_entry_and_options(void **state)
{
	(void)state;
	struct vm_image img;
	assert_true(vm_build(&img, 4, 1, 1));
	struct vm_image bad = img;
	bad.entry = VM_GPA_BASE + 100 * PAGE_SIZE;
	assert_int_equal(hv_promote(0, &bad).error, SBI_ERR_INVALID_ADDRESS);
	bad.entry = img.fdt_gpa; /* mapped, but not executable */
	assert_int_equal(hv_promote(0, &bad).error, SBI_ERR_INVALID_ADDRESS);
	assert_no_cvm_left();
	model_set_csr(0, CSR_HGATP, img.hgatp);
	struct sbiret r = HV_CALL(0, COVH, COVH_PROMOTE_TO_TVM, img.fdt_gpa, 0x1000, img.entry, 0, 0, 0);
	assert_int_equal(r.error, SBI_ERR_NOT_SUPPORTED);
	assert_no_cvm_left();
}

static void promote_fails_cleanly_when_slots_or_pages_run_out(void **state)
{
	(void)state;
	struct vm_image img;
	assert_true(vm_build(&img, 4, 1, 1));
	for (unsigned i = 0; i < MAX_CVMS; i++)
		assert_int_equal(hv_promote(0, &img).error, SBI_SUCCESS);
	uint64_t free_before = sm.mt.nr_free;
	assert_int_equal(hv_promote(0, &img).error, SBI_ERR_FAILED);
	assert_int_equal(sm.mt.nr_free, free_before);
	for (unsigned i = 1; i <= MAX_CVMS; i++)
		assert_int_equal(HV_CALL(0, COVH, COVH_DESTROY_TVM, i, 0, 0, 0, 0, 0).error, SBI_SUCCESS);
	assert_no_cvm_left();
	/* confidential memory nearly exhausted: promote fails half-way and cleans up */
	while (sm.mt.nr_free > 6)
		mt_alloc(&sm.mt, MT_MONITOR, 1);
	free_before = sm.mt.nr_free;
	assert_int_equal(hv_promote(0, &img).error, SBI_ERR_FAILED);
	assert_int_equal(sm.mt.nr_free, free_before);
	mt_release_all(&sm.mt, MT_MONITOR);
	assert_no_cvm_left();
}

static void destroy_zeroes_and_returns_every_page(void **state)
{
	(void)state;
	struct vm_image img;
	assert_true(vm_build(&img, 6, 1, 9));
	struct sbiret r = hv_promote(0, &img);
	assert_int_equal(r.error, 0);
	paddr_t page = gstage_lookup(sm.cvms[0].root, VM_GPA_BASE, NULL);
	assert_int_equal(HV_CALL(0, COVH, COVH_DESTROY_TVM, 0, 0, 0, 0, 0, 0).error, SBI_ERR_INVALID_PARAM);
	assert_int_equal(HV_CALL(0, COVH, COVH_DESTROY_TVM, 2, 0, 0, 0, 0, 0).error, SBI_ERR_INVALID_PARAM);
	assert_int_equal(HV_CALL(0, COVH, COVH_DESTROY_TVM, ~0ULL, 0, 0, 0, 0, 0).error, SBI_ERR_INVALID_PARAM);
	assert_int_equal(HV_CALL(0, COVH, COVH_DESTROY_TVM, r.value, 0, 0, 0, 0, 0).error, SBI_SUCCESS);
	assert_int_equal(HV_CALL(0, COVH, COVH_DESTROY_TVM, r.value, 0, 0, 0, 0, 0).error, SBI_ERR_INVALID_PARAM);
	uint8_t buf[PAGE_SIZE], zero[PAGE_SIZE] = { 0 };
	model_phys_read(page, buf, sizeof(buf));
	assert_memory_equal(buf, zero, sizeof(buf));
	assert_no_cvm_left();
}

static void unknown_covh_function(void **state)
{
	(void)state;
	for (uint64_t fid = 1; fid < 20; fid++) {
		if (fid == COVH_PROMOTE_TO_TVM || fid == COVH_DESTROY_TVM || fid == COVH_RUN_TVM_VCPU)
			continue;
		assert_int_equal(HV_CALL(0, COVH, fid, 0, 0, 0, 0, 0, 0).error, SBI_ERR_NOT_SUPPORTED);
	}
	assert_int_equal(HV_CALL(0, COVH, ~0ULL, 0, 0, 0, 0, 0, 0).error, SBI_ERR_NOT_SUPPORTED);
	assert_int_equal(HV_CALL(0, 0x434F5600, 0, 0, 0, 0, 0, 0, 0).error, SBI_ERR_NOT_SUPPORTED);
	assert_invariants_hold();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(tsm_info_success_and_hostile_addresses, fixture_reset),
		cmocka_unit_test_setup(promote_copies_memory_into_confidential_pages, fixture_reset),
		cmocka_unit_test_setup(promote_rejects_hostile_roots, fixture_reset),
		cmocka_unit_test_setup(promote_rejects_tables_pointing_outside_hypervisor_memory, fixture_reset),
		cmocka_unit_test_setup(promote_survives_loops_and_huge_counts, fixture_reset),
		cmocka_unit_test_setup(promote_rejects_lying_device_trees, fixture_reset),
		cmocka_unit_test_setup(promote_rejects_bad_entry_and_options, fixture_reset),
		cmocka_unit_test_setup(promote_fails_cleanly_when_slots_or_pages_run_out, fixture_reset),
		cmocka_unit_test_setup(destroy_zeroes_and_returns_every_page, fixture_reset),
		cmocka_unit_test_setup(unknown_covh_function, fixture_reset),
	};
	return cmocka_run_group_tests_name("covh", tests, fixture_group_setup, fixture_group_teardown);
}
