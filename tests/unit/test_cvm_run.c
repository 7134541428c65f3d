/*
 * run_tvm_vcpu, the CVM's calls and its exits: what crosses between the CVM and the
 * hypervisor is exactly the narrow interface, and nothing the hypervisor does on resume
 * reaches the CVM except the answer to the exit.
 */
#include "cmocka_prelude.h"

#include <string.h>

#include "cove.h"
#include "csr.h"
#include "fixture.h"
#include "gstage.h"
#include "monitor.h"
#include "model_test.h"
#include "platform.h"
#include "sbi.h"

#define COVH SBI_EXT_COVH
#define COVG SBI_EXT_COVG
#define HV_SECRET 0x4856000000000000ULL  /* hypervisor register canaries */
#define CVM_SECRET 0xC0DE5EC700000000ULL /* CVM register canaries */
#define MMIO_GPA 0x10000000ULL
#define SHARE_GPA 0x90000000ULL

static uint64_t id;

/* Promote a 6-page, 2-vCPU VM and run vCPU 0 on hart 0; the hart then runs the CVM. */
static void start_cvm(void)
{
	struct vm_image img;
	assert_true(vm_build(&img, 6, 2, 7));
	struct sbiret r = hv_promote(0, &img);
	assert_int_equal(r.error, 0);
	id = r.value;
	struct model_hart *mh = model_hart(0);
	for (unsigned i = 1; i < 32; i++)
		mh->x[i] = HV_SECRET | i;
	for (unsigned i = 0; i < 32; i++)
		mh->f[i] = HV_SECRET | 0x100 | i;
	hv_run(0, id, 0, 0, 0, 0);
	assert_true(hart_in_guest(0));
	assert_int_equal(mh->pc, img.entry);
	assert_int_equal(mh->x[REG_A0], 0);
	assert_int_equal(mh->x[REG_A1], img.fdt_gpa);
	for (unsigned i = 1; i < 32; i++) /* a fresh vCPU holds nothing of the hypervisor */
		assert_true((mh->x[i] & 0xffff000000000000ULL) != HV_SECRET);
	uint64_t f[CVM_FP_REGS];
	assert_true(cvm_fp_read_all(0, f)); /* ...nor of its FP registers: they start zero */
	for (unsigned i = 0; i < CVM_FP_REGS; i++)
		assert_int_equal(f[i], 0);
	/* the CVM fills its registers with secrets */
	for (unsigned i = 1; i < 32; i++)
		mh->x[i] = CVM_SECRET | i;
	for (unsigned i = 0; i < 32; i++)
		f[i] = CVM_SECRET | 0x100 | i;
	f[32] = 0x5;
	assert_true(cvm_fp_write_all(0, f));
	model_set_csr(0, CSR_VSSCRATCH, CVM_SECRET | 0xAA);
	model_set_csr(0, CSR_VSEPC, CVM_SECRET | 0xAC);
	assert_invariants_hold();
}

static bool looks_secret(uint64_t v) { return (v & 0xffffffff00000000ULL) == CVM_SECRET; }

/* Nothing the hypervisor can see holds a CVM canary. */
static void assert_no_cvm_secret_visible(unsigned h)
{
	struct model_hart *mh = model_hart(h);
	for (unsigned i = 1; i < 32; i++)
		if (looks_secret(mh->x[i]))
			fail_msg("x%u leaks %llx", i, (unsigned long long)mh->x[i]);
	for (unsigned i = 0; i < 32; i++)
		assert_false(looks_secret(mh->f[i]));
	static const unsigned csrs[] = { CSR_VSSCRATCH, CSR_VSEPC, CSR_VSCAUSE, CSR_VSTVAL, CSR_VSATP,
					 CSR_VSTVEC, CSR_VSSTATUS, CSR_SEPC, CSR_SCAUSE, CSR_STVAL,
					 CSR_SSCRATCH, CSR_HTVAL, CSR_HTINST };
	for (unsigned i = 0; i < ARRAY_SIZE(csrs); i++)
		assert_false(looks_secret(model_csr(h, csrs[i])));
}

static void hypercall_forwards_only_its_registers(void **state)
{
	(void)state;
	start_cvm();
	cvm_ecall(0, 0x0A000000, 3, CVM_SECRET | 0x10, 1, 2, 3, 4, 5);
	struct model_hart *mh = model_hart(0);
	assert_false(hart_in_guest(0));
	assert_int_equal(mh->x[REG_A0], 0);
	assert_int_equal(mh->x[REG_A1], TVM_EXIT_HYPERCALL);
	assert_int_equal(mh->x[REG_A2], CVM_SECRET | 0x10); /* a0 of the call: it chose to send it */
	assert_int_equal(mh->x[REG_A3], 1);
	assert_int_equal(mh->x[REG_A7], 5);
	assert_int_equal(mh->x[REG_T0], 3);
	assert_int_equal(mh->x[REG_T1], 0x0A000000);
	mh->x[REG_A2] = 0; /* the forwarded argument is fine; everything else must be the hypervisor's */
	for (unsigned i = 1; i < 32; i++)
		if (i < REG_A0 && i != REG_T0 && i != REG_T1)
			assert_int_equal(mh->x[i], HV_SECRET | i);
	for (unsigned i = 0; i < 32; i++)
		assert_int_equal(mh->f[i], HV_SECRET | 0x100 | i);
	assert_no_cvm_secret_visible(0);
	assert_invariants_hold();
}

static void resume_ignores_everything_but_the_answer(void **state)
{
	(void)state;
	start_cvm();
	uint64_t pc = model_hart(0)->pc;
	cvm_ecall(0, 0x0A000000, 3, 0, 0, 0, 0, 0, 0);
	/* the hostile hypervisor rewrites what it can before resuming */
	struct model_hart *mh = model_hart(0);
	for (unsigned i = 0; i < 32; i++)
		mh->f[i] = 0xbad;
	model_set_csr(0, CSR_VSEPC, 0xbad);
	model_set_csr(0, CSR_VSATP, 0xbad);
	model_set_csr(0, CSR_VSTVEC, 0xbad);
	model_set_csr(0, CSR_SEPC, 0xbad);
	model_set_csr(0, CSR_HVIP, 1UL << 10);
	hv_ecall(0, COVH, COVH_RUN_TVM_VCPU, id, 0, 0x77, 0x88, 0, 0x99);
	assert_true(hart_in_guest(0));
	assert_int_equal(mh->pc, pc + 4);
	assert_int_equal(mh->x[REG_A0], 0x77);
	assert_int_equal(mh->x[REG_A1], 0x88);
	for (unsigned i = 1; i < 32; i++)
		if (i != REG_A0 && i != REG_A1 && i != REG_A6 && i != REG_A7 && !(i >= REG_A2 && i <= REG_A5))
			assert_int_equal(mh->x[i], CVM_SECRET | i);
	uint64_t f[CVM_FP_REGS];
	assert_true(cvm_fp_read_all(0, f));
	for (unsigned i = 0; i < 32; i++)
		assert_int_equal(f[i], CVM_SECRET | 0x100 | i);
	assert_int_equal(f[32], 0x5);
	assert_int_equal(model_csr(0, CSR_VSSCRATCH), CVM_SECRET | 0xAA);
	assert_int_equal(model_csr(0, CSR_VSEPC), CVM_SECRET | 0xAC);
	assert_int_equal(model_csr(0, CSR_VSATP), 0);
	assert_int_equal(model_csr(0, CSR_HVIP), 0); /* the CVM allowed no interrupt */
	assert_invariants_hold();
}

/*
 * Lazy FP: a turn that never uses FP leaves the hypervisor's FP registers in the hart,
 * where the CVM cannot reach them (mstatus.FS Off); its first FP instruction makes the
 * monitor swap them for its own, once per turn.
 */
static void fp_switches_on_first_use_only(void **state)
{
	(void)state;
	start_cvm(); /* used FP: its secrets are in the hart */
	cvm_ecall(0, 0x0A000000, 0, 0, 0, 0, 0, 0, 0);
	struct model_hart *mh = model_hart(0);
	for (unsigned i = 0; i < 32; i++)
		assert_int_equal(mh->f[i], HV_SECRET | 0x100 | i);
	hv_run(0, id, 0, 0, 0, 0);
	assert_true(hart_in_guest(0));
	for (unsigned i = 0; i < 32; i++) /* still the hypervisor's, and out of reach */
		assert_int_equal(mh->f[i], HV_SECRET | 0x100 | i);
	assert_int_equal(model_csr(0, CSR_MSTATUS) & MSTATUS_FS, 0);
	uint64_t before = mh->pc, val = 0;
	assert_int_equal(model_fp_read(0, 7, &val), MODEL_OK); /* one trap, then it runs */
	assert_int_equal(val, CVM_SECRET | 0x100 | 7);
	assert_int_equal(mh->pc, before);
	assert_true(hart_in_guest(0));
	cvm_ecall(0, 0x0A000000, 0, 0, 0, 0, 0, 0, 0); /* back: the hypervisor's FP again */
	for (unsigned i = 0; i < 32; i++)
		assert_int_equal(mh->f[i], HV_SECRET | 0x100 | i);
	/* a turn without FP: the vCPU's registers keep what it left in them */
	hv_run(0, id, 0, 0, 0, 0);
	cvm_ecall(0, 0x0A000000, 0, 0, 0, 0, 0, 0, 0);
	hv_run(0, id, 0, 0, 0, 0);
	assert_int_equal(model_fp_read(0, 31, &val), MODEL_OK);
	assert_int_equal(val, CVM_SECRET | 0x100 | 31);
	assert_invariants_hold();
}

/* With its own sstatus.FS Off, a CVM's FP instruction is its own fault, after the switch. */
static void fp_with_vsstatus_fs_off_is_the_cvms_fault(void **state)
{
	(void)state;
	start_cvm();
	cvm_ecall(0, 0x0A000000, 0, 0, 0, 0, 0, 0, 0);
	hv_run(0, id, 0, 0, 0, 0);
	model_set_csr(0, CSR_VSSTATUS, model_csr(0, CSR_VSSTATUS) & ~MSTATUS_FS);
	uint64_t val;
	assert_int_equal(model_fp_read(0, 0, &val), MODEL_TRAP_M);
	assert_false(hart_in_guest(0));
	assert_int_equal(model_hart(0)->x[REG_A1], TVM_EXIT_FAULT);
	assert_int_equal(model_hart(0)->x[REG_A2], CAUSE_ILLEGAL_INSTRUCTION);
	for (unsigned i = 0; i < 32; i++)
		assert_int_equal(model_hart(0)->f[i], HV_SECRET | 0x100 | i);
	assert_invariants_hold();
}

/*
 * With Sstc, the hypervisor's stimecmp ends a CVM's turn (through the M timer) only when
 * the hypervisor takes timer interrupts: one that never armed its timer (stimecmp resets
 * to 0 on QEMU) must not see every run end at once.
 */
static void hypervisor_timer_ends_a_run_only_when_enabled(void **state)
{
	(void)state;
	model_set_csr(0, CSR_STIMECMP, 0);
	model_set_csr(0, CSR_SIE, 0);
	start_cvm(); /* asserts the hart runs the CVM after the run call */
	model_advance_time(1);
	assert_true(hart_in_guest(0));
	cvm_ecall(0, 0x0A000000, 0, 0, 0, 0, 0, 0, 0); /* a hypercall: back to the hypervisor */
	assert_false(hart_in_guest(0));
	model_set_csr(0, CSR_SIE, MIP_STIP);
	model_set_csr(0, CSR_SSTATUS, 0); /* it takes the interrupt later, not now */
	model_set_csr(0, CSR_STIMECMP, model_time() + 100);
	hv_run(0, id, 0, 0, 0, 0);
	assert_true(hart_in_guest(0));
	model_advance_time(200);
	assert_false(hart_in_guest(0)); /* the deadline it asked for ended the turn */
	assert_int_equal(model_hart(0)->x[REG_A1], TVM_EXIT_INTERRUPT);
	assert_invariants_hold();
}

static void run_rejects_bad_ids_and_states(void **state)
{
	(void)state;
	struct vm_image img;
	assert_true(vm_build(&img, 4, 2, 1));
	struct sbiret r = hv_promote(0, &img);
	const uint64_t bad_ids[] = { 0, r.value + 1, MAX_CVMS + 1, ~0ULL };
	for (unsigned i = 0; i < ARRAY_SIZE(bad_ids); i++)
		assert_int_equal(hv_run(0, bad_ids[i], 0, 0, 0, 0).error, SBI_ERR_INVALID_PARAM);
	assert_int_equal(hv_run(0, r.value, 2, 0, 0, 0).error, SBI_ERR_INVALID_PARAM);
	assert_int_equal(hv_run(0, r.value, ~0ULL, 0, 0, 0).error, SBI_ERR_INVALID_PARAM);
	assert_int_equal(hv_run(0, r.value, 1, 0, 0, 0).error, SBI_ERR_INVALID_STATE); /* not started */
	assert_false(hart_in_guest(0));
	assert_invariants_hold();
}

static void one_vcpu_never_runs_on_two_harts(void **state)
{
	(void)state;
	struct sbiret s = hv_ecall(0, SBI_EXT_HSM, SBI_HSM_HART_START, 1, MODEL_HV_ENTRY, 0, 0, 0, 0);
	assert_int_equal(s.error, 0);
	assert_false(model_hart(1)->parked);
	start_cvm();
	assert_int_equal(hv_run(1, id, 0, 0, 0, 0).error, SBI_ERR_INVALID_STATE);
	assert_int_equal(hv_ecall(1, COVH, COVH_DESTROY_TVM, id, 0, 0, 0, 0, 0).error, SBI_ERR_INVALID_STATE);
	assert_true(hart_in_guest(0));
	assert_invariants_hold();
}

static void cvm_reads_own_memory_only(void **state)
{
	(void)state;
	start_cvm();
	assert_int_equal(model_load(0, VM_GPA_BASE + 8 * 5, 8, false, REG_S1), MODEL_OK);
	assert_int_equal(model_hart(0)->x[REG_S1 - 0], vm_pattern(7, 0, 5));
	/* a GPA it does not have, outside any MMIO region: the vCPU faults, the monitor lives */
	assert_int_equal(model_load(0, 0x40000000, 8, false, REG_S1), MODEL_TRAP_M);
	assert_false(hart_in_guest(0));
	assert_int_equal(model_hart(0)->x[REG_A1], TVM_EXIT_FAULT);
	assert_int_equal(hv_run(0, id, 0, 0, 0, 0).error, SBI_ERR_INVALID_STATE);
	assert_no_cvm_secret_visible(0);
	assert_invariants_hold();
}

static void mmio_exit_round_trip(void **state)
{
	(void)state;
	start_cvm();
	struct model_hart *mh = model_hart(0);
	cvm_ecall(0, COVG, COVG_ADD_MMIO_REGION, MMIO_GPA, PAGE_SIZE, 0, 0, 0, 0);
	assert_true(hart_in_guest(0));
	assert_int_equal(mh->x[REG_A0], SBI_SUCCESS);
	uint64_t pc = mh->pc;
	assert_int_equal(model_load(0, MMIO_GPA + 8, 4, false, REG_A3), MODEL_TRAP_M);
	assert_false(hart_in_guest(0));
	assert_int_equal(mh->x[REG_A1], TVM_EXIT_MMIO_LOAD);
	assert_int_equal(mh->x[REG_A2], MMIO_GPA + 8);
	assert_int_equal(mh->x[REG_A3], 4);
	assert_no_cvm_secret_visible(0);
	hv_run(0, id, 0, 0xffffffff87654321ULL, 0, 0);
	assert_true(hart_in_guest(0));
	assert_int_equal(mh->x[REG_A3], 0xffffffff87654321ULL); /* lw sign-extends */
	assert_int_equal(mh->pc, pc + 4);

	mh->x[REG_S2] = CVM_SECRET | 0x1234;
	assert_int_equal(model_store(0, MMIO_GPA + 2, 2, REG_S2), MODEL_TRAP_M);
	assert_int_equal(mh->x[REG_A1], TVM_EXIT_MMIO_STORE);
	assert_int_equal(mh->x[REG_A4], 0x1234); /* only the stored halfword */
	assert_no_cvm_secret_visible(0);
	hv_run(0, id, 0, 0, 0, 0);
	/* outside the region, or misaligned: a fault, not an exit the hypervisor can answer */
	assert_int_equal(model_load(0, MMIO_GPA + PAGE_SIZE, 4, false, REG_A3), MODEL_TRAP_M);
	assert_int_equal(mh->x[REG_A1], TVM_EXIT_FAULT);
	assert_invariants_hold();
}

/*
 * Without mtinst (QEMU 7.2 leaves it 0) the monitor reads the trapped instruction at
 * mepc itself. It remembers the vCPU's last MMIO instruction, as a polling loop repeats
 * it, but reads its bits again every time: a CVM that rewrites its code is decoded anew.
 */
#define INSN_LD_S1_8_A0 ((8u << 20) | (REG_A0 << 15) | (3u << 12) | (REG_S1 << 7) | 0x03u)
#define INSN_LW_S2_0_A0 ((REG_A0 << 15) | (2u << 12) | (REG_S2 << 7) | 0x03u)

static void cvm_writes_own_code(uint64_t pc, uint32_t insn)
{
	struct model_hart *mh = model_hart(0);
	mh->x[REG_T0] = insn;
	assert_int_equal(model_store(0, pc, 4, REG_T0), MODEL_OK);
	mh->pc = pc;
}

static void mmio_exit_without_mtinst_reads_the_instruction(void **state)
{
	(void)state;
	start_cvm();
	struct model_hart *mh = model_hart(0);
	cvm_ecall(0, COVG, COVG_ADD_MMIO_REGION, MMIO_GPA, PAGE_SIZE, 0, 0, 0, 0);
	assert_int_equal(mh->x[REG_A0], SBI_SUCCESS);
	model_set_tinst(false);
	uint64_t pc = mh->pc + 0x40; /* a word of its own text */
	cvm_writes_own_code(pc, INSN_LD_S1_8_A0);
	for (unsigned round = 0; round < 2; round++) { /* decoded, then the vCPU's site */
		mh->pc = pc;
		assert_int_equal(model_load(0, MMIO_GPA + 8, 8, false, REG_S1), MODEL_TRAP_M);
		assert_int_equal(model_csr(0, CSR_MTINST), 0);
		assert_int_equal(mh->x[REG_A1], TVM_EXIT_MMIO_LOAD);
		assert_int_equal(mh->x[REG_A2], MMIO_GPA + 8);
		assert_int_equal(mh->x[REG_A3], 8);
		hv_run(0, id, 0, 0x1122334455667788ULL + round, 0, 0);
		assert_true(hart_in_guest(0));
		assert_int_equal(mh->x[REG_S1], 0x1122334455667788ULL + round);
		assert_int_equal(mh->pc, pc + 4);
	}
	/* the same pc, new bits: a 4-byte load into s2, not the remembered ld into s1 */
	cvm_writes_own_code(pc, INSN_LW_S2_0_A0);
	uint64_t s1 = mh->x[REG_S1];
	assert_int_equal(model_load(0, MMIO_GPA + 8, 4, false, REG_S2), MODEL_TRAP_M);
	assert_int_equal(mh->x[REG_A1], TVM_EXIT_MMIO_LOAD);
	assert_int_equal(mh->x[REG_A3], 4);
	hv_run(0, id, 0, 0x80000001ULL, 0, 0);
	assert_int_equal(mh->x[REG_S2], 0xffffffff80000001ULL);
	assert_int_equal(mh->x[REG_S1], s1);
	/* the checker holds the remembered site to the CVM's tables (I.MMIO.1) */
	struct mmio_site *site = &sm.cvms[id - 1].vcpu[0].mmio_site;
	assert_int_equal(site->pc, pc);
	struct inv_violation v;
	site->pa += 4;
	assert_false(inv_check_all(&v));
	assert_string_equal(v.invariant, "I.MMIO.1");
	site->pa -= 4;
	assert_invariants_hold();
	/* bits that are no load or store: the CVM's fault */
	cvm_writes_own_code(pc, 0);
	assert_int_equal(model_load(0, MMIO_GPA + 8, 4, false, REG_S2), MODEL_TRAP_M);
	assert_int_equal(mh->x[REG_A1], TVM_EXIT_FAULT);
	assert_invariants_hold();
}

static void covg_rejects_hostile_regions(void **state)
{
	(void)state;
	start_cvm();
	struct model_hart *mh = model_hart(0);
	struct { uint64_t fid, a0, a1; long err; } cases[] = {
		{ COVG_ADD_MMIO_REGION, MMIO_GPA + 1, PAGE_SIZE, SBI_ERR_INVALID_PARAM },
		{ COVG_ADD_MMIO_REGION, MMIO_GPA, 0, SBI_ERR_INVALID_PARAM },
		{ COVG_ADD_MMIO_REGION, ~0ULL & ~PAGE_MASK, 2 * PAGE_SIZE, SBI_ERR_INVALID_PARAM },
		{ COVG_ADD_MMIO_REGION, 1ULL << 41, PAGE_SIZE, SBI_ERR_INVALID_PARAM },
		{ COVG_ADD_MMIO_REGION, MMIO_GPA, PAGE_SIZE, SBI_SUCCESS },
		{ COVG_ADD_MMIO_REGION, MMIO_GPA, PAGE_SIZE, SBI_ERR_INVALID_ADDRESS }, /* overlap */
		{ COVG_REMOVE_MMIO_REGION, MMIO_GPA, 2 * PAGE_SIZE, SBI_ERR_INVALID_PARAM },
		{ COVG_REMOVE_MMIO_REGION, MMIO_GPA, PAGE_SIZE, SBI_SUCCESS },
		{ COVG_REMOVE_MMIO_REGION, MMIO_GPA, PAGE_SIZE, SBI_ERR_INVALID_PARAM },
		{ COVG_SHARE_MEMORY_REGION, VM_GPA_BASE, PAGE_SIZE, SBI_ERR_INVALID_ADDRESS }, /* private */
		{ COVG_SHARE_MEMORY_REGION, SHARE_GPA, MAX_SHARE_LEN + PAGE_SIZE, SBI_ERR_INVALID_PARAM },
		{ COVG_SHARE_MEMORY_REGION, SHARE_GPA + 8, PAGE_SIZE, SBI_ERR_INVALID_PARAM },
		{ COVG_UNSHARE_MEMORY_REGION, SHARE_GPA, PAGE_SIZE, SBI_ERR_INVALID_PARAM },
		{ COVG_ALLOW_EXTERNAL_INTERRUPT, 3, 0, SBI_ERR_INVALID_PARAM },
		{ COVG_DENY_EXTERNAL_INTERRUPT, 64, 0, SBI_ERR_INVALID_PARAM },
		{ COVG_GET_EVIDENCE, 0, 0, SBI_ERR_INVALID_PARAM }, /* format 0 */
		{ COVG_RETRIEVE_SECRET, 0, 0, SBI_ERR_NOT_SUPPORTED },
		{ 99, 0, 0, SBI_ERR_NOT_SUPPORTED },
	};
	for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
		uint64_t pc = mh->pc;
		cvm_ecall(0, COVG, cases[i].fid, cases[i].a0, cases[i].a1, 0, 0, 0, 0);
		assert_true(hart_in_guest(0)); /* answered inside the CVM's turn */
		if ((long)mh->x[REG_A0] != cases[i].err)
			fail_msg("case %u: got %ld want %ld", i, (long)mh->x[REG_A0], cases[i].err);
		assert_int_equal(mh->pc, pc + 4);
		assert_invariants_hold();
	}
}

static void share_validates_the_hypervisor_page(void **state)
{
	(void)state;
	start_cvm();
	struct model_hart *mh = model_hart(0);
	const uint64_t bad[] = { 0, mem.conf_base, mem.monitor_base, vm_pool_alloc(PAGE_SIZE, PAGE_SIZE) + 8,
				 mem.conf_base - PAGE_SIZE / 2 };
	const long want[] = { SBI_ERR_FAILED, SBI_ERR_INVALID_ADDRESS, SBI_ERR_INVALID_ADDRESS,
			      SBI_ERR_INVALID_ADDRESS, SBI_ERR_INVALID_ADDRESS };
	for (unsigned i = 0; i < ARRAY_SIZE(bad); i++) {
		cvm_ecall(0, COVG, COVG_SHARE_MEMORY_REGION, SHARE_GPA, PAGE_SIZE, 0, 0, 0, 0);
		assert_false(hart_in_guest(0));
		assert_int_equal(mh->x[REG_A1], TVM_EXIT_SHARE);
		assert_int_equal(mh->x[REG_A2], SHARE_GPA);
		hv_run(0, id, 0, bad[i], 0, 0);
		assert_true(hart_in_guest(0));
		assert_int_equal((long)mh->x[REG_A0], want[i]);
		assert_invariants_hold();
	}
	uint64_t page = vm_pool_alloc(PAGE_SIZE, PAGE_SIZE);
	uint64_t word = 0x5a5a5a5a;
	model_phys_write(page + 16, &word, 8);
	cvm_ecall(0, COVG, COVG_SHARE_MEMORY_REGION, SHARE_GPA, PAGE_SIZE, 0, 0, 0, 0);
	hv_run(0, id, 0, page, 0, 0);
	assert_int_equal(mh->x[REG_A0], SBI_SUCCESS);
	assert_int_equal(model_load(0, SHARE_GPA + 16, 8, false, REG_S3), MODEL_OK);
	assert_int_equal(mh->x[REG_S3], 0x5a5a5a5a);
	assert_invariants_hold();

	/* unshare: unmapped and fenced before the hypervisor hears of it */
	uint64_t fences = model_hfence_count(0);
	cvm_ecall(0, COVG, COVG_UNSHARE_MEMORY_REGION, SHARE_GPA, PAGE_SIZE, 0, 0, 0, 0);
	assert_int_equal(mh->x[REG_A1], TVM_EXIT_UNSHARE);
	assert_true(model_hfence_count(0) > fences);
	hv_run(0, id, 0, 0, 0, 0);
	assert_int_equal(mh->x[REG_A0], SBI_SUCCESS);
	assert_int_equal(model_load(0, SHARE_GPA + 16, 8, false, REG_S3), MODEL_TRAP_M);
	assert_int_equal(mh->x[REG_A1], TVM_EXIT_FAULT);
	assert_invariants_hold();
}

static void interrupts_filtered_and_timer_exits(void **state)
{
	(void)state;
	start_cvm();
	struct model_hart *mh = model_hart(0);
	cvm_ecall(0, COVG, COVG_ALLOW_EXTERNAL_INTERRUPT, TVM_IRQ_VSTI, 0, 0, 0, 0, 0);
	assert_int_equal(mh->x[REG_A0], 0);
	cvm_ecall(0, 0x0A000000, 0, 0, 0, 0, 0, 0, 0);
	hv_run(0, id, 0, 0, 0, TVM_IRQ_ALL);
	assert_int_equal(model_csr(0, CSR_HVIP) & TVM_IRQ_ALL, 1UL << TVM_IRQ_VSTI);

	/* the hypervisor's timer fires while the CVM runs: the CVM's turn ends */
	hv_ecall(0, 0x0A000000, 0, 0, 0, 0, 0, 0, 0); /* forwarded hypercall */
	assert_int_equal(mh->x[REG_A1], TVM_EXIT_HYPERCALL);
	model_set_csr(0, CSR_SIE, MIP_STIP); /* it takes timer interrupts (once SIE is on) */
	model_set_csr(0, CSR_SSTATUS, 0);
	assert_int_equal(hv_ecall(0, SBI_EXT_TIME, SBI_TIME_SET_TIMER, model_time() + 10, 0, 0, 0, 0, 0).error, 0);
	hv_run(0, id, 0, 0, 0, 0);
	assert_true(hart_in_guest(0));
	model_advance_time(20);
	assert_false(hart_in_guest(0));
	assert_int_equal(mh->x[REG_A1], TVM_EXIT_INTERRUPT);
	assert_true(model_csr(0, CSR_MIP) & MIP_STIP);
	assert_no_cvm_secret_visible(0);
	assert_invariants_hold();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(hypercall_forwards_only_its_registers, fixture_reset),
		cmocka_unit_test_setup(resume_ignores_everything_but_the_answer, fixture_reset),
		cmocka_unit_test_setup(run_rejects_bad_ids_and_states, fixture_reset),
		cmocka_unit_test_setup(fp_switches_on_first_use_only, fixture_reset),
		cmocka_unit_test_setup(fp_with_vsstatus_fs_off_is_the_cvms_fault, fixture_reset),
		cmocka_unit_test_setup(hypervisor_timer_ends_a_run_only_when_enabled, fixture_reset),
		cmocka_unit_test_setup(one_vcpu_never_runs_on_two_harts, fixture_reset),
		cmocka_unit_test_setup(cvm_reads_own_memory_only, fixture_reset),
		cmocka_unit_test_setup(mmio_exit_round_trip, fixture_reset),
		cmocka_unit_test_setup(mmio_exit_without_mtinst_reads_the_instruction, fixture_reset),
		cmocka_unit_test_setup(covg_rejects_hostile_regions, fixture_reset),
		cmocka_unit_test_setup(share_validates_the_hypervisor_page, fixture_reset),
		cmocka_unit_test_setup(interrupts_filtered_and_timer_exits, fixture_reset),
	};
	return cmocka_run_group_tests_name("cvm", tests, fixture_group_setup, fixture_group_teardown);
}
