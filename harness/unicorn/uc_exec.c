/* Programs on the firmware binary (see uc_exec.h). Only hart 0 runs: see README.md. */
#include "uc_exec.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../catalog/oracles.h"
#include "canary.h"
#include "cove.h"
#include "csr.h"
#include "fdt_writer.h"
#include "gstage.h"
#include "gstage_pt.h"
#include "monitor.h"
#include "platform.h"
#include "sbi.h"
#include "symbols.h"
#include "values.h"
#include "uc_machine.h"

#ifndef UC_DEFAULT_FIRMWARE
#define UC_DEFAULT_FIRMWARE "build/firmware-fuzz/monitor.elf"
#endif


int uc_exec_count_only;
unsigned uc_exec_findings;
const char *uc_exec_last_oracle;
bool uc_exec_check_every_step;

/* --- what the harness (the hypervisor and its CVMs) knows, snapshotted by value ----- */

struct hvstate {
	struct value_env env; /* the images, the pool and the memory map values name */
	uint64_t hgatp[2];    /* each image's */
	uint64_t pool_next; /* image allocator */
	bool canaries;      /* some CVM holds planted secrets */
	bool halted;        /* hart 0 parked, or the machine reset */
};

static struct hvstate hv, hv_snap;
static enum target_id target;
static uint64_t sym_sm, sym_mem;
static const struct prog *cur_prog;
static unsigned cur_step;

static const struct monitor_state *fw_sm(void)
{
	return ucm_ram(sym_sm, sizeof(struct monitor_state));
}

static const struct mem_layout *fw_mem(void)
{
	return ucm_ram(sym_mem, sizeof(struct mem_layout));
}


/* --- findings -------------------------------------------------------------------- */

static void finding(enum oracle o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void finding(enum oracle o, const char *fmt, ...)
{
	uc_exec_findings++;
	uc_exec_last_oracle = oracle_name(o);
	if (uc_exec_count_only)
		return;
	va_list ap;
	va_start(ap, fmt);
	prog_report_finding(oracle_name(o), cur_step, " (unicorn)", cur_prog, fmt, ap);
}

/* --- values ------------------------------------------------------------------------ */


static bool uc_read64(void *ctx, uint64_t pa, uint64_t *v) { (void)ctx; *v = ucm_read64(pa); return true; }

/* The 4 KiB leaf mapping gpa in the Sv39x4 tables at root: its address, or 0 when there
 * is none (the harness's images and the monitor's tables use 4 KiB leaves only). */
static uint64_t walk(uint64_t root, uint64_t gpa, uint64_t *perms)
{
	static const struct refhw_mem m = { .read64 = uc_read64 };
	struct refhw_leaf leaf;
	if (refhw_gstage_walk(&m, root, REFHW_SV39X4_LEVELS, gpa, &leaf) != REFHW_XLATE_OK || leaf.level)
		return 0;
	if (perms)
		*perms = leaf.pte;
	return leaf.pa;
}

static uint64_t hv_base(void) { return fw_mem()->monitor_base + fw_mem()->monitor_size; }

static uint64_t cvm0_page(void)
{
	const struct monitor_state *s = fw_sm();
	return s->cvms[0].state == CVM_ACTIVE ? walk(s->cvms[0].root, HARNESS_VM_GPA, NULL) : 0;
}

static uint64_t eval(const struct value *v) { return value_eval(v, &hv.env); }

/* --- the hypervisor's memory and images ----------------------------------------------- */

static uint64_t pool_alloc(uint64_t bytes, uint64_t align)
{
	uint64_t at = (hv.pool_next + align - 1) & ~(align - 1);
	if (at + bytes > fw_mem()->conf_base || at + bytes < at)
		return 0;
	hv.pool_next = at + bytes;
	return at;
}

static uint64_t vm_pattern(uint64_t seed, unsigned page, unsigned word)
{
	uint64_t x = (seed ^ page) * 0x9e3779b97f4a7c15ULL + word;
	x ^= x >> 29;
	return x * 0xbf58476d1ce4e5b9ULL;
}

static void write64(uint64_t pa, uint64_t v) { ucm_write(pa, &v, 8); }

/* refhw's memory callbacks over the harness's own view of RAM and its image pool */
static bool uc_write64(void *ctx, uint64_t pa, uint64_t v) { (void)ctx; write64(pa, v); return true; }
static uint64_t pool_table(void *ctx) { (void)ctx; return pool_alloc(4096, 4096); }

static bool hv_map(uint64_t root, uint64_t gpa, uint64_t hpa, uint64_t perms)
{
	static const struct refhw_mem m = { .read64 = uc_read64, .write64 = uc_write64,
					    .alloc_table = pool_table };
	return refhw_gstage_map_4k(&m, root, REFHW_SV39X4_LEVELS, gpa, hpa,
				   perms | REFHW_PTE_U | REFHW_PTE_A | REFHW_PTE_D);
}

/* The same layout as the host harness's images (hvsim/scenario.c). */
static void build_image(unsigned slot, const struct step *s)
{
	struct value_image *im = &hv.env.img[slot];
	unsigned pages = 2 + s->fid % 8, cpus = 1 + (s->fid >> 4) % (MAX_VCPUS + 1);
	uint64_t seed = eval(&s->v[0]);
	uint64_t root = pool_alloc(4 * 4096, 4 * 4096), data = pool_alloc(pages * 4096ULL, 4096);
	if (!root || !data)
		return;
	static const uint8_t zero[4 * 4096];
	ucm_write(root, zero, sizeof(zero));
	for (unsigned p = 0; p + 1 < pages; p++) {
		uint64_t words[512];
		for (unsigned w = 0; w < 512; w++)
			words[w] = vm_pattern(seed, p, w);
		ucm_write(data + p * 4096ULL, words, sizeof(words));
		if (!hv_map(root, HARNESS_VM_GPA + p * 4096ULL, data + p * 4096ULL, PTE_R | PTE_W | PTE_X))
			return;
	}
	uint8_t fdt[4096] = { 0 };
	size_t n = fdtb_make_vm_tree(fdt, sizeof(fdt), cpus, HARNESS_VM_GPA, pages * 4096ULL);
	uint64_t fdt_hpa = data + (pages - 1) * 4096ULL, fdt_gpa = HARNESS_VM_GPA + (pages - 1) * 4096ULL;
	if (!n || !ucm_write(fdt_hpa, fdt, sizeof(fdt)) || !hv_map(root, fdt_gpa, fdt_hpa, PTE_R | PTE_W))
		return;
	im->built = true;
	hv.hgatp[slot] = (HGATP_MODE_SV39X4 << HGATP_MODE_SHIFT) | (1ULL << HGATP_VMID_SHIFT) | (root >> 12);
	im->root = root;
	im->l1 = ((ucm_read64(root + ((HARNESS_VM_GPA >> 30) & 2047) * 8) >> 10) << 12);
	im->l0 = ((ucm_read64(im->l1 + ((HARNESS_VM_GPA >> 21) & 511) * 8) >> 10) << 12);
	im->fdt_hpa = fdt_hpa;
	im->fdt_gpa = fdt_gpa;
	im->data_hpa = data;
	im->nr_pages = pages;
}

/* --- running the monitor ----------------------------------------------------------------- */

static bool hart_in_hs(unsigned h) { return h == 0 && !hv.halted && !ucm_returns_to_guest(); }
static bool hart_in_guest(unsigned h) { return h == 0 && !hv.halted && ucm_returns_to_guest(); }

static uint64_t step_eid(const struct step *s)
{
	return s->sel % 16 == EID_RAW_SEL ? s->raw_eid : eid_table[s->sel % 16];
}

/* the CSRs the checker reads, as they were at the snapshot (which passed it) */
static uint64_t snap_hgatp, snap_mideleg, snap_medeleg;

/*
 * The checker is a function of the monitor's state (memory tracker, CVM table, each
 * hart's domain), confidential memory, the PMP, hgatp and the delegation CSRs. When
 * none of these differs from the snapshot, which passed, it would pass again: skip it.
 */
static bool checked_state_changed(void)
{
	const struct mem_layout *m = fw_mem();
	const struct monitor_state *now = fw_sm();
	const struct monitor_state *then = ucm_ram_snapshot(sym_sm, sizeof(struct monitor_state));
	if (ucm_ram_differs(sym_sm, offsetof(struct monitor_state, harts)) ||
	    ucm_ram_differs(sym_sm + offsetof(struct monitor_state, boot_conf_base),
			    sizeof(struct monitor_state) - offsetof(struct monitor_state, boot_conf_base)) ||
	    ucm_ram_differs(sym_mem, sizeof(struct mem_layout)) || ucm_ram_differs(m->conf_base, m->conf_size) ||
	    ucm_pmp_changed() || ucm_csr(CSR_HGATP) != snap_hgatp || ucm_csr(CSR_MIDELEG) != snap_mideleg ||
	    ucm_csr(CSR_MEDELEG) != snap_medeleg)
		return true;
	for (unsigned i = 0; i < MAX_HARTS; i++)
		if (now->harts[i].hsm_state != then->harts[i].hsm_state || now->harts[i].cvm != then->harts[i].cvm ||
		    now->harts[i].vcpu != then->harts[i].vcpu)
			return true;
	return false;
}

static void check_selfcheck(void)
{
	char inv[32], detail[200];
	if (!checked_state_changed())
		return;
	if (!ucm_selfcheck(inv, sizeof(inv), detail, sizeof(detail)))
		finding(ORACLE_INVARIANTS, "%s: %s", inv, detail);
}

static void check_reach(void)
{
	const struct mem_layout *m = fw_mem();
	const struct monitor_state *s = fw_sm();
	uint64_t probes[4 + MAX_CVMS];
	unsigned n = 0;
	probes[n++] = m->monitor_base;
	probes[n++] = m->monitor_base + m->monitor_size - 8;
	probes[n++] = m->conf_base;
	probes[n++] = m->conf_base + m->conf_size - 8;
	for (unsigned c = 0; c < MAX_CVMS; c++)
		if (s->cvms[c].state == CVM_ACTIVE) {
			uint64_t pa = walk(s->cvms[c].root, HARNESS_VM_GPA, NULL);
			if (pa)
				probes[n++] = pa + 512;
		}
	for (unsigned i = 0; i < n; i++)
		if (ucm_pmp_allows_s(probes[i], 'r') || ucm_pmp_allows_s(probes[i], 'w'))
			finding(ORACLE_MEM_REACH, "after the monitor returned, the PMP lets the hypervisor reach %llx",
				(unsigned long long)probes[i]);
}

static const unsigned hv_visible_csrs[] = {
	CSR_SSTATUS, CSR_SEPC, CSR_SCAUSE, CSR_STVAL, CSR_SSCRATCH, CSR_STVEC, CSR_SATP, CSR_SIP,
	CSR_HSTATUS, CSR_HTVAL, CSR_HTINST, CSR_HGATP, CSR_HVIP, CSR_VSSTATUS, CSR_VSEPC,
	CSR_VSCAUSE, CSR_VSTVAL, CSR_VSSCRATCH, CSR_VSTVEC, CSR_VSATP, CSR_VSIE,
};

static void check_register_leaks(void)
{
	bool guest = ucm_returns_to_guest();
	int owner = guest ? fw_sm()->harts[0].cvm : -1;
	for (unsigned i = 1; i < 32; i++) {
		uint64_t v = ucm_x(i);
		if (is_canary(v) && (int)canary_cvm(v) != owner)
			finding(ORACLE_REG_LEAK, "%s x%u holds CVM %u's secret %llx", guest ? "CVM" : "hypervisor", i,
				canary_cvm(v), (unsigned long long)v);
	}
	if (guest)
		return;
	for (unsigned i = 0; i < sizeof(hv_visible_csrs) / sizeof(hv_visible_csrs[0]); i++) {
		uint64_t v = ucm_csr(hv_visible_csrs[i]);
		if (is_canary(v))
			finding(ORACLE_REG_LEAK, "hypervisor-visible CSR 0x%x holds CVM %u's secret", hv_visible_csrs[i],
				canary_cvm(v));
	}
}

/* Secrets in hypervisor memory: only the pages the step wrote can have gained one. */
static void check_memory_leaks(void)
{
	if (!hv.canaries)
		return;
	const uint64_t *pages;
	size_t n = ucm_step_pages(&pages);
	uint64_t lo = hv_base(), hi = fw_mem()->conf_base;
	for (size_t i = 0; i < n; i++) {
		if (pages[i] < lo || pages[i] >= hi)
			continue;
		const uint64_t *w = ucm_ram(pages[i], 4096);
		for (unsigned k = 0; k < 512; k++)
			if (is_canary(w[k]))
				finding(ORACLE_MEM_LEAK, "CVM %u's secret %llx reached hypervisor memory at %llx",
					canary_cvm(w[k]), (unsigned long long)w[k], (unsigned long long)(pages[i] + 8 * k));
	}
}

static void after_monitor(enum ucm_stop stop)
{
	switch (stop) {
	case UCM_FAULT: finding(ORACLE_MONITOR_FAULT, "%s", ucm_fault()); return;
	case UCM_HANG: finding(ORACLE_HANG, "the monitor ran %lu blocks without returning", ucm_block_budget); return;
	case UCM_RESET:
	case UCM_PARKED: hv.halted = true; return;
	case UCM_RETURNED: break;
	}
	check_register_leaks();
	if (!ucm_returns_to_guest())
		check_reach();
	check_memory_leaks();
	if (uc_exec_check_every_step)
		check_selfcheck();
}

static void trap(uint64_t cause, uint64_t tval, uint64_t tval2, uint64_t tinst)
{
	after_monitor(ucm_trap(cause, tval, tval2, tinst));
}

static void ecall(uint64_t cause, uint64_t eid, uint64_t fid, const uint64_t a[6])
{
	ucm_set_x(17, eid);
	ucm_set_x(16, fid);
	for (unsigned i = 0; i < 6; i++)
		ucm_set_x(10 + i, a[i]);
	trap(cause, 0, 0, 0);
}

static void hv_call(uint64_t eid, uint64_t fid, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4)
{
	const uint64_t a[6] = { a0, a1, a2, a3, a4, 0 };
	ecall(CAUSE_SUPERVISOR_ECALL, eid, fid, a);
}

static void plant_memory_canaries(unsigned idx)
{
	const struct cvm *c = &fw_sm()->cvms[idx];
	for (unsigned p = 0; p < 16; p++) {
		uint64_t pa = walk(c->root, HARNESS_VM_GPA + p * 4096ULL, NULL) & ~4095ULL;
		const struct mem_layout *m = fw_mem();
		if (!pa || pa < m->conf_base || pa - m->conf_base >= m->conf_size)
			continue;
		uint64_t words[8];
		for (unsigned w = 0; w < 8; w++)
			words[w] = canary(idx, 0xff, p * 8 + w);
		ucm_write(pa + 512 + 64 * idx, words, sizeof(words));
		hv.canaries = true;
	}
}

static void do_promote(const struct step *s)
{
	if (!hv.env.img[s->sel % 2].built)
		return;
	ucm_set_hcsr(CSR_HGATP, hv.hgatp[s->sel % 2]);
	hv_call(SBI_EXT_COVH, COVH_PROMOTE_TO_TVM, eval(&s->v[0]), 0, eval(&s->v[1]), 0, 0);
	uint64_t err = ucm_x(10), id = ucm_x(11);
	if (!hv.halted && !ucm_returns_to_guest() && err == 0 && id >= 1 && id <= MAX_CVMS)
		plant_memory_canaries((unsigned)id - 1);
}

/* The CVM's own registers hold its secrets, except those the step sets. */
static void cvm_registers(void)
{
	const struct hart *h = &fw_sm()->harts[0];
	unsigned cvm = h->cvm >= 0 ? (unsigned)h->cvm : 0, vcpu = h->vcpu >= 0 ? (unsigned)h->vcpu : 0;
	for (unsigned i = 1; i < 32; i++)
		if (i < 10 || i > 17)
			ucm_set_x(i, canary(cvm, vcpu, i));
}

static void hv_access(const struct step *s)
{
	uint64_t addr = eval(&s->v[0]);
	char type = "rwx"[s->sel % 3];
	if (type == 'x') {
		if (ucm_pmp_allows_s(addr, 'r')) /* executable is not modelled: R stands for X */
			return;
		trap(CAUSE_FETCH_ACCESS, addr, 0, 0);
		return;
	}
	if (ucm_pmp_allows_s(addr, type)) {
		uint64_t v = ucm_x(7);
		if (type == 'r' && ucm_read(addr, &v, 8))
			ucm_set_x(7, v);
		else if (type == 'w' && ucm_ram(addr, 8))
			ucm_write(addr, &v, 8);
		return;
	}
	trap(type == 'r' ? CAUSE_LOAD_ACCESS : CAUSE_STORE_ACCESS, addr, 0, 0);
}

static void cvm_access(const struct step *s)
{
	uint64_t gpa = eval(&s->v[0]), perms = 0;
	unsigned width = 1U << ((s->sel >> 1) & 3), reg = s->fid % 32;
	bool store = s->sel & 1;
	cvm_registers();
	if (store && reg)
		ucm_set_x(reg, declassify(eval(&s->v[1])));
	uint64_t root = (ucm_csr(CSR_HGATP) & HGATP_PPN_MASK) << 12;
	uint64_t pa = (gpa & (width - 1)) ? 0 : walk(root, gpa, &perms);
	if (pa && (perms & (store ? PTE_W : PTE_R))) {
		uint64_t v = ucm_x(reg);
		if (store)
			ucm_write(pa, &v, width);
		else if (reg && ucm_read(pa, &v, width))
			ucm_set_x(reg, v); /* extension is not modelled: the loaded bytes as they are */
		return;
	}
	/* the transformed instruction the hardware reports in mtinst (rs1 and offset zero) */
	unsigned f3 = (s->sel >> 1) & 3;
	uint32_t tinst = store ? (0x23U | (f3 << 12) | (reg << 20)) : (0x03U | ((f3 | ((s->sel & 8) ? 4 : 0)) << 12) | (reg << 7));
	trap(store ? CAUSE_STORE_GUEST_PAGE_FAULT : CAUSE_LOAD_GUEST_PAGE_FAULT, gpa, gpa >> 2, tinst);
}

static void irq(const struct step *s)
{
	switch (s->sel % 3) {
	case 0:
		ucm_set_msip(0, 1);
		trap(MCAUSE_INTR | IRQ_M_SOFT, 0, 0, 0);
		break;
	case 1:
		/* delegated to the hypervisor unless the monitor keeps it (while a CVM runs) */
		if (!(ucm_csr(CSR_MIDELEG) & MIP_SEIP))
			trap(MCAUSE_INTR | IRQ_S_EXT, 0, 0, 0);
		break;
	default: {
		uint64_t now = ucm_mtime() + (eval(&s->v[0]) & 0xffff);
		ucm_set_mtime(now);
		uint64_t cmp = 0;
		ucm_read(UCM_CLINT_BASE + 0x4000, &cmp, 8);
		if (now >= cmp && (ucm_csr(CSR_MIE) & MIP_MTIP))
			trap(MCAUSE_INTR | IRQ_M_TIMER, 0, 0, 0);
		break;
	}
	}
}

static void run_step(const struct step *s)
{
	unsigned h = s->hart;
	uint64_t a[6];
	switch (s->kind) {
	case ST_HV_ECALL:
		if (hart_in_hs(h)) {
			for (unsigned i = 0; i < 6; i++)
				a[i] = eval(&s->v[i]);
			ecall(CAUSE_SUPERVISOR_ECALL, step_eid(s), s->fid, a);
		}
		break;
	case ST_HV_BUILD: build_image(s->sel % 2, s); break;
	case ST_HV_PROMOTE:
		if (hart_in_hs(h))
			do_promote(s);
		break;
	case ST_HV_RUN:
		if (hart_in_hs(h))
			hv_call(SBI_EXT_COVH, COVH_RUN_TVM_VCPU, eval(&s->v[0]), s->fid % 8, eval(&s->v[1]),
				eval(&s->v[2]), eval(&s->v[3]));
		break;
	case ST_HV_WRITE: {
		uint64_t addr = eval(&s->v[0]), val = eval(&s->v[1]);
		unsigned width = 1U << (s->sel % 4);
		if (addr >= hv_base() && addr + width <= fw_mem()->conf_base && addr + width > addr)
			ucm_write(addr, &val, width);
		break;
	}
	case ST_HV_ACCESS:
		if (hart_in_hs(h))
			hv_access(s);
		break;
	case ST_CVM_ECALL:
		if (hart_in_guest(h)) {
			cvm_registers();
			for (unsigned i = 0; i < 6; i++)
				a[i] = declassify(eval(&s->v[i]));
			ecall(CAUSE_VIRTUAL_SUPERVISOR_ECALL, step_eid(s), s->fid, a);
		}
		break;
	case ST_CVM_ACCESS:
		if (hart_in_guest(h))
			cvm_access(s);
		break;
	case ST_IRQ:
		if (h == 0 && !hv.halted)
			irq(s);
		break;
	default: break;
	}
}

/* --- set-up --------------------------------------------------------------------------------- */

static void prologue(enum target_id t)
{
	hv.pool_next = hv_base() + (1ULL << 20); /* the first MiB is "the hypervisor's own image" */
	const struct mem_layout *m = fw_mem();
	hv.env = (struct value_env){
		.monitor_base = m->monitor_base, .monitor_size = m->monitor_size,
		.conf_base = m->conf_base, .conf_size = m->conf_size,
		.ram_base = m->ram_base, .ram_size = m->ram_size,
		.uart = UCM_UART_BASE, .clint = UCM_CLINT_BASE,
		.pool = pool_alloc(HARNESS_POOL_PAGES * 4096ULL, 4096),
		.cvm0_page = cvm0_page,
	};
	struct step build = { .kind = ST_HV_BUILD, .fid = HARNESS_PROLOGUE_IMAGE_FID };
	build.v[0] = (struct value){ .cls = VC_SMALL, .idx = 7 };
	build_image(0, &build);
	build.v[0].idx = 9;
	build_image(1, &build);
	if (t == TGT_CVM_CALLS || t == TGT_MULTI_HART) {
		struct step promote = { .kind = ST_HV_PROMOTE, .sel = 0 };
		promote.v[0] = (struct value){ .cls = VC_GPA, .idx = GSYM_VM_FDT };
		promote.v[1] = (struct value){ .cls = VC_GPA, .idx = GSYM_VM_BASE };
		do_promote(&promote);
	}
	if (t == TGT_CVM_CALLS)
		hv_call(SBI_EXT_COVH, COVH_RUN_TVM_VCPU, 1, 0, 0, 0, 0);
}

void uc_exec_init(enum target_id t)
{
	const char *fw = getenv("UC_FIRMWARE");
	if (!fw || !*fw)
		fw = UC_DEFAULT_FIRMWARE;
	if (getenv("UC_CHECK_EVERY_STEP"))
		uc_exec_check_every_step = atoi(getenv("UC_CHECK_EVERY_STEP")) != 0;
	char err[512];
	if (!ucm_init(fw, targets[t].nr_harts, err, sizeof(err))) {
		fprintf(stderr, "unicorn harness: %s\n", err);
		exit(2);
	}
	uint64_t sm_size = 0, mem_size = 0;
	sym_sm = ucm_symbol("sm", &sm_size);
	sym_mem = ucm_symbol("mem", &mem_size);
	if (!sym_sm || sm_size != sizeof(struct monitor_state) || mem_size != sizeof(struct mem_layout)) {
		fprintf(stderr, "unicorn harness: %s was built with other limits than the harness "
				"(sm is %llu bytes, the harness expects %zu)\n",
			fw, (unsigned long long)sm_size, sizeof(struct monitor_state));
		exit(2);
	}
	if (!ucm_has_selfcheck())
		fprintf(stderr, "unicorn harness: %s has no self-check entry: the invariants oracle is off\n", fw);
	target = t;
	memset(&hv, 0, sizeof(hv));
	prologue(t);
	if (hv.halted || (t == TGT_CVM_CALLS && !ucm_returns_to_guest())) {
		fprintf(stderr, "unicorn harness: the %s prologue did not reach its starting state\n", targets[t].name);
		exit(2);
	}
	snap_hgatp = ucm_csr(CSR_HGATP);
	snap_mideleg = ucm_csr(CSR_MIDELEG);
	snap_medeleg = ucm_csr(CSR_MEDELEG);
	ucm_snapshot();
	hv_snap = hv;
}

void uc_exec_run(const uint8_t *data, size_t size)
{
	static struct prog p;
	ucm_restore();
	hv = hv_snap;
	prog_decode(target, data, size, &p);
	cur_prog = &p;
	static int trace = -1;
	if (trace < 0)
		trace = getenv("UC_TRACE_STEPS") != NULL;
	for (cur_step = 0; cur_step < p.nsteps && !hv.halted; cur_step++) {
		struct timespec t0, t1;
		if (trace)
			clock_gettime(CLOCK_MONOTONIC, &t0);
		run_step(&p.steps[cur_step]);
		if (trace) {
			clock_gettime(CLOCK_MONOTONIC, &t1);
			fprintf(stderr, "step %u %s: %.1f us\n", cur_step, step_kind_name(p.steps[cur_step].kind),
				(double)(t1.tv_sec - t0.tv_sec) * 1e6 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e3);
		}
	}
	if (!uc_exec_check_every_step)
		check_selfcheck();
	cur_prog = NULL;
}
