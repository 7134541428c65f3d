/*
 * The demo hypervisor's API: build a VM, promote it to a CVM, run its vCPUs, answer
 * their exits, destroy it. main.c plays one scenario with it; a replay driver for
 * scripted call sequences (fuzz inputs, attack scenarios loaded with -device loader)
 * can call the same functions in another order, or hv_ecall directly.
 */
#ifndef DEMO_HV_H
#define DEMO_HV_H

#include <stdbool.h>
#include <stdint.h>

#include "guest_abi.h"
#include "hv_regs.h"
#include "sbi_ecall.h"

#define HV_MAX_HARTS 8

/* Options a run takes from the block QEMU's -device loader may place in RAM. */
#define HV_CONFIG_ADDR 0x80f00000UL
#define HV_CONFIG_MAGIC 0x46435648U /* "HVCF" */
#define HV_OPT_BENCH (1U << 0)      /* count switch costs (docs/emulator.md) */
#define HV_OPT_PLANT_LEAK (1U << 1) /* self-test: a secret in the shared page */
#define HV_OPT_BAD_MMIO (1U << 2)   /* self-test: a wrong device answer */
#define HV_OPT_ATTACKS (1U << 3)    /* the attack suite instead of the demo (attacks/) */
#define HV_OPT_CHALLENGE (1U << 4)  /* a relying party's 64-byte challenge at HV_CHALLENGE_ADDR */
#define HV_CHALLENGE_ADDR (HV_CONFIG_ADDR + 0x100UL)


/* An SBI call from HS with a0..a4 (a5 is 0); sbi_ecall takes all six. */
struct sbiret hv_ecall(unsigned long eid, unsigned long fid, unsigned long a0,
		       unsigned long a1, unsigned long a2, unsigned long a3, unsigned long a4);

/* One exit of run_tvm_vcpu, decoded (docs/abi.md section 3). */
struct hv_exit {
	long error;           /* run_tvm_vcpu's own SBI error */
	unsigned long reason; /* enum tvm_exit_reason */
	unsigned long payload[8]; /* a2..a7, t0, t1 */
	unsigned npayload;    /* how many of them the reason defines */
};

/* The answer to the last exit, passed to the next run. */
struct hv_answer {
	unsigned long resp0, resp1, inject;
};

enum vcpu_run_state { VR_STOPPED, VR_RUNNABLE, VR_RUNNING, VR_HALTED, VR_FAULTED };

struct hv_vcpu {
	volatile int state;        /* enum vcpu_run_state */
	volatile unsigned hart;    /* physical hart that schedules it */
	struct hv_answer answer;
	unsigned ticks_wanted;     /* timer interrupts the guest asked for */
	bool tick_pending;         /* injected, not yet acknowledged */
	char line[128];            /* console output until the newline */
	unsigned line_len;
	unsigned long runs, harts_seen; /* bit per hart it ran on */
};

struct hv_share {
	unsigned long gpa, hpa, len;
};

struct hv_cvm {
	unsigned long id;        /* TVM id, 0 = none */
	unsigned nr_vcpus;
	struct hv_vcpu vcpu[GUEST_VCPUS];
	struct hv_share share;   /* the one shared region the device uses */
	volatile bool done;      /* the guest shut down (or died) */
	volatile long verdict;   /* 0 = the guest's checks all passed */
	uint8_t *backing;        /* the VM's memory before promote (hypervisor pages) */
	unsigned long backing_size;
	uint64_t *gstage_root;   /* the tables promote walked */
};

/* vm.c */
bool hv_vm_build(struct hv_cvm *c);
long hv_promote(struct hv_cvm *c);
long hv_destroy(struct hv_cvm *c);
bool hv_regs_self_test(void);
/* One run_tvm_vcpu with the answer to the previous exit; checks what came back. */
struct hv_exit hv_run(struct hv_cvm *c, unsigned vcpu);

/* exits.c: answer one exit; returns false when the vCPU must not run again now. */
bool hv_handle_exit(struct hv_cvm *c, unsigned vcpu, const struct hv_exit *e);

/* sched.c */
void hv_start_secondaries(unsigned boot_hart, unsigned nr_harts);
void hv_schedule(struct hv_cvm *c, unsigned hart);
void hv_vcpu_make_runnable(struct hv_cvm *c, unsigned vcpu);
void hv_timer_arm(bool on);
void hv_stop_secondaries(void);

/* vdev.c: the virtio-style echo device behind DEV_GPA */
unsigned long vdev_read(struct hv_cvm *c, unsigned long off, unsigned width);
void vdev_write(struct hv_cvm *c, unsigned long off, unsigned width, unsigned long val);

/* secrets.c: the oracle; knows every secret the guest may hold */
void secrets_init(void);
bool secret_is(uint64_t v);
unsigned secrets_scan(const void *base, unsigned long len);
unsigned secrets_scan_regs(const struct hv_regs *r);

/* isolation.c: reads and writes the hypervisor must not be able to do */
unsigned isolation_probe(unsigned long ram_end, const char *when);

/* console.c */
void con_lock(void);
void con_unlock(void);
void con_puts(const char *s);      /* caller holds the lock */
/* Number formatting into a caller's buffer; the result points into it. */
#define FMT_BUF 24
const char *fmt_dec(char buf[FMT_BUF], unsigned long v);
const char *fmt_hex(char buf[FMT_BUF], unsigned long v);
void con_put_dec(unsigned long v);
void con_put_hex(unsigned long v);
void con_line(const char *s);      /* one whole line under the lock */

/* main.c: shared state and verdict */
/* Ends the run: exit status through the test finisher (0 passes), SRST as a fallback. */
_Noreturn void hv_exit(unsigned status);
extern unsigned hv_nr_harts, hv_boot_hart;
extern unsigned hv_options;
extern volatile unsigned hv_failures;
extern volatile bool hv_quiet; /* benchmark loops run: no timer, no console */
void hv_fail(const char *what);
void hv_count_exit(unsigned long reason);
extern volatile unsigned long hv_injected, hv_acked;

/* attacks/mode.c: the attack suite, chosen by the option block's text; ends the run */
_Noreturn void attack_mode(unsigned long hartid, unsigned long ram_end);

/* bench */
void hv_bench_sbi_loop(unsigned long n);

#endif
