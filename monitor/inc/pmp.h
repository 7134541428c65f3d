/*
 * Physical memory protection as the monitor programs it. Entry layout (lowest number
 * wins, as the privileged spec prioritises):
 *   0-1  monitor image and data, TOR, no access for S/U
 *   2-3  confidential memory, TOR, no access while the hypervisor runs, RW X while a
 *        CVM runs (the CVM's G-stage tables then confine it to its own pages)
 *   4    the endorsement seed page, NAPOT, locked (L) with no permission: not even
 *        M-mode reads it until reset. Entry 1 then stops below it; the seed page is the
 *        top page of mem's monitor region, so it is never hypervisor memory.
 *   5-14 device windows S/U must not reach (devices.h, S.Init.3), no permission: one
 *        NAPOT entry where the window is a naturally aligned power of two, otherwise a
 *        TOR pair; the rest OFF
 *   15   everything else, NAPOT over the whole address space, RWX
 */
#ifndef MONITOR_PMP_H
#define MONITOR_PMP_H

#include "types.h"

#define PMP_R 0x01
#define PMP_W 0x02
#define PMP_X 0x04
#define PMP_A_OFF 0x00
#define PMP_A_TOR 0x08
#define PMP_A_NA4 0x10
#define PMP_A_NAPOT 0x18
#define PMP_L 0x80
#define PMP_COUNT 16

#define PMP_IDX_MONITOR 1
#define PMP_IDX_CONF 3
#define PMP_IDX_SEED 4
#define PMP_IDX_DEVICES 5
#define PMP_IDX_ALL 15
#define PMP_DEVICE_ENTRIES (PMP_IDX_ALL - PMP_IDX_DEVICES)

/* Entries pmp_init spends to deny [base, base+size) to S/U: 1 (NAPOT) or 2 (TOR). */
unsigned pmp_entries_to_deny(paddr_t base, uint64_t size);

void pmp_write_entry(unsigned idx, uint8_t cfg, ureg_t addr);
uint8_t pmp_read_cfg(unsigned idx);
ureg_t pmp_read_addr(unsigned idx);

/*
 * Boot hart, once, after the seed has been used: records the seed region (NAPOT: size a
 * power of two >= 8, base aligned to it; size 0 for none) and locks it on this hart.
 * pmp_init locks it on every other hart.
 */
void pmp_lock_seed(paddr_t base, uint64_t size);
void pmp_init(void);               /* boot: the layout above, confidential closed */
void pmp_open_confidential(void);  /* before entering a CVM */
void pmp_close_confidential(void); /* before returning to the hypervisor */

/* No byte of [base, base+len) is reachable from S or U mode under the current PMP. */
bool pmp_denies_supervisor(paddr_t base, uint64_t len);

#endif
