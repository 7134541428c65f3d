/*
 * G-stage (second-stage) page tables. The monitor builds Sv39x4 tables for each CVM in
 * confidential pages it allocates to that CVM, and walks the hypervisor's tables
 * (Sv39x4 or Sv48x4) read-only, with a budget, when it promotes a VM.
 */
#ifndef MONITOR_GSTAGE_H
#define MONITOR_GSTAGE_H

#include "mt.h"
#include "types.h"

#define PTE_V (1UL << 0)
#define PTE_R (1UL << 1)
#define PTE_W (1UL << 2)
#define PTE_X (1UL << 3)
#define PTE_U (1UL << 4)
#define PTE_G (1UL << 5)
#define PTE_A (1UL << 6)
#define PTE_D (1UL << 7)
#define PTE_PPN_SHIFT 10
#define PTE_PPN_MASK (((1UL << 44) - 1) << PTE_PPN_SHIFT)
#define PTE_RWX (PTE_R | PTE_W | PTE_X)

#define GSTAGE_ROOT_PAGES 4 /* Sv39x4 / Sv48x4 root: 16 KiB, 2048 entries */
#define SV39X4_GPA_BITS 41

/*@ assigns \nothing; */
static inline paddr_t pte_pa(uint64_t pte) { return ((pte & PTE_PPN_MASK) >> PTE_PPN_SHIFT) << PAGE_SHIFT; }

/* Maps one 4 KiB page, allocating tables as owner `owner`; SBI error code. */
int gstage_map(struct mem_tracker *mt, mt_owner_t owner, paddr_t root, gpaddr_t gpa,
	       paddr_t pa, uint64_t perms);
/* Removes the 4 KiB leaf at gpa; returns the PA it mapped, or 0 if none. */
paddr_t gstage_unmap(paddr_t root, gpaddr_t gpa);
/* PA of gpa's 4 KiB page in a monitor-built table, or 0; *perms gets the leaf bits. */
paddr_t gstage_lookup(paddr_t root, gpaddr_t gpa, uint64_t *perms);

/* Called for each 4 KiB page a foreign table maps. Non-zero return stops the walk. */
typedef int (*gstage_leaf_fn)(void *arg, gpaddr_t gpa, paddr_t pa, uint64_t perms);
/*
 * Walks the hypervisor's tables named by `hgatp`: every table must sit in hypervisor
 * memory, every leaf must map hypervisor memory, and at most `budget` entries are
 * visited. Superpages are reported page by page. SBI error code, or the callback's.
 */
int gstage_walk_foreign(ureg_t hgatp, uint64_t budget, gstage_leaf_fn fn, void *arg);

/* Visits every table page and leaf of a monitor-built tree (for the invariant checker). */
typedef void (*gstage_visit_fn)(void *arg, paddr_t pa, bool is_table, gpaddr_t gpa, uint64_t pte);
void gstage_visit(paddr_t root, gstage_visit_fn fn, void *arg);

#endif
