/*
 * Attack mode of the hostile hypervisor: the threat-model attack suite (attacks/) run
 * against the real firmware. Each attack prints one line,
 *   ATTACK <id> blocked|succeeded|error|not-applicable <what the attacker got>
 * judged from what the hypervisor, its VM or a CVM it controls actually obtained.
 */
#ifndef ATTACK_ATK_H
#define ATTACK_ATK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../../../catalog/catalog.h"
#include "agent/agent_abi.h"
#include "atk_ctx.h"
#include "hv.h"

/* Option block (hv.h HV_CONFIG_ADDR) of attack mode: after magic and option bits, a
 * text "ids=<id,id,...|all> monitor-word=<hex>" naming the attacks to run and the
 * firmware image's first doubleword (public: the image is measured and published). */
#define ATK_TEXT_ADDR (HV_CONFIG_ADDR + 8)
#define ATK_TEXT_MAX 1024

enum atk_verdict { ATK_BLOCKED, ATK_SUCCEEDED, ATK_ERROR, ATK_NOT_APPLICABLE };

struct atk_report {
	char text[400];
	unsigned len;
};

typedef enum atk_verdict (*atk_fn)(struct atk_report *r);

struct atk_env {
	unsigned boot_hart, nr_harts;
	int other_hart;             /* a second hart for the concurrency attacks, -1 if none */
	unsigned long conf_base;    /* where the device tree says RAM ends */
	unsigned long monitor_word; /* the firmware image's first doubleword, 0 if not given */
	unsigned long monitor_mem;  /* where the firmware keeps its memory map, 0 if not given */
	unsigned long monitor_keys; /* where it keeps its keys, 0 if not given */
};
extern struct atk_env atk_env;

/* mode.c: evidence, in words and numbers */
void ev(struct atk_report *r, const char *s);
void ev_hex(struct atk_report *r, unsigned long v);
void ev_dec(struct atk_report *r, unsigned long v);
void ev_err(struct atk_report *r, long err); /* "error -5" */

/* cvm.c: CVMs running the agent */
struct atk_cvm {
	unsigned long id;
	unsigned nr_vcpus;
	unsigned long args[4];        /* served in order to the agent's ARG requests */
	unsigned nargs, next_arg;
	unsigned long share_answer;   /* resp0 for a SHARE exit */
	unsigned long mmio_answer;    /* resp0 for an MMIO load */
	unsigned long inject;         /* interrupts asked for on every run */
	void (*before_run)(struct atk_cvm *c, struct atk_ctx *x); /* just before the ecall */
	volatile bool stop_on_interrupt; /* an interrupt exit ends atk_drive (see concurrency.c) */
	volatile unsigned long mmio_exits, interrupt_exits;
};

/* An extra G-stage leaf in the tables promote walks: [gpa, +size) to [hpa, +size);
 * size 4 KiB or 2 MiB. */
struct atk_leaf {
	unsigned long gpa, hpa, size;
};

struct atk_exit {
	long error;           /* run_tvm_vcpu's own error */
	unsigned long reason; /* enum tvm_exit_reason */
	unsigned long p[8];   /* payload a2..a7, t0, t1 */
	bool escaped;         /* a trap of the CVM reached HS (ctx->scause...) */
};

enum atk_stop {
	STOP_NEXT,    /* the agent asks for its next command: p[0] status, p[1..5] results */
	STOP_PROBE,   /* the exit of PLANT_GPRS / PLANT_CSRS, registers in this hart's ctx */
	STOP_FAULT,   /* FAULT exit: the vCPU is dead */
	STOP_HALT,    /* HALT exit */
	STOP_REFUSED, /* run_tvm_vcpu returned an error */
	STOP_ESCAPED, /* the CVM's trap reached HS */
	STOP_INTERRUPTED, /* an interrupt exit, with stop_on_interrupt set */
	STOP_OTHER,   /* an exit the driver does not serve (e.g. a forwarded HSM start) */
};

struct atk_ctx *atk_here(void);
unsigned atk_hart(void);
long atk_promote(struct atk_cvm *c, unsigned vcpus, const struct atk_leaf *extra, unsigned nextra);
long atk_destroy(struct atk_cvm *c);
struct atk_exit atk_run(struct atk_cvm *c, unsigned vcpu, unsigned long resp0,
			unsigned long resp1);
/* Answers the agent's pending exit with (resp0, resp1) and runs until it stops. */
enum atk_stop atk_drive(struct atk_cvm *c, unsigned vcpu, unsigned long resp0,
			unsigned long resp1, struct atk_exit *e);
/* promote + run vCPU 0 to its first request */
bool atk_start(struct atk_cvm *c, unsigned vcpus, const struct atk_leaf *extra, unsigned nextra);
/* One command with up to 3 extra arguments, run to the agent's next request. */
enum atk_stop atk_command(struct atk_cvm *c, unsigned vcpu, unsigned long op, unsigned long arg,
			  const unsigned long *args, unsigned nargs, struct atk_exit *e);
/* The standing victim: a CVM that ran, so its memory holds the secrets. */
struct atk_cvm *atk_victim(void);
uint64_t atk_marker(unsigned reg, bool fp);

/* harts.c: the other hart runs fn(arg) */
typedef void (*atk_job)(void *arg);
bool atk_harts_start(void);
bool atk_on_hart(int hart, atk_job fn, void *arg);
bool atk_hart_done(int hart);
bool atk_wait_hart(int hart, unsigned long ms);
unsigned long atk_now_ms(void);
void atk_delay_ms(unsigned long ms);

/* memory.c: an 8-byte store from HS; false if it faulted */
bool atk_hs_store(unsigned long addr, unsigned long val);

/* the attacks: atk_<sym> for every row of catalog/attacks.def whose backends include QEMU */
#define ATK_DECL(sym) enum atk_verdict atk_##sym(struct atk_report *r);
#define ATTACK(sym, id, name, goal, policy, defence, backends, down_is_success)               \
	CATALOG_IF_QEMU(backends, ATK_DECL, CATALOG_NOTHING)(sym)
#include "../../../catalog/attacks.def"
#undef ATK_DECL

#endif
