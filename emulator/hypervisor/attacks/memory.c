/*
 * Direct reach: the hypervisor (HS) and a VM of its own (VS, its G-stage tables
 * mapping all of RAM one to one) load and store confidential and monitor memory. The
 * hypervisor does not know where a CVM's pages are, so it tries every page of the
 * confidential region, and searches each page it can read for the victim's secrets.
 */
#include "atk.h"
#include "hv_arch.h"

#define CAUSE_LOAD_ACCESS 5
#define CAUSE_STORE_ACCESS 7
#define CAUSE_VS_ECALL 10
/* QEMU 7.2 reports any failure of a two-stage access after the first stage, a PMP
 * denial included, as a guest-page fault: from the VM, a denied load is cause 21 and a
 * denied store 23. A control read of the VM's own memory tells that apart from a
 * mapping the attacker got wrong. */
#define CAUSE_LOAD_GUEST_PAGE 21
#define CAUSE_STORE_GUEST_PAGE 23
#define PAGE 4096UL
#define CONF_WINDOW 0x4000000UL /* what the attacker assumes: 64 MiB from where RAM "ends" */
#define MONITOR_BASE 0x80000000UL
#define STORE_MARK 0xa77ac4edbadc0de5UL
#define PTE_RWXUADV 0xdfUL
#define VM_VMID 3UL

/* ---- HS ---- */

static bool hs_load(unsigned long addr, unsigned long *val)
{
	struct atk_ctx *x = atk_here();
	x->faulted = 0;
	x->expect = 1;
	__asm__ __volatile__("" ::: "memory");
	*val = atk_probe_load(addr);
	__asm__ __volatile__("" ::: "memory");
	x->expect = 0;
	return !x->faulted;
}

bool atk_hs_store(unsigned long addr, unsigned long val)
{
	struct atk_ctx *x = atk_here();
	x->faulted = 0;
	x->expect = 1;
	__asm__ __volatile__("" ::: "memory");
	atk_probe_store(addr, val);
	__asm__ __volatile__("" ::: "memory");
	x->expect = 0;
	return !x->faulted;
}

/* ---- the hypervisor's own VM ---- */

static uint64_t vm_root[2048] __attribute__((aligned(16384)));

static void vm_on(bool on)
{
	unsigned long hgatp = 0;
	if (on) {
		vm_root[(MONITOR_BASE >> 30) & 2047] = ((MONITOR_BASE >> 12) << 10) | PTE_RWXUADV;
		hgatp = HGATP_SV39X4 | (VM_VMID << 44) | ((unsigned long)vm_root >> 12);
	}
	__asm__ __volatile__("csrw vsatp, zero; csrw hgatp, %0; hfence.gvma" ::"r"(hgatp) : "memory");
}

/* The VM scans [from, to) for `want`: true if it ran to an end (no fault); *at = where
 * it stopped, *last = the last doubleword it loaded. */
static bool vm_scan(unsigned long from, unsigned long to, unsigned long want, unsigned long *at,
		    unsigned long *last)
{
	struct atk_ctx *x = atk_here();
	atk_vm_enter(x, from, want, to, (unsigned long)atk_vm_scan);
	*at = x->trap_regs[REG_A0];
	*last = x->trap_regs[REG_T0];
	return x->scause == CAUSE_VS_ECALL;
}

static bool vm_store(unsigned long addr, unsigned long val)
{
	struct atk_ctx *x = atk_here();
	atk_vm_enter(x, addr, val, 0, (unsigned long)atk_vm_store);
	return x->scause == CAUSE_VS_ECALL;
}

/*
 * Switches the VM on and has it read a hypervisor page (its own root table): that must
 * work, or the VM's tables are wrong. On failure the VM is off again.
 */
static bool vm_enter_checked(struct atk_report *r)
{
	unsigned long at, v;
	vm_on(true);
	if (vm_scan((unsigned long)vm_root, (unsigned long)vm_root + 8, 1, &at, &v))
		return true;
	vm_on(false);
	ev(r, "the VM could not read its own memory: its tables are wrong");
	return false;
}

static bool denied(bool from_vm, unsigned long cause, bool store)
{
	if (store)
		return cause == CAUSE_STORE_ACCESS || (from_vm && cause == CAUSE_STORE_GUEST_PAGE);
	return cause == CAUSE_LOAD_ACCESS || (from_vm && cause == CAUSE_LOAD_GUEST_PAGE);
}

/* ---- against a CVM ---- */

struct reach {
	unsigned long tried, faults, readable, hit, hit_value, last_cause;
};

/* Every page of the window: its first doubleword, and the whole page if that loads. */
static void sweep(bool from_vm, struct reach *s)
{
	uint64_t want = secret_value(0);
	*s = (struct reach){ 0 };
	for (unsigned long pa = atk_env.conf_base; pa < atk_env.conf_base + CONF_WINDOW; pa += PAGE) {
		unsigned long v, at;
		bool ok;
		s->tried++;
		if (from_vm) {
			ok = vm_scan(pa, pa + 8, want, &at, &v);
		} else {
			ok = hs_load(pa, &v);
		}
		if (!ok) {
			s->faults++;
			s->last_cause = atk_here()->scause;
			continue;
		}
		s->readable++;
		if (from_vm) {
			if (vm_scan(pa, pa + PAGE, want, &at, &v) && at < pa + PAGE) {
				s->hit = at;
				s->hit_value = v;
				return;
			}
			continue;
		}
		for (unsigned long a = pa; a < pa + PAGE; a += 8) {
			if (hs_load(a, &v) && secret_is(v)) {
				s->hit = a;
				s->hit_value = v;
				return;
			}
		}
	}
}

static enum atk_verdict against_cvm(struct atk_report *r, bool from_vm)
{
	struct atk_cvm *victim = atk_victim();
	if (!victim) {
		ev(r, "the victim CVM did not start");
		return ATK_ERROR;
	}
	struct reach s;
	if (from_vm && !vm_enter_checked(r))
		return ATK_ERROR;
	sweep(from_vm, &s);
	/* the store goes next to the secret found (else anywhere in the region), after the
	 * attacker notes what it overwrites */
	unsigned long target = s.hit ? s.hit + 8 : atk_env.conf_base, old = 0, at;
	if (s.hit && from_vm)
		vm_scan(target, target + 8, 0, &at, &old);
	else if (s.hit)
		hs_load(target, &old);
	bool stored = from_vm ? vm_store(target, STORE_MARK) : atk_hs_store(target, STORE_MARK);
	unsigned long store_cause = atk_here()->scause;
	if (from_vm)
		vm_on(false);
	struct atk_exit e;
	bool asked = atk_command(victim, 0, AGENT_CMD_CHECK_MEM, 0, NULL, 0, &e) == STOP_NEXT;
	unsigned long changed = e.p[1], value = e.p[3];
	if (stored && s.hit) { /* put it back: later attacks use the same victim */
		if (from_vm) {
			vm_on(true);
			vm_store(target, old);
			vm_on(false);
		} else {
			atk_hs_store(target, old);
		}
	}

	if (s.hit) {
		ev(r, "load returned the secret ");
		ev_hex(r, s.hit_value);
		ev(r, " at ");
		ev_hex(r, s.hit);
	} else {
		ev_dec(r, s.faults);
		ev(r, " of ");
		ev_dec(r, s.tried);
		ev(r, " page loads faulted");
		if (s.faults) {
			ev(r, " (scause ");
			ev_dec(r, s.last_cause);
			ev(r, ")");
		}
		ev(r, ", nothing loaded");
	}
	ev(r, stored ? "; store completed" : "; store faulted (scause ");
	if (!stored) {
		ev_dec(r, store_cause);
		ev(r, ")");
	}
	if (!asked) {
		ev(r, "; the victim did not answer");
		return ATK_ERROR;
	}
	if (changed) {
		ev(r, "; victim reads ");
		ev_hex(r, value);
		ev(r, " next to its secret");
	} else {
		ev(r, "; victim's secrets intact");
	}
	if (s.hit || changed || s.readable)
		return ATK_SUCCEEDED;
	if (from_vm)
		ev(r, "; the VM's control read of its own memory worked");
	bool right = s.faults == s.tried && denied(from_vm, s.last_cause, false) && !stored &&
		     denied(from_vm, store_cause, true);
	return right ? ATK_BLOCKED : ATK_ERROR;
}

enum atk_verdict atk_hs_cvm_memory(struct atk_report *r)
{
	return against_cvm(r, false);
}

enum atk_verdict atk_vm_cvm_memory(struct atk_report *r)
{
	return against_cvm(r, true);
}

/* ---- against the monitor ---- */

static enum atk_verdict against_monitor(struct atk_report *r, bool from_vm)
{
	unsigned long v = 0, at;
	if (from_vm && !vm_enter_checked(r))
		return ATK_ERROR;
	bool loaded = from_vm ? vm_scan(MONITOR_BASE, MONITOR_BASE + 8, 0, &at, &v)
			      : hs_load(MONITOR_BASE, &v);
	unsigned long load_cause = atk_here()->scause;
	/* writes back what it read: proof of write access that changes nothing */
	bool stored = from_vm ? vm_store(MONITOR_BASE, v) : atk_hs_store(MONITOR_BASE, v);
	unsigned long store_cause = atk_here()->scause;
	if (from_vm)
		vm_on(false);
	if (loaded) {
		ev(r, "load of ");
		ev_hex(r, MONITOR_BASE);
		ev(r, " returned ");
		ev_hex(r, v);
		if (atk_env.monitor_word)
			ev(r, v == atk_env.monitor_word ? ", the firmware image's first doubleword"
						       : ", not the firmware image's first doubleword");
	} else {
		ev(r, "load faulted (scause ");
		ev_dec(r, load_cause);
		ev(r, "), nothing loaded");
	}
	ev(r, stored ? "; store completed" : "; store faulted (scause ");
	if (!stored) {
		ev_dec(r, store_cause);
		ev(r, ")");
	}
	if (from_vm)
		ev(r, "; the VM's control read of its own memory worked");
	if (loaded || stored)
		return ATK_SUCCEEDED;
	return denied(from_vm, load_cause, false) && denied(from_vm, store_cause, true) ? ATK_BLOCKED
											: ATK_ERROR;
}

enum atk_verdict atk_hs_monitor_memory(struct atk_report *r)
{
	return against_monitor(r, false);
}

enum atk_verdict atk_vm_monitor_memory(struct atk_report *r)
{
	return against_monitor(r, true);
}
