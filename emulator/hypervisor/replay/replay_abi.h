/*
 * The flat step list a host fuzz program becomes for the QEMU replay (docs/emulator.md):
 * written by replay/host/replay-convert, placed in RAM by QEMU's -device loader, played
 * by the hypervisor's replay mode. Every value is already concrete for QEMU virt; the
 * layout the converter assumed travels along so the payload can refuse a mismatch.
 */
#ifndef REPLAY_ABI_H
#define REPLAY_ABI_H

#include <stdint.h>

#define HV_OPT_REPLAY (1U << 5)      /* option block bit: replay mode (hv.h) */
#define REPLAY_ADDR 0x80f01000UL     /* clear of the option block and the challenge */
#define REPLAY_MAGIC 0x50525648U     /* "HVRP" */
#define REPLAY_MAX_STEPS 48

enum replay_kind {
	RK_ECALL = 1, /* a0..a7 as given */
	RK_WRITE,     /* the hypervisor writes a[1] (width a[2]) to its own memory at a[0] */
	RK_LOAD,      /* 8-byte load at a[0], a fault caught */
	RK_STORE,     /* 8-byte store at a[0], a fault caught */
	RK_BUILD,     /* lay out the demo VM again */
	RK_PROMOTE,   /* demo VM's hgatp, then promote_to_tvm(a[0], 0, a[1], 0) */
	RK_RUN,       /* run_tvm_vcpu with a0..a7 as given, a timer armed against a spin */
};

struct replay_step {
	uint32_t kind;  /* enum replay_kind */
	uint32_t index; /* the step's number in the original program */
	uint64_t a[8];
};

struct replay_list {
	uint32_t magic, nsteps;
	uint32_t total, skipped; /* steps in the program, steps left out */
	uint64_t conf_base, conf_end, monitor_base, monitor_end, pool;
	struct replay_step step[REPLAY_MAX_STEPS];
};

#endif
