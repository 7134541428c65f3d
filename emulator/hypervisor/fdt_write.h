/* The device tree the demo hypervisor gives its VM. */
#ifndef DEMO_FDT_WRITE_H
#define DEMO_FDT_WRITE_H

#include <stdbool.h>
#include <stdint.h>

/* Total size written, or 0 if it does not fit in `cap`. */
unsigned fdt_write_guest(void *buf, unsigned cap, unsigned nr_cpus, uint64_t mem_base,
			 uint64_t mem_size, uint64_t dev_base, uint64_t dev_size);

#endif
