/* The monitor's global state and the memory-layout predicates every call relies on. */
#include "monitor.h"
#include "platform.h"

const struct platform_ops *plat;
struct mem_layout mem;
struct monitor_state sm;

/*@ assigns \nothing;
  @ ensures \result <==> range_ok_m(pa, len) && within_m(pa, len, base, size);
  @*/
static bool inside(paddr_t pa, uint64_t len, paddr_t base, uint64_t size)
{
	return range_ok(pa, len) && range_within(pa, len, base, size);
}

/*
 * Hypervisor memory is RAM minus the monitor region minus the confidential region.
 * The boot code places the monitor at the start of RAM and confidential memory at the
 * end, so this is one contiguous window; checking it as "inside the window" (rather
 * than "not inside the others") keeps ranges that straddle a boundary out.
 */
/*@ predicate layout_ok = mem.monitor_base + mem.monitor_size <= 18446744073709551615;
  @ logic integer monitor_end = mem.monitor_base + mem.monitor_size;
  @*/
/*@ requires layout_ok;
  @ assigns \nothing;
  @ ensures exact: \result <==> range_ok_m(pa, len) && monitor_end < mem.conf_base &&
  @                             within_m(pa, len, monitor_end, mem.conf_base - monitor_end);
  @ ensures apart: \result ==> !overlap_m(pa, len, mem.monitor_base, mem.monitor_size) &&
  @                            !overlap_m(pa, len, mem.conf_base, mem.conf_size);
  @*/
bool mem_is_hypervisor(paddr_t pa, uint64_t len)
{
	paddr_t lo = mem.monitor_base + mem.monitor_size;
	return mem.conf_base > lo && inside(pa, len, lo, mem.conf_base - lo);
}

/*@ assigns \nothing;
  @ ensures exact: \result <==> range_ok_m(pa, len) && within_m(pa, len, mem.conf_base, mem.conf_size);
  @*/
bool mem_is_confidential(paddr_t pa, uint64_t len)
{
	return inside(pa, len, mem.conf_base, mem.conf_size);
}
