/*
 * PMP isolation as the hypervisor meets it: loads, stores and fetches on monitor or
 * confidential memory fault, and the fault arrives at the hypervisor's own handler in
 * HS-mode, as if delegated.
 */
#include "cmocka_prelude.h"

#include "csr.h"
#include "fixture.h"
#include "hart.h"
#include "platform.h"

#define HV_STVEC 0x80201000ULL

static void expect_redirected_fault(enum model_result r, uint64_t cause, uint64_t addr, uint64_t epc)
{
	assert_int_equal(r, MODEL_TRAP_M);
	struct model_hart *mh = model_hart(0);
	assert_int_equal(mh->mode, MODE_HS);
	assert_int_equal(mh->pc, HV_STVEC);
	assert_int_equal(model_csr(0, CSR_SCAUSE), cause);
	assert_int_equal(model_csr(0, CSR_STVAL), addr);
	assert_int_equal(model_csr(0, CSR_SEPC), epc);
	assert_true(model_csr(0, CSR_SSTATUS) & MSTATUS_SPP); /* it came from S: sret goes back to S */
}

static void hypervisor_faults_on_monitor_and_confidential_memory(void **state)
{
	(void)state;
	model_set_csr(0, CSR_STVEC, HV_STVEC);
	const uint64_t addrs[] = { mem.monitor_base, mem.monitor_base + mem.monitor_size - 8, mem.conf_base,
				   mem.conf_base + mem.conf_size - 8 };
	for (unsigned i = 0; i < ARRAY_SIZE(addrs); i++) {
		struct model_hart *mh = model_hart(0);
		mh->pc = MODEL_HV_ENTRY;
		mh->x[REG_T2] = 0x1234;
		expect_redirected_fault(model_load(0, addrs[i], 8, false, REG_T2), CAUSE_LOAD_ACCESS, addrs[i],
					MODEL_HV_ENTRY);
		assert_int_equal(mh->x[REG_T2], 0x1234); /* nothing was loaded */
		mh->pc = MODEL_HV_ENTRY;
		expect_redirected_fault(model_store(0, addrs[i], 8, REG_T2), CAUSE_STORE_ACCESS, addrs[i],
					MODEL_HV_ENTRY);
		mh->pc = MODEL_HV_ENTRY;
		expect_redirected_fault(model_fetch(0, addrs[i]), CAUSE_FETCH_ACCESS, addrs[i], addrs[i]);
	}
	uint64_t v = 0;
	model_phys_read(mem.monitor_base, &v, 8);
	assert_int_not_equal(v, 0x1234);
	assert_invariants_hold();
}

static void hypervisor_reaches_its_own_memory(void **state)
{
	(void)state;
	uint64_t hv = mem.monitor_base + mem.monitor_size + 0x1000;
	model_hart(0)->x[REG_T2] = 0xfeed;
	assert_int_equal(model_store(0, hv, 8, REG_T2), MODEL_OK);
	assert_int_equal(model_load(0, hv, 8, false, REG_T1), MODEL_OK);
	assert_int_equal(model_hart(0)->x[REG_T1], 0xfeed);
}

/* S.Init.3: the bus masters and the CLINT are out of reach on every hart, the UART is not. */
static void hypervisor_cannot_program_bus_masters(void **state)
{
	(void)state;
	const uint64_t regs[] = { MODEL_FW_CFG_BASE + 0x10, MODEL_FW_CFG_BASE + 0x14, MODEL_VIRTIO_BASE,
				  MODEL_VIRTIO_BASE + MODEL_VIRTIO_SLOTS * MODEL_VIRTIO_SIZE - 4,
				  0x2000000, 0x200bff8 };
	assert_true(mem.nr_devices >= 3);
	for (unsigned h = 0; h < model_nr_harts(); h++)
		for (unsigned i = 0; i < ARRAY_SIZE(regs); i++) {
			assert_false(model_pmp_allows(h, PRV_S, regs[i], 4, 'w'));
			assert_false(model_pmp_allows(h, PRV_U, regs[i], 4, 'r'));
		}
	assert_true(model_pmp_allows(0, PRV_S, 0x10000000, 1, 'w'));
	/* the store that would start a DMA transfer faults to the hypervisor's handler */
	model_set_csr(0, CSR_STVEC, HV_STVEC);
	model_hart(0)->pc = MODEL_HV_ENTRY;
	expect_redirected_fault(model_store(0, MODEL_FW_CFG_BASE + 0x10, 8, REG_T2), CAUSE_STORE_ACCESS,
				MODEL_FW_CFG_BASE + 0x10, MODEL_HV_ENTRY);
	assert_invariants_hold();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(hypervisor_faults_on_monitor_and_confidential_memory, fixture_reset),
		cmocka_unit_test_setup(hypervisor_reaches_its_own_memory, fixture_reset),
		cmocka_unit_test_setup(hypervisor_cannot_program_bus_masters, fixture_reset),
	};
	return cmocka_run_group_tests_name("isolation", tests, fixture_group_setup, fixture_group_teardown);
}
