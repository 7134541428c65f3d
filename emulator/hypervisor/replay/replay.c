/*
 * Replay mode: a host fuzz program, flattened by replay/host/replay-convert, played by
 * the hypervisor on the real firmware. After every step it checks what it can see from
 * HS: the monitor's image and confidential memory still fault when read, and no guest
 * secret came back in a register. A hang is the runner's to notice (each step is
 * announced before it runs). Findings print in the host harness's words:
 *   ==ORACLE== <oracle> at step N (qemu): ...
 */
#include <string.h>

#include "../../../catalog/oracles.h"
#include "cove.h"
#include "hv.h"
#include "hv_arch.h"
#include "replay.h"
#include "sbi.h"

#define NO_FAULT (~0UL)

/* The scratch pool of host programs (pool:N): the converter reads its address from the ELF. */
uint8_t replay_pool[64 * 4096] __attribute__((aligned(4096)));
volatile unsigned long replay_fault_cause;

unsigned long replay_probe_load(unsigned long addr);
void replay_probe_store(unsigned long addr, unsigned long val);
void replay_trap(void);

static struct hv_cvm cvm;
static struct hv_regs regs;
static const char *const kind_names[] = { "?", "hv_ecall", "hv_write", "hv_load", "hv_store",
					  "hv_build", "hv_promote", "hv_run" };

static _Noreturn void finish(bool clean)
{
	hv_exit(clean ? 0 : 1);
}

static _Noreturn void finding(enum oracle o, uint32_t step, const char *what,
			      unsigned long addr)
{
	con_lock();
	con_puts("==ORACLE== ");
	con_puts(oracle_name(o));
	con_puts(" at step ");
	con_put_dec(step);
	con_puts(" (qemu): ");
	con_puts(what);
	con_puts(" ");
	con_put_hex(addr);
	con_puts("\n");
	con_unlock();
	finish(false);
}

/* One access with faults caught; returns the scause, or NO_FAULT. */
static unsigned long guarded(unsigned long addr, bool store, unsigned long *val)
{
	unsigned long saved;
	__asm__ __volatile__("csrr %0, stvec" : "=r"(saved));
	CSR_WRITE(stvec, (unsigned long)replay_trap);
	replay_fault_cause = NO_FAULT;
	__asm__ __volatile__("" ::: "memory");
	if (store)
		replay_probe_store(addr, *val);
	else
		*val = replay_probe_load(addr);
	__asm__ __volatile__("" ::: "memory");
	CSR_WRITE(stvec, saved);
	return replay_fault_cause;
}

static bool forbidden(const struct replay_list *l, unsigned long a)
{
	return (a >= l->monitor_base && a < l->monitor_end) || (a >= l->conf_base && a < l->conf_end);
}

/* An ecall with every register chosen; a guest secret in what comes back is a leak. */
static void call(uint32_t step, const uint64_t *a)
{
	memset(&regs, 0, sizeof(regs));
	for (unsigned i = 0; i < 8; i++)
		regs.in[REG_A0 + i] = a[i];
	hv_ecall_regs(&regs);
	if (secrets_scan_regs(&regs))
		finding(ORACLE_REG_LEAK, step, "a guest secret in the registers the call returned, a0 =",
			regs.out[REG_A0]);
}

static void promote(uint32_t step, const uint64_t *a)
{
	uint64_t r[8] = { a[0], 0, a[1], 0, 0, 0, COVH_PROMOTE_TO_TVM, SBI_EXT_COVH };
	CSR_WRITE(hgatp, HGATP_SV39X4 | (1UL << HGATP_VMID_SHIFT) |
				 ((unsigned long)cvm.gstage_root >> 12));
	CSR_WRITE(vsatp, 0UL);
	CSR_WRITE(vsstatus, 0UL);
	CSR_WRITE(vstvec, 0UL);
	CSR_WRITE(vsscratch, 0UL);
	CSR_WRITE(vsie, 0UL);
	call(step, r);
	CSR_WRITE(hgatp, 0UL);
}

static void say_step(const struct replay_step *s)
{
	con_lock();
	con_puts("replay: step ");
	con_put_dec(s->index);
	con_puts(" ");
	con_puts(s->kind < sizeof(kind_names) / sizeof(kind_names[0]) ? kind_names[s->kind] : "?");
	for (unsigned i = 0; i < 8; i++) {
		con_puts(" ");
		con_put_hex(s->a[i]);
	}
	con_puts("\n");
	con_unlock();
}

static void say_result(const char *what, unsigned long v0, unsigned long v1)
{
	con_lock();
	con_puts("replay:   ");
	con_puts(what);
	con_puts(" ");
	con_put_hex(v0);
	con_puts(" ");
	con_put_hex(v1);
	con_puts("\n");
	con_unlock();
}

static void play(const struct replay_list *l, const struct replay_step *s)
{
	unsigned long val = s->a[1];
	switch (s->kind) {
	case RK_ECALL:
		call(s->index, s->a);
		say_result("error/value", regs.out[REG_A0], regs.out[REG_A0 + 1]);
		break;
	case RK_RUN:
		hv_timer_arm(true); /* a CVM that spins still comes back */
		call(s->index, s->a);
		hv_timer_arm(false);
		say_result("error/reason", regs.out[REG_A0], regs.out[REG_A0 + 1]);
		break;
	case RK_PROMOTE:
		promote(s->index, s->a);
		say_result("error/id", regs.out[REG_A0], regs.out[REG_A0 + 1]);
		break;
	case RK_BUILD:
		if (!hv_vm_build(&cvm))
			finding(ORACLE_INVARIANTS, s->index, "the demo VM could not be laid out again", 0);
		break;
	case RK_WRITE: /* the converter keeps these inside the pool and the demo VM's pages */
		if (s->a[2] == 1)
			*(volatile uint8_t *)s->a[0] = (uint8_t)val;
		else if (s->a[2] == 2)
			*(volatile uint16_t *)s->a[0] = (uint16_t)val;
		else if (s->a[2] == 4)
			*(volatile uint32_t *)s->a[0] = (uint32_t)val;
		else
			*(volatile uint64_t *)s->a[0] = val;
		break;
	case RK_LOAD:
	case RK_STORE: {
		unsigned long cause = guarded(s->a[0], s->kind == RK_STORE, &val);
		say_result("fault cause", cause, val);
		if (cause == NO_FAULT && forbidden(l, s->a[0]))
			finding(ORACLE_MEM_REACH, s->index,
				s->kind == RK_STORE ? "the hypervisor stored without a fault to"
						    : "the hypervisor loaded without a fault from",
				s->a[0]);
		if (s->kind == RK_LOAD && cause == NO_FAULT && secret_is(val))
			finding(ORACLE_MEM_REACH, s->index, "the hypervisor loaded a guest secret from",
				s->a[0]);
		break;
	}
	default:
		finding(ORACLE_INVARIANTS, s->index, "unknown step kind", s->kind);
	}
}

/* After every step: the monitor's image and confidential memory must still fault. */
static void check_reach(const struct replay_list *l, uint32_t step)
{
	static const unsigned long conf_offsets[] = { 0, 0x1000, 0x400000, 0x1000000 };
	unsigned long v = 0;
	if (guarded(l->monitor_base, false, &v) == NO_FAULT)
		finding(ORACLE_MEM_REACH, step, "the hypervisor can read monitor memory at", l->monitor_base);
	for (unsigned i = 0; i < sizeof(conf_offsets) / sizeof(conf_offsets[0]); i++) {
		unsigned long a = l->conf_base + conf_offsets[i];
		if (a < l->conf_end && guarded(a, false, &v) == NO_FAULT)
			finding(ORACLE_MEM_REACH, step, "the hypervisor can read confidential memory at", a);
	}
}

_Noreturn void replay_mode(unsigned long hartid, unsigned long ram_end)
{
	(void)hartid;
	const struct replay_list *l = (const struct replay_list *)REPLAY_ADDR;
	if (l->magic != REPLAY_MAGIC || l->nsteps > REPLAY_MAX_STEPS) {
		con_line("replay: no step list at REPLAY_ADDR");
		finish(false);
	}
	if (l->conf_base != ram_end || l->pool != (unsigned long)replay_pool) {
		con_line("replay: the converter assumed another layout (conf_base or pool)");
		finish(false);
	}
	if (!hv_vm_build(&cvm)) {
		con_line("replay: cannot lay out the demo VM");
		finish(false);
	}
	con_lock();
	con_puts("replay: ");
	con_put_dec(l->nsteps);
	con_puts(" of ");
	con_put_dec(l->total);
	con_puts(" steps to play\n");
	con_unlock();
	check_reach(l, 0);
	for (unsigned i = 0; i < l->nsteps; i++) {
		say_step(&l->step[i]);
		play(l, &l->step[i]);
		check_reach(l, l->step[i].index);
	}
	con_lock();
	con_puts("replay: ");
	con_put_dec(l->nsteps);
	con_puts(" steps, clean (");
	con_put_dec(l->skipped);
	con_puts(" skipped)\n");
	con_unlock();
	finish(true);
}
