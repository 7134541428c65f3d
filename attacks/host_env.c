#include "host_env.h"

#include <stdlib.h>

#include "cove.h"
#include "csr.h"
#include "gstage.h"
#include "gstage_pt.h"
#include "hart.h"
#include "monitor.h"
#include "platform.h"
#include "sbi.h"

bool looks_cvm_secret(uint64_t v)
{
	return (v & 0xffffffff00000000ULL) == CVM_SECRET;
}

void env_boot(void)
{
	model_init(&model_default_config);
	vm_pool_reset();
	for (unsigned h = 0; h < model_nr_harts(); h++)
		model_set_csr(h, CSR_STVEC, HV_STVEC);
}

void env_shutdown(void)
{
	model_fini();
}

bool env_start_hart(struct attack_run *run, unsigned h)
{
	struct sbiret r = hv_ecall(0, SBI_EXT_HSM, SBI_HSM_HART_START, h, MODEL_HV_ENTRY, 0, 0, 0, 0);
	if (r.error || model_hart(h)->parked) {
		attack_note(run, "hart %u did not start (error %ld)", h, r.error);
		return false;
	}
	return true;
}

bool victim_promote(struct attack_run *run, unsigned h, struct victim *v, unsigned pages,
		    unsigned cpus, uint64_t seed)
{
	if (!vm_build(&v->img, pages, cpus, seed)) {
		attack_note(run, "could not build a %u-page VM", pages);
		return false;
	}
	struct sbiret r = hv_promote(h, &v->img);
	if (r.error) {
		attack_note(run, "promote of an ordinary VM failed (error %ld)", r.error);
		return false;
	}
	v->id = r.value;
	v->idx = (unsigned)(r.value - 1);
	return true;
}

bool victim_enter(struct attack_run *run, unsigned h, const struct victim *v, unsigned vcpu,
		  uint64_t resp0, uint64_t resp1, uint64_t inject)
{
	struct sbiret r = hv_run(h, v->id, vcpu, resp0, resp1, inject);
	if (!hart_in_guest(h)) {
		attack_note(run, "run of TVM %llu vCPU %u on hart %u refused (error %ld)",
			    (unsigned long long)v->id, vcpu, h, r.error);
		return false;
	}
	return true;
}

bool cvm_yield(unsigned h, uint64_t value)
{
	cvm_ecall(h, VENDOR_EID, 0, value, 0, 0, 0, 0, 0);
	return !hart_in_guest(h) && model_hart(h)->x[REG_A1] == TVM_EXIT_HYPERCALL;
}

bool dom_store64(unsigned h, uint64_t addr, uint64_t value)
{
	model_hart(h)->x[SCRATCH_REG] = value;
	return model_store(h, addr, 8, SCRATCH_REG) == MODEL_OK;
}

bool dom_load64(unsigned h, uint64_t addr, uint64_t *value)
{
	/* a faulting load leaves the register alone: start from something no one stores */
	model_hart(h)->x[SCRATCH_REG] = 0;
	if (model_load(h, addr, 8, false, SCRATCH_REG) != MODEL_OK)
		return false;
	*value = model_hart(h)->x[SCRATCH_REG];
	return true;
}

bool victim_with_secret(struct attack_run *run, struct victim *v, uint64_t seed, uint64_t secret)
{
	if (!victim_promote(run, 0, v, 4, 1, seed) || !victim_enter(run, 0, v, 0, 0, 0, 0))
		return false;
	if (!dom_store64(0, SECRET_GPA, secret)) {
		attack_note(run, "the victim could not write its own page");
		return false;
	}
	/* the victim's data no longer sits in registers once it yields */
	model_hart(0)->x[SCRATCH_REG] = 0;
	if (!cvm_yield(0, 0)) {
		attack_note(run, "the victim's hypercall did not reach the hypervisor");
		return false;
	}
	return true;
}

uint64_t victim_hpa(const struct victim *v, uint64_t gpa)
{
	paddr_t page = gstage_lookup(sm.cvms[v->idx].root, gpa & ~PAGE_MASK, NULL);
	return page ? page + (gpa & PAGE_MASK) : 0;
}

uint64_t phys64(uint64_t pa)
{
	uint64_t v = 0;
	if (!model_phys_read(pa, &v, sizeof(v)))
		abort();
	return v;
}

void phys64_set(uint64_t pa, uint64_t v)
{
	if (!model_phys_write(pa, &v, sizeof(v)))
		abort();
}

uint64_t plant_monitor_secret(void)
{
	uint64_t pa = mem.monitor_base + 0x3000 + 0x80;
	phys64_set(pa, MONITOR_SECRET);
	return pa;
}

/* The hypervisor edits its own tables (hypervisor memory, Sv39x4 as vm_build lays them). */
static bool phys_read64(void *ctx, uint64_t pa, uint64_t *v)
{
	(void)ctx;
	*v = phys64(pa);
	return true;
}

bool hv_remap(uint64_t hgatp, uint64_t gpa, uint64_t pa)
{
	static const struct refhw_mem m = { .read64 = phys_read64 };
	struct refhw_leaf leaf;
	if (refhw_gstage_walk(&m, (hgatp & HGATP_PPN_MASK) << PAGE_SHIFT, REFHW_SV39X4_LEVELS, gpa,
			      &leaf) != REFHW_XLATE_OK || leaf.level)
		return false;
	uint64_t keep = leaf.pte & ((1ULL << REFHW_PTE_PPN_SHIFT) - 1);
	phys64_set(leaf.pte_pa, ((pa >> REFHW_PAGE_SHIFT) << REFHW_PTE_PPN_SHIFT) | keep);
	return true;
}

uint64_t hv_exit_reason(unsigned h)
{
	return model_hart(h)->x[REG_A1];
}
