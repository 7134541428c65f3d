/*
 * Every fuzzing oracle fires when the property it guards is broken: each test switches
 * one defence off in the monitor (fault-injection build), plays a short program through
 * the fuzz executor, and expects that oracle, and only with the defence off.
 */
#include "cmocka_prelude.h"

#include <string.h>

#include "canary.h"
#include "defence.h"
#include "harness.h"
#include "hart.h"
#include "model.h"
#include "model_test.h"
#include "prog.h"
#include "state.h"

/* Plays `text` with `defence` off; returns the number of findings. */
static unsigned play(const char *text, unsigned defence, unsigned oracles)
{
	static struct prog p;
	static uint8_t bin[4096];
	char err[200];
	if (!prog_from_text(text, &p, err, sizeof(err)))
		fail_msg("program does not parse: %s", err);
	size_t n = prog_encode(&p, bin, sizeof(bin));
	assert_true(n > 0);
	defences_off = defence;
	harness_oracles_enabled = oracles;
	harness_count_only = 1;
	harness_findings = 0;
	harness_last_oracle = NULL;
	harness_run(p.target, bin, n);
	defences_off = 0;
	harness_oracles_enabled = (1U << ORACLE_COUNT) - 1;
	return harness_findings;
}

/* The finding names the oracle as catalog/oracles.def does. */
static void expect_oracle(const char *text, unsigned defence, enum oracle o)
{
	assert_int_equal(play(text, 0, 1U << o), 0);       /* intact monitor: silent */
	assert_true(play(text, defence, 1U << o) > 0);     /* defence off: this oracle fires */
	assert_string_equal(harness_last_oracle, oracle_name(o));
}

static const char hypercall[] =
	"target hv_calls\n"
	"hv_promote h=0 sel=0 fid=0 v0=gpa:vm_fdt v1=gpa:vm_base\n"
	"hv_run h=0 sel=0 fid=0 v0=id:1 v1=small:0 v2=small:0 v3=small:0\n"
	"cvm_ecall h=0 eid=VENDOR fid=1 v0=small:1 v1=small:2 v2=small:3 v3=small:4 v4=small:5 v5=small:6\n"
	"hv_run h=0 sel=0 fid=0 v0=id:1 v1=small:7 v2=small:8 v3=small:0\n";

static void register_leak_fires_when_exit_keeps_gprs(void **state)
{
	(void)state;
	expect_oracle(hypercall, D_EXIT_RESTORES_GPRS, ORACLE_REG_LEAK);
}

static void register_leak_fires_when_exit_keeps_fp(void **state)
{
	(void)state;
	expect_oracle(hypercall, D_EXIT_RESTORES_FP, ORACLE_REG_LEAK);
}

/* A hypervisor with FP on, and a monitor that leaves it on under the CVM: no first-use
 * trap, so the exit never switches the CVM's FP registers out. */
static void register_leak_fires_when_enter_leaves_fp_on(void **state)
{
	(void)state;
	static const char fp_on[] =
		"target hv_calls\n"
		"hv_csr h=0 sel=1 fid=0 v0=pow2:13\n"
		"hv_promote h=0 sel=0 fid=0 v0=gpa:vm_fdt v1=gpa:vm_base\n"
		"hv_run h=0 sel=0 fid=0 v0=id:1 v1=small:0 v2=small:0 v3=small:0\n"
		"cvm_ecall h=0 eid=VENDOR fid=1 v0=small:1 v1=small:2 v2=small:3 v3=small:4 v4=small:5 v5=small:6\n";
	expect_oracle(fp_on, D_ENTER_DISABLES_FP, ORACLE_REG_LEAK);
}

static void memory_reach_fires_when_exit_leaves_pmp_open(void **state)
{
	(void)state;
	expect_oracle(hypercall, D_EXIT_CLOSES_PMP, ORACLE_MEM_REACH);
	expect_oracle(hypercall, D_EXIT_CLOSES_PMP, ORACLE_INVARIANTS);
}

static void integrity_fires_when_hypervisor_registers_reach_the_cvm(void **state)
{
	(void)state;
	expect_oracle(hypercall, D_RESUME_ONLY_ANSWER, ORACLE_CVM_INTEGRITY);
}

static void invariants_fire_when_freed_pages_keep_data(void **state)
{
	(void)state;
	static const char destroy[] =
		"target hv_calls\n"
		"hv_promote h=0 sel=0 fid=0 v0=gpa:vm_fdt v1=gpa:vm_base\n"
		"hv_ecall h=0 eid=COVH fid=8 v0=id:1 v1=small:0 v2=small:0 v3=small:0 v4=small:0 v5=small:0\n";
	expect_oracle(destroy, D_RELEASE_ZEROES, ORACLE_INVARIANTS);
}

static void register_leak_fires_when_promote_copies_another_cvm(void **state)
{
	(void)state;
	/* The second VM's first leaf points at 0x80f04000, the first CVM's first data page
	 * (the fuzz machine's confidential base plus the CVM's 16 KiB root), as the PTE
	 * ppn << 10 | V R W X U A D. Promoted without the
	 * leaf check, the second CVM gets a copy of the first one's secrets and loads one. */
	static const char text[] =
		"target promote\n"
		"hv_promote h=0 sel=0 fid=0 v0=gpa:vm_fdt v1=gpa:vm_base\n"
		"hv_write h=0 sel=3 fid=0 v0=sym:img1_l0 v1=raw:0x203c10df\n"
		"hv_promote h=0 sel=1 fid=0 v0=gpa:vm_fdt v1=gpa:vm_base\n"
		"hv_run h=0 sel=0 fid=0 v0=id:2 v1=small:0 v2=small:0 v3=small:0\n"
		"cvm_access h=0 sel=6 fid=9 v0=gpa:vm_base+0x200 v1=small:0\n";
	expect_oracle(text, D_PROMOTE_CHECKS_LEAVES, ORACLE_REG_LEAK);
}

static void invariants_fire_when_a_vcpu_runs_on_two_harts(void **state)
{
	(void)state;
	static const char twice[] =
		"target multi_hart\n"
		"hv_run h=0 sel=0 fid=0 v0=id:1 v1=small:0 v2=small:0 v3=small:0\n"
		"hv_run h=1 sel=0 fid=0 v0=id:1 v1=small:0 v2=small:0 v3=small:0\n";
	expect_oracle(twice, D_VCPU_ON_ONE_HART, ORACLE_INVARIANTS);
}

static void memory_leak_fires_when_the_console_prints_cvm_memory(void **state)
{
	(void)state;
	/* The hypervisor asks the debug console to print 64 bytes at offset 512 of the CVM's
	 * first page, where its memory canaries are. */
	static const char text[] =
		"target hv_calls\n"
		"hv_promote h=0 sel=0 fid=0 v0=gpa:vm_fdt v1=gpa:vm_base\n"
		"hv_ecall h=0 eid=DBCN fid=0 v0=small:64 v1=sym:cvm0_page+0x200 v2=small:0 v3=small:0 v4=small:0 v5=small:0\n";
	expect_oracle(text, D_ARGS_IN_HV_MEMORY, ORACLE_MEM_LEAK);
}

/* No defence puts a secret in hypervisor memory by itself, so the test does: a word of
 * the pool, where a monitor writing call results would write, takes a CVM's canary. */
static unsigned findings_with_pool_word(uint64_t word)
{
	static const char promote[] =
		"target hv_calls\n"
		"hv_promote h=0 sel=0 fid=0 v0=gpa:vm_fdt v1=gpa:vm_base\n";
	assert_int_equal(play(promote, 0, 1U << ORACLE_MEM_LEAK), 0);
	harness_oracles_enabled = 1U << ORACLE_MEM_LEAK;
	harness_count_only = 1;
	harness_findings = 0;
	assert_true(model_phys_write(hs.env.pool + 8 * 37, &word, sizeof(word)));
	oracles_after_step();
	harness_oracles_enabled = (1U << ORACLE_COUNT) - 1;
	return harness_findings;
}

static void memory_leak_fires_on_a_secret_in_hypervisor_memory(void **state)
{
	(void)state;
	assert_int_equal(findings_with_pool_word(canary(0, 0xff, 3)), 1);
	assert_string_equal(harness_last_oracle, oracle_name(ORACLE_MEM_LEAK));
	/* a forged tag alone is not a secret: the hypervisor can write any bytes it likes */
	assert_int_equal(findings_with_pool_word(CANARY_TAG << 48), 0);
}

/* fw_cfg's DMA engine, reachable when PMP leaves its registers open, writes zeros over
 * the start of monitor memory (where the monitor's data lives on the firmware). */
static const char dma_over_monitor[] =
	"target hv_calls\n"
	"hv_dma h=0 sel=0 fid=0 v0=sym:monitor_base v1=small:16\n";

static void bus_master_reach_fires_when_pmp_leaves_fw_cfg_open(void **state)
{
	(void)state;
	expect_oracle(dma_over_monitor, D_PMP_GUARDS_DEVICES, ORACLE_BUS_MASTER);
}

static void invariants_fire_when_pmp_leaves_fw_cfg_open(void **state)
{
	(void)state;
	static const char base_call[] =
		"target hv_calls\n"
		"hv_ecall h=0 eid=BASE fid=0 v0=small:0 v1=small:0 v2=small:0 v3=small:0 v4=small:0 v5=small:0\n";
	expect_oracle(base_call, D_PMP_GUARDS_DEVICES, ORACLE_INVARIANTS);
}

/* The same engine copies a CVM's page into its writable item and back out into
 * hypervisor memory: the CVM's canaries appear there. */
static void memory_leak_fires_when_a_bus_master_copies_a_cvm_page(void **state)
{
	(void)state;
	static const char copy[] =
		"target hv_calls\n"
		"hv_promote h=0 sel=0 fid=0 v0=gpa:vm_fdt v1=gpa:vm_base\n"
		"hv_dma h=0 sel=1 fid=32 v0=sym:cvm0_page+0x200 v1=small:28\n"
		"hv_dma h=0 sel=4 fid=32 v0=pool:3 v1=small:28\n";
	expect_oracle(copy, D_PMP_GUARDS_DEVICES, ORACLE_MEM_LEAK);
}

/* The monitor's own secrets: no defence puts one in hypervisor memory, so the test does,
 * at an unaligned offset, as a console or a DMA copy could. */
static void memory_leak_fires_on_a_monitor_secret_in_hypervisor_memory(void **state)
{
	(void)state;
	uint8_t seed[32];
	model_test_seed(seed);
	assert_int_equal(play(dma_over_monitor, 0, 1U << ORACLE_MEM_LEAK), 0);
	harness_oracles_enabled = 1U << ORACLE_MEM_LEAK;
	harness_count_only = 1;
	harness_findings = 0;
	assert_true(model_phys_write(hs.env.pool + 8 * 37 + 3, seed + 8, 8));
	oracles_after_step();
	assert_int_equal(harness_findings, 0); /* 8 unaligned bytes: no aligned word of it */
	assert_true(model_phys_write(hs.env.pool + 8 * 41 + 3, seed + 9, 15));
	oracles_after_step(); /* 15 bytes anywhere hold an aligned 8-byte window of the seed */
	harness_oracles_enabled = (1U << ORACLE_COUNT) - 1;
	assert_int_equal(harness_findings, 1);
	assert_string_equal(harness_last_oracle, oracle_name(ORACLE_MEM_LEAK));
}

static void register_leak_fires_on_a_monitor_secret_in_a_hypervisor_register(void **state)
{
	(void)state;
	uint8_t seed[32];
	uint64_t word;
	model_test_seed(seed);
	memcpy(&word, seed + 16, sizeof(word));
	assert_int_equal(play(dma_over_monitor, 0, 1U << ORACLE_REG_LEAK), 0);
	harness_oracles_enabled = 1U << ORACLE_REG_LEAK;
	harness_count_only = 1;
	harness_findings = 0;
	model_hart(0)->x[REG_T2] = word;
	oracles_after_step();
	harness_oracles_enabled = (1U << ORACLE_COUNT) - 1;
	assert_int_equal(harness_findings, 1);
	assert_string_equal(harness_last_oracle, oracle_name(ORACLE_REG_LEAK));
}

/* The hypervisor's sstatus.MXR left in force under a CVM makes its execute-only pages
 * readable to it (privileged spec 8.5). */
static void state_isolation_fires_when_mxr_stays_on_under_a_cvm(void **state)
{
	(void)state;
	static const char mxr[] =
		"target hv_calls\n"
		"hv_csr h=0 sel=1 fid=0 v0=pow2:19\n"
		"hv_promote h=0 sel=0 fid=0 v0=gpa:vm_fdt v1=gpa:vm_base\n"
		"hv_run h=0 sel=0 fid=0 v0=id:1 v1=small:0 v2=small:0 v3=small:0\n";
	expect_oracle(mxr, D_ENTER_CLEARS_MXR, ORACLE_STATE);
}

/* scounteren and senvcfg have no VS copies: unswapped, they cross in both directions. */
static void state_isolation_fires_when_scounteren_is_not_swapped(void **state)
{
	(void)state;
	static const char hv_to_cvm[] =
		"target hv_calls\n"
		"hv_csr h=0 sel=0 fid=3 v0=small:7\n"
		"hv_promote h=0 sel=0 fid=0 v0=gpa:vm_fdt v1=gpa:vm_base\n"
		"hv_run h=0 sel=0 fid=0 v0=id:1 v1=small:0 v2=small:0 v3=small:0\n";
	static const char cvm_to_hv[] =
		"target hv_calls\n"
		"hv_promote h=0 sel=0 fid=0 v0=gpa:vm_fdt v1=gpa:vm_base\n"
		"hv_run h=0 sel=0 fid=0 v0=id:1 v1=small:0 v2=small:0 v3=small:0\n"
		"cvm_csr h=0 sel=0 fid=4 v0=small:1\n"
		"cvm_ecall h=0 eid=VENDOR fid=1 v0=small:1 v1=small:2 v2=small:3 v3=small:4 v4=small:5 v5=small:6\n";
	expect_oracle(hv_to_cvm, D_SWAPS_UNSHADOWED_CSRS, ORACLE_STATE);
	expect_oracle(cvm_to_hv, D_SWAPS_UNSHADOWED_CSRS, ORACLE_STATE);
}

/* A CVM's self-IPI (sip.SSIP from VS-mode, that is hvip.VSSIP) must survive an exit. */
static void state_isolation_fires_when_a_self_ipi_is_lost(void **state)
{
	(void)state;
	static const char ipi[] =
		"target hv_calls\n"
		"hv_promote h=0 sel=0 fid=0 v0=gpa:vm_fdt v1=gpa:vm_base\n"
		"hv_run h=0 sel=0 fid=0 v0=id:1 v1=small:0 v2=small:0 v3=small:0\n"
		"cvm_csr h=0 sel=1 fid=9 v0=small:2\n"
		"cvm_ecall h=0 eid=VENDOR fid=1 v0=small:1 v1=small:2 v2=small:3 v3=small:4 v4=small:5 v5=small:6\n"
		"hv_run h=0 sel=0 fid=0 v0=id:1 v1=small:7 v2=small:8 v3=small:0\n";
	expect_oracle(ipi, D_KEEPS_SELF_IPI, ORACLE_STATE);
}

/* A VS-stage translation the hypervisor's own VM left under the VMID a CVM then runs
 * with: hfence.gvma does not reach it, only hfence.vvma does. */
static void state_isolation_fires_when_vs_stage_is_not_fenced(void **state)
{
	(void)state;
	static const char vm[] =
		"target hv_calls\n"
		"hv_write h=0 sel=3 fid=0 v0=sym:img0_data v1=raw:0x20000043\n"
		"hv_vm h=0 sel=0 fid=1 v0=raw:0x8000000000080000 v1=small:0\n"
		"hv_promote h=0 sel=0 fid=0 v0=gpa:vm_fdt v1=gpa:vm_base\n"
		"hv_run h=0 sel=0 fid=0 v0=id:1 v1=small:0 v2=small:0 v3=small:0\n";
	/* and the other way: the CVM pages with its own tables, then exits */
	static const char cvm[] =
		"target hv_calls\n"
		"hv_write h=0 sel=3 fid=0 v0=sym:img0_data v1=raw:0x20000043\n"
		"hv_promote h=0 sel=0 fid=0 v0=gpa:vm_fdt v1=gpa:vm_base\n"
		"hv_run h=0 sel=0 fid=0 v0=id:1 v1=small:0 v2=small:0 v3=small:0\n"
		"cvm_csr h=0 sel=0 fid=11 v0=raw:0x8000000000080000\n"
		"cvm_access h=0 sel=6 fid=5 v0=small:0 v1=small:0\n"
		"cvm_ecall h=0 eid=VENDOR fid=1 v0=small:1 v1=small:2 v2=small:3 v3=small:4 v4=small:5 v5=small:6\n";
	expect_oracle(vm, D_FENCES_VS_STAGE, ORACLE_STATE);
	expect_oracle(cvm, D_FENCES_VS_STAGE, ORACLE_STATE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(register_leak_fires_when_exit_keeps_gprs),
		cmocka_unit_test(register_leak_fires_when_exit_keeps_fp),
		cmocka_unit_test(register_leak_fires_when_enter_leaves_fp_on),
		cmocka_unit_test(memory_reach_fires_when_exit_leaves_pmp_open),
		cmocka_unit_test(integrity_fires_when_hypervisor_registers_reach_the_cvm),
		cmocka_unit_test(invariants_fire_when_freed_pages_keep_data),
		cmocka_unit_test(register_leak_fires_when_promote_copies_another_cvm),
		cmocka_unit_test(invariants_fire_when_a_vcpu_runs_on_two_harts),
		cmocka_unit_test(memory_leak_fires_when_the_console_prints_cvm_memory),
		cmocka_unit_test(memory_leak_fires_on_a_secret_in_hypervisor_memory),
		cmocka_unit_test(bus_master_reach_fires_when_pmp_leaves_fw_cfg_open),
		cmocka_unit_test(invariants_fire_when_pmp_leaves_fw_cfg_open),
		cmocka_unit_test(memory_leak_fires_when_a_bus_master_copies_a_cvm_page),
		cmocka_unit_test(memory_leak_fires_on_a_monitor_secret_in_hypervisor_memory),
		cmocka_unit_test(register_leak_fires_on_a_monitor_secret_in_a_hypervisor_register),
		cmocka_unit_test(state_isolation_fires_when_mxr_stays_on_under_a_cvm),
		cmocka_unit_test(state_isolation_fires_when_scounteren_is_not_swapped),
		cmocka_unit_test(state_isolation_fires_when_a_self_ipi_is_lost),
		cmocka_unit_test(state_isolation_fires_when_vs_stage_is_not_fenced),
	};
	return cmocka_run_group_tests_name("oracles", tests, NULL, NULL);
}
