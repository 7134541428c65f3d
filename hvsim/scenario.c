#include "scenario.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csr.h"
#include "fdt_writer.h"
#include "gstage.h"
#include "gstage_pt.h"
#include "hart.h"
#include "invariants.h"
#include "platform.h"

static uint64_t pool_next;

void vm_pool_reset(void)
{
	/* leave the first MiB of hypervisor memory to "its own image" */
	pool_next = mem.monitor_base + mem.monitor_size + (1ULL << 20);
}

uint64_t vm_pool_alloc(uint64_t bytes, uint64_t align)
{
	if (!pool_next)
		vm_pool_reset();
	uint64_t at = (pool_next + align - 1) & ~(align - 1);
	if (at + bytes > mem.conf_base || at + bytes < at)
		return 0;
	pool_next = at + bytes;
	return at;
}

uint64_t vm_pool_mark(void) { return pool_next; }
void vm_pool_set(uint64_t mark) { pool_next = mark; }

uint64_t vm_pattern(uint64_t seed, unsigned page, unsigned word)
{
	uint64_t x = (seed ^ page) * 0x9e3779b97f4a7c15ULL + word;
	x ^= x >> 29;
	return x * 0xbf58476d1ce4e5b9ULL;
}

static void write64(uint64_t pa, uint64_t v)
{
	if (!model_phys_write(pa, &v, 8))
		abort();
}

static uint64_t read64(uint64_t pa)
{
	uint64_t v = 0;
	if (!model_phys_read(pa, &v, 8))
		abort();
	return v;
}

static bool mem_read64(void *ctx, uint64_t pa, uint64_t *v)
{
	(void)ctx;
	*v = read64(pa);
	return true;
}

static bool mem_write64(void *ctx, uint64_t pa, uint64_t v)
{
	(void)ctx;
	write64(pa, v);
	return true;
}

static uint64_t pool_table(void *ctx)
{
	(void)ctx;
	return vm_pool_alloc(PAGE_SIZE, PAGE_SIZE);
}

/* Hypervisor-side Sv39x4 map of one 4 KiB page, tables from the pool. */
static bool hv_map(uint64_t root, uint64_t gpa, uint64_t hpa, uint64_t perms)
{
	static const struct refhw_mem m = { .read64 = mem_read64, .write64 = mem_write64,
					    .alloc_table = pool_table };
	return refhw_gstage_map_4k(&m, root, REFHW_SV39X4_LEVELS, gpa, hpa,
				   perms | REFHW_PTE_U | REFHW_PTE_A | REFHW_PTE_D);
}

bool vm_build(struct vm_image *img, unsigned nr_pages, unsigned nr_cpus, uint64_t seed)
{
	if (nr_pages < 2)
		return false;
	uint64_t root = vm_pool_alloc(4 * PAGE_SIZE, 4 * PAGE_SIZE);
	uint64_t data = vm_pool_alloc((uint64_t)nr_pages * PAGE_SIZE, PAGE_SIZE);
	if (!root || !data)
		return false;
	uint8_t zero[4 * 4096] = { 0 };
	model_phys_write(root, zero, sizeof(zero));
	for (unsigned p = 0; p + 1 < nr_pages; p++) {
		for (unsigned w = 0; w < PAGE_SIZE / 8; w++)
			write64(data + p * PAGE_SIZE + w * 8, vm_pattern(seed, p, w));
		if (!hv_map(root, VM_GPA_BASE + p * PAGE_SIZE, data + p * PAGE_SIZE, PTE_R | PTE_W | PTE_X))
			return false;
	}
	uint8_t fdt[4096];
	size_t n = fdtb_make_vm_tree(fdt, sizeof(fdt), nr_cpus, VM_GPA_BASE, (uint64_t)nr_pages * PAGE_SIZE);
	if (n == 0)
		return false;
	uint64_t fdt_hpa = data + (uint64_t)(nr_pages - 1) * PAGE_SIZE;
	model_phys_write(fdt_hpa, zero, PAGE_SIZE);
	model_phys_write(fdt_hpa, fdt, n);
	uint64_t fdt_gpa = VM_GPA_BASE + (uint64_t)(nr_pages - 1) * PAGE_SIZE;
	if (!hv_map(root, fdt_gpa, fdt_hpa, PTE_R | PTE_W))
		return false;
	img->hgatp = (HGATP_MODE_SV39X4 << HGATP_MODE_SHIFT) | (1ULL << HGATP_VMID_SHIFT) | (root >> 12);
	img->gpa_base = VM_GPA_BASE;
	img->nr_pages = nr_pages;
	img->fdt_gpa = fdt_gpa;
	img->entry = VM_GPA_BASE;
	img->hpa_first = data;
	return true;
}

static void set_args(struct model_hart *mh, uint64_t eid, uint64_t fid, uint64_t a0, uint64_t a1,
		     uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
	mh->x[REG_A7] = eid;
	mh->x[REG_A6] = fid;
	mh->x[REG_A0] = a0;
	mh->x[REG_A1] = a1;
	mh->x[REG_A2] = a2;
	mh->x[REG_A3] = a3;
	mh->x[REG_A4] = a4;
	mh->x[REG_A5] = a5;
}

struct sbiret hv_ecall(unsigned h, uint64_t eid, uint64_t fid, uint64_t a0, uint64_t a1,
		       uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
	struct model_hart *mh = model_hart(h);
	set_args(mh, eid, fid, a0, a1, a2, a3, a4, a5);
	model_ecall(h);
	return (struct sbiret){ (long)mh->x[REG_A0], mh->x[REG_A1] };
}

struct sbiret hv_promote(unsigned h, const struct vm_image *img)
{
	model_set_csr(h, CSR_HGATP, img->hgatp);
	return hv_ecall(h, 0x434F5648, 7, img->fdt_gpa, 0, img->entry, 0, 0, 0);
}

struct sbiret hv_run(unsigned h, uint64_t id, uint64_t vcpu, uint64_t resp0, uint64_t resp1,
		     uint64_t inject)
{
	return hv_ecall(h, 0x434F5648, 15, id, vcpu, resp0, resp1, inject, 0);
}

bool hv_fw_cfg_dma(unsigned h, uint64_t desc, uint32_t control, uint64_t addr, uint32_t len, bool split)
{
	uint8_t access[16];
	for (unsigned i = 0; i < 4; i++) {
		access[i] = (uint8_t)(control >> (24 - 8 * i));
		access[4 + i] = (uint8_t)(len >> (24 - 8 * i));
	}
	for (unsigned i = 0; i < 8; i++)
		access[8 + i] = (uint8_t)(addr >> (56 - 8 * i));
	if (!model_phys_write(desc, access, sizeof(access)))
		return false;
	struct model_hart *mh = model_hart(h);
	uint64_t be = __builtin_bswap64(desc); /* the register is big-endian */
	if (!split) {
		mh->x[REG_T2] = be;
		return model_store(h, MODEL_FW_CFG_BASE + 0x10, 8, REG_T2) == MODEL_OK;
	}
	mh->x[REG_T2] = (uint32_t)be;
	if (model_store(h, MODEL_FW_CFG_BASE + 0x10, 4, REG_T2) != MODEL_OK)
		return false;
	mh->x[REG_T2] = be >> 32;
	return model_store(h, MODEL_FW_CFG_BASE + 0x14, 4, REG_T2) == MODEL_OK;
}

void cvm_ecall(unsigned h, uint64_t eid, uint64_t fid, uint64_t a0, uint64_t a1,
	       uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
	set_args(model_hart(h), eid, fid, a0, a1, a2, a3, a4, a5);
	model_ecall(h);
}

static void cvm_fp_on(unsigned h)
{
	model_set_csr(h, CSR_VSSTATUS, model_csr(h, CSR_VSSTATUS) | MSTATUS_FS);
}

bool cvm_fp_write_all(unsigned h, const uint64_t f[CVM_FP_REGS])
{
	cvm_fp_on(h);
	for (unsigned i = 0; i < CVM_FP_REGS; i++)
		if (model_fp_write(h, i, f[i]) != MODEL_OK)
			return false;
	return true;
}

bool cvm_fp_read_all(unsigned h, uint64_t f[CVM_FP_REGS])
{
	cvm_fp_on(h);
	for (unsigned i = 0; i < CVM_FP_REGS; i++)
		if (model_fp_read(h, i, &f[i]) != MODEL_OK)
			return false;
	return true;
}

bool hart_in_guest(unsigned h)
{
	enum model_mode m = model_hart(h)->mode;
	return m == MODE_VS || m == MODE_VU;
}

void assert_invariants(const char *where)
{
	struct inv_violation v;
	if (!inv_check_all(&v)) {
		fprintf(stderr, "%s: invariant %s violated: %s\n", where, v.invariant, v.detail);
		abort();
	}
}
