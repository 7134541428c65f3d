/*
 * The fuzz input format, shared by every backend (libFuzzer, AFL++, replay, and later
 * the firmware harnesses): a byte string decodes to a program of steps. Any byte string
 * is a valid program; missing bytes read as zero. Values are encoded by class so that
 * valid ids, addresses and sizes are likely while anything stays possible.
 */
#ifndef HARNESS_PROG_H
#define HARNESS_PROG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PROG_MAX_STEPS 48
#define STEP_VALUES 6

enum target_id { TGT_HV_CALLS, TGT_CVM_CALLS, TGT_PROMOTE, TGT_MULTI_HART, TGT_COUNT };

enum step_kind {
	ST_HV_ECALL,   /* hypervisor on hart h: ecall eid/fid a0..a5 */
	ST_HV_BUILD,   /* hypervisor lays out VM image `sel` (pages, cpus, seed in fid/v0) */
	ST_HV_PROMOTE, /* hypervisor promotes image `sel`: v0 = fdt gpa, v1 = entry */
	ST_HV_RUN,     /* run_tvm_vcpu(v0, fid, v1, v2, v3) */
	ST_HV_WRITE,   /* hypervisor writes v1 to its own memory at v0 */
	ST_HV_ACCESS,  /* hypervisor loads/stores/fetches at v0 (sel: 0 r, 1 w, 2 x) */
	ST_CVM_ECALL,  /* the CVM on hart h: ecall eid/fid a0..a5 */
	ST_CVM_ACCESS, /* the CVM on hart h: load/store at gpa v0 (store data v1), sel: bit 0
			  store, bits 1-2 log2 width, bit 3 zero-extend; register fid */
	ST_IRQ,        /* interrupt on hart h: sel 0 M soft, 1 S external, 2 time += v0 */
	ST_HV_DMA,     /* hypervisor on hart h starts a fw_cfg DMA transfer: item fid, sel bits
			  0-1 read (item to memory) / write (memory to item) / skip / select
			  only, bit 2 start with two 4-byte stores; address v0, length v1 */
	ST_HV_CSR,     /* hypervisor on hart h: csrrw/csrrs/csrrc (sel % 4: w, s, c, read) of
			  CSR fid (hv_csr_choices) with v0 */
	ST_CVM_CSR,    /* the CVM on hart h: the same over cvm_csr_choices */
	ST_HV_VM,      /* hypervisor on hart h runs a VM of its own on image sel%2's G-stage
			  tables with VMID fid%4 and vsatp v0, which loads at VA v1; then it
			  takes its hart back */
	ST_FENCE,      /* hart h fences: sel%3 0 hypervisor HFENCE.VVMA, 1 hypervisor
			  HFENCE.GVMA, 2 the CVM's SFENCE.VMA */
	ST_KIND_COUNT,
};

enum value_class { VC_SMALL, VC_SYM, VC_ID, VC_RAW, VC_POOL, VC_NEG, VC_GPA, VC_POW2, VC_COUNT };

struct value {
	uint8_t cls; /* enum value_class */
	uint8_t idx; /* small value, symbol, id, pool page, ... */
	int8_t off;  /* VC_SYM, VC_GPA: offset in 8-byte units */
	uint64_t raw;
};

struct step {
	uint8_t kind; /* enum step_kind */
	uint8_t hart;
	uint8_t sel;  /* eid selector, image slot, access type, irq kind */
	uint8_t fid;
	uint32_t raw_eid; /* ecalls with sel % 16 == EID_RAW_SEL */
	struct value v[STEP_VALUES];
};

struct prog {
	enum target_id target;
	unsigned nsteps;
	struct step steps[PROG_MAX_STEPS];
};

/* Per-target decoding parameters. */
struct target_desc {
	const char *name;
	unsigned nr_harts;
	const uint8_t *kinds; /* opcode byte % nkinds picks the kind (repeats weight it) */
	unsigned nkinds;
};
extern const struct target_desc targets[TGT_COUNT];
int target_by_name(const char *name); /* -1 if unknown */

/* EID selectors: sel % 16; EID_RAW_SEL means "the step's raw_eid". */
#define EID_RAW_SEL 15
extern const uint64_t eid_table[16];
extern const char *const eid_names[16];

void prog_decode(enum target_id t, const uint8_t *data, size_t size, struct prog *p);
/* Bytes that decode back to the same program; returns the length, 0 if cap too small. */
size_t prog_encode(const struct prog *p, uint8_t *out, size_t cap);

/* Readable text form: one step per line, "target NAME" first. */
void prog_to_text(const struct prog *p, char *out, size_t cap);
/*
 * Prints an oracle finding as triage reads it ("==ORACLE== <oracle> at step N<where>:
 * <detail>", then the program in text form when there is one) and aborts, so the engine
 * keeps the input. `where` names the backend (" (unicorn)") or is empty.
 */
__attribute__((noreturn, format(printf, 5, 0))) void prog_report_finding(
	const char *oracle, unsigned step, const char *where, const struct prog *p, const char *fmt, va_list ap);
/* Parses the text form; on error returns false with a message in err. */
bool prog_from_text(const char *text, struct prog *p, char *err, size_t errcap);

const char *step_kind_name(unsigned kind);
/* Number of values a step of this kind carries. */
unsigned step_nvalues(unsigned kind);

#endif
