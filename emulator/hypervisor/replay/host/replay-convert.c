/*
 * Turns a host fuzz program (harness/lib/prog.h, binary or text form) into the flat
 * list the hypervisor's replay mode plays on QEMU virt (replay_abi.h). Symbolic values
 * become the real addresses of that machine: the monitor at 0x80000000, confidential
 * memory where the device tree the hypervisor sees makes RAM end, and the hypervisor's
 * own pool and demo-VM pages, whose addresses the caller reads from its ELF. Steps the
 * hypervisor cannot perform there (the CVM's own steps, interrupts, image 1, calls that
 * would stop the machine) are left out and counted.
 *   replay-convert TARGET FILE OUT pool=A img0_root=A img0_l1=A img0_l0=A img0_mem=A
 *                  [conf_base=A conf_end=A]
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cove.h"
#include "guest_abi.h"
#include "prog.h"
#include "replay_abi.h"
#include "sbi.h"
#include "symbols.h"

#define MONITOR_BASE 0x80000000ULL
#define MONITOR_END 0x80200000ULL /* the hypervisor's load address */
#define HV_IMAGE_END 0x81000000ULL /* image, option block, this list: never stored to */
#define HOST_MAX_CVMS 4           /* id:N as the host harness evaluates it */
#define POOL_SIZE (HARNESS_POOL_PAGES * 4096ULL)

struct layout {
	uint64_t pool, img0_root, img0_l1, img0_l0, img0_mem;
	uint64_t conf_base, conf_end; /* -m 256M: RAM ends at 0x8c000000 for the hypervisor */
};
static struct layout L = { .conf_base = 0x8c000000ULL, .conf_end = 0x90000000ULL };

static const char *why_skipped;

static uint64_t sym_addr(unsigned idx)
{
	switch (idx % SYM_COUNT) {
	case SYM_MONITOR_BASE: return MONITOR_BASE;
	case SYM_MONITOR_END: return MONITOR_END;
	case SYM_CONF_BASE: return L.conf_base;
	case SYM_CONF_END: return L.conf_end;
	case SYM_HV_BASE: return MONITOR_END;
	case SYM_RAM_END: return L.conf_end;
	case SYM_IMG0_ROOT: return L.img0_root;
	case SYM_IMG0_L1: return L.img0_l1;
	case SYM_IMG0_L0: return L.img0_l0;
	case SYM_IMG0_FDT: return L.img0_mem + (GUEST_FDT_GPA - GUEST_RAM_GPA);
	case SYM_IMG0_DATA: return L.img0_mem;
	case SYM_IMG1_ROOT: case SYM_IMG1_L0: case SYM_IMG1_FDT:
		why_skipped = "image 1";
		return 0;
	/* promote puts CVM pages in the confidential region; its first page is as good a guess */
	case SYM_CVM0_PAGE: return L.conf_base;
	case SYM_UART: return 0x10000000ULL;
	case SYM_CLINT: return 0x2000000ULL;
	case SYM_ALL_ONES: return ~0ULL;
	case SYM_POOL: return L.pool;
	default: return 0;
	}
}

static uint64_t gsym_addr(unsigned idx)
{
	switch (idx % GSYM_COUNT) {
	case GSYM_VM_BASE: return GUEST_RAM_GPA;
	case GSYM_VM_FDT: return GUEST_FDT_GPA;
	case GSYM_VM_END: return GUEST_RAM_GPA + GUEST_RAM_SIZE;
	case GSYM_MMIO: return DEV_GPA;
	case GSYM_SHARE: return SHARED_GPA;
	case GSYM_LIMIT: return 1ULL << 41;
	case GSYM_UNMAPPED: return 0x20000000ULL; /* the host's 0x40000000 is the demo VM here */
	default: return 0;
	}
}

static uint64_t eval(const struct value *v)
{
	switch (v->cls) {
	case VC_SMALL: return v->idx;
	case VC_SYM: return sym_addr(v->idx) + (uint64_t)((int64_t)v->off * 8);
	case VC_ID: return v->idx % (HOST_MAX_CVMS + 2);
	case VC_RAW: return v->raw;
	case VC_POOL: return L.pool + (uint64_t)(v->idx % HARNESS_POOL_PAGES) * 4096;
	case VC_NEG: return ~(uint64_t)v->idx;
	case VC_GPA: return gsym_addr(v->idx) + (uint64_t)((int64_t)v->off * 8);
	case VC_POW2: return 1ULL << (v->idx % 64);
	default: return 0;
	}
}

static int inside(uint64_t a, uint64_t len, uint64_t base, uint64_t size)
{
	return a >= base && a - base <= size && len <= size - (a - base);
}

/* The hypervisor's own pages a program may scribble on: the pool and the demo VM. */
static int own_scratch(uint64_t a, uint64_t len)
{
	return inside(a, len, L.pool, POOL_SIZE) || inside(a, len, L.img0_mem, GUEST_RAM_SIZE) ||
	       inside(a, len, L.img0_root, 16384) || inside(a, len, L.img0_l1, 4096) ||
	       inside(a, len, L.img0_l0, 4096);
}

/* Calls that would end or stop the only hart: the replay could not go on after them. */
static const char *machine_stopper(uint64_t eid, uint64_t fid)
{
	if (eid == SBI_EXT_SRST)
		return "system reset";
	if (eid == 0x08) /* legacy shutdown */
		return "legacy shutdown";
	if (eid == SBI_EXT_HSM && (fid == SBI_HSM_HART_STOP || fid == SBI_HSM_HART_SUSPEND))
		return "hart stop/suspend";
	return NULL;
}

static const char *convert(const struct step *s, struct replay_step *out)
{
	why_skipped = NULL;
	uint64_t v[STEP_VALUES];
	for (unsigned i = 0; i < step_nvalues(s->kind); i++)
		v[i] = eval(&s->v[i]);
	memset(out->a, 0, sizeof(out->a));
	switch (s->kind) {
	case ST_HV_ECALL: {
		uint64_t eid = s->sel % 16 == EID_RAW_SEL ? s->raw_eid : eid_table[s->sel % 16];
		const char *stop = machine_stopper(eid, s->fid);
		if (stop)
			return stop;
		/* on the host that is spare hypervisor RAM; here the monitor would write into
		 * the payload's own code and the replay would die of it, not of a monitor bug */
		for (unsigned i = 0; i < STEP_VALUES; i++)
			if (inside(v[i], 1, MONITOR_END, HV_IMAGE_END - MONITOR_END) &&
			    !own_scratch(v[i], 1))
				return "an argument inside the hypervisor's own image";
		out->kind = RK_ECALL;
		memcpy(out->a, v, sizeof(v));
		out->a[6] = s->fid;
		out->a[7] = eid;
		break;
	}
	case ST_HV_BUILD:
		if (s->sel % 2)
			return "image 1";
		out->kind = RK_BUILD;
		break;
	case ST_HV_PROMOTE:
		if (s->sel % 2)
			return "image 1";
		out->kind = RK_PROMOTE;
		out->a[0] = v[0];
		out->a[1] = v[1];
		break;
	case ST_HV_RUN:
		out->kind = RK_RUN;
		out->a[0] = v[0];
		out->a[1] = s->fid % 8;
		out->a[2] = v[1];
		out->a[3] = v[2];
		out->a[4] = v[3];
		out->a[6] = COVH_RUN_TVM_VCPU;
		out->a[7] = SBI_EXT_COVH;
		break;
	case ST_HV_WRITE: {
		uint64_t width = 1ULL << (s->sel % 4);
		if (!own_scratch(v[0], width))
			return "write outside the hypervisor's scratch pages";
		out->kind = RK_WRITE;
		out->a[0] = v[0];
		out->a[1] = v[1];
		out->a[2] = width;
		break;
	}
	case ST_HV_ACCESS:
		if (s->sel % 3 == 2)
			return "instruction fetch";
		if (s->sel % 3 == 1 && (v[0] < MONITOR_BASE ||
					(inside(v[0], 8, MONITOR_END, HV_IMAGE_END - MONITOR_END) &&
					 !own_scratch(v[0], 8))))
			return "store to a device or the hypervisor's own image";
		out->kind = s->sel % 3 ? RK_STORE : RK_LOAD;
		out->a[0] = v[0];
		break;
	default:
		return "a CVM or interrupt step";
	}
	return why_skipped;
}

static uint64_t arg_value(int argc, char **argv, const char *key, uint64_t dflt)
{
	size_t n = strlen(key);
	for (int i = 4; i < argc; i++)
		if (strncmp(argv[i], key, n) == 0 && argv[i][n] == '=')
			return strtoull(argv[i] + n + 1, NULL, 0);
	return dflt;
}

static size_t read_all(const char *path, uint8_t *buf, size_t cap)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return (size_t)-1;
	size_t n = fread(buf, 1, cap - 1, f);
	fclose(f);
	buf[n] = 0;
	return n;
}

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: %s TARGET FILE OUT pool=A img0_root=A img0_l1=A img0_l0=A "
				"img0_mem=A [conf_base=A conf_end=A]\n", argv[0]);
		return 2;
	}
	int t = target_by_name(argv[1]);
	if (t != TGT_HV_CALLS) {
		printf("qemu-replay: target %s is not supported (hv_calls only)\n", argv[1]);
		return 2;
	}
	L.pool = arg_value(argc, argv, "pool", 0);
	L.img0_root = arg_value(argc, argv, "img0_root", 0);
	L.img0_l1 = arg_value(argc, argv, "img0_l1", 0);
	L.img0_l0 = arg_value(argc, argv, "img0_l0", 0);
	L.img0_mem = arg_value(argc, argv, "img0_mem", 0);
	L.conf_base = arg_value(argc, argv, "conf_base", L.conf_base);
	L.conf_end = arg_value(argc, argv, "conf_end", L.conf_end);
	if (!L.pool || !L.img0_root || !L.img0_l1 || !L.img0_l0 || !L.img0_mem) {
		printf("qemu-replay: the hypervisor's layout is incomplete\n");
		return 2;
	}

	static uint8_t buf[1 << 16];
	size_t n = read_all(argv[2], buf, sizeof(buf));
	if (n == (size_t)-1) {
		printf("qemu-replay: cannot read %s\n", argv[2]);
		return 2;
	}
	static struct prog p;
	if (n >= 7 && memcmp(buf, "target ", 7) == 0) {
		char err[200];
		if (!prog_from_text((const char *)buf, &p, err, sizeof(err))) {
			printf("qemu-replay: %s: %s\n", argv[2], err);
			return 2;
		}
		if (p.target != (enum target_id)t) {
			printf("qemu-replay: %s is not an %s program\n", argv[2], argv[1]);
			return 2;
		}
	} else {
		prog_decode((enum target_id)t, buf, n, &p);
	}

	static struct replay_list list;
	list.magic = REPLAY_MAGIC;
	list.total = p.nsteps;
	list.conf_base = L.conf_base;
	list.conf_end = L.conf_end;
	list.monitor_base = MONITOR_BASE;
	list.monitor_end = MONITOR_END;
	list.pool = L.pool;
	for (unsigned i = 0; i < p.nsteps && i < REPLAY_MAX_STEPS; i++) {
		struct replay_step *rs = &list.step[list.nsteps];
		const char *skip = convert(&p.steps[i], rs);
		if (skip) {
			printf("convert: step %u %s skipped: %s\n", i, step_kind_name(p.steps[i].kind), skip);
			list.skipped++;
			continue;
		}
		rs->index = i;
		printf("convert: step %u %s ->", i, step_kind_name(p.steps[i].kind));
		for (unsigned k = 0; k < 8; k++)
			printf(" %" PRIx64, rs->a[k]);
		printf("\n");
		list.nsteps++;
	}
	printf("convert: %u steps, %u to play, %u skipped\n", list.total, list.nsteps, list.skipped);
	FILE *f = fopen(argv[3], "wb");
	if (!f || fwrite(&list, sizeof(list), 1, f) != 1 || fclose(f) != 0) {
		printf("qemu-replay: cannot write %s\n", argv[3]);
		return 2;
	}
	return 0;
}
