/*
 * What a program's values stand for on one machine. The decoder (prog.c) produces
 * classes and symbols; each backend (the host model, Unicorn) describes its machine in
 * a value_env and evaluates through the one function below, so a program means the
 * same on both.
 */
#ifndef HARNESS_VALUES_H
#define HARNESS_VALUES_H

#include <stdbool.h>
#include <stdint.h>

#include "prog.h"

/* A VM image the harness's hypervisor built (hvsim/scenario.c's layout). */
struct value_image {
	bool built;
	uint64_t root, l1, l0;      /* its G-stage tables, in hypervisor memory */
	uint64_t data_hpa, fdt_hpa; /* its first page and its device-tree page */
	uint64_t fdt_gpa;
	unsigned nr_pages;          /* the device tree's page included */
};

struct value_env {
	uint64_t monitor_base, monitor_size, conf_base, conf_size, ram_base, ram_size;
	uint64_t uart, clint;
	uint64_t pool; /* HARNESS_POOL_PAGES scratch pages in hypervisor memory */
	struct value_image img[2];
	/* The page behind CVM 1's first GPA, 0 if there is none: the monitor decides it, so
	 * it is looked up when a value names it. */
	uint64_t (*cvm0_page)(void);
};

uint64_t value_eval(const struct value *v, const struct value_env *env);

#endif
