/* Every extension the hypervisor can call, in one table (OpenSBI's layout). */
#include "sbi_ext.h"

const struct sbi_ext *const hv_extensions[] = {
	&sbi_ext_covh, /* first: run_tvm_vcpu is on every world switch */
	&sbi_ext_legacy, &sbi_ext_base, &sbi_ext_time, &sbi_ext_ipi, &sbi_ext_rfence,
	&sbi_ext_hsm, &sbi_ext_srst, &sbi_ext_dbcn, &sbi_ext_pmu,
#ifdef MONITOR_FAULT_INJECTION
	&sbi_ext_covg_proxy,
#endif
	NULL,
};

const struct sbi_ext *sbi_find_ext(ureg_t eid)
{
	for (const struct sbi_ext *const *e = hv_extensions; *e; e++)
		if (eid >= (*e)->eid_lo && eid <= (*e)->eid_hi)
			return *e;
	return NULL;
}
