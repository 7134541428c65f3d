/*
 * The hardware model against the privileged spec: PMP matching and priority, G-stage
 * translation and its cache, trap delegation, interrupts and snapshot/restore. Runs
 * on model_init_hw alone; a hook stands in for the monitor when a trap reaches M.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "csr.h"
#include "monitor.h"
#include "model.h"
#include "model_test.h"
#include "platform.h"
#include "sbi.h"

#define HV_DATA 0x80300000ULL
#define ROOT 0x80400000ULL /* 16 KiB aligned */
#define L1 (ROOT + 0x4000)
#define L0 (ROOT + 0x5000)
#define PA_A 0x80600000ULL
#define PA_B 0x80601000ULL
#define V_RWXUAD 0xdfULL /* V R W X U A D */
#define PMP_NAPOT_RWX 0x1fULL

/* What the stand-in monitor saw at its last trap. */
static struct {
	unsigned calls, nested, depth;
	uint64_t mcause, mepc, mtval, mtval2, mtinst, mstatus;
	void (*extra)(struct hart *h);
} rec;

static bool hook_trap(struct hart *h)
{
	rec.depth++;
	if (rec.depth > 1)
		rec.nested++;
	rec.calls++;
	rec.mcause = csr_read(CSR_MCAUSE);
	rec.mepc = csr_read(CSR_MEPC);
	rec.mtval = csr_read(CSR_MTVAL);
	rec.mtval2 = csr_read(CSR_MTVAL2);
	rec.mtinst = csr_read(CSR_MTINST);
	rec.mstatus = csr_read(CSR_MSTATUS);
	if (!(rec.mcause & MCAUSE_INTR))
		csr_write(CSR_MEPC, rec.mepc + 4); /* skip the instruction, as the monitor does */
	if (rec.extra)
		rec.extra(h);
	rec.depth--;
	bool park = h->waits; /* as monitor_trap answers: this hart stopped itself */
	h->waits = false;
	return park;
}

static bool hook_wakeup(struct hart *h)
{
	if (!h->start_addr)
		return false;
	plat->clear_ipi(h->id);
	csr_write(CSR_MEPC, h->start_addr);
	csr_write(CSR_MSTATUS, (csr_read(CSR_MSTATUS) & ~MSTATUS_MPP) | (PRV_S << MSTATUS_MPP_SHIFT));
	h->regs->x[REG_A0] = h->id;
	h->regs->x[REG_A1] = h->start_opaque;
	return true;
}

static int setup(void **state)
{
	(void)state;
	memset(&rec, 0, sizeof(rec));
	model_init_hw(&model_default_config);
	static const struct model_monitor_hooks hooks = { hook_trap, hook_wakeup, NULL };
	model_set_monitor_hooks(&hooks);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	model_set_monitor_hooks(NULL);
	model_fini();
	return 0;
}

static void set_pmp(unsigned idx, uint8_t cfg, uint64_t addr)
{
	unsigned reg = idx < 8 ? CSR_PMPCFG0 : CSR_PMPCFG2, sh = 8 * (idx % 8);
	model_set_csr(0, CSR_PMPADDR0 + idx, addr);
	model_set_csr(0, reg, (model_csr(0, reg) & ~(0xffULL << sh)) | ((uint64_t)cfg << sh));
}

static uint64_t napot(uint64_t base, uint64_t size)
{
	return (base >> 2) | ((size >> 3) - 1);
}

static void open_all(void) { set_pmp(15, PMP_NAPOT_RWX, ~0ULL); }

static void put64(uint64_t pa, uint64_t v) { assert_true(model_phys_write(pa, &v, 8)); }

static uint64_t pte_leaf(uint64_t pa, uint64_t bits) { return ((pa >> 12) << 10) | bits; }

/* Sv39x4: GPA bits 40:30 index the 16 KiB root, then 29:21 and 20:12. */
static void map_4k(uint64_t gpa, uint64_t pa, uint64_t bits)
{
	put64(ROOT + ((gpa >> 30) & 0x7ff) * 8, pte_leaf(L1, 1));
	put64(L1 + ((gpa >> 21) & 0x1ff) * 8, pte_leaf(L0, 1));
	put64(L0 + ((gpa >> 12) & 0x1ff) * 8, pte_leaf(pa, bits));
}

static void enter_guest(void)
{
	open_all();
	model_set_csr(0, CSR_HGATP, (HGATP_MODE_SV39X4 << HGATP_MODE_SHIFT) | (ROOT >> 12));
	model_hart(0)->mode = MODE_VS;
}

/* Runs fn in a child and expects it to abort with `msg` on stderr. */
static void expect_abort(void (*fn)(void), const char *msg)
{
	int fds[2];
	assert_int_equal(pipe(fds), 0);
	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		dup2(fds[1], 2);
		fn();
		_exit(0);
	}
	close(fds[1]);
	char buf[512] = { 0 };
	size_t got = 0;
	ssize_t n;
	while (got < sizeof(buf) - 1 && (n = read(fds[0], buf + got, sizeof(buf) - 1 - got)) > 0)
		got += (size_t)n;
	close(fds[0]);
	int st;
	waitpid(pid, &st, 0);
	assert_true(WIFSIGNALED(st) && WTERMSIG(st) == SIGABRT);
	assert_non_null(strstr(buf, msg));
}

static void test_reset_state(void **state)
{
	(void)state;
	struct model_hart *h0 = model_hart(0);
	assert_int_equal(h0->mode, MODE_HS);
	assert_int_equal(h0->pc, MODEL_HV_ENTRY);
	assert_int_equal(h0->x[10] | h0->x[11], 0);
	for (unsigned h = 1; h < model_nr_harts(); h++) {
		assert_true(model_hart(h)->parked);
		assert_int_equal(model_ecall(h), MODEL_PARKED);
		assert_int_equal(model_csr(h, CSR_MHARTID), h);
	}
	uint64_t misa = model_csr(0, CSR_MISA);
	assert_int_equal(misa >> 62, 2);
	assert_true(misa & (1 << ('H' - 'A')));
	assert_int_equal(mem.ram_base, MODEL_RAM_BASE);
	assert_int_equal(mem.conf_base + mem.conf_size, mem.ram_base + mem.ram_size);
	assert_int_equal(model_csr(0, CSR_MIDELEG) & 0x444, 0x444); /* VS bits read-only one */
	model_set_csr(0, CSR_HEDELEG, ~0ULL);
	assert_int_equal(model_csr(0, CSR_HEDELEG) & ((1 << 9) | (1 << 10) | (0xfULL << 20)), 0);
}

static void test_pmp_priority_and_modes(void **state)
{
	(void)state;
	set_pmp(0, 0x18 | 0x1, napot(HV_DATA, 0x1000));  /* 4 KiB read-only */
	set_pmp(1, 0x18 | 0x3, napot(HV_DATA, 0x10000)); /* 64 KiB read-write */
	assert_false(model_pmp_allows(0, PRV_S, HV_DATA, 8, 'w')); /* lower index wins */
	assert_true(model_pmp_allows(0, PRV_S, HV_DATA, 8, 'r'));
	assert_true(model_pmp_allows(0, PRV_S, HV_DATA + 0x1000, 8, 'w'));
	assert_false(model_pmp_allows(0, PRV_U, HV_DATA + 0x1000, 8, 'x'));
	/* no match: S and U denied, M allowed; unlocked entries do not bind M */
	assert_false(model_pmp_allows(0, PRV_S, HV_DATA + 0x10000, 8, 'r'));
	assert_false(model_pmp_allows(0, PRV_U, HV_DATA + 0x10000, 8, 'r'));
	assert_true(model_pmp_allows(0, PRV_M, HV_DATA + 0x10000, 8, 'r'));
	assert_true(model_pmp_allows(0, PRV_M, HV_DATA, 8, 'w'));
	set_pmp(2, 0x80 | 0x18 | 0x1, napot(PA_A, 0x1000)); /* locked read-only binds M */
	assert_false(model_pmp_allows(0, PRV_M, PA_A, 8, 'w'));
	assert_true(model_pmp_allows(0, PRV_M, PA_A, 8, 'r'));
}

static void test_pmp_tor_na4_straddle(void **state)
{
	(void)state;
	set_pmp(0, 0x08 | 0x3, HV_DATA >> 2);         /* TOR [0, HV_DATA) */
	set_pmp(1, 0x00, PA_A >> 2);                  /* OFF, bottom of entry 2 */
	set_pmp(2, 0x08 | 0x1, (PA_A + 0x100) >> 2);  /* TOR [PA_A, PA_A+0x100) */
	set_pmp(3, 0x10 | 0x3, (PA_B) >> 2);          /* NA4 at PA_B */
	open_all();
	assert_true(model_pmp_allows(0, PRV_S, 0x1000, 4, 'w'));
	assert_false(model_pmp_allows(0, PRV_S, HV_DATA - 4, 8, 'r')); /* straddles TOR top */
	assert_true(model_pmp_allows(0, PRV_S, HV_DATA, 8, 'w'));      /* entry 15 */
	assert_false(model_pmp_allows(0, PRV_S, PA_A + 0xf8, 8, 'w'));
	assert_true(model_pmp_allows(0, PRV_S, PA_A + 0xf8, 8, 'r'));
	assert_false(model_pmp_allows(0, PRV_S, PA_A + 0xfc, 8, 'r')); /* straddles */
	assert_true(model_pmp_allows(0, PRV_S, PA_B, 4, 'w'));
	assert_false(model_pmp_allows(0, PRV_S, PA_B, 8, 'w'));        /* NA4 is 4 bytes */
	assert_false(model_pmp_allows(0, PRV_M, PA_B - 4, 8, 'r'));    /* partial fails even for M */
	set_pmp(4, 0x00, (PA_A + 0x1000) >> 2);
	set_pmp(5, 0x08, PA_A >> 2); /* TOR with bottom >= top matches nothing */
	assert_true(model_pmp_allows(0, PRV_S, PA_A + 0x200, 4, 'r'));
}

static void test_pmp_lock_and_warl(void **state)
{
	(void)state;
	set_pmp(0, 0x02, HV_DATA >> 2); /* R=0 W=1 is reserved: W dropped */
	assert_int_equal(model_csr(0, CSR_PMPCFG0) & 0xff, 0);
	set_pmp(0, 0x60 | 0x1, HV_DATA >> 2); /* reserved bits read as zero */
	assert_int_equal(model_csr(0, CSR_PMPCFG0) & 0xff, 0x1);
	set_pmp(2, 0x80 | 0x08 | 0x1, PA_A >> 2); /* locked TOR also locks pmpaddr1 */
	model_set_csr(0, CSR_PMPCFG0, 0);
	assert_int_equal(model_csr(0, CSR_PMPCFG0), 0x89ULL << 16);
	model_set_csr(0, CSR_PMPADDR0 + 2, 0);
	model_set_csr(0, CSR_PMPADDR0 + 1, 0x1234);
	model_set_csr(0, CSR_PMPADDR0, 0x5678);
	assert_int_equal(model_csr(0, CSR_PMPADDR0 + 2), PA_A >> 2);
	assert_int_equal(model_csr(0, CSR_PMPADDR0 + 1), 0);
	assert_int_equal(model_csr(0, CSR_PMPADDR0), 0x5678);
}

static void test_hs_access_fault(void **state)
{
	(void)state;
	set_pmp(0, 0x18, napot(HV_DATA, 0x1000)); /* no access */
	open_all();
	uint64_t pc = model_hart(0)->pc;
	assert_int_equal(model_load(0, HV_DATA + 8, 8, false, 5), MODEL_TRAP_M);
	assert_int_equal(rec.mcause, CAUSE_LOAD_ACCESS);
	assert_int_equal(rec.mtval, HV_DATA + 8);
	assert_int_equal(rec.mepc, pc);
	assert_int_equal((rec.mstatus & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT, PRV_S);
	assert_false(rec.mstatus & (MSTATUS_MPV | MSTATUS_GVA));
	assert_int_equal(model_hart(0)->mode, MODE_HS);
	assert_int_equal(model_hart(0)->pc, pc + 4);
	model_set_csr(0, CSR_MEDELEG, 1 << CAUSE_STORE_ACCESS);
	assert_int_equal(model_store(0, HV_DATA, 4, 5), MODEL_TRAP_HS);
	assert_int_equal(model_csr(0, CSR_SCAUSE), CAUSE_STORE_ACCESS);
	assert_int_equal(model_csr(0, CSR_STVAL), HV_DATA);
	/* allowed, in RAM: the load sign-extends and the pc moves on */
	put64(HV_DATA + 0x2000, 0x80ULL);
	pc = model_hart(0)->pc;
	assert_int_equal(model_load(0, HV_DATA + 0x2000, 1, false, 6), MODEL_OK);
	assert_int_equal(model_hart(0)->x[6], UINT64_MAX - 0x7f);
	assert_int_equal(model_hart(0)->pc, pc + 4);
	assert_int_equal(model_load(0, 0x10000000, 4, false, 6), MODEL_TRAP_M); /* not RAM */
	assert_int_equal(rec.mcause, CAUSE_LOAD_ACCESS);
}

static void test_gstage_bare_4k_2m(void **state)
{
	(void)state;
	open_all();
	model_hart(0)->mode = MODE_VS;
	put64(PA_A, 0x1122334455667788ULL);
	assert_int_equal(model_load(0, PA_A, 8, false, 7), MODEL_OK); /* Bare: GPA = PA */
	assert_int_equal(model_hart(0)->x[7], 0x1122334455667788ULL);

	enter_guest();
	map_4k(0x1000, PA_A, V_RWXUAD);
	put64(L1 + 1 * 8, pte_leaf(0x80800000, V_RWXUAD)); /* 2 MiB leaf at GPA 0x200000 */
	put64(0x80801230, 0xabcdULL);
	assert_int_equal(model_load(0, 0x1000, 4, true, 8), MODEL_OK);
	assert_int_equal(model_hart(0)->x[8], 0x55667788ULL);
	assert_int_equal(model_load(0, 0x201230, 8, false, 9), MODEL_OK);
	assert_int_equal(model_hart(0)->x[9], 0xabcdULL);
	model_hart(0)->x[10] = 0xfeed;
	assert_int_equal(model_store(0, 0x1008, 2, 10), MODEL_OK);
	uint64_t v = 0;
	assert_true(model_phys_read(PA_A + 8, &v, 8));
	assert_int_equal(v, 0xfeed);
	assert_true(model_page_dirty(PA_A));
	assert_true(model_can_access(0, 0x1000, 'x'));
	assert_false(model_can_access(0, 0x3000, 'r'));
}

static void check_gpf(enum model_result r, uint64_t cause, uint64_t gpa, uint64_t tinst)
{
	assert_int_equal(r, MODEL_TRAP_M);
	assert_int_equal(rec.mcause, cause);
	assert_int_equal(rec.mtval, gpa);
	assert_int_equal(rec.mtval2, gpa >> 2);
	assert_int_equal(rec.mtinst, tinst);
	assert_true(rec.mstatus & MSTATUS_MPV);
	assert_true(rec.mstatus & MSTATUS_GVA);
	assert_int_equal((rec.mstatus & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT, PRV_S);
	assert_int_equal(model_hart(0)->mode, MODE_VS); /* mret went back */
}

static void test_gstage_faults(void **state)
{
	(void)state;
	enter_guest();
	map_4k(0x1000, PA_A, V_RWXUAD & ~0x10ULL); /* no U bit */
	put64(L1 + 1 * 8, pte_leaf(0x80801000, V_RWXUAD)); /* misaligned superpage */
	check_gpf(model_load(0, 0x200000, 8, false, 11), CAUSE_LOAD_GUEST_PAGE_FAULT, 0x200000,
		  (11 << 7) | (3 << 12) | 0x03);
	check_gpf(model_load(0, 0x1004, 2, true, 12), CAUSE_LOAD_GUEST_PAGE_FAULT, 0x1004,
		  (12 << 7) | (5 << 12) | 0x03);
	map_4k(0x1000, PA_A, V_RWXUAD & ~0x80ULL); /* D=0: stores fault */
	check_gpf(model_store(0, 0x1008, 4, 13), CAUSE_STORE_GUEST_PAGE_FAULT, 0x1008,
		  (13 << 20) | (2 << 12) | 0x23);
	assert_int_equal(model_load(0, 0x1008, 4, false, 13), MODEL_OK);
	check_gpf(model_load(0, 1ULL << 41, 8, false, 1), CAUSE_LOAD_GUEST_PAGE_FAULT, 1ULL << 41,
		  (1 << 7) | (3 << 12) | 0x03);
	check_gpf(model_fetch(0, 0x5000), CAUSE_FETCH_GUEST_PAGE_FAULT, 0x5000, 0);
	put64(L1 + 3 * 8, pte_leaf(L0, 1 | 0x40)); /* A set in a non-leaf PTE: reserved */
	check_gpf(model_load(0, 0x600000, 8, false, 1), CAUSE_LOAD_GUEST_PAGE_FAULT, 0x600000,
		  (1 << 7) | (3 << 12) | 0x03);

	/* the walk's own reads are S-mode accesses under PMP */
	set_pmp(0, 0x18, napot(ROOT, 0x4000));
	assert_int_equal(model_load(0, 0x2000, 8, false, 1), MODEL_TRAP_M);
	assert_int_equal(rec.mcause, CAUSE_LOAD_ACCESS);
	assert_int_equal(rec.mtval, 0x2000);
	assert_int_equal(rec.mtval2, 0);
	assert_true(rec.mstatus & MSTATUS_GVA);
	/* so is the final physical access, checked as S for VS */
	map_4k(0x1000, PA_A, V_RWXUAD);
	set_pmp(0, 0x18, napot(PA_A, 0x1000));
	assert_int_equal(model_store(0, 0x1000, 8, 1), MODEL_TRAP_M);
	assert_int_equal(rec.mcause, CAUSE_STORE_ACCESS);
}

static void test_gstage_sv48x4(void **state)
{
	(void)state;
	open_all();
	model_set_csr(0, CSR_HGATP, (HGATP_MODE_SV48X4 << HGATP_MODE_SHIFT) | (ROOT >> 12));
	model_hart(0)->mode = MODE_VU;
	uint64_t gpa = (1ULL << 49) | 0x3000;
	put64(ROOT + ((gpa >> 39) & 0x7ff) * 8, pte_leaf(L1, 1));
	put64(L1 + ((gpa >> 30) & 0x1ff) * 8, pte_leaf(L0, 1));
	put64(L0 + ((gpa >> 21) & 0x1ff) * 8, pte_leaf(ROOT + 0x6000, 1));
	put64(ROOT + 0x6000 + ((gpa >> 12) & 0x1ff) * 8, pte_leaf(PA_B, V_RWXUAD));
	put64(PA_B + 16, 42);
	assert_int_equal(model_load(0, gpa + 16, 8, false, 3), MODEL_OK);
	assert_int_equal(model_hart(0)->x[3], 42);
	assert_int_equal(model_load(0, 1ULL << 50, 8, false, 3), MODEL_TRAP_M);
	assert_int_equal(rec.mcause, CAUSE_LOAD_GUEST_PAGE_FAULT);
	assert_int_equal((rec.mstatus & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT, PRV_U);
	assert_int_equal(model_hart(0)->mode, MODE_VU);
	/* an unsupported mode leaves hgatp alone; PPN[1:0] read as zero */
	model_set_csr(0, CSR_HGATP, 10ULL << HGATP_MODE_SHIFT);
	assert_int_equal(model_csr(0, CSR_HGATP) >> HGATP_MODE_SHIFT, HGATP_MODE_SV48X4);
	model_set_csr(0, CSR_HGATP, (HGATP_MODE_SV39X4 << HGATP_MODE_SHIFT) | 3);
	assert_int_equal(model_csr(0, CSR_HGATP) & HGATP_PPN_MASK, 0);
}

static void test_gstage_cache_needs_hfence(void **state)
{
	(void)state;
	enter_guest();
	put64(PA_A, 1);
	put64(PA_B, 2);
	map_4k(0x1000, PA_A, V_RWXUAD);
	assert_true(model_can_access(0, 0x1000, 'r')); /* a query does not fill the cache */
	map_4k(0x1000, PA_B, V_RWXUAD);
	assert_int_equal(model_load(0, 0x1000, 8, false, 4), MODEL_OK);
	assert_int_equal(model_hart(0)->x[4], 2);
	map_4k(0x1000, PA_A, V_RWXUAD);
	assert_int_equal(model_load(0, 0x1000, 8, false, 4), MODEL_OK);
	assert_int_equal(model_hart(0)->x[4], 2); /* stale until hfence.gvma */
	put64(L0 + 1 * 8, 0);                     /* even once unmapped */
	assert_true(model_can_access(0, 0x1000, 'w'));
	model_set_current_hart(0);
	arch_hfence_gvma_all();
	assert_int_equal(model_hfence_count(0), 1);
	assert_false(model_can_access(0, 0x1000, 'r'));
	map_4k(0x1000, PA_A, V_RWXUAD);
	assert_int_equal(model_load(0, 0x1000, 8, false, 4), MODEL_OK);
	assert_int_equal(model_hart(0)->x[4], 1);
	/* a different VMID does not hit the entry */
	map_4k(0x1000, PA_B, V_RWXUAD);
	model_set_csr(0, CSR_HGATP, model_csr(0, CSR_HGATP) | (5ULL << HGATP_VMID_SHIFT));
	assert_int_equal(model_load(0, 0x1000, 8, false, 4), MODEL_OK);
	assert_int_equal(model_hart(0)->x[4], 2);
}

static void test_ecall_routing(void **state)
{
	(void)state;
	struct model_hart *h = model_hart(0);
	uint64_t pc = h->pc;
	model_set_csr(0, CSR_MSTATUS, MSTATUS_MIE);
	assert_int_equal(model_ecall(0), MODEL_TRAP_M);
	assert_int_equal(rec.mcause, CAUSE_SUPERVISOR_ECALL);
	assert_int_equal(rec.mepc, pc);
	assert_false(rec.mstatus & MSTATUS_MIE);
	assert_true(rec.mstatus & MSTATUS_MPIE);
	assert_int_equal(h->pc, pc + 4);
	assert_true(model_csr(0, CSR_MSTATUS) & MSTATUS_MIE); /* mret restored MIE */

	model_set_csr(0, CSR_MEDELEG, (1 << CAUSE_USER_ECALL) | (1 << CAUSE_VIRTUAL_SUPERVISOR_ECALL));
	model_set_csr(0, CSR_HEDELEG, 1 << CAUSE_USER_ECALL);
	model_set_csr(0, CSR_STVEC, 0x80200100);
	model_set_csr(0, CSR_VSTVEC, 0x1000);
	h->mode = MODE_VU;
	h->pc = 0x4000;
	assert_int_equal(model_ecall(0), MODEL_TRAP_VS);
	assert_int_equal(model_csr(0, CSR_VSCAUSE), CAUSE_USER_ECALL);
	assert_int_equal(model_csr(0, CSR_VSEPC), 0x4000);
	assert_false(model_csr(0, CSR_VSSTATUS) & MSTATUS_SPP);
	assert_int_equal(h->pc, 0x1000);
	assert_int_equal(h->mode, MODE_VS);

	assert_int_equal(model_ecall(0), MODEL_TRAP_HS); /* VS ecall: medeleg only */
	assert_int_equal(model_csr(0, CSR_SCAUSE), CAUSE_VIRTUAL_SUPERVISOR_ECALL);
	assert_int_equal(model_csr(0, CSR_SEPC), 0x1000);
	uint64_t hst = model_csr(0, CSR_HSTATUS);
	assert_true(hst & HSTATUS_SPV);
	assert_true(hst & HSTATUS_SPVP);
	assert_true(model_csr(0, CSR_SSTATUS) & MSTATUS_SPP);
	assert_int_equal(h->mode, MODE_HS);
	assert_int_equal(h->pc, 0x80200100);

	h->mode = MODE_U;
	assert_int_equal(model_ecall(0), MODEL_TRAP_HS);
	assert_int_equal(model_csr(0, CSR_SCAUSE), CAUSE_USER_ECALL);
	assert_false(model_csr(0, CSR_HSTATUS) & HSTATUS_SPV);
	assert_false(model_csr(0, CSR_SSTATUS) & MSTATUS_SPP);
}

static void clear_timer(struct hart *h) { (void)h; plat->set_timer(model_current_hart(), UINT64_MAX); }

static void test_interrupts(void **state)
{
	(void)state;
	struct model_hart *h = model_hart(0);
	/* M timer: taken below M even with MIE clear */
	model_set_csr(0, CSR_MIE, MIP_MTIP | MIP_STIP | (1 << IRQ_VS_TIMER));
	rec.extra = clear_timer;
	plat->set_timer(0, 100);
	model_advance_time(99);
	assert_int_equal(rec.calls, 0);
	model_advance_time(1);
	assert_int_equal(rec.calls, 1);
	assert_int_equal(rec.mcause, MCAUSE_INTR | IRQ_M_TIMER);
	assert_int_equal(model_csr(0, CSR_TIME), 100);
	assert_false(model_csr(0, CSR_MIP) & MIP_MTIP);
	/* S timer delegated: waits for sstatus.SIE, vectored stvec */
	model_set_csr(0, CSR_MIDELEG, MIP_STIP);
	model_set_csr(0, CSR_STVEC, 0x80200001);
	model_raise_irq(0, IRQ_S_TIMER);
	assert_int_equal(h->mode, MODE_HS);
	assert_int_equal(h->pc, MODEL_HV_ENTRY);
	model_set_csr(0, CSR_SSTATUS, MSTATUS_SIE);
	model_advance_time(0);
	assert_int_equal(model_csr(0, CSR_SCAUSE), MCAUSE_INTR | IRQ_S_TIMER);
	assert_int_equal(h->pc, 0x80200000 + 4 * IRQ_S_TIMER);
	assert_true(model_csr(0, CSR_SSTATUS) & MSTATUS_SPIE);
	model_clear_irq(0, IRQ_S_TIMER);
	/* VS timer through hvip and hideleg: VS sees the S-level code */
	model_set_csr(0, CSR_HIDELEG, 1 << IRQ_VS_TIMER);
	model_set_csr(0, CSR_VSSTATUS, MSTATUS_SIE);
	model_set_csr(0, CSR_VSTVEC, 0x2000);
	h->mode = MODE_VS;
	model_set_csr(0, CSR_HVIP, 1 << IRQ_VS_TIMER);
	assert_int_equal(model_csr(0, CSR_VSIP), MIP_STIP);
	model_advance_time(0);
	assert_int_equal(model_csr(0, CSR_VSCAUSE), MCAUSE_INTR | IRQ_S_TIMER);
	assert_int_equal(h->pc, 0x2000);
	assert_int_equal(rec.calls, 1);
}

static void start_hart1(struct hart *h)
{
	(void)h;
	sm.harts[1].id = 1;
	sm.harts[1].start_addr = 0x80300000;
	sm.harts[1].start_opaque = 77;
	plat->send_ipi(1);
}

static void stop_self(struct hart *h)
{
	h->hsm_state = SBI_HSM_STATE_STOPPED;
	h->waits = true;
}

static void test_ipi_wakes_parked_hart(void **state)
{
	(void)state;
	plat->send_ipi(2); /* no start pending: declined once, not retried */
	model_advance_time(0);
	assert_true(model_hart(2)->parked);
	rec.extra = start_hart1;
	assert_int_equal(model_ecall(0), MODEL_TRAP_M);
	assert_int_equal(rec.nested, 0);
	struct model_hart *h1 = model_hart(1);
	assert_false(h1->parked);
	assert_int_equal(h1->mode, MODE_HS);
	assert_int_equal(h1->pc, 0x80300000);
	assert_int_equal(h1->x[11], 77);
	assert_false(model_csr(1, CSR_MIP) & MIP_MSIP);
	rec.extra = stop_self;
	assert_int_equal(model_ecall(1), MODEL_TRAP_M);
	assert_true(h1->parked);
	assert_int_equal(h1->mode, MODE_M);
}

static void test_snapshot_restore(void **state)
{
	(void)state;
	put64(HV_DATA, 0x1111);
	model_hart(0)->x[5] = 5;
	model_set_csr(0, CSR_SSCRATCH, 0xaa);
	sm.harts[0].start_opaque = 9;
	plat->console_putc('a');
	model_snapshot();
	assert_false(model_page_dirty(HV_DATA));

	put64(HV_DATA, 0x2222);
	put64(HV_DATA + 0x5000, 0x3333);
	open_all();
	model_hart(0)->x[5] = 6;
	assert_int_equal(model_store(0, HV_DATA + 0x8000, 8, 5), MODEL_OK);
	model_set_csr(0, CSR_SSCRATCH, 0xbb);
	sm.harts[0].start_opaque = 10;
	model_console_clear();
	plat->console_putc('b');
	model_advance_time(50);
	assert_true(model_page_dirty(HV_DATA + 0x8000));
	assert_false(model_page_dirty(HV_DATA + 0x9000));

	model_restore();
	uint64_t v;
	assert_true(model_phys_read(HV_DATA, &v, 8));
	assert_int_equal(v, 0x1111);
	assert_true(model_phys_read(HV_DATA + 0x5000, &v, 8));
	assert_int_equal(v, 0);
	assert_true(model_phys_read(HV_DATA + 0x8000, &v, 8));
	assert_int_equal(v, 0);
	assert_false(model_page_dirty(HV_DATA + 0x8000));
	assert_false(phys_page_maybe_dirty(HV_DATA + 0x5000));
	assert_true(phys_page_maybe_dirty(HV_DATA));
	assert_int_equal(model_hart(0)->x[5], 5);
	assert_int_equal(model_csr(0, CSR_SSCRATCH), 0xaa);
	assert_int_equal(sm.harts[0].start_opaque, 9);
	assert_int_equal(model_time(), 0);
	size_t len;
	const char *out = model_console_output(&len);
	assert_int_equal(len, 1);
	assert_int_equal(out[0], 'a');
}

static void read_unknown_csr(void) { model_set_current_hart(0); (void)csr_read(0x7c0); }
static void touch_mmio(void) { (void)phys_ptr(0x10000000, 8); }
static void touch_ram_end(void) { (void)phys_ptr(MODEL_RAM_BASE + (16 << 20) - 4, 8); }

static void test_fatal_checks(void **state)
{
	(void)state;
	expect_abort(read_unknown_csr, "CSR 0x7c0");
	expect_abort(touch_mmio, "monitor accessed non-RAM physical range");
	expect_abort(touch_ram_end, "monitor accessed non-RAM physical range");
	assert_non_null(phys_ptr(MODEL_RAM_BASE + (16 << 20) - 8, 8));
}

static void test_fp_copy(void **state)
{
	(void)state;
	struct fp_state fp = { .fcsr = 0xe1 };
	for (unsigned i = 0; i < 32; i++)
		fp.f[i] = 0x4000000000000000ULL + i;
	model_set_current_hart(0);
	uint64_t mstatus = model_csr(0, CSR_MSTATUS); /* FS is Off: the copy works anyway */
	arch_fp_restore(&fp);
	assert_int_equal(model_hart(0)->f[31], 0x400000000000001fULL);
	assert_int_equal(model_hart(0)->fcsr, 0xe1);
	assert_int_equal(model_csr(0, CSR_MSTATUS), mstatus);
	struct fp_state back;
	model_hart(0)->f[3] = 7;
	arch_fp_save(&back);
	assert_int_equal(back.f[3], 7);
	assert_int_equal(back.f[4], fp.f[4]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_reset_state, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pmp_priority_and_modes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pmp_tor_na4_straddle, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pmp_lock_and_warl, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hs_access_fault, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gstage_bare_4k_2m, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gstage_faults, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gstage_sv48x4, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gstage_cache_needs_hfence, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ecall_routing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_interrupts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ipi_wakes_parked_hart, setup, teardown),
		cmocka_unit_test_setup_teardown(test_snapshot_restore, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fatal_checks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fp_copy, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
