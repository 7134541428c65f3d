/* Evaluation of decoded values against a machine description (values.h). */
#include "values.h"

#include "canary.h"
#include "config.h"
#include "symbols.h"

#define PAGE_BYTES 4096ULL

static uint64_t sym_value(unsigned idx, const struct value_env *e)
{
	switch (idx % SYM_COUNT) {
	case SYM_MONITOR_BASE: return e->monitor_base;
	case SYM_MONITOR_END: return e->monitor_base + e->monitor_size;
	case SYM_CONF_BASE: return e->conf_base;
	case SYM_CONF_END: return e->conf_base + e->conf_size;
	case SYM_HV_BASE: return e->monitor_base + e->monitor_size;
	case SYM_RAM_END: return e->ram_base + e->ram_size;
	case SYM_IMG0_ROOT: return e->img[0].root;
	case SYM_IMG0_L1: return e->img[0].l1;
	case SYM_IMG0_L0: return e->img[0].l0;
	case SYM_IMG0_FDT: return e->img[0].fdt_hpa;
	case SYM_IMG0_DATA: return e->img[0].data_hpa;
	case SYM_IMG1_ROOT: return e->img[1].root;
	case SYM_IMG1_L0: return e->img[1].l0;
	case SYM_IMG1_FDT: return e->img[1].fdt_hpa;
	case SYM_CVM0_PAGE: return e->cvm0_page ? e->cvm0_page() : 0;
	case SYM_UART: return e->uart;
	case SYM_CLINT: return e->clint;
	case SYM_ALL_ONES: return ~0ULL;
	case SYM_POOL: return e->pool;
	default: return 0;
	}
}

/* Guest-physical symbols: image 0's layout, which image 1 shares. */
static uint64_t gsym_value(unsigned idx, const struct value_env *e)
{
	const struct value_image *im = &e->img[0];
	switch (idx % GSYM_COUNT) {
	case GSYM_VM_BASE: return HARNESS_VM_GPA;
	case GSYM_VM_FDT: return im->built ? im->fdt_gpa : HARNESS_VM_GPA;
	case GSYM_VM_END: return HARNESS_VM_GPA + (im->built ? im->nr_pages : 1) * PAGE_BYTES;
	case GSYM_MMIO: return HARNESS_MMIO_GPA;
	case GSYM_SHARE: return HARNESS_SHARE_GPA;
	case GSYM_LIMIT: return 1ULL << 41;
	case GSYM_UNMAPPED: return 0x40000000;
	default: return 0;
	}
}

uint64_t value_eval(const struct value *v, const struct value_env *e)
{
	uint64_t off = (uint64_t)((int64_t)v->off * 8);
	switch (v->cls) {
	case VC_SMALL: return v->idx;
	case VC_SYM: return sym_value(v->idx, e) + off;
	case VC_ID: return v->idx % (MAX_CVMS + 2);
	case VC_RAW: return declassify(v->raw);
	case VC_POOL: return e->pool + (uint64_t)(v->idx % HARNESS_POOL_PAGES) * PAGE_BYTES;
	case VC_NEG: return ~(uint64_t)v->idx;
	case VC_GPA: return gsym_value(v->idx, e) + off;
	case VC_POW2: return 1ULL << (v->idx % 64);
	default: return 0;
	}
}
