/*
 * The platform behind a narrow ops table (devices the monitor drives), plus the memory
 * layout fixed at boot.
 */
#ifndef MONITOR_PLATFORM_H
#define MONITOR_PLATFORM_H

#include "devices.h"
#include "types.h"

struct platform_ops {
	void (*console_putc)(char c);
	int (*console_getc)(void); /* -1 when nothing is waiting */
	uint64_t (*time_now)(void);
	void (*set_timer)(unsigned hart, uint64_t when); /* raise M timer irq at `when` */
	void (*send_ipi)(unsigned hart);                 /* raise M software irq */
	void (*clear_ipi)(unsigned hart);
	void (*system_reset)(uint32_t type, uint32_t reason);
	/* NULL but in a tracing build: each hypervisor SBI call as it arrives (make
	 * linux-seeds turns a real hypervisor's calls into fuzz seeds this way) */
	void (*trace_call)(unsigned hart, ureg_t eid, ureg_t fid, const ureg_t *a);
};

/*
 * Physical memory as the monitor sees it after boot. The confidential region is the
 * set of pages the memory tracker owns (S.MT.1); it never changes after boot (I.MT.2).
 */
struct mem_layout {
	paddr_t ram_base, ram_size;
	paddr_t monitor_base, monitor_size; /* the monitor's image, data and stacks */
	paddr_t conf_base, conf_size;       /* confidential memory */
	unsigned nr_harts;
	bool sstc; /* every hart has Sstc (riscv,isa says so): S-mode may own stimecmp */
	struct phys_window devices[MAX_DEVICE_WINDOWS]; /* out of S/U reach (devices.h) */
	unsigned nr_devices;
};

extern const struct platform_ops *plat;
extern struct mem_layout mem;

/* [pa, pa+len) is RAM that belongs to the hypervisor: not monitor, not confidential. */
bool mem_is_hypervisor(paddr_t pa, uint64_t len);
bool mem_is_confidential(paddr_t pa, uint64_t len);

#endif
