/*
 * The memory model of the proofs (docs/proofs.md, "Assumptions"), pre-included by
 * mk/prove.mk before any monitor header. phys_ptr is the monitor's only way into
 * physical memory; the proofs take it to be phys_at(pa) == PHYS + pa, a pointer into one byte array,
 * valid over the range the caller names. The firmware's phys_ptr is the identity
 * (PHYS == 0), the host model's is its RAM array shifted by the RAM base.
 */
#ifndef PROOFS_PHYS_MODEL_H
#define PROOFS_PHYS_MODEL_H

#include "types.h"
/* The proofs are sequential (one hart): the atomic builtins are plain accesses. */
#include "eva_atomics.h"

/*@ requires phys_valid: \valid(phys_at(pa) + (0 .. len - 1));
  @ assigns \nothing;
  @ ensures identity: \result == (void *)phys_at(pa);
  @*/
void *phys_ptr(paddr_t pa, size_t len);

#endif
