/* Decoding the load or store a CVM made to an MMIO region (core/mmio.c). */
#ifndef MONITOR_MMIO_H
#define MONITOR_MMIO_H

#include "types.h"

struct mmio_access {
	bool is_store;
	bool is_signed;
	unsigned width;    /* bytes: 1, 2, 4, 8 */
	unsigned reg;      /* rd for loads, rs2 for stores */
	unsigned insn_len; /* 2 or 4 */
};

/*
 * Decodes `insn` as reported in mtinst (the transformed form, bit 1 clear for a
 * compressed original) or, when `raw` is set, as fetched from guest memory. Only
 * integer loads and stores qualify; anything else is false.
 */
bool mmio_decode(uint32_t insn, bool raw, struct mmio_access *out);

#endif
