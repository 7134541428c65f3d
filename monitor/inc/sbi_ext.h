/*
 * The SBI extensions the monitor serves to the hypervisor, one file each under
 * monitor/core/ (OpenSBI's layout), all registered in sbi_table.c.
 */
#ifndef MONITOR_SBI_EXT_H
#define MONITOR_SBI_EXT_H

#include "monitor.h"

extern const struct sbi_ext sbi_ext_legacy; /* EIDs 0x00-0x08 */
extern const struct sbi_ext sbi_ext_base;
extern const struct sbi_ext sbi_ext_time;
extern const struct sbi_ext sbi_ext_ipi;
extern const struct sbi_ext sbi_ext_rfence;
extern const struct sbi_ext sbi_ext_hsm;
extern const struct sbi_ext sbi_ext_srst;
extern const struct sbi_ext sbi_ext_dbcn;
extern const struct sbi_ext sbi_ext_pmu;
extern const struct sbi_ext sbi_ext_covh;
#ifdef MONITOR_FAULT_INJECTION
extern const struct sbi_ext sbi_ext_covg_proxy; /* test builds only: see attest.c */
#endif

/*
 * Decodes an SBI hart mask (hart_mask, hart_mask_base; base == -1UL means all harts)
 * into a bitmap of existing harts. SBI_SUCCESS or SBI_ERR_INVALID_PARAM.
 */
int sbi_hart_mask(ureg_t mask, ureg_t base, unsigned long *out);

/* Asks hart `t` to do `work` (IPI_*): local work is done at once. */
void sbi_send_work(struct hart *self, unsigned t, unsigned work);
/*
 * sbi_send_work for every hart of `targets` that is STARTED. A stopped hart has no
 * supervisor to interrupt, and HSM starts it with translation off, so its supervisor
 * must fence anyway: the spec lets both be skipped.
 */
void sbi_send_to_started(struct hart *self, unsigned long targets, unsigned work);

#endif
