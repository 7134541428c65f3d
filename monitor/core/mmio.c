/* Load/store decoding for MMIO exits. Anything that is not a plain integer load or
 * store (atomics, FP, vector) is refused and the CVM faults instead. */
#include "mmio.h"

#define OP_LOAD 0x03
#define OP_STORE 0x23

static bool decode32(uint32_t insn, struct mmio_access *out)
{
	unsigned funct3 = (insn >> 12) & 7;
	switch (insn & 0x7f) {
	case OP_LOAD:
		if (funct3 == 7)
			return false;
		out->is_store = false;
		out->width = 1U << (funct3 & 3);
		out->is_signed = funct3 < 4 && funct3 != 3;
		out->reg = (insn >> 7) & 31;
		return true;
	case OP_STORE:
		if (funct3 > 3)
			return false;
		out->is_store = true;
		out->width = 1U << funct3;
		out->is_signed = false;
		out->reg = (insn >> 20) & 31;
		return true;
	default:
		return false;
	}
}

/* The register-based compressed forms (c.lw, c.ld, c.sw, c.sd): quadrant 0. */
static bool decode16(uint32_t insn, struct mmio_access *out)
{
	if ((insn & 3) != 0)
		return false;
	unsigned reg = ((insn >> 2) & 7) + 8;
	switch ((insn >> 13) & 7) {
	case 2: *out = (struct mmio_access){ false, true, 4, reg, 2 }; return true;
	case 3: *out = (struct mmio_access){ false, false, 8, reg, 2 }; return true;
	case 6: *out = (struct mmio_access){ true, false, 4, reg, 2 }; return true;
	case 7: *out = (struct mmio_access){ true, false, 8, reg, 2 }; return true;
	default: return false;
	}
}

bool mmio_decode(uint32_t insn, bool raw, struct mmio_access *out)
{
	if (raw) {
		if ((insn & 3) != 3)
			return decode16(insn & 0xffff, out);
		out->insn_len = 4;
		return decode32(insn, out);
	}
	if (insn == 0)
		return false;
	/* transformed instruction: bit 0 set, bit 1 says whether the original was 32-bit */
	if (!(insn & 1))
		return false;
	out->insn_len = (insn & 2) ? 4 : 2;
	return decode32(insn | 3, out);
}
