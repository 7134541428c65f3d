/*
 * The firmware on Unicorn 2.0.1: QEMU virt's memory map with the devices the monitor
 * touches (RAM, UART, ACLINT/CLINT, test finisher), the boot, a snapshot restored per
 * input by copying back only the pages written since, and the parts of the machine
 * Unicorn lacks: trap entry into mtvec, the H extension's CSRs and fences, and a
 * mirror of the PMP registers (Unicorn does not expose them) for the reach oracle.
 */
#ifndef UC_MACHINE_H
#define UC_MACHINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define UCM_RAM_BASE 0x80000000ULL
#define UCM_RAM_SIZE (64ULL << 20)
#define UCM_UART_BASE 0x10000000ULL
#define UCM_CLINT_BASE 0x02000000ULL
#define UCM_TEST_BASE 0x00100000ULL
#define UCM_HV_ENTRY (UCM_RAM_BASE + 0x200000ULL)

/* Why a run of the monitor ended. */
enum ucm_stop {
	UCM_RETURNED, /* at the mret of the trap exit, going back to S or VS */
	UCM_PARKED,   /* the hart waits in wfi (stopped through HSM, or after a reset) */
	UCM_RESET,    /* the monitor wrote the test finisher (system reset / shutdown) */
	UCM_FAULT,    /* the monitor itself faulted: see ucm_fault() */
	UCM_HANG,     /* the block budget ran out */
};

bool ucm_init(const char *firmware, unsigned nr_harts, char *err, size_t errcap);
/* Everything the next ucm_restore puts back: registers, memory, emulated CSRs. */
void ucm_snapshot(void);
void ucm_restore(void);

/* Registers at the point the monitor returns (x0..x31; the domain's values). */
uint64_t ucm_x(unsigned i);
void ucm_set_x(unsigned i, uint64_t v);
/* A CSR by number: H-extension ones from the harness, the rest from Unicorn. */
uint64_t ucm_csr(unsigned csr);
void ucm_set_hcsr(unsigned csr, uint64_t v);
/* Does the monitor's return go to a virtualised domain (mstatus.MPV)? */
bool ucm_returns_to_guest(void);

/* Takes a trap into the monitor from the domain it returned to and runs it. */
enum ucm_stop ucm_trap(uint64_t cause, uint64_t tval, uint64_t tval2, uint64_t tinst);
const char *ucm_fault(void);

/* RAM as the harness sees it (NULL outside RAM); writes go through ucm_write. */
const void *ucm_ram(uint64_t pa, uint64_t len);
bool ucm_write(uint64_t pa, const void *src, uint64_t len);
bool ucm_read(uint64_t pa, void *dst, uint64_t len);
uint64_t ucm_read64(uint64_t pa);

/* CLINT mtime, which only the harness moves. */
uint64_t ucm_mtime(void);
void ucm_set_mtime(uint64_t t);
void ucm_set_msip(unsigned hart, uint32_t v);

/* Could S-mode load ('r') or store ('w') 8 bytes at pa with the PMP as programmed? */
bool ucm_pmp_allows_s(uint64_t pa, char type);

/* Does [pa, pa+len) differ from the snapshot? Only pages written since are compared. */
bool ucm_ram_differs(uint64_t pa, uint64_t len);
/* RAM as it was at the snapshot. */
const void *ucm_ram_snapshot(uint64_t pa, uint64_t len);
/* Has the monitor reprogrammed the PMP since the snapshot? */
bool ucm_pmp_changed(void);

/* RAM pages written during the latest ucm_trap (page addresses). */
size_t ucm_step_pages(const uint64_t **pages);

/* Runs the firmware's invariant checker; false with the violation filled in. */
bool ucm_selfcheck(char *inv, size_t invcap, char *detail, size_t detailcap);
bool ucm_has_selfcheck(void);

/* Symbols of the firmware (0 if missing). */
uint64_t ucm_symbol(const char *name, uint64_t *size);

/* Coverage sink: block-edge hits counted into map[0..size) (size a power of two). */
void ucm_set_coverage(uint8_t *map, size_t size);
/* Static basic blocks of .text and how many of them ran (while measuring); blocks of
 * library functions the block hook skips (hashes, signatures, mem*) are not counted. */
void ucm_measure_blocks(bool on);
void ucm_block_share(unsigned *hit, unsigned *total);

/* Blocks one trap may run before it counts as a hang ($UC_BLOCK_BUDGET, default 2M). */
extern unsigned long ucm_block_budget;

#endif
