/* The firmware on Unicorn (see uc_machine.h); DESIGN section 7 lists the facts relied on. */
#include "uc_machine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unicorn/unicorn.h>

#include "fdt_writer.h"
#include "pmp_match.h"
#include "uc_elf.h"

#define PAGE 4096ULL
#define MSTATUS_MIE (1ULL << 3)
#define MSTATUS_MPV (1ULL << 39)
#define MSTATUS_GVA (1ULL << 38)
#define CAUSE_ILLEGAL 2
#define MAX_PMP_SITES 96

unsigned long ucm_block_budget = 2000000;

/* --- memory regions ----------------------------------------------------------- */

struct region {
	uint64_t base, size;
	uint8_t *host, *snap;
	uint16_t *gen;   /* per page: step in which it was last written, 0 = clean */
	uint32_t *dirty; /* pages written since the snapshot */
	size_t ndirty;
};

enum { R_RAM, R_CLINT, R_UART, R_TEST, R_COUNT };
static struct region regions[R_COUNT];
static uint16_t cur_gen = 1;
static uint64_t step_pages[1 << 14];
static size_t nstep_pages;
static bool step_pages_overflow;

static struct uc_struct *uc;
static struct uc_elf elf;
static uc_context *snap_ctx, *check_ctx;

static uint64_t ro_end; /* RAM below it holds code and read-only data */
static uint64_t mret_addr[8], wfi_addr[16], selfcheck_entry, selfcheck_done;
static size_t nmret, nwfi;
static uint64_t sym_report, sym_dirty_conf, sym_all_dirty, sym_stacks, sym_mem;

/* why the current run stopped, as set by the hooks */
static enum ucm_stop hook_stop;
static bool hook_stopped;
static char fault_msg[256];
static unsigned long blocks_this_run;

static uint8_t *unhooked_map; /* per .text halfword: in a library function on_block skips */
static uint8_t *cov_map;
static size_t cov_mask;
static bool measuring;
static uint8_t *ran_halfwords; /* measurement: which .text halfwords ran */
static uint64_t prev_block;

static void stop_run(enum ucm_stop why)
{
	if (!hook_stopped) {
		hook_stopped = true;
		hook_stop = why;
	}
	uc_emu_stop(uc);
}

static void fault(const char *fmt, unsigned long long a, unsigned long long b)
{
	if (!hook_stopped)
		snprintf(fault_msg, sizeof(fault_msg), fmt, a, b);
	stop_run(UCM_FAULT);
}

static struct region *region_of(uint64_t pa, uint64_t len)
{
	for (unsigned i = 0; i < R_COUNT; i++) {
		struct region *r = &regions[i];
		if (pa >= r->base && len <= r->size && pa - r->base <= r->size - len)
			return r;
	}
	return NULL;
}

static void mark_page(struct region *r, uint64_t pa)
{
	uint64_t p = (pa - r->base) / PAGE;
	if (r->gen[p] == cur_gen)
		return;
	if (!r->gen[p])
		r->dirty[r->ndirty++] = (uint32_t)p;
	r->gen[p] = cur_gen;
	if (r == &regions[R_RAM]) {
		if (nstep_pages < sizeof(step_pages) / sizeof(step_pages[0]))
			step_pages[nstep_pages++] = r->base + p * PAGE;
		else
			step_pages_overflow = true;
	}
}

static void mark_range(uint64_t pa, uint64_t len)
{
	struct region *r = region_of(pa, len ? len : 1);
	if (!r || !len)
		return;
	for (uint64_t a = pa & ~(PAGE - 1); a < pa + len; a += PAGE)
		mark_page(r, a);
}

static bool alloc_region(unsigned idx, uint64_t base, uint64_t size)
{
	struct region *r = &regions[idx];
	r->base = base;
	r->size = size;
	r->host = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	r->snap = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	r->gen = calloc(size / PAGE, sizeof(*r->gen));
	r->dirty = calloc(size / PAGE, sizeof(*r->dirty));
	return r->host != MAP_FAILED && r->snap != MAP_FAILED && r->gen && r->dirty;
}

const void *ucm_ram(uint64_t pa, uint64_t len)
{
	struct region *r = &regions[R_RAM];
	if (pa < r->base || len > r->size || pa - r->base > r->size - len)
		return NULL;
	return r->host + (pa - r->base);
}

bool ucm_write(uint64_t pa, const void *src, uint64_t len)
{
	struct region *r = region_of(pa, len);
	if (!r)
		return false;
	mark_range(pa, len);
	memcpy(r->host + (pa - r->base), src, len);
	return true;
}

bool ucm_read(uint64_t pa, void *dst, uint64_t len)
{
	struct region *r = region_of(pa, len);
	if (!r)
		return false;
	memcpy(dst, r->host + (pa - r->base), len);
	return true;
}

uint64_t ucm_read64(uint64_t pa)
{
	uint64_t v = 0;
	ucm_read(pa, &v, 8);
	return v;
}

bool ucm_ram_differs(uint64_t pa, uint64_t len)
{
	struct region *r = &regions[R_RAM];
	if (!ucm_ram(pa, len))
		return true;
	for (uint64_t a = pa; a < pa + len;) {
		uint64_t p = (a - r->base) / PAGE, end = (p + 1) * PAGE + r->base;
		uint64_t n = (end < pa + len ? end : pa + len) - a;
		if (r->gen[p] && memcmp(r->host + (a - r->base), r->snap + (a - r->base), n) != 0)
			return true;
		a += n;
	}
	return false;
}

const void *ucm_ram_snapshot(uint64_t pa, uint64_t len)
{
	struct region *r = &regions[R_RAM];
	if (!ucm_ram(pa, len))
		return NULL;
	return r->snap + (pa - r->base);
}

size_t ucm_step_pages(const uint64_t **pages)
{
	*pages = step_pages;
	return nstep_pages;
}

#define CLINT_MTIME 0xbff8ULL
uint64_t ucm_mtime(void) { return ucm_read64(UCM_CLINT_BASE + CLINT_MTIME); }
void ucm_set_mtime(uint64_t t) { ucm_write(UCM_CLINT_BASE + CLINT_MTIME, &t, 8); }
void ucm_set_msip(unsigned hart, uint32_t v) { ucm_write(UCM_CLINT_BASE + 4ULL * hart, &v, 4); }

/* --- registers ------------------------------------------------------------------ */

static uint64_t rd(int reg)
{
	uint64_t v = 0;
	uc_reg_read(uc, reg, &v);
	return v;
}

static void wr(int reg, uint64_t v) { uc_reg_write(uc, reg, &v); }

uint64_t ucm_x(unsigned i) { return i == 0 || i > 31 ? 0 : rd(UC_RISCV_REG_X0 + (int)i); }
void ucm_set_x(unsigned i, uint64_t v)
{
	if (i && i < 32)
		wr(UC_RISCV_REG_X0 + (int)i, v);
}

/* --- the H extension, kept by the harness ------------------------------------------ */

struct hcsr {
	uint16_t num;
	uint64_t mask;     /* writable bits */
	uint64_t fixed;    /* read-only bits that read as one */
};

static const struct hcsr hcsrs[] = {
	{ 0x600, (1ULL << 6) | (1ULL << 7) | (1ULL << 8) | (1ULL << 9) | (0x3fULL << 12) |
			 (7ULL << 20), 2ULL << 32 },      /* hstatus (VSXL = 64) */
	{ 0x602, 0xb1ff, 0 },                              /* hedeleg */
	{ 0x603, 0x444, 0 },                               /* hideleg */
	{ 0x604, 0x1444, 0 },                              /* hie */
	{ 0x605, ~0ULL, 0 },                               /* htimedelta */
	{ 0x606, 0xffffffffULL, 0 },                       /* hcounteren */
	{ 0x607, 0, 0 },                                   /* hgeie: no guest files */
	{ 0x60a, ~0ULL, 0 },                               /* henvcfg */
	{ 0x643, ~0ULL, 0 },                               /* htval */
	{ 0x644, 0x4, 0 },                                 /* hip */
	{ 0x645, 0x444, 0 },                               /* hvip */
	{ 0x64a, ~0ULL, 0 },                               /* htinst */
	{ 0x680, 0, 0 },                                   /* hgatp: see write_hcsr */
	{ 0xe12, 0, 0 },                                   /* hgeip */
	{ 0x200, 0xc6122, 2ULL << 32 },                    /* vsstatus (UXL = 64) */
	{ 0x204, 0x222, 0 },                               /* vsie */
	{ 0x205, ~2ULL, 0 },                               /* vstvec */
	{ 0x240, ~0ULL, 0 },                               /* vsscratch */
	{ 0x241, ~1ULL, 0 },                               /* vsepc */
	{ 0x242, ~0ULL, 0 },                               /* vscause */
	{ 0x243, ~0ULL, 0 },                               /* vstval */
	{ 0x244, 0x2, 0 },                                 /* vsip */
	{ 0x280, 0, 0 },                                   /* vsatp: see write_hcsr */
	{ 0x10a, 0x1, 0 },                                 /* senvcfg: FIOM (absent in Unicorn) */
	{ 0x320, 0x5, 0 },                                 /* mcountinhibit (absent in Unicorn) */
	{ 0x30a, 0x1, 0 },                                 /* menvcfg: FIOM (absent in Unicorn; no Sstc) */
	{ 0x34a, ~0ULL, 0 },                               /* mtinst */
	{ 0x34b, ~0ULL, 0 },                               /* mtval2 */
};
#define NR_HCSRS (sizeof(hcsrs) / sizeof(hcsrs[0]))

struct emu_state {
	uint64_t hval[NR_HCSRS];
	uint64_t pmpcfg[2];   /* pmpcfg0, pmpcfg2 */
	uint64_t pmpaddr[16];
};
static struct emu_state emu, emu_snap;

static int hcsr_index(unsigned num)
{
	for (unsigned i = 0; i < NR_HCSRS; i++)
		if (hcsrs[i].num == num)
			return (int)i;
	return -1;
}

static void write_hcsr(int i, uint64_t v)
{
	unsigned num = hcsrs[i].num;
	if (num == 0x680) { /* hgatp: Bare or Sv39x4 only; the root is 16 KiB aligned */
		uint64_t mode = v >> 60;
		if (mode != 0 && mode != 8)
			return;
		emu.hval[i] = (v & (0xfULL << 60)) | (v & (0x3fffULL << 44)) | (v & 0xffffffffffcULL);
		return;
	}
	if (num == 0x280) { /* vsatp: Bare, Sv39 or Sv48 */
		uint64_t mode = v >> 60;
		if (mode == 0 || mode == 8 || mode == 9)
			emu.hval[i] = v;
		return;
	}
	emu.hval[i] = (v & hcsrs[i].mask) | hcsrs[i].fixed;
}

void ucm_set_hcsr(unsigned csr, uint64_t v)
{
	int i = hcsr_index(csr);
	if (i >= 0)
		write_hcsr(i, v);
}

static int uc_csr_reg(unsigned csr)
{
	switch (csr) {
	case 0x100: return UC_RISCV_REG_SSTATUS;
	case 0x104: return UC_RISCV_REG_SIE;
	case 0x105: return UC_RISCV_REG_STVEC;
	case 0x140: return UC_RISCV_REG_SSCRATCH;
	case 0x141: return UC_RISCV_REG_SEPC;
	case 0x142: return UC_RISCV_REG_SCAUSE;
	case 0x143: return UC_RISCV_REG_STVAL;
	case 0x144: return UC_RISCV_REG_SIP;
	case 0x180: return UC_RISCV_REG_SATP;
	case 0x300: return UC_RISCV_REG_MSTATUS;
	case 0x302: return UC_RISCV_REG_MEDELEG;
	case 0x303: return UC_RISCV_REG_MIDELEG;
	case 0x304: return UC_RISCV_REG_MIE;
	case 0x305: return UC_RISCV_REG_MTVEC;
	case 0x340: return UC_RISCV_REG_MSCRATCH;
	case 0x341: return UC_RISCV_REG_MEPC;
	case 0x342: return UC_RISCV_REG_MCAUSE;
	case 0x343: return UC_RISCV_REG_MTVAL;
	case 0x344: return UC_RISCV_REG_MIP;
	default: return -1;
	}
}

uint64_t ucm_csr(unsigned csr)
{
	int i = hcsr_index(csr);
	if (i >= 0)
		return emu.hval[i];
	int r = uc_csr_reg(csr);
	return r >= 0 ? rd(r) : 0;
}

bool ucm_returns_to_guest(void) { return (rd(UC_RISCV_REG_MSTATUS) & MSTATUS_MPV) != 0; }

/* csrr{w,s,c}[i]: the value written given the old one, or false if nothing is written. */
static bool csr_op_result(uint32_t insn, uint64_t old, uint64_t *out)
{
	unsigned f3 = (insn >> 12) & 7, rs1 = (insn >> 15) & 31;
	uint64_t src = (f3 & 4) ? rs1 : ucm_x(rs1);
	switch (f3 & 3) {
	case 1: *out = src; return true;
	case 2: *out = old | src; return rs1 != 0;
	case 3: *out = old & ~src; return rs1 != 0;
	default: return false;
	}
}

static bool emulate_system(uint32_t insn)
{
	if ((insn & 0x7f) != 0x73)
		return false;
	unsigned f3 = (insn >> 12) & 7, rd_ = (insn >> 7) & 31, csr = insn >> 20;
	if (f3 == 0) {
		unsigned f7 = insn >> 25;
		/* hfence.vvma / hfence.gvma: no G-stage TLB here to flush */
		return rd_ == 0 && (f7 == 0x11 || f7 == 0x31);
	}
	if (f3 == 4)
		return false; /* hlv/hsv: the monitor never uses them */
	int i = hcsr_index(csr);
	if (i < 0)
		return false;
	uint64_t old = emu.hval[i], nv;
	if (csr_op_result(insn, old, &nv)) {
		if ((csr >> 10) == 3)
			return false; /* a read-only CSR written: a real illegal instruction */
		write_hcsr(i, nv);
	}
	ucm_set_x(rd_, old);
	return true;
}

static void on_intr(uc_engine *u, uint32_t intno, void *user)
{
	(void)u;
	(void)user;
	/* Unicorn reports the exception with pc already past the (4-byte) instruction */
	uint64_t pc = rd(UC_RISCV_REG_PC) - 4;
	uint32_t insn = 0;
	if (intno == CAUSE_ILLEGAL && ucm_read(pc, &insn, 4) && emulate_system(insn))
		return;
	fault("monitor exception %llu at pc %llx", intno, (unsigned long long)pc);
}

/* --- PMP mirror: every site that writes a PMP CSR is hooked --------------------- */

static void on_pmp_write(uc_engine *u, uint64_t addr, uint32_t size, void *user)
{
	(void)u;
	(void)size;
	(void)user;
	uint32_t insn = 0;
	ucm_read(addr, &insn, 4);
	unsigned csr = insn >> 20;
	if (csr == 0x3a0 || csr == 0x3a2) {
		uint64_t *cfg = &emu.pmpcfg[csr == 0x3a2], nv;
		if (!csr_op_result(insn, *cfg, &nv))
			return;
		uint64_t out = 0;
		for (unsigned b = 0; b < 8; b++) {
			uint64_t oldb = (*cfg >> (8 * b)) & 0xff, newb = (nv >> (8 * b)) & 0x9f;
			out |= ((oldb & 0x80) ? oldb : newb) << (8 * b);
		}
		*cfg = out;
	} else if (csr >= 0x3b0 && csr < 0x3c0) {
		unsigned n = csr - 0x3b0;
		uint64_t nv;
		if (!csr_op_result(insn, emu.pmpaddr[n], &nv))
			return;
		unsigned cfg_n = (unsigned)(emu.pmpcfg[n / 8] >> (8 * (n % 8))) & 0xff;
		unsigned cfg_next = n < 15 ? (unsigned)(emu.pmpcfg[(n + 1) / 8] >> (8 * ((n + 1) % 8))) & 0xff : 0;
		if ((cfg_n & 0x80) || ((cfg_next & 0x80) && ((cfg_next >> 3) & 3) == 1))
			return;
		emu.pmpaddr[n] = nv & ((1ULL << 54) - 1);
	}
}

bool ucm_pmp_changed(void)
{
	return memcmp(emu.pmpcfg, emu_snap.pmpcfg, sizeof(emu.pmpcfg)) != 0 ||
	       memcmp(emu.pmpaddr, emu_snap.pmpaddr, sizeof(emu.pmpaddr)) != 0;
}

bool ucm_pmp_allows_s(uint64_t pa, char type)
{
	uint8_t cfg[16];
	for (unsigned i = 0; i < 16; i++)
		cfg[i] = (uint8_t)(emu.pmpcfg[i / 8] >> (8 * (i % 8)));
	return refhw_pmp_allows(cfg, emu.pmpaddr, 16, REFHW_PRV_S, pa, 8,
				type == 'r' ? REFHW_PMP_R : REFHW_PMP_W);
}

/* --- hooks on the hot path ------------------------------------------------------- */


static void on_block(uc_engine *u, uint64_t addr, uint32_t size, void *user)
{
	(void)u;
	(void)user;
	if (unhooked_map[(addr - elf.text_start) / 2])
		return;
	if (cov_map) {
		/* both ends mixed: compressed code puts neighbouring blocks 2 bytes apart */
		uint64_t e = (prev_block * 0x9e3779b97f4a7c15ULL) ^ addr;
		e ^= e >> 29;
		e *= 0xbf58476d1ce4e5b9ULL;
		e ^= e >> 32;
		cov_map[e & cov_mask]++;
		prev_block = addr;
	}
	if (measuring && addr >= elf.text_start && addr + size <= elf.text_end)
		memset(ran_halfwords + (addr - elf.text_start) / 2, 1, (size + 1) / 2);
	if (++blocks_this_run > ucm_block_budget)
		stop_run(UCM_HANG);
}

/*
 * Every store of the monitor lands here, and this hook performs it. All memory is
 * mapped read-only to Unicorn (over the harness's own buffers, uc_mem_protect making
 * the regions ROM-like), so Unicorn 2.0.1 calls the write-protection hook and then
 * discards its own write. That keeps every store off the path a store to writable RAM
 * takes in 2.0.1 (its dirty tracking is stubbed out, so each store checks the page for
 * translated code, allocating and freeing a tree of locked pages), and with no
 * UC_HOOK_MEM_WRITE hook installed every load keeps the inline TLB fast path.
 */
static bool on_store(uc_engine *u, uc_mem_type type, uint64_t addr, int size, int64_t value, void *user)
{
	(void)u;
	(void)type;
	(void)user;
	struct region *r = region_of(addr, (uint64_t)size);
	if (!r || size <= 0 || size > 8) {
		fault("monitor stored outside the machine's memory at %llx (%llu bytes)", (unsigned long long)addr,
		      (unsigned long long)size);
		return false;
	}
	if (r == &regions[R_TEST]) {
		stop_run(UCM_RESET);
		return true;
	}
	if (r == &regions[R_RAM] && addr < ro_end) {
		fault("monitor wrote read-only memory (its code/rodata) at %llx (%llu)", (unsigned long long)addr,
		      UC_MEM_WRITE_PROT);
		return false;
	}
	mark_page(r, addr);
	if (((addr + (uint64_t)size - 1) ^ addr) & ~(PAGE - 1))
		mark_page(r, addr + (uint64_t)size - 1);
	memcpy(r->host + (addr - r->base), &value, (size_t)size); /* little-endian host and guest */
	return true;
}

static void on_stop_insn(uc_engine *u, uint64_t addr, uint32_t size, void *user)
{
	(void)u;
	(void)addr;
	(void)size;
	stop_run((enum ucm_stop)(uintptr_t)user);
}

static bool on_bad_access(uc_engine *u, uc_mem_type type, uint64_t addr, int size, int64_t value, void *user)
{
	(void)u;
	(void)size;
	(void)value;
	(void)user;
	const char *what = type == UC_MEM_FETCH_UNMAPPED ? "monitor fetched unmapped %llx (%llu)"
							: "monitor accessed unmapped %llx (type %llu)";
	fault(what, (unsigned long long)addr, (unsigned long long)type);
	return false;
}

/* --- running ------------------------------------------------------------------------ */

static enum ucm_stop run_from(uint64_t pc)
{
	hook_stopped = false;
	blocks_this_run = 0;
	prev_block = 0;
	uc_err err = uc_emu_start(uc, pc, 0, 0, 0);
	if (err != UC_ERR_OK && (!hook_stopped || hook_stop != UCM_FAULT)) {
		snprintf(fault_msg, sizeof(fault_msg), "unicorn: %s at pc %llx", uc_strerror(err),
			 (unsigned long long)rd(UC_RISCV_REG_PC));
		return UCM_FAULT;
	}
	if (hook_stopped)
		return hook_stop;
	snprintf(fault_msg, sizeof(fault_msg), "monitor stopped at pc %llx for no reason the harness knows",
		 (unsigned long long)rd(UC_RISCV_REG_PC));
	return UCM_FAULT;
}

const char *ucm_fault(void) { return fault_msg; }

enum ucm_stop ucm_trap(uint64_t cause, uint64_t tval, uint64_t tval2, uint64_t tinst)
{
	cur_gen++;
	nstep_pages = 0;
	step_pages_overflow = false;
	/*
	 * The hart stands at the monitor's mret. Finishing it and taking the next trap from
	 * the domain it entered leaves MPP and MPV as they are (the trap comes from there),
	 * MPIE as it is, and MIE clear; mepc stays: the domain traps where it resumed.
	 */
	uint64_t ms = rd(UC_RISCV_REG_MSTATUS) & ~(MSTATUS_MIE | MSTATUS_GVA);
	wr(UC_RISCV_REG_MSTATUS, ms);
	wr(UC_RISCV_REG_MCAUSE, cause);
	wr(UC_RISCV_REG_MTVAL, tval);
	ucm_set_hcsr(0x34b, tval2);
	ucm_set_hcsr(0x34a, tinst);
	uint64_t tvec = rd(UC_RISCV_REG_MTVEC);
	uint64_t pc = tvec & ~3ULL;
	if ((tvec & 3) == 1 && (cause >> 63))
		pc += 4 * (cause & 0xff);
	return run_from(pc);
}

/* --- self-check ---------------------------------------------------------------------- */

struct fw_report {
	uint32_t magic, ok;
	char invariant[24];
	char detail[160];
};

bool ucm_has_selfcheck(void) { return selfcheck_entry && sym_report && sym_dirty_conf; }

static uint64_t dirty_conf_size;

static void publish_dirty_conf(uint64_t conf_base, uint64_t conf_size)
{
	uint64_t bits_size = dirty_conf_size;
	uint8_t bits[4096] = { 0 };
	if (bits_size > sizeof(bits))
		bits_size = sizeof(bits);
	const struct region *r = &regions[R_RAM];
	for (size_t i = 0; i < r->ndirty; i++) {
		uint64_t pa = r->base + (uint64_t)r->dirty[i] * PAGE;
		if (pa < conf_base || pa - conf_base >= conf_size)
			continue;
		uint64_t p = (pa - conf_base) / PAGE;
		if (p / 8 < bits_size)
			bits[p / 8] |= (uint8_t)(1U << (p % 8));
	}
	ucm_write(sym_dirty_conf, bits, bits_size);
}

static bool run_selfcheck(bool all_dirty, char *inv, size_t invcap, char *detail, size_t detailcap)
{
	uint64_t conf_base = ucm_read64(sym_mem + 32), conf_size = ucm_read64(sym_mem + 40);
	uint32_t flag = all_dirty;
	ucm_write(sym_all_dirty, &flag, 4);
	if (!all_dirty)
		publish_dirty_conf(conf_base, conf_size);
	struct fw_report rep = { 0 };
	ucm_write(sym_report, &rep, sizeof(rep));

	uc_context_save(uc, check_ctx);
	uint8_t *saved_cov = cov_map;
	bool saved_measuring = measuring;
	cov_map = NULL; /* the checker's own blocks are not the monitor's behaviour */
	measuring = false;
	wr(UC_RISCV_REG_SP, sym_stacks + (1ULL << 14)); /* hart 0's stack top */
	wr(UC_RISCV_REG_RA, selfcheck_done);
	hook_stopped = false;
	blocks_this_run = 0;
	unsigned long budget = ucm_block_budget;
	if (all_dirty)
		ucm_block_budget = 50000000; /* reads every confidential page once */
	uc_err err = uc_emu_start(uc, selfcheck_entry, 0, 0, 0);
	ucm_block_budget = budget;
	uint64_t at = rd(UC_RISCV_REG_PC);
	cov_map = saved_cov;
	measuring = saved_measuring;
	uc_context_restore(uc, check_ctx);

	ucm_read(sym_report, &rep, sizeof(rep));
	if ((hook_stopped && hook_stop != UCM_RETURNED) || err != UC_ERR_OK || at != selfcheck_done ||
	    rep.magic != 0x53434b31U) {
		snprintf(inv, invcap, "self-check");
		snprintf(detail, detailcap, "the checker itself failed (%s; pc %llx)",
			 !hook_stopped ? uc_strerror(err) : hook_stop == UCM_HANG ? "block budget" : fault_msg,
			 (unsigned long long)at);
		return false;
	}
	if (rep.ok)
		return true;
	rep.invariant[sizeof(rep.invariant) - 1] = 0;
	rep.detail[sizeof(rep.detail) - 1] = 0;
	snprintf(inv, invcap, "%s", rep.invariant);
	snprintf(detail, detailcap, "%s", rep.detail);
	return false;
}

bool ucm_selfcheck(char *inv, size_t invcap, char *detail, size_t detailcap)
{
	if (!ucm_has_selfcheck())
		return true;
	return run_selfcheck(false, inv, invcap, detail, detailcap);
}

/* --- snapshot ------------------------------------------------------------------------- */

void ucm_snapshot(void)
{
	uc_context_save(uc, snap_ctx);
	for (unsigned i = 0; i < R_COUNT; i++) {
		struct region *r = &regions[i];
		memcpy(r->snap, r->host, r->size);
		memset(r->gen, 0, r->size / PAGE * sizeof(*r->gen));
		r->ndirty = 0;
	}
	emu_snap = emu;
	cur_gen = 1;
}

void ucm_restore(void)
{
	uc_context_restore(uc, snap_ctx);
	for (unsigned i = 0; i < R_COUNT; i++) {
		struct region *r = &regions[i];
		for (size_t k = 0; k < r->ndirty; k++) {
			uint64_t off = (uint64_t)r->dirty[k] * PAGE;
			memcpy(r->host + off, r->snap + off, PAGE);
			r->gen[r->dirty[k]] = 0;
		}
		r->ndirty = 0;
	}
	emu = emu_snap;
	cur_gen = 1;
	nstep_pages = 0;
}

/* --- set-up ------------------------------------------------------------------------------ */

uint64_t ucm_symbol(const char *name, uint64_t *size)
{
	uint64_t a = 0;
	if (!uc_elf_symbol(&elf, name, &a, size))
		return 0;
	return a;
}

static bool put_segment(void *ctx, uint64_t addr, const void *bytes, uint64_t filesz, uint64_t memsz)
{
	(void)ctx;
	struct region *r = region_of(addr, memsz);
	if (!r)
		return false;
	memcpy(r->host + (addr - r->base), bytes, filesz);
	memset(r->host + (addr - r->base) + filesz, 0, memsz - filesz);
	return true;
}

/* static basic blocks of .text: leaders from functions, branch targets, fall-throughs */
static uint8_t *leader;

static void mark_leader(uint64_t a)
{
	if (a >= elf.text_start && a < elf.text_end)
		leader[(a - elf.text_start) / 2] = 1;
}

static void leader_fn(void *ctx, uint64_t a, uint64_t size, const char *name)
{
	(void)ctx;
	(void)size;
	(void)name;
	mark_leader(a);
}

/*
 * Blocks of library code (hashing, signatures, memcpy and friends) are not hooked:
 * their coverage says nothing about the monitor's decisions, and a hook on every block
 * of a SHA-512 over a page costs more than the rest of a promote. Prefixes of function
 * names; $UC_UNHOOKED overrides the list (space-separated).
 */
static const char *const default_unhooked =
	"sha512 hmac ed25519 fe25519 sc25519 ge25519 curve25519 crypto_ memcpy memset memmove memcmp";

struct range {
	uint64_t lo, hi;
};
static struct range unhooked[256];
static size_t nunhooked;

static void unhooked_fn(void *ctx, uint64_t a, uint64_t size, const char *name)
{
	const char *list = ctx;
	for (const char *p = list; *p;) {
		while (*p == ' ')
			p++;
		size_t n = strcspn(p, " ");
		if (n && strncmp(name, p, n) == 0 && size && nunhooked < 256) {
			unhooked[nunhooked].lo = a;
			unhooked[nunhooked].hi = a + size;
			nunhooked++;
			return;
		}
		p += n;
	}
}

/*
 * One block hook over all of .text; on_block returns at once for library code. Unicorn
 * 2.0.1 walks every block hook's bounds on each hooked block, so one hook with a map
 * costs less than a hook per stretch between library functions.
 */
static bool add_block_hooks(void)
{
	const char *list = getenv("UC_UNHOOKED");
	uc_elf_functions(&elf, unhooked_fn, (void *)(list ? list : default_unhooked));
	unhooked_map = calloc((elf.text_end - elf.text_start) / 2 + 1, 1);
	if (!unhooked_map)
		return false;
	for (size_t i = 0; i < nunhooked; i++)
		for (uint64_t a = unhooked[i].lo; a < unhooked[i].hi && a < elf.text_end; a += 2)
			if (a >= elf.text_start)
				unhooked_map[(a - elf.text_start) / 2] = 1;
	uc_hook h;
	return uc_hook_add(uc, &h, UC_HOOK_BLOCK, (void *)on_block, NULL, elf.text_start, elf.text_end - 1) ==
	       UC_ERR_OK;
}

static int64_t sext(uint64_t v, unsigned bits) { return (int64_t)(v << (64 - bits)) >> (64 - bits); }

static void scan_text(void)
{
	uint64_t n = (elf.text_end - elf.text_start) / 2;
	leader = calloc(n + 1, 1);
	ran_halfwords = calloc(n + 1, 1);
	mark_leader(elf.text_start);
	uc_elf_functions(&elf, leader_fn, NULL);
	for (uint64_t a = elf.text_start; a < elf.text_end;) {
		uint32_t insn = 0;
		ucm_read(a, &insn, 4);
		if ((insn & 3) != 3) { /* compressed */
			uint16_t c = (uint16_t)insn;
			unsigned op = c & 3, f3 = c >> 13;
			if (op == 1 && f3 == 5) { /* c.j */
				uint64_t off = ((c >> 1) & 0x800) | ((c >> 7) & 0x10) | ((c >> 1) & 0x300) |
					       ((c << 2) & 0x400) | ((c >> 1) & 0x40) | ((c << 1) & 0x80) |
					       ((c >> 2) & 0xe) | ((c << 3) & 0x20);
				mark_leader(a + (uint64_t)sext(off, 12));
				mark_leader(a + 2);
			} else if (op == 1 && (f3 == 6 || f3 == 7)) { /* c.beqz / c.bnez */
				uint64_t off = ((c >> 4) & 0x100) | ((c << 1) & 0xc0) | ((c << 3) & 0x20) |
					       ((c >> 7) & 0x18) | ((c >> 2) & 0x6);
				mark_leader(a + (uint64_t)sext(off, 9));
				mark_leader(a + 2);
			} else if (op == 2 && f3 == 4 && ((c >> 2) & 31) == 0 && ((c >> 7) & 31) != 0) {
				mark_leader(a + 2); /* c.jr / c.jalr */
			}
			a += 2;
			continue;
		}
		unsigned opc = insn & 0x7f;
		if (opc == 0x63) { /* branch */
			uint64_t off = ((insn >> 19) & 0x1000) | ((insn << 4) & 0x800) | ((insn >> 20) & 0x7e0) |
				       ((insn >> 7) & 0x1e);
			mark_leader(a + (uint64_t)sext(off, 13));
			mark_leader(a + 4);
		} else if (opc == 0x6f) { /* jal */
			uint64_t off = ((insn >> 11) & 0x100000) | (insn & 0xff000) | ((insn >> 9) & 0x800) |
				       ((insn >> 20) & 0x7fe);
			mark_leader(a + (uint64_t)sext(off, 21));
			mark_leader(a + 4);
		} else if (opc == 0x67 || insn == 0x30200073 || insn == 0x00100073) {
			mark_leader(a + 4); /* jalr, mret, ebreak */
		}
		a += 4;
	}
}

static void find_sites(uc_hook *h)
{
	static uint64_t pmp_sites[MAX_PMP_SITES];
	size_t npmp = 0;
	for (uint64_t a = elf.text_start; a < elf.text_end;) {
		uint32_t insn = 0;
		ucm_read(a, &insn, 4);
		if ((insn & 3) != 3) {
			a += 2;
			continue;
		}
		unsigned csr = insn >> 20, f3 = (insn >> 12) & 7;
		if (insn == 0x30200073 && nmret < 8)
			mret_addr[nmret++] = a;
		else if (insn == 0x10500073 && nwfi < 16)
			wfi_addr[nwfi++] = a;
		else if ((insn & 0x7f) == 0x73 && f3 && f3 != 4 &&
			 (csr == 0x3a0 || csr == 0x3a2 || (csr >= 0x3b0 && csr < 0x3c0)) && npmp < MAX_PMP_SITES)
			pmp_sites[npmp++] = a;
		a += 4;
	}
	for (size_t i = 0; i < npmp; i++)
		uc_hook_add(uc, h, UC_HOOK_CODE, (void *)on_pmp_write, NULL, pmp_sites[i], pmp_sites[i]);
}

static bool boot(unsigned nr_harts, char *err, size_t errcap)
{
	/* QEMU puts its tree near the top of RAM; the monitor moves it out of CONF memory */
	uint8_t fdt[4096];
	size_t n = fdtb_make_vm_tree(fdt, sizeof(fdt), nr_harts, UCM_RAM_BASE, UCM_RAM_SIZE);
	uint64_t fdt_pa = UCM_RAM_BASE + UCM_RAM_SIZE - 0x10000;
	if (!n || !ucm_write(fdt_pa, fdt, n)) {
		snprintf(err, errcap, "cannot build the device tree");
		return false;
	}
	wr(UC_RISCV_REG_A0, 0);
	wr(UC_RISCV_REG_A1, fdt_pa);
	ucm_block_budget = 50000000;
	enum ucm_stop s = run_from(elf.entry);
	ucm_block_budget = getenv("UC_BLOCK_BUDGET") ? strtoul(getenv("UC_BLOCK_BUDGET"), NULL, 0) : 2000000;
	if (s != UCM_RETURNED) {
		snprintf(err, errcap, "boot did not reach the hypervisor (stop %d: %s)", (int)s, fault_msg);
		return false;
	}
	if (rd(UC_RISCV_REG_MEPC) != UCM_HV_ENTRY) {
		snprintf(err, errcap, "boot returns to %llx, not the hypervisor entry",
			 (unsigned long long)rd(UC_RISCV_REG_MEPC));
		return false;
	}
	if (ucm_has_selfcheck()) {
		char inv[32], detail[200];
		if (!run_selfcheck(true, inv, sizeof(inv), detail, sizeof(detail))) {
			snprintf(err, errcap, "the booted monitor fails its self-check: %s: %s", inv, detail);
			return false;
		}
	}
	/* $UC_READONLY_END (an address or a symbol): after the boot, RAM below it is read-only
	 * too; unicorn-test shows a store into it reported as a monitor fault */
	const char *ro = getenv("UC_READONLY_END");
	if (ro && *ro) {
		char *rest;
		uint64_t end = strtoull(ro, &rest, 0);
		if (*rest)
			end = ucm_symbol(ro, NULL);
		if (end > ro_end && end < UCM_RAM_BASE + UCM_RAM_SIZE)
			ro_end = end;
	}
	return true;
}

bool ucm_init(const char *firmware, unsigned nr_harts, char *err, size_t errcap)
{
	if (!uc_elf_open(&elf, firmware, err, errcap))
		return false;
	if (!alloc_region(R_RAM, UCM_RAM_BASE, UCM_RAM_SIZE) ||
	    !alloc_region(R_CLINT, UCM_CLINT_BASE, 0x10000) || !alloc_region(R_UART, UCM_UART_BASE, PAGE) ||
	    !alloc_region(R_TEST, UCM_TEST_BASE, PAGE)) {
		snprintf(err, errcap, "out of memory");
		return false;
	}
	if (!uc_elf_segments(&elf, put_segment, NULL)) {
		snprintf(err, errcap, "%s: a segment lies outside RAM", firmware);
		return false;
	}
	regions[R_UART].host[5] = 0x60; /* LSR: transmitter empty, ready for a byte */
	if (uc_open(UC_ARCH_RISCV, UC_MODE_RISCV64, &uc) != UC_ERR_OK) {
		snprintf(err, errcap, "uc_open failed");
		return false;
	}
	/* code and read-only data, whole pages only, are read-only to the monitor too */
	ro_end = elf.data_start & ~(PAGE - 1);
	if (ro_end <= UCM_RAM_BASE || ro_end >= UCM_RAM_BASE + UCM_RAM_SIZE)
		ro_end = UCM_RAM_BASE + PAGE;
	/*
	 * Every region read-only to Unicorn, stores performed by on_store. uc_mem_map_ptr
	 * leaves the region writable inside QEMU whatever the permissions; uc_mem_protect
	 * is what marks it read-only there (its writes discarded after the hook ran).
	 */
	for (unsigned i = 0; i < R_COUNT; i++) {
		struct region *r = &regions[i];
		uint32_t perms = i == R_RAM ? UC_PROT_READ | UC_PROT_EXEC : UC_PROT_READ;
		if (uc_mem_map_ptr(uc, r->base, r->size, perms, r->host) || uc_mem_protect(uc, r->base, r->size, perms)) {
			snprintf(err, errcap, "uc_mem_map_ptr/uc_mem_protect failed");
			return false;
		}
	}
	selfcheck_entry = ucm_symbol("virt_fuzz_selfcheck_entry", NULL);
	selfcheck_done = ucm_symbol("virt_fuzz_selfcheck_done", NULL);
	sym_report = ucm_symbol("virt_fuzz_report", NULL);
	sym_dirty_conf = ucm_symbol("virt_fuzz_dirty_conf", &dirty_conf_size);
	sym_all_dirty = ucm_symbol("virt_fuzz_all_dirty", NULL);
	sym_stacks = ucm_symbol("virt_stacks", NULL);
	sym_mem = ucm_symbol("mem", NULL);
	if (!sym_stacks || !sym_mem) {
		snprintf(err, errcap, "%s lacks the symbols virt_stacks and mem", firmware);
		return false;
	}

	uc_hook h;
	if (!add_block_hooks()) {
		snprintf(err, errcap, "cannot hook the blocks of .text");
		return false;
	}
	uc_hook_add(uc, &h, UC_HOOK_MEM_WRITE_PROT, (void *)on_store, NULL, 1, 0);
	uc_hook_add(uc, &h, UC_HOOK_INTR, (void *)on_intr, NULL, 1, 0);
	uc_hook_add(uc, &h, UC_HOOK_MEM_UNMAPPED | UC_HOOK_MEM_FETCH_PROT, (void *)on_bad_access, NULL, 1, 0);
	find_sites(&h);
	if (!nmret) {
		snprintf(err, errcap, "%s has no mret", firmware);
		return false;
	}
	/*
	 * Stops are code hooks bounded to single instructions, not Unicorn's exits: at every
	 * uc_emu_start Unicorn 2.0.1 invalidates the translated blocks around each exit,
	 * and retranslating them cost more than the monitor's own work.
	 */
	for (size_t i = 0; i < nmret; i++)
		uc_hook_add(uc, &h, UC_HOOK_CODE, (void *)on_stop_insn, (void *)(uintptr_t)UCM_RETURNED,
			    mret_addr[i], mret_addr[i]);
	for (size_t i = 0; i < nwfi; i++)
		uc_hook_add(uc, &h, UC_HOOK_CODE, (void *)on_stop_insn, (void *)(uintptr_t)UCM_PARKED,
			    wfi_addr[i], wfi_addr[i]);
	if (selfcheck_done)
		uc_hook_add(uc, &h, UC_HOOK_CODE, (void *)on_stop_insn, (void *)(uintptr_t)UCM_RETURNED,
			    selfcheck_done, selfcheck_done);
	uc_context_alloc(uc, &snap_ctx);
	uc_context_alloc(uc, &check_ctx);
	for (unsigned i = 0; i < NR_HCSRS; i++)
		emu.hval[i] = hcsrs[i].fixed;
	scan_text();
	return boot(nr_harts, err, errcap);
}

/* --- coverage --------------------------------------------------------------------------- */

void ucm_set_coverage(uint8_t *map, size_t size)
{
	cov_map = map;
	cov_mask = size ? size - 1 : 0;
}

void ucm_measure_blocks(bool on) { measuring = on; }

/* Blocks of unhooked library functions are left out of both counts: none is seen run. */
void ucm_block_share(unsigned *hit, unsigned *total)
{
	uint64_t n = (elf.text_end - elf.text_start) / 2;
	unsigned h = 0, t = 0;
	for (uint64_t i = 0; i < n; i++)
		if (leader[i] && !unhooked_map[i]) {
			t++;
			h += ran_halfwords[i] != 0;
		}
	*hit = h;
	*total = t;
}
