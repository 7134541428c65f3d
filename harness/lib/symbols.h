/* Symbolic values the decoder offers: addresses a hostile hypervisor or CVM would try. */
#ifndef HARNESS_SYMBOLS_H
#define HARNESS_SYMBOLS_H

enum sym {
	SYM_ZERO, SYM_MONITOR_BASE, SYM_MONITOR_END, SYM_CONF_BASE, SYM_CONF_END, SYM_HV_BASE,
	SYM_RAM_END, SYM_IMG0_ROOT, SYM_IMG0_L1, SYM_IMG0_L0, SYM_IMG0_FDT, SYM_IMG0_DATA,
	SYM_IMG1_ROOT, SYM_IMG1_L0, SYM_IMG1_FDT, SYM_CVM0_PAGE, SYM_UART, SYM_CLINT,
	SYM_ALL_ONES, SYM_POOL, SYM_COUNT
};

enum gsym { GSYM_VM_BASE, GSYM_VM_FDT, GSYM_VM_END, GSYM_MMIO, GSYM_SHARE, GSYM_ZERO,
	    GSYM_LIMIT, GSYM_UNMAPPED, GSYM_COUNT };

extern const char *const sym_names[SYM_COUNT];
extern const char *const gsym_names[GSYM_COUNT];

/* Where the harness's VM images start (hvsim/scenario.h builds them there). */
#define HARNESS_VM_GPA 0x80000000ULL
#define HARNESS_MMIO_GPA 0x10000000ULL
#define HARNESS_SHARE_GPA 0x90000000ULL
#define HARNESS_POOL_PAGES 64
/*
 * The images every target starts with, as an hv_build fid: 3 pages (two of data and the
 * device tree) and 2 vCPUs. Every page is copied and measured at each promote, which is
 * most of a promote's cost; two data pages already take each per-page path more than once.
 */
#define HARNESS_PROLOGUE_IMAGE_FID (1 | 1 << 4)

#endif
