/* Compile-time limits. Each build (host, firmware) may override them with -D. */
#ifndef MONITOR_CONFIG_H
#define MONITOR_CONFIG_H

#ifndef MAX_HARTS
#define MAX_HARTS 4
#endif
#ifndef MAX_CVMS
#define MAX_CVMS 4
#endif
#ifndef MAX_VCPUS
#define MAX_VCPUS 4
#endif
/* Pages (data and page tables) one CVM may hold; bounds promote's work. */
#ifndef MAX_CVM_PAGES
#define MAX_CVM_PAGES 256
#endif
/* Page-table entries promote may visit in the hypervisor's tables, loops included. */
#ifndef MAX_PROMOTE_PTES
#define MAX_PROMOTE_PTES 16384
#endif
#ifndef MAX_MMIO_REGIONS
#define MAX_MMIO_REGIONS 8
#endif
#ifndef MAX_SHARED_REGIONS
#define MAX_SHARED_REGIONS 8
#endif
/* Largest guest device tree promote accepts. */
#ifndef MAX_GUEST_FDT
#define MAX_GUEST_FDT (16 * 1024)
#endif
/* Largest single share request, in bytes. */
#define MAX_SHARE_LEN (64 * 4096ULL)

#endif
