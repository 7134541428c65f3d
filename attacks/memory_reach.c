/*
 * Direct reads and writes of a CVM's memory and of the monitor's memory, from the
 * hypervisor in HS-mode and from an ordinary VM whose G-stage tables the hypervisor
 * pointed at the target. Only PMP stands in the way: the hypervisor owns its tables.
 */
#include "host_attacks.h"

#include "csr.h"
#include "hart.h"
#include "platform.h"

struct target {
	uint64_t pa;     /* where the secret lives */
	uint64_t secret; /* what reading it would return */
};

/* Who attacks: the hypervisor itself, or an ordinary VM it runs on hart 0. */
struct attacker {
	bool vm;
	uint64_t hgatp, entry;
};

/* Puts the attacker on hart 0 again (a faulting access hands the hart to HS). */
static void attacker_on(const struct attacker *a)
{
	if (!a->vm)
		return;
	/* what sret with hstatus.SPV set does: V=1, the hypervisor's hgatp in force */
	model_set_csr(0, CSR_HGATP, a->hgatp);
	model_hart(0)->mode = MODE_VS;
	model_hart(0)->pc = a->entry;
}

/* Loads what the attacker can get at `addr`, then stores next to it. */
static bool read_then_write(struct attack_run *run, const struct attacker *a, uint64_t addr,
			    uint64_t secret)
{
	uint64_t got = 0;
	attacker_on(a);
	bool read = dom_load64(0, addr, &got) && got == secret;
	if (read)
		attack_note(run, "load returned the secret 0x%llx", (unsigned long long)got);
	else
		attack_note(run, "load trapped to the hypervisor (scause %llu), nothing loaded",
			    (unsigned long long)model_csr(0, CSR_SCAUSE));
	attacker_on(a);
	dom_store64(0, addr + 8, ATTACKER_VALUE);
	model_hart(0)->mode = MODE_HS; /* the hypervisor takes its hart back */
	return read;
}

/* An ordinary VM whose first page the hypervisor maps onto `pa`'s page. */
static bool vm_mapping(struct attack_run *run, uint64_t pa, struct attacker *a, uint64_t *gpa)
{
	struct vm_image vm;
	if (!vm_build(&vm, 2, 1, 0x11) || !hv_remap(vm.hgatp, vm.gpa_base, pa & ~PAGE_MASK)) {
		attack_note(run, "could not build the attacker's VM");
		return false;
	}
	*a = (struct attacker){ .vm = true, .hgatp = vm.hgatp, .entry = vm.entry };
	*gpa = vm.gpa_base + (pa & PAGE_MASK);
	return true;
}

static bool victim_target(struct attack_run *run, struct victim *v, struct target *t)
{
	t->secret = CVM_SECRET | 0x51;
	if (!victim_with_secret(run, v, 0x51, t->secret))
		return false;
	t->pa = victim_hpa(v, SECRET_GPA);
	return t->pa != 0;
}

/* Did the attacker's store reach the victim? The victim reads its own page back. */
static bool victim_sees_write(struct attack_run *run, const struct victim *v)
{
	uint64_t seen = 0;
	if (!victim_enter(run, 0, v, 0, 0, 0, 0) || !dom_load64(0, SECRET_GPA + 8, &seen))
		return false;
	attack_note(run, "victim reads 0x%llx next to its secret", (unsigned long long)seen);
	return seen == ATTACKER_VALUE;
}

static enum attack_result verdict(bool read, bool wrote)
{
	return read || wrote ? AR_SUCCEEDED : AR_BLOCKED;
}

enum attack_result attack_hs_cvm_memory(struct attack_run *run)
{
	struct victim v;
	struct target t;
	const struct attacker hv = { .vm = false };
	if (!victim_target(run, &v, &t))
		return AR_ERROR;
	bool read = read_then_write(run, &hv, t.pa, t.secret);
	return verdict(read, victim_sees_write(run, &v));
}

enum attack_result attack_vm_cvm_memory(struct attack_run *run)
{
	struct victim v;
	struct target t;
	struct attacker vm;
	uint64_t gpa;
	if (!victim_target(run, &v, &t) || !vm_mapping(run, t.pa, &vm, &gpa))
		return AR_ERROR;
	bool read = read_then_write(run, &vm, gpa, t.secret);
	return verdict(read, victim_sees_write(run, &v));
}

/* Did the store land? The monitor's word next to the secret, read physically. */
static bool monitor_written(struct attack_run *run, uint64_t pa)
{
	uint64_t now = phys64(pa + 8);
	attack_note(run, "monitor word next to it now 0x%llx", (unsigned long long)now);
	return now == ATTACKER_VALUE;
}

enum attack_result attack_hs_monitor_memory(struct attack_run *run)
{
	const struct attacker hv = { .vm = false };
	uint64_t pa = plant_monitor_secret();
	bool read = read_then_write(run, &hv, pa, MONITOR_SECRET);
	return verdict(read, monitor_written(run, pa));
}

enum attack_result attack_vm_monitor_memory(struct attack_run *run)
{
	struct attacker vm;
	uint64_t gpa, pa = plant_monitor_secret();
	if (!vm_mapping(run, pa, &vm, &gpa))
		return AR_ERROR;
	bool read = read_then_write(run, &vm, gpa, MONITOR_SECRET);
	return verdict(read, monitor_written(run, pa));
}
