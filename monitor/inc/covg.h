/* COVG: a CVM's interface to the monitor (core/covg.c). */
#ifndef MONITOR_COVG_H
#define MONITOR_COVG_H

#include "cvm.h"
#include "hart.h"

/* Handles the COVG call in h->regs for vCPU v of CVM `idx`, locally or by an exit. */
void covg_handle(struct hart *h, struct cvm *c, unsigned idx, struct vcpu *v);
/* Returns (err, val) to the CVM in a0/a1 and resumes it after its ecall. */
void covg_complete(struct hart *h, long err, ureg_t val);

#endif
