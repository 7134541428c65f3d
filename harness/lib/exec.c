/* Plays decoded programs against the monitor on the hardware model. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cove.h"
#include "defence.h"
#include "csr.h"
#include "csr_state.h"
#include "gstage.h"
#include "harness.h"
#include "hart.h"
#include "monitor.h"
#include "platform.h"
#include "prefix_cache.h"
#include "sbi.h"
#include "secrets.h"
#include "state.h"
#include "symbols.h"

struct hstate hs;
static struct hstate hs_snapshot;
static int initialized_target = -1;
static const struct prog *current_prog;
static unsigned current_step;

unsigned harness_oracles_enabled = (1U << ORACLE_COUNT) - 1;
int harness_count_only;
unsigned harness_findings;
const char *harness_last_oracle;

void harness_finding(enum oracle o, const char *fmt, ...)
{
	if (!(harness_oracles_enabled & (1U << o)))
		return;
	harness_findings++;
	harness_last_oracle = oracle_name(o);
	if (harness_count_only)
		return;
	va_list ap;
	va_start(ap, fmt);
	prog_report_finding(oracle_name(o), current_step, "", current_prog, fmt, ap);
}

/* --- values ------------------------------------------------------------------ */

_Static_assert(VM_GPA_BASE == HARNESS_VM_GPA, "the symbols describe scenario.c's images");

static uint64_t cvm0_page(void)
{
	return sm.cvms[0].state == CVM_ACTIVE ? gstage_lookup(sm.cvms[0].root, VM_GPA_BASE, NULL) : 0;
}

static uint64_t eval(const struct value *v) { return value_eval(v, &hs.env); }

/* --- steps ------------------------------------------------------------------- */

static bool hart_in_hs(unsigned h)
{
	return !model_hart(h)->parked && model_hart(h)->mode == MODE_HS;
}

static uint64_t step_eid(const struct step *s)
{
	return s->sel % 16 == EID_RAW_SEL ? s->raw_eid : eid_table[s->sel % 16];
}

static void set_call_regs(unsigned h, const struct step *s)
{
	struct model_hart *mh = model_hart(h);
	mh->x[REG_A7] = step_eid(s);
	mh->x[REG_A6] = s->fid;
	for (unsigned i = 0; i < 6; i++)
		mh->x[REG_A0 + i] = eval(&s->v[i]);
}

static void build_image(unsigned slot, const struct step *s)
{
	struct vm_image *vm = &hs.vm[slot];
	struct value_image *im = &hs.env.img[slot];
	unsigned pages = 2 + s->fid % 8, cpus = 1 + (s->fid >> 4) % (MAX_VCPUS + 1);
	if (!vm_build(vm, pages, cpus, eval(&s->v[0])))
		return; /* the hypervisor ran out of memory: nothing to promote */
	im->built = true;
	im->root = (vm->hgatp & HGATP_PPN_MASK) << PAGE_SHIFT;
	uint64_t pte = 0;
	model_phys_read(im->root + ((VM_GPA_BASE >> 30) & 2047) * 8, &pte, 8);
	im->l1 = pte_pa(pte);
	model_phys_read(im->l1 + ((VM_GPA_BASE >> 21) & 511) * 8, &pte, 8);
	im->l0 = pte_pa(pte);
	im->data_hpa = vm->hpa_first;
	im->fdt_hpa = vm->hpa_first + (uint64_t)(vm->nr_pages - 1) * PAGE_SIZE;
	im->fdt_gpa = vm->fdt_gpa;
	im->nr_pages = vm->nr_pages;
}

/* A CVM that exists holds secrets in its memory: plant them where the hypervisor might
 * later find them if isolation broke. */
static void plant_memory_canaries(unsigned idx)
{
	const struct cvm *c = &sm.cvms[idx];
	for (unsigned p = 0; p < 16; p++) {
		paddr_t pa = gstage_lookup(c->root, VM_GPA_BASE + p * PAGE_SIZE, NULL);
		if (!pa || !mem_is_confidential(pa, PAGE_SIZE))
			continue;
		uint64_t words[8];
		for (unsigned w = 0; w < 8; w++)
			words[w] = canary(idx, 0xff, p * 8 + w);
		/* a different spot per CVM, so a copy of another CVM's page keeps its secrets */
		model_phys_write(pa + 512 + 64 * idx, words, sizeof(words));
	}
}

static void do_promote(unsigned h, const struct step *s)
{
	if (!hs.env.img[s->sel % 2].built)
		return;
	model_set_csr(h, CSR_HGATP, hs.vm[s->sel % 2].hgatp);
	csr_state_hv_acted(h); /* the hypervisor's own choice */
	struct sbiret r = hv_ecall(h, SBI_EXT_COVH, COVH_PROMOTE_TO_TVM, eval(&s->v[0]), 0, eval(&s->v[1]), 0, 0, 0);
	if (r.error == SBI_SUCCESS && r.value >= 1 && r.value <= MAX_CVMS) {
		unsigned idx = (unsigned)r.value - 1;
		integrity_forget_cvm(idx);
		csr_state_forget_cvm(idx);
		integrity_fresh_vcpu(idx, 0, eval(&s->v[1]), 0, eval(&s->v[0]));
		plant_memory_canaries(idx);
	}
}

static void do_access(unsigned h, const struct step *s, bool guest)
{
	uint64_t addr = eval(&s->v[0]);
	struct model_hart *mh = model_hart(h);
	if (!guest) {
		char type = "rwx"[s->sel % 3];
		if (type == 'r')
			model_load(h, addr, 8, false, REG_T2);
		else if (type == 'w')
			model_store(h, addr, 8, REG_T2);
		else
			model_fetch(h, addr);
		return;
	}
	unsigned width = 1U << ((s->sel >> 1) & 3), reg = s->fid % 32;
	if (s->sel & 1) {
		if (reg)
			mh->x[reg] = eval(&s->v[1]); /* the CVM chooses what it stores */
		cpu_view_read(h, &hs.pre[h]);
		model_store(h, addr, width, reg);
	} else {
		model_load(h, addr, width, (s->sel & 8) != 0, reg);
	}
}

/* The hypervisor starts a fw_cfg DMA transfer, its descriptor in the last pool page. */
static void do_dma(unsigned h, const struct step *s)
{
	static const uint32_t ops[4] = { FW_CFG_DMA_READ, FW_CFG_DMA_WRITE, 0x04 /* skip */, 0 };
	uint64_t desc = hs.env.pool + (HARNESS_POOL_PAGES - 1) * PAGE_SIZE;
	uint32_t control = (uint32_t)s->fid << 16 | FW_CFG_DMA_SELECT | ops[s->sel & 3];
	hv_fw_cfg_dma(h, desc, control, eval(&s->v[0]), (uint32_t)eval(&s->v[1]), (s->sel & 4) != 0);
}

/* A CSR instruction of the domain on hart h: rs1 = t2 holds v0, rd = t1. */
static void do_csr(unsigned h, const struct step *s, const unsigned *choices, unsigned n)
{
	static const char ops[4] = { 'w', 's', 'c', 's' };
	unsigned csr = choices[s->fid % n], rs1 = s->sel % 4 == 3 ? 0 : REG_T2;
	if (s->kind == ST_CVM_CSR)
		cpu_view_read(h, &hs.pre[h]); /* the CVM set t2 itself */
	uint64_t v = eval(&s->v[0]);
	/* A CVM works on its own canaries as on any value (csrrs, csrrc): the operand never
	 * touches the owner field, so what it computes can never pass for another CVM's. */
	if (s->kind == ST_CVM_CSR)
		v &= ~CANARY_OWNER_MASK;
	model_hart(h)->x[REG_T2] = v;
	if (s->kind == ST_CVM_CSR)
		hs.pre[h].x[REG_T2] = v;
	model_csr_insn(h, csr, ops[s->sel % 4], REG_T1, rs1);
}

/*
 * The hypervisor's own VM: its G-stage tables (image sel%2), a VMID it picks (0-3, so it
 * often is a CVM's), and VS-stage tables wherever vsatp says. One load, then the
 * hypervisor has its hart and its own hgatp and vsatp back, whatever the load did.
 */
static void do_hv_vm(unsigned h, const struct step *s)
{
	if (!hs.env.img[s->sel % 2].built)
		return;
	struct model_hart *mh = model_hart(h);
	uint64_t hgatp = model_csr(h, CSR_HGATP), vsatp = model_csr(h, CSR_VSATP), pc = mh->pc;
	uint64_t vm_hgatp = (hs.vm[s->sel % 2].hgatp & ~(HGATP_VMID_MASK << HGATP_VMID_SHIFT)) |
			    ((uint64_t)(s->fid % 4) << HGATP_VMID_SHIFT);
	model_set_csr(h, CSR_HGATP, vm_hgatp);
	model_set_csr(h, CSR_VSATP, eval(&s->v[0]));
	mh->mode = MODE_VS; /* what sret with hstatus.SPV set does */
	model_load(h, eval(&s->v[1]), 8, false, REG_T2);
	if (!model_hart(h)->parked) {
		mh->mode = MODE_HS;
		mh->pc = pc + 4;
		model_set_csr(h, CSR_HGATP, hgatp);
		model_set_csr(h, CSR_VSATP, vsatp);
	}
}

static void do_fence(unsigned h, const struct step *s)
{
	static const char kinds[3] = { 'v', 'g', 's' };
	char k = kinds[s->sel % 3];
	if (k == 's' ? hart_in_guest(h) : hart_in_hs(h))
		model_fence(h, k);
}

static void do_irq(unsigned h, const struct step *s)
{
	switch (s->sel % 3) {
	case 0: model_raise_irq(h, IRQ_M_SOFT); break;
	case 1:
		model_raise_irq(h, IRQ_S_EXT);
		model_clear_irq(h, IRQ_S_EXT);
		break;
	default: model_advance_time(eval(&s->v[0]) & 0xffff); break;
	}
}

static void run_step(const struct step *s)
{
	unsigned h = s->hart;
	uint64_t resp0 = 0, resp1 = 0;
	hs.run_cvm = -1;
	switch (s->kind) {
	case ST_HV_ECALL:
		if (hart_in_hs(h)) {
			set_call_regs(h, s);
			resp0 = model_hart(h)->x[REG_A2];
			resp1 = model_hart(h)->x[REG_A3];
			model_ecall(h);
		}
		break;
	case ST_HV_BUILD: build_image(s->sel % 2, s); break;
	case ST_HV_PROMOTE:
		if (hart_in_hs(h))
			do_promote(h, s);
		break;
	case ST_HV_RUN:
		if (hart_in_hs(h)) {
			uint64_t id = eval(&s->v[0]);
			resp0 = eval(&s->v[1]);
			resp1 = eval(&s->v[2]);
			struct sbiret r = hv_run(h, id, s->fid % 8, resp0, resp1, eval(&s->v[3]));
			if (r.error == SBI_SUCCESS && id >= 1 && id <= MAX_CVMS) {
				hs.run_cvm = (int)id - 1;
				hs.run_vcpu = (int)(s->fid % 8);
				hs.run_exit = r.value;
			}
		}
		break;
	case ST_HV_WRITE: {
		uint64_t addr = eval(&s->v[0]), val = eval(&s->v[1]);
		unsigned width = 1U << (s->sel % 4);
		if (mem_is_hypervisor(addr, width))
			model_phys_write(addr, &val, width);
		break;
	}
	case ST_HV_ACCESS:
		if (hart_in_hs(h))
			do_access(h, s, false);
		break;
	case ST_CVM_ECALL:
		if (hart_in_guest(h)) {
			set_call_regs(h, s);
			cpu_view_read(h, &hs.pre[h]); /* the CVM set these itself */
			model_ecall(h);
		}
		break;
	case ST_CVM_ACCESS:
		if (hart_in_guest(h))
			do_access(h, s, true);
		break;
	case ST_IRQ:
		if (!model_hart(h)->parked)
			do_irq(h, s);
		break;
	case ST_HV_DMA:
		if (hart_in_hs(h))
			do_dma(h, s);
		break;
	case ST_HV_CSR:
		if (hart_in_hs(h))
			do_csr(h, s, hv_csr_choices, nr_hv_csr_choices);
		break;
	case ST_CVM_CSR:
		if (hart_in_guest(h))
			do_csr(h, s, cvm_csr_choices, nr_cvm_csr_choices);
		break;
	case ST_HV_VM:
		if (hart_in_hs(h))
			do_hv_vm(h, s);
		break;
	case ST_FENCE:
		if (!model_hart(h)->parked)
			do_fence(h, s);
		break;
	default: break;
	}
	integrity_after_step(s, resp0, resp1);
	csr_state_after_step(s);
}

/*
 * The fuzzing machine: QEMU virt's layout at a smaller scale. 1 MiB of confidential
 * memory (256 pages) still holds several CVMs and lets exhaustion paths be reached,
 * and keeps the per-step ownership check cheap.
 */

/*
 * Platform layouts, one per campaign (HARNESS_LAYOUT in the environment; the first by
 * default), so that a check that is wrong only where a boundary is not 2 MiB aligned, or
 * where memory is tight, is reached too:
 *   default    the above
 *   unaligned  RAM ends 12 KiB past a 2 MiB boundary: confidential memory, and the
 *              hypervisor's end, start 12 KiB into a 2 MiB region
 *   tight      the smallest monitor region and 64 pages of confidential memory
 */
struct layout {
	const char *name;
	struct model_config cfg;
};
static const struct layout layouts[] = {
	{ "default", { 4, 16ULL << 20, 2ULL << 20, 1ULL << 20 } },
	{ "unaligned", { 4, (16ULL << 20) + 0x3000, 2ULL << 20, (1ULL << 20) + 0x1000 } },
	{ "tight", { 4, 8ULL << 20, 1ULL << 20, 64 * PAGE_SIZE } },
};

static const struct model_config *campaign_layout(void)
{
	const char *want = getenv("HARNESS_LAYOUT");
	if (!want || !*want)
		return &layouts[0].cfg;
	for (unsigned i = 0; i < sizeof(layouts) / sizeof(layouts[0]); i++)
		if (strcmp(layouts[i].name, want) == 0)
			return &layouts[i].cfg;
	fprintf(stderr, "harness: HARNESS_LAYOUT=%s is not one of default, unaligned, tight\n", want);
	abort();
}

/* --- prologues: reach a useful starting state once, then snapshot it --------------- */

static void prologue(enum target_id t)
{
	struct step build = { .kind = ST_HV_BUILD, .fid = HARNESS_PROLOGUE_IMAGE_FID };
	build.v[0] = (struct value){ .cls = VC_SMALL, .idx = 7 };
	hs.env = (struct value_env){
		.monitor_base = mem.monitor_base, .monitor_size = mem.monitor_size,
		.conf_base = mem.conf_base, .conf_size = mem.conf_size,
		.ram_base = mem.ram_base, .ram_size = mem.ram_size,
		.uart = 0x10000000, .clint = 0x2000000,
		.pool = vm_pool_alloc(HARNESS_POOL_PAGES * PAGE_SIZE, PAGE_SIZE),
		.cvm0_page = cvm0_page,
	};
	build_image(0, &build);
	build.v[0].idx = 9; /* same layout (the gpa symbols fit both), other contents */
	build_image(1, &build);
	if (t == TGT_MULTI_HART)
		for (unsigned h = 1; h < targets[t].nr_harts; h++)
			hv_ecall(0, SBI_EXT_HSM, SBI_HSM_HART_START, h, MODEL_HV_ENTRY, h, 0, 0, 0);
	if (t == TGT_CVM_CALLS || t == TGT_MULTI_HART) {
		struct step promote = { .kind = ST_HV_PROMOTE, .sel = 0 };
		promote.v[0] = (struct value){ .cls = VC_GPA, .idx = GSYM_VM_FDT };
		promote.v[1] = (struct value){ .cls = VC_GPA, .idx = GSYM_VM_BASE };
		do_promote(0, &promote);
	}
	if (t == TGT_CVM_CALLS) {
		integrity_before_step();
		hv_run(0, 1, 0, 0, 0, 0);
		struct step none = { .kind = ST_HV_RUN };
		integrity_after_step(&none, 0, 0);
	}
}

/*
 * Some defences act at boot (PMP set-up): in the fault-injection build a change of the
 * switches boots the machine again, so that a test's switch reaches them too.
 */
#ifdef MONITOR_FAULT_INJECTION
#define BOOT_DEFENCES defences_off
#else
#define BOOT_DEFENCES 0u
#endif
static unsigned initialized_defences;

void harness_init(enum target_id t)
{
	if (initialized_target == (int)t && initialized_defences == BOOT_DEFENCES)
		return;
	initialized_defences = BOOT_DEFENCES;
	prefix_cache_clear();
	if (initialized_target >= 0)
		model_fini();
	model_init(campaign_layout());
	memset(&hs, 0, sizeof(hs));
	for (unsigned h = 0; h < MAX_HARTS; h++)
		hs.cvm_on[h] = hs.vcpu_on[h] = -1;
	vm_pool_reset();
	secrets_init();
	csr_state_reset();
	prologue(t);
	oracles_after_step();
	model_snapshot();
	hs.pool_mark = vm_pool_mark();
	hs_snapshot = hs;
	initialized_target = (int)t;
}

int harness_run(enum target_id t, const uint8_t *data, size_t size)
{
	static struct prog p;
	harness_init(t);
	prog_decode(t, data, size, &p);
	/* from the longest cached prefix of the program, else from the target's start */
	unsigned first = prefix_cache_resume(&p);
	if (!first) {
		model_restore();
		hs = hs_snapshot;
		vm_pool_set(hs.pool_mark);
	}
	oracles_state_checked();
	current_prog = &p;
	unsigned findings = harness_findings;
	for (current_step = first; current_step < p.nsteps; current_step++) {
		integrity_before_step();
		run_step(&p.steps[current_step]);
		oracles_after_step();
		if (harness_findings == findings)
			prefix_cache_offer(&p, current_step + 1);
	}
	current_prog = NULL;
	return 0;
}
