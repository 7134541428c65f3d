/*
 * The fuzzing build's self-check entry (-DMONITOR_FUZZ_SELFCHECK, never in a real
 * firmware). The Unicorn harness jumps to virt_fuzz_selfcheck_entry on a monitor stack
 * while the monitor is idle (at its trap exit); the core's invariant checker runs over
 * the live state, the verdict lands in virt_fuzz_report, and the entry stops on the
 * ebreak at virt_fuzz_selfcheck_done, where the harness reads it.
 *
 * The harness also tells the checker which confidential pages were written since it
 * last saw them all zero (virt_fuzz_dirty_conf), so the I.MT.3 check reads only those:
 * a full scan of every free page per step would cost more than the step itself.
 */
#ifdef MONITOR_FUZZ_SELFCHECK

#include <string.h>

#include "arch.h"
#include "invariants.h"
#include "platform.h"

#define VIRT_FUZZ_REPORT_MAGIC 0x53434b31U /* "SCK1" */

struct virt_fuzz_report {
	uint32_t magic;
	uint32_t ok;
	char invariant[24];
	char detail[160];
};

struct virt_fuzz_report virt_fuzz_report;
/* one bit per confidential page; virt_fuzz_all_dirty makes every page count as written */
uint8_t virt_fuzz_dirty_conf[(MAX_CONF_PAGES + 7) / 8];
uint32_t virt_fuzz_all_dirty = 1;

void virt_fuzz_selfcheck(void);

bool phys_page_maybe_dirty(paddr_t pa)
{
	if (virt_fuzz_all_dirty || pa < mem.conf_base)
		return true;
	uint64_t i = (pa - mem.conf_base) / PAGE_SIZE;
	if (i >= MAX_CONF_PAGES)
		return true;
	return (virt_fuzz_dirty_conf[i / 8] >> (i % 8)) & 1;
}

void virt_fuzz_selfcheck(void)
{
	struct inv_violation v;
	if (inv_check_all(&v)) {
		virt_fuzz_report.ok = 1;
	} else {
		size_t n = strlen(v.invariant);
		if (n >= sizeof(virt_fuzz_report.invariant))
			n = sizeof(virt_fuzz_report.invariant) - 1;
		memcpy(virt_fuzz_report.invariant, v.invariant, n);
		virt_fuzz_report.invariant[n] = 0;
		memcpy(virt_fuzz_report.detail, v.detail, sizeof(virt_fuzz_report.detail));
		virt_fuzz_report.detail[sizeof(virt_fuzz_report.detail) - 1] = 0;
		virt_fuzz_report.ok = 0;
	}
	virt_fuzz_report.magic = VIRT_FUZZ_REPORT_MAGIC;
}

__asm__(".section .text.virt_fuzz_selfcheck_entry, \"ax\"\n"
	".balign 4\n"
	".globl virt_fuzz_selfcheck_entry\n"
	"virt_fuzz_selfcheck_entry:\n"
	"	call virt_fuzz_selfcheck\n"
	".globl virt_fuzz_selfcheck_done\n"
	"virt_fuzz_selfcheck_done:\n"
	"	ebreak\n"
	"	j virt_fuzz_selfcheck_done\n"
	".previous\n");

#else
typedef int selfcheck_c_is_empty_outside_fuzzing_builds;
#endif
