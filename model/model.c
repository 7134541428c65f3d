/*
 * The machine as a whole: configuration, the memory layout handed to the monitor,
 * harts at reset, snapshot/restore, and the small devices (console, reset).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "monitor.h"
#include "platform.h"
#include "model_priv.h"
#include "model_test.h"

const struct model_config model_default_config = {
	.nr_harts = 4,
	.ram_size = 16ULL << 20,
	.monitor_size = 2ULL << 20,
	.conf_size = 4ULL << 20,
};

struct model_state g_model;
bool g_model_ready;

static char console_out[MODEL_CONSOLE_OUT_MAX];

/* What model_snapshot records besides RAM (mem.c keeps that). */
static struct {
	bool valid;
	struct model_state state;
	struct monitor_state sm;
	struct mem_layout mem;
	char console_out[MODEL_CONSOLE_OUT_MAX];
	bool console_clobbered; /* model_console_clear ran since the snapshot */
} snap;
static unsigned snapshot_gen; /* which snapshot checkpoints are taken over */

void model_fatal(const char *fmt, ...)
{
	va_list ap;
	fputs("hardware model: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap); /* NOLINT(clang-analyzer-valist.Uninitialized): va_start is just above */
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

struct hart_state *model_hs(unsigned h, const char *who)
{
	if (!g_model_ready)
		model_fatal("%s before model_init_hw", who);
	if (h >= g_model.nr_harts)
		model_fatal("%s: hart %u does not exist (%u harts)", who, h, g_model.nr_harts);
	return &g_model.harts[h];
}

struct hart_state *model_current_hs(const char *who)
{
	return model_hs(g_model.current, who);
}

struct hart_state *model_action_hart(unsigned h, const char *who)
{
	struct hart_state *hs = model_hs(h, who);
	if (g_model.in_monitor)
		model_fatal("%s called while the monitor runs", who);
	if (hs->pub.parked)
		return NULL;
	if (hs->pub.mode == MODE_M)
		model_fatal("%s: hart %u is in M-mode but not parked; no domain runs there", who, h);
	return hs;
}

void model_set_current_hart(unsigned h)
{
	model_hs(h, "model_set_current_hart");
	g_model.current = h;
}

unsigned model_current_hart(void)
{
	return g_model.current;
}

static void check_config(const struct model_config *cfg)
{
	if (!cfg)
		model_fatal("model_init_hw: no configuration");
	if (cfg->nr_harts == 0 || cfg->nr_harts > MAX_HARTS)
		model_fatal("model_init_hw: %u harts (1..%u supported)", cfg->nr_harts, MAX_HARTS);
	if (cfg->ram_size == 0 || !IS_ALIGNED(cfg->ram_size, PAGE_SIZE) || cfg->ram_size > (1ULL << 34))
		model_fatal("model_init_hw: RAM size 0x%llx is not a page multiple up to 16 GiB",
			    (unsigned long long)cfg->ram_size);
	if (!IS_ALIGNED(cfg->monitor_size, PAGE_SIZE) || !IS_ALIGNED(cfg->conf_size, PAGE_SIZE) ||
	    cfg->monitor_size > cfg->ram_size || cfg->conf_size > cfg->ram_size - cfg->monitor_size)
		model_fatal("model_init_hw: monitor and confidential regions do not fit in RAM");
	if (MODEL_RAM_BASE + cfg->monitor_size > MODEL_HV_ENTRY ||
	    MODEL_HV_ENTRY >= MODEL_RAM_BASE + cfg->ram_size - cfg->conf_size)
		model_fatal("model_init_hw: the hypervisor entry 0x%llx is not hypervisor memory",
			    (unsigned long long)MODEL_HV_ENTRY);
}

void model_init_hw(const struct model_config *cfg)
{
	check_config(cfg);
	model_fini();
	ram_alloc(cfg->ram_size);

	/* A freshly loaded monitor image: its data starts zero. Model tests that stand in
	 * for the monitor (hooks.trap) skip monitor_init, so each trap frame is pointed
	 * where monitor_init points it: the hypervisor's record. */
	memset(&sm, 0, sizeof(sm));
	for (unsigned i = 0; i < MAX_HARTS; i++)
		sm.harts[i].regs = &sm.harts[i].hv.regs;
	mem = (struct mem_layout){
		.ram_base = MODEL_RAM_BASE,
		.ram_size = cfg->ram_size,
		.monitor_base = MODEL_RAM_BASE,
		.monitor_size = cfg->monitor_size,
		.conf_base = MODEL_RAM_BASE + cfg->ram_size - cfg->conf_size,
		.conf_size = cfg->conf_size,
		.nr_harts = cfg->nr_harts,
	};
	plat = model_platform_ops();

	g_model.nr_harts = cfg->nr_harts;
	for (unsigned h = 0; h < cfg->nr_harts; h++) {
		struct hart_state *hs = &g_model.harts[h];
		csr_reset(hs);
		hs->pub.mtimecmp = UINT64_MAX; /* no timer until the monitor sets one */
		if (h == 0) {
			/* Where the firmware hands over: HS at the kernel entry, a0 = hartid 0,
			 * a1 = no device tree. */
			hs->pub.mode = MODE_HS;
			hs->pub.pc = MODEL_HV_ENTRY;
		} else {
			trap_park(hs);
		}
	}
	model_load_test_seed(); /* boot.c: the endorsement seed's stand-in */
	g_model_ready = true;
}

void model_init(const struct model_config *cfg)
{
	model_init_hw(cfg);
	model_boot(); /* boot.c */
}

void model_fini(void)
{
	ram_free();
	memset(&g_model, 0, sizeof(g_model));
	snap.valid = false;
	g_model_ready = false;
}

void model_snapshot(void)
{
	if (!g_model_ready || g_model.in_monitor)
		model_fatal("model_snapshot needs an initialised, idle model");
	ram_snapshot();
	snap.state = g_model;
	snap.sm = sm;
	snap.mem = mem;
	memcpy(snap.console_out, console_out, g_model.console_out_len);
	snap.console_clobbered = false;
	snap.valid = true;
	snapshot_gen++;
}

void model_restore(void)
{
	if (!snap.valid || g_model.in_monitor)
		model_fatal("model_restore needs a snapshot and an idle model");
	ram_restore();
	g_model = snap.state;
	sm = snap.sm;
	mem = snap.mem;
	plat = model_platform_ops();
	/* Output only grows past the snapshot's length unless it was cleared. */
	if (snap.console_clobbered) {
		memcpy(console_out, snap.console_out, g_model.console_out_len);
		snap.console_clobbered = false;
	}
	for (unsigned h = 0; h < g_model.nr_harts; h++) {
		gtlb_flush(&g_model.harts[h]);
		g_model.harts[h].hfence_count = 0;
	}
}

struct model_checkpoint {
	unsigned snapshot_gen;
	struct model_state state;
	struct monitor_state sm;
	struct mem_layout mem;
	char *console; /* console_out[0, state.console_out_len) */
	struct ram_delta ram;
};

struct model_checkpoint *model_checkpoint_take(struct model_checkpoint *c)
{
	if (!snap.valid || g_model.in_monitor)
		model_fatal("model_checkpoint_take needs a snapshot and an idle model");
	if (!c && (!(c = calloc(1, sizeof(*c))) || !(c->console = malloc(MODEL_CONSOLE_OUT_MAX))))
		model_fatal("out of memory for a checkpoint");
	c->snapshot_gen = snapshot_gen;
	c->state = g_model;
	c->sm = sm;
	c->mem = mem;
	memcpy(c->console, console_out, g_model.console_out_len);
	ram_delta_take(&c->ram);
	return c;
}

void model_checkpoint_resume(const struct model_checkpoint *c)
{
	if (c->snapshot_gen != snapshot_gen)
		model_fatal("model_checkpoint_resume: the checkpoint was taken over another snapshot");
	model_restore();
	ram_delta_apply(&c->ram);
	g_model = c->state;
	sm = c->sm;
	mem = c->mem;
	memcpy(console_out, c->console, g_model.console_out_len);
	snap.console_clobbered = true; /* the next restore copies the snapshot's output back */
	model_epoch_counter++;
}

void model_checkpoint_free(struct model_checkpoint *c)
{
	if (!c)
		return;
	ram_delta_free(&c->ram);
	free(c->console);
	free(c);
}

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const uint8_t *b = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 0x100000001b3ULL;
	return h;
}

uint64_t model_state_digest(void)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	for (unsigned i = 0; i < g_model.nr_harts; i++) {
		const struct hart_state *hs = &g_model.harts[i];
		h = fnv(h, &hs->pub, sizeof(hs->pub));
		h = fnv(h, hs->csr, sizeof(hs->csr));
	}
	h = fnv(h, &sm, sizeof(sm));
	h = fnv(h, console_out, g_model.console_out_len);
	for (uint64_t pa = MODEL_RAM_BASE; pa < MODEL_RAM_BASE + model_ram_size(); pa += PAGE_SIZE)
		if (model_page_dirty(pa)) {
			h = fnv(h, &pa, sizeof(pa));
			h = fnv(h, ram_at(pa), PAGE_SIZE);
		}
	return h;
}

uint64_t model_checkpoint_pages(const struct model_checkpoint *c)
{
	return c->ram.npages;
}

unsigned model_nr_harts(void)
{
	return g_model.nr_harts;
}

struct model_hart *model_hart(unsigned h)
{
	return &model_hs(h, "model_hart")->pub;
}

void model_console_putc(char c)
{
	if (g_model.console_out_len < sizeof(console_out))
		console_out[g_model.console_out_len++] = c;
}

const char *model_console_output(size_t *len)
{
	if (len)
		*len = g_model.console_out_len;
	return console_out;
}

void model_console_clear(void)
{
	g_model.console_out_len = 0;
	snap.console_clobbered = true;
}

void model_console_input(const char *s)
{
	for (; s && *s && g_model.console_in_len < MODEL_CONSOLE_IN_MAX; s++) {
		size_t tail = (g_model.console_in_head + g_model.console_in_len) % MODEL_CONSOLE_IN_MAX;
		g_model.console_in[tail] = *s;
		g_model.console_in_len++;
	}
}

int model_reset_requested(uint32_t *reason)
{
	if (!g_model.reset_requested)
		return -1;
	if (reason)
		*reason = g_model.reset_reason;
	return (int)g_model.reset_type;
}

uint64_t model_epoch_counter;

uint64_t model_epoch(void)
{
	return model_epoch_counter;
}

uint64_t model_hfence_count(unsigned h)
{
	return model_hs(h, "model_hfence_count")->hfence_count;
}
