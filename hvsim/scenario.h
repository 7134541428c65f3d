/*
 * hvsim/: the hypervisor and its CVMs simulated over the hardware model, shared by the
 * unit tests, the fuzz targets (harness/lib) and the attacks: build an ordinary VM in
 * hypervisor memory (G-stage tables through refhw/, pages, device tree), and act as the
 * hypervisor or a CVM.
 */
#ifndef HVSIM_SCENARIO_H
#define HVSIM_SCENARIO_H

#include <stdbool.h>
#include <stdint.h>

#include "model.h"

struct sbiret {
	long error;
	uint64_t value;
};

/* An ordinary VM as the hypervisor lays it out, ready for promote_to_tvm. */
struct vm_image {
	uint64_t hgatp;
	uint64_t gpa_base;  /* first data page */
	unsigned nr_pages;  /* data pages, the device tree included */
	uint64_t fdt_gpa;
	uint64_t entry;
	uint64_t hpa_first; /* where its first data page lives in hypervisor memory */
};

#define VM_GPA_BASE 0x80000000ULL

/*
 * Bump allocator over hypervisor memory for the VM images tests build. `vm_pool_reset`
 * puts it back to the start of the hypervisor's free area (above its own image).
 */
void vm_pool_reset(void);
uint64_t vm_pool_alloc(uint64_t bytes, uint64_t align);
/* The allocator's position, saved and put back by snapshotting harnesses. */
uint64_t vm_pool_mark(void);
void vm_pool_set(uint64_t mark);

/*
 * Builds a VM with `nr_pages` data pages at VM_GPA_BASE, each filled with a pattern
 * derived from `seed` (page i starts with seed ^ i), and a device tree with `nr_cpus`
 * harts in its last page. Returns false if hypervisor memory runs out.
 */
bool vm_build(struct vm_image *img, unsigned nr_pages, unsigned nr_cpus, uint64_t seed);
/* Pattern word j of data page i of a VM built with `seed`. */
uint64_t vm_pattern(uint64_t seed, unsigned page, unsigned word);

/* Hypervisor on hart h: ecall with a7=eid, a6=fid, a0..a5; returns a0/a1. */
struct sbiret hv_ecall(unsigned h, uint64_t eid, uint64_t fid, uint64_t a0, uint64_t a1,
		       uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5);
/* Promotes img on hart h (loads its hgatp into the hart first). */
struct sbiret hv_promote(unsigned h, const struct vm_image *img);
struct sbiret hv_run(unsigned h, uint64_t id, uint64_t vcpu, uint64_t resp0, uint64_t resp1,
		     uint64_t inject);

/*
 * The hypervisor on hart h drives QEMU virt's fw_cfg DMA interface, as a guest driver
 * does: it writes an FWCfgDmaAccess {be32 control, be32 length, be64 address} at `desc`
 * (its own memory), then stores desc, big-endian, into the DMA register with its own
 * store(s) (all 8 bytes, or the high then the low word when `split`), which PMP may
 * deny. Control bits as QEMU's: error 1, read 2, skip 4, select 8 (item in bits 31:16),
 * write 16. Returns true if the transfer started (the store that starts it completed).
 */
#define FW_CFG_DMA_READ 0x02u
#define FW_CFG_DMA_WRITE 0x10u
#define FW_CFG_DMA_SELECT 0x08u
bool hv_fw_cfg_dma(unsigned h, uint64_t desc, uint32_t control, uint64_t addr, uint32_t len, bool split);

/* The CVM now on hart h: ecall with its registers as given. */
void cvm_ecall(unsigned h, uint64_t eid, uint64_t fid, uint64_t a0, uint64_t a1,
	       uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5);

/*
 * The CVM now on hart h turns its FP unit on (its own sstatus.FS, as its kernel would)
 * and writes, or reads, f0-f31 and fcsr (f[32]) with FP instructions. The first one of
 * a turn traps to the monitor, which switches FP lazily. False if an instruction did
 * not complete (the CVM is no longer running on the hart).
 */
#define CVM_FP_REGS 33
bool cvm_fp_write_all(unsigned h, const uint64_t f[CVM_FP_REGS]);
bool cvm_fp_read_all(unsigned h, uint64_t f[CVM_FP_REGS]);

/* Does the hart run in VS (a CVM or VM) / HS (the hypervisor) right now? */
bool hart_in_guest(unsigned h);

/* Fails the current cmocka-free caller: prints and aborts when the invariants break. */
void assert_invariants(const char *where);

#endif
