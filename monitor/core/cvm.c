/* CVM control data: lookup by the hypervisor's id, teardown. */
#include <string.h>

#include "cvm_ops.h"
#include "monitor.h"

struct cvm *cvm_lookup(ureg_t id, unsigned *idx)
{
	if (id == 0 || id > MAX_CVMS || sm.cvms[id - 1].state != CVM_ACTIVE)
		return NULL;
	*idx = (unsigned)(id - 1);
	return &sm.cvms[id - 1];
}

bool cvm_any_vcpu_running(const struct cvm *c)
{
	for (unsigned i = 0; i < MAX_VCPUS; i++)
		if (c->vcpu[i].running_on >= 0)
			return true;
	return false;
}

/* Every page back to the free pool, zeroed (I.MT.3); every register and region gone. */
void cvm_teardown(unsigned idx)
{
	mt_release_all(&sm.mt, MT_CVM(idx));
	memset(&sm.cvms[idx], 0, sizeof(sm.cvms[idx]));
	for (unsigned i = 0; i < MAX_VCPUS; i++)
		sm.cvms[idx].vcpu[i].running_on = -1;
}

bool cvm_gpa_range_ok(gpaddr_t gpa, uint64_t len)
{
	return IS_ALIGNED(gpa, PAGE_SIZE) && IS_ALIGNED(len, PAGE_SIZE) && range_ok(gpa, len) &&
	       gpa + len <= (1ULL << SV39X4_GPA_BITS_CVM);
}

/* Does [gpa, gpa+len) overlap any MMIO or shared region of c? */
bool cvm_region_overlaps(const struct cvm *c, gpaddr_t gpa, uint64_t len)
{
	for (unsigned i = 0; i < MAX_MMIO_REGIONS; i++)
		if (c->mmio[i].len && ranges_overlap(gpa, len, c->mmio[i].gpa, c->mmio[i].len))
			return true;
	for (unsigned i = 0; i < MAX_SHARED_REGIONS; i++)
		if (c->shared[i].len && ranges_overlap(gpa, len, c->shared[i].gpa, c->shared[i].len))
			return true;
	return false;
}
