/* The oracles checked after every step (see docs/fuzzing.md for what each guards). */
#include "csr.h"
#include "gstage.h"
#include "harness.h"
#include "hart.h"
#include "invariants.h"
#include "model.h"
#include "monitor.h"
#include "platform.h"
#include "secrets.h"
#include "state.h"

/* CSRs the hypervisor can read on a hart it runs on. */
static const unsigned hv_visible_csrs[] = {
	CSR_SSTATUS, CSR_SEPC, CSR_SCAUSE, CSR_STVAL, CSR_SSCRATCH, CSR_STVEC, CSR_SATP, CSR_SIP,
	CSR_HSTATUS, CSR_HTVAL, CSR_HTINST, CSR_HGATP, CSR_HVIP, CSR_VSSTATUS, CSR_VSEPC,
	CSR_VSCAUSE, CSR_VSTVAL, CSR_VSSCRATCH, CSR_VSTVEC, CSR_VSATP, CSR_VSIE,
};

static void check_invariants(void)
{
	struct inv_violation v;
	if (!inv_check_all(&v))
		harness_finding(ORACLE_INVARIANTS, "%s: %s", v.invariant, v.detail);
}

/* A CVM's canary may appear only in that CVM's own registers. */
static void check_register_leaks(unsigned h)
{
	const struct model_hart *mh = model_hart(h);
	bool guest = hart_in_guest(h);
	int owner = guest ? sm.harts[h].cvm : -1;
	for (unsigned i = 1; i < 32; i++)
		if (is_canary(mh->x[i]) && (int)canary_cvm(mh->x[i]) != owner)
			harness_finding(ORACLE_REG_LEAK, "hart %u (%s) x%u holds CVM %u's secret %llx", h,
					guest ? "CVM" : "hypervisor", i, canary_cvm(mh->x[i]),
					(unsigned long long)mh->x[i]);
	for (unsigned i = 0; i < 32; i++)
		if (is_canary(mh->f[i]) && (int)canary_cvm(mh->f[i]) != owner)
			harness_finding(ORACLE_REG_LEAK, "hart %u f%u holds CVM %u's secret", h, i,
					canary_cvm(mh->f[i]));
	if (guest)
		return;
	for (unsigned i = 1; i < 32; i++) {
		const char *what = secrets_in_word(mh->x[i]);
		if (what)
			harness_finding(ORACLE_REG_LEAK, "hart %u: the hypervisor's x%u holds part of %s", h, i, what);
	}
	for (unsigned i = 0; i < sizeof(hv_visible_csrs) / sizeof(hv_visible_csrs[0]); i++) {
		uint64_t v = model_csr(h, hv_visible_csrs[i]);
		if (is_canary(v))
			harness_finding(ORACLE_REG_LEAK, "hart %u: hypervisor-visible CSR 0x%x holds CVM %u's secret",
					h, hv_visible_csrs[i], canary_cvm(v));
		if (secrets_in_word(v))
			harness_finding(ORACLE_REG_LEAK, "hart %u: hypervisor-visible CSR 0x%x holds part of %s",
					h, hv_visible_csrs[i], secrets_in_word(v));
	}
}

/* The hypervisor must not be able to load or store monitor or confidential memory. */
static void check_reach(unsigned h)
{
	uint64_t probes[4 + MAX_CVMS];
	unsigned n = 0;
	probes[n++] = mem.monitor_base;
	probes[n++] = mem.monitor_base + mem.monitor_size - 8;
	probes[n++] = mem.conf_base;
	probes[n++] = mem.conf_base + mem.conf_size - 8;
	for (unsigned c = 0; c < MAX_CVMS; c++)
		if (sm.cvms[c].state == CVM_ACTIVE) {
			paddr_t pa = gstage_lookup(sm.cvms[c].root, VM_GPA_BASE, NULL);
			if (pa)
				probes[n++] = pa + 512;
		}
	for (unsigned i = 0; i < n; i++)
		if (model_can_access(h, probes[i], 'r') || model_can_access(h, probes[i], 'w'))
			harness_finding(ORACLE_MEM_REACH, "hypervisor on hart %u can reach %llx", h,
					(unsigned long long)probes[i]);
}

/*
 * What the hypervisor can read without any monitor's help: its memory and the console.
 * A planted canary there is a leak. Memory is scanned a page at a time, only the pages
 * written since the last look (the model's `fresh` map), so a step costs what it wrote.
 */
static void scan_hypervisor_page(uint64_t pa, void *arg)
{
	(void)arg;
	static uint64_t words[PAGE_SIZE / 8];
	if (!mem_is_hypervisor(pa, PAGE_SIZE) || !model_phys_read(pa, words, PAGE_SIZE))
		return;
	for (unsigned i = 0; i < PAGE_SIZE / 8; i++)
		if (is_planted_canary(words[i], MAX_CVMS, MAX_VCPUS))
			harness_finding(ORACLE_MEM_LEAK, "hypervisor memory at %llx holds CVM %u's secret %llx",
					(unsigned long long)(pa + 8 * i), canary_cvm(words[i]),
					(unsigned long long)words[i]);
	const char *what = secrets_in_words(words, PAGE_SIZE / 8);
	if (what)
		harness_finding(ORACLE_MEM_LEAK, "hypervisor memory page %llx holds %s",
				(unsigned long long)pa, what);
}

/* Console bytes are not aligned: every 8-byte window of the new output is a candidate. */
static size_t console_checked;

static void check_console(void)
{
	size_t len;
	const char *out = model_console_output(&len);
	size_t from = console_checked < len ? console_checked : len;
	from = from > 7 ? from - 7 : 0;
	for (size_t i = from; i + 8 <= len; i++) {
		uint64_t v = 0;
		for (unsigned b = 0; b < 8; b++)
			v |= (uint64_t)(uint8_t)out[i + b] << (8 * b);
		if (is_planted_canary(v, MAX_CVMS, MAX_VCPUS))
			harness_finding(ORACLE_MEM_LEAK, "the console printed CVM %u's secret %llx",
					canary_cvm(v), (unsigned long long)v);
	}
	const char *what = secrets_in_bytes((const uint8_t *)out + from, len - from);
	if (what)
		harness_finding(ORACLE_MEM_LEAK, "the console printed %s", what);
	console_checked = len;
}

/*
 * Bus masters ignore PMP: whatever they touch, the hypervisor that programs them reads
 * or writes. Judged against the layout the harness recorded at boot, not against the
 * monitor's own record, which such a device could have rewritten.
 */
static void check_dma(const struct model_dma *d, void *arg)
{
	(void)arg;
	uint64_t end = d->pa + d->len < d->pa ? UINT64_MAX : d->pa + d->len;
	const struct value_env *e = &hs.env;
	bool monitor = d->pa < e->monitor_base + e->monitor_size && end > e->monitor_base;
	bool conf = d->pa < e->conf_base + e->conf_size && end > e->conf_base;
	if (d->len && (monitor || conf))
		harness_finding(ORACLE_BUS_MASTER, "a DMA %s of %llx+%llx reached %s memory",
				d->write ? "write" : "read", (unsigned long long)d->pa,
				(unsigned long long)d->len, monitor ? "monitor" : "confidential");
}

static void check_hypervisor_view(void)
{
	model_drain_dma(check_dma, NULL);
	model_drain_written_pages(scan_hypervisor_page, NULL);
	check_console();
}

/*
 * The invariants and the PMP reach depend only on monitor state, CSRs and memory, which
 * change only when the monitor runs or a lower domain stores (model_epoch()). Steps that
 * did neither, and they are many (faulting accesses the hypervisor handles itself,
 * writes to its own memory, delegated interrupts), are not checked again.
 */
static uint64_t checked_epoch = UINT64_MAX;

void oracles_state_checked(void)
{
	checked_epoch = model_epoch();
	model_console_output(&console_checked);
}

void oracles_after_step(void)
{
	bool changed = model_epoch() != checked_epoch;
	if (changed)
		check_invariants();
	for (unsigned h = 0; h < model_nr_harts(); h++) {
		if (model_hart(h)->parked)
			continue;
		check_register_leaks(h);
		if (changed && !hart_in_guest(h))
			check_reach(h);
	}
	check_hypervisor_view();
	checked_epoch = model_epoch();
}
