/*
 * Reference hardware: the PMP check of the privileged spec (1.12, section 3.7), written
 * from the specification alone. Part of refhw/, which includes only its own headers and
 * the C library: the model, the Unicorn harness, the attacks and the tests judge the
 * monitor's PMP programming with it, so it never shares code with the monitor.
 */
#ifndef REFHW_PMP_MATCH_H
#define REFHW_PMP_MATCH_H

#include <stdbool.h>
#include <stdint.h>

/* pmpNcfg (3.7.1) */
#define REFHW_PMP_R 0x01u
#define REFHW_PMP_W 0x02u
#define REFHW_PMP_X 0x04u
#define REFHW_PMP_A_SHIFT 3
#define REFHW_PMP_A_MASK 0x18u
#define REFHW_PMP_OFF 0u
#define REFHW_PMP_TOR 1u
#define REFHW_PMP_NA4 2u
#define REFHW_PMP_NAPOT 3u
#define REFHW_PMP_L 0x80u

/* Privilege levels as the spec numbers them. */
#define REFHW_PRV_U 0u
#define REFHW_PRV_S 1u
#define REFHW_PRV_M 3u

/*
 * May an access of `len` bytes at physical address `pa`, at privilege `priv`, needing
 * the permission bits `need` (REFHW_PMP_R, _W or _X), go ahead, with `n` entries
 * implemented whose pmpNcfg bytes are cfg[] and pmpaddrN registers addr[]?
 *  - the lowest-numbered entry that matches any byte of the access decides;
 *  - it must match every byte, or the access fails (whatever L, R, W and X say);
 *  - M-mode is checked only against locked (L) entries, S and U against every entry;
 *  - no entry matches: M-mode succeeds, S and U fail (n > 0).
 * An empty access, or one wrapping around the address space, fails.
 */
bool refhw_pmp_allows(const uint8_t *cfg, const uint64_t *addr, unsigned n, unsigned priv,
		      uint64_t pa, uint64_t len, unsigned need);

/*
 * The 4-byte words [*lo, *hi] that entry `idx` covers (address bits 55:2, as pmpaddr
 * holds them); false when it covers nothing (OFF, or TOR with pmpaddr[idx-1] >=
 * pmpaddr[idx], pmpaddr[-1] being 0).
 */
bool refhw_pmp_entry_words(const uint8_t *cfg, const uint64_t *addr, unsigned idx,
			   uint64_t *lo, uint64_t *hi);

#endif
