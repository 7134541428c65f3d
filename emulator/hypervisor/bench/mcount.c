/*
 * A QEMU TCG plugin that counts executed instructions by address: those inside
 * [lo, hi) (the firmware's image, where only M-mode code runs) and all of them.
 * Software marks benchmark phases with HINT instructions `slti x0, x0, imm`:
 * imm 0x7e0+k opens phase k, 0x7f0+k closes it. At exit the plugin writes, per phase,
 * how often it ran and the instructions counted inside it, to the file `out`.
 *
 * Usage: -plugin mcount.so,out=FILE[,lo=0x80000000][,hi=0x80200000]  (with -smp 1:
 * the counters are shared by all vCPUs). With profile=FILE[,pphase=K] it also writes
 * "pc count" lines for the in-range instructions executed while phase K (default 1) was
 * open: where a world switch spends its instructions (bench-switch.sh --profile).
 *
 * Debian ships no qemu-plugin.h, so the few entry points used are declared here from
 * QEMU's documented plugin API (version 1, QEMU 7.2).
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXPORT __attribute__((visibility("default")))

typedef uint64_t plugin_id_t;
struct qemu_plugin_tb;
struct qemu_plugin_insn;
struct plugin_info; /* the fields are not needed */
enum cb_flags { CB_NO_REGS };
enum inline_op { INLINE_ADD_U64 };
typedef void (*tb_trans_cb_t)(plugin_id_t id, struct qemu_plugin_tb *tb);
typedef void (*vcpu_udata_cb_t)(unsigned int vcpu_index, void *userdata);
typedef void (*udata_cb_t)(plugin_id_t id, void *userdata);

void qemu_plugin_register_vcpu_tb_trans_cb(plugin_id_t id, tb_trans_cb_t cb);
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb);
struct qemu_plugin_insn *qemu_plugin_tb_get_insn(const struct qemu_plugin_tb *tb, size_t idx);
const void *qemu_plugin_insn_data(const struct qemu_plugin_insn *insn);
size_t qemu_plugin_insn_size(const struct qemu_plugin_insn *insn);
uint64_t qemu_plugin_insn_vaddr(const struct qemu_plugin_insn *insn);
void qemu_plugin_register_vcpu_insn_exec_inline(struct qemu_plugin_insn *insn,
						enum inline_op op, void *ptr, uint64_t imm);
void qemu_plugin_register_vcpu_insn_exec_cb(struct qemu_plugin_insn *insn, vcpu_udata_cb_t cb,
					    enum cb_flags flags, void *userdata);
void qemu_plugin_register_atexit_cb(plugin_id_t id, udata_cb_t cb, void *userdata);

EXPORT int qemu_plugin_version = 1;
EXPORT int qemu_plugin_install(plugin_id_t id, const struct plugin_info *info, int argc,
			       char **argv);

#define PHASES 16
#define MARK_BEGIN 0x7e0
#define MARK_END 0x7f0

static uint64_t lo = 0x80000000, hi = 0x80200000;
static uint64_t in_range, all;
static struct {
	uint64_t start_in, start_all, in, all, runs;
	bool open;
} phase[PHASES];
static char out_path[512];
static char profile_path[512];
static unsigned profile_phase = 1;
#define PROFILE_SLOTS (1U << 20) /* one per 2-byte instruction slot of a 2 MiB image */
static uint64_t *profile;

static void on_profiled_insn(unsigned int vcpu, void *userdata)
{
	(void)vcpu;
	if (phase[profile_phase].open)
		profile[(uintptr_t)userdata]++;
}

static void on_mark(unsigned int vcpu, void *userdata)
{
	(void)vcpu;
	unsigned imm = (unsigned)(uintptr_t)userdata;
	unsigned k = imm & 0xf;
	if (imm < MARK_END) {
		phase[k].start_in = in_range;
		phase[k].start_all = all;
		phase[k].open = true;
	} else if (phase[k].open) {
		phase[k].in += in_range - phase[k].start_in;
		phase[k].all += all - phase[k].start_all;
		phase[k].runs++;
		phase[k].open = false;
	}
}

/* `slti x0, x0, imm` with imm in [0x7e0, 0x7ff]: the imm, else 0 */
static unsigned mark_of(const struct qemu_plugin_insn *insn)
{
	if (qemu_plugin_insn_size(insn) != 4)
		return 0;
	uint32_t w;
	memcpy(&w, qemu_plugin_insn_data(insn), 4);
	unsigned imm = w >> 20;
	return (w & 0xfffff) == 0x02013 && imm >= MARK_BEGIN ? imm : 0;
}

static void on_translate(plugin_id_t id, struct qemu_plugin_tb *tb)
{
	(void)id;
	size_t n = qemu_plugin_tb_n_insns(tb);
	for (size_t i = 0; i < n; i++) {
		struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
		uint64_t pc = qemu_plugin_insn_vaddr(insn);
		unsigned mark = mark_of(insn);
		if (mark)
			qemu_plugin_register_vcpu_insn_exec_cb(insn, on_mark, CB_NO_REGS,
							       (void *)(uintptr_t)mark);
		qemu_plugin_register_vcpu_insn_exec_inline(insn, INLINE_ADD_U64, &all, 1);
		if (pc >= lo && pc < hi)
			qemu_plugin_register_vcpu_insn_exec_inline(insn, INLINE_ADD_U64, &in_range, 1);
		if (profile && pc >= lo && pc < hi && (pc - lo) / 2 < PROFILE_SLOTS)
			qemu_plugin_register_vcpu_insn_exec_cb(insn, on_profiled_insn, CB_NO_REGS,
							       (void *)(uintptr_t)((pc - lo) / 2));
	}
}

static void write_report(plugin_id_t id, void *userdata)
{
	(void)id;
	(void)userdata;
	FILE *f = fopen(out_path, "w");
	if (!f)
		return;
	for (unsigned k = 0; k < PHASES; k++)
		if (phase[k].runs)
			fprintf(f, "phase %u runs %" PRIu64 " in_range %" PRIu64 " all %" PRIu64 "\n",
				k, phase[k].runs, phase[k].in, phase[k].all);
	fprintf(f, "total in_range %" PRIu64 " all %" PRIu64 "\n", in_range, all);
	fclose(f);
	FILE *p = profile ? fopen(profile_path, "w") : NULL;
	if (!p)
		return;
	for (uint64_t i = 0; i < PROFILE_SLOTS; i++)
		if (profile[i])
			fprintf(p, "0x%" PRIx64 " %" PRIu64 "\n", lo + 2 * i, profile[i]);
	fclose(p);
}

int qemu_plugin_install(plugin_id_t id, const struct plugin_info *info, int argc, char **argv)
{
	(void)info;
	for (int i = 0; i < argc; i++) {
		if (strncmp(argv[i], "out=", 4) == 0)
			snprintf(out_path, sizeof(out_path), "%s", argv[i] + 4);
		else if (strncmp(argv[i], "lo=", 3) == 0)
			lo = strtoull(argv[i] + 3, NULL, 0);
		else if (strncmp(argv[i], "hi=", 3) == 0)
			hi = strtoull(argv[i] + 3, NULL, 0);
		else if (strncmp(argv[i], "profile=", 8) == 0)
			snprintf(profile_path, sizeof(profile_path), "%s", argv[i] + 8);
		else if (strncmp(argv[i], "pphase=", 7) == 0)
			profile_phase = (unsigned)strtoul(argv[i] + 7, NULL, 0) % PHASES;
		else
			return -1;
	}
	if (!out_path[0] || lo >= hi)
		return -1;
	if (profile_path[0] && !(profile = calloc(PROFILE_SLOTS, sizeof(*profile))))
		return -1;
	qemu_plugin_register_vcpu_tb_trans_cb(id, on_translate);
	qemu_plugin_register_atexit_cb(id, write_report, NULL);
	return 0;
}
