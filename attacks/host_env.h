/*
 * The host backend's stage: a booted monitor on the hardware model, a victim CVM that
 * holds secrets, and the moves a hostile hypervisor (or a CVM it controls) can make.
 * Attacks aim with what the monitor would tell a debugger (where a victim page lives),
 * as an attacker who guesses a deterministic allocator would, but judge success only by
 * what the attacker's own loads, registers and calls return.
 */
#ifndef ATTACKS_HOST_ENV_H
#define ATTACKS_HOST_ENV_H

#include <stdbool.h>
#include <stdint.h>

#include "attack.h"
#include "scenario.h"

/* Values only the victim CVM knows (its registers, the data it writes). */
#define CVM_SECRET 0xC0DE5EC700000000ULL
/* A value standing for the monitor's own data (its keys, its control data). */
#define MONITOR_SECRET 0x5EC12E7A0D1E0000ULL
/* What the attacker writes where it should not be able to. */
#define ATTACKER_VALUE 0xA77AC4EDBADC0DE5ULL
/* The hypervisor's own register values before it runs a CVM. */
#define HV_MARK 0x4856000000000000ULL

#define HV_STVEC 0x80201000ULL
#define VENDOR_EID 0x0A000000ULL /* an SBI call the monitor forwards: a plain hypercall */
#define SECRET_GPA (VM_GPA_BASE + 0x1000 + 0x100) /* in the victim's second data page */
#define MMIO_GPA 0x10000000ULL
#define SHARE_GPA 0x90000000ULL
#define SCRATCH_REG 31 /* t6: the register CVM loads and stores go through */

bool looks_cvm_secret(uint64_t v);

struct victim {
	struct vm_image img;
	uint64_t id;
	unsigned idx; /* monitor slot */
};

/* Boots the monitor on the model with hypervisor trap vectors set; once per run. */
void env_boot(void);
void env_shutdown(void);

/* Brings hart h up through HSM, as the hypervisor would; false if it did not start. */
bool env_start_hart(struct attack_run *run, unsigned h);

/* Builds and promotes a VM on hart h. */
bool victim_promote(struct attack_run *run, unsigned h, struct victim *v, unsigned pages,
		    unsigned cpus, uint64_t seed);
/* Runs vCPU `vcpu` of v on hart h, answering the last exit with resp0/resp1. */
bool victim_enter(struct attack_run *run, unsigned h, const struct victim *v, unsigned vcpu,
		  uint64_t resp0, uint64_t resp1, uint64_t inject);
/* Promotes v on hart 0, runs it, lets it store `secret` at SECRET_GPA and yield. */
bool victim_with_secret(struct attack_run *run, struct victim *v, uint64_t seed, uint64_t secret);

/* The CVM on hart h ends its turn with a hypercall carrying a0 = value; the
 * hypervisor's view of the exit is returned (a1 = reason, a2 = value). */
bool cvm_yield(unsigned h, uint64_t value);
/* The domain on hart h stores or loads 8 bytes at addr (GPA when V=1), through t6. */
bool dom_store64(unsigned h, uint64_t addr, uint64_t value);
bool dom_load64(unsigned h, uint64_t addr, uint64_t *value);

/* Where the victim's gpa lives (0 if unmapped): the attacker's aim. */
uint64_t victim_hpa(const struct victim *v, uint64_t gpa);
uint64_t phys64(uint64_t pa);
void phys64_set(uint64_t pa, uint64_t v);

/* Puts MONITOR_SECRET into monitor memory and returns its address. */
uint64_t plant_monitor_secret(void);

/* Points the hypervisor's own G-stage leaf for gpa (tables of hgatp) at pa. */
bool hv_remap(uint64_t hgatp, uint64_t gpa, uint64_t pa);

/* Exit reason the hypervisor sees in a1 after a run or an exit on hart h. */
uint64_t hv_exit_reason(unsigned h);

#endif
