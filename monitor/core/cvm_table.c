/* Every extension a CVM can call, in one table shaped like hv_extensions[]. */
#include "monitor.h"
#include "sbi.h"
#include "cvm_ext.h"

const struct cvm_ext *const cvm_extensions[] = {
	&cvm_ext_covg,
	&cvm_ext_hsm,
	&cvm_ext_hypercall, /* every other EID: the hypervisor's to answer */
	NULL,
};

const struct cvm_ext *cvm_find_ext(ureg_t eid)
{
	for (const struct cvm_ext *const *e = cvm_extensions; *e; e++)
		if (eid >= (*e)->eid_lo && eid <= (*e)->eid_hi)
			return *e;
	return NULL;
}
