/*
 * The domains' memory accesses: loads, stores and instruction fetches as a hart in
 * HS/U (V=0, physical addresses; S-stage paging is not modelled) or VS/VU (V=1, guest
 * virtual addresses through VS-stage and G-stage) performs them, with the traps
 * hardware would raise.
 */
#include <stdlib.h>
#include <string.h>

#include "model_priv.h"
#include "model_test.h"

enum access_fault { AF_NONE, AF_MISALIGNED, AF_ACCESS, AF_GUEST_PAGE, AF_PAGE, AF_DEVICE };

/*
 * Translates and checks one access of `len` bytes; *pa gets the physical address.
 * `update` lets the translation cache learn from the walk (real accesses only).
 */
static enum access_fault check_access(struct hart_state *hs, uint64_t addr, uint64_t len,
				      char type, bool update, uint64_t *pa)
{
	enum model_mode mode = hs->pub.mode;
	/* Misaligned loads and stores trap (as on QEMU) before any translation. */
	if (type != 'x' && (addr & (len - 1)))
		return AF_MISALIGNED;
	*pa = addr;
	if (mode_is_virtual(mode)) {
		/* VS-stage first (the guest's own tables), then G-stage (8.5) */
		uint64_t gpa = addr;
		hs->fault_implicit = false;
		switch (vsstage_translate(hs, addr, type, update, &gpa, &hs->fault_gpa)) {
		case VS_PAGE_FAULT: return AF_PAGE;
		case VS_ACCESS_FAULT: return AF_ACCESS;
		case VS_GUEST_PAGE_FAULT:
			hs->fault_implicit = true;
			return AF_GUEST_PAGE;
		default: break;
		}
		hs->fault_gpa = gpa;
		enum xlate_result r = gstage_translate(hs, gpa, type, update, pa);
		if (r == XLATE_GUEST_PAGE_FAULT)
			return AF_GUEST_PAGE;
		if (r == XLATE_ACCESS_FAULT)
			return AF_ACCESS;
	}
	/* VS and VU are checked as S and U (3.7.1). */
	if (!pmp_check(hs, mode_priv(mode), *pa, len, type))
		return AF_ACCESS;
	/* RAM and the devices of bus.c answer; a bus error is an access fault, as on QEMU. */
	if (ram_contains(*pa, len))
		return AF_NONE;
	if (type != 'x' && bus_claims(*pa, len))
		return AF_DEVICE;
	return AF_ACCESS;
}

static uint64_t cause_for(enum access_fault f, char type)
{
	switch (f) {
	case AF_MISALIGNED:
		return type == 'w' ? CAUSE_MISALIGNED_STORE : CAUSE_MISALIGNED_LOAD;
	case AF_ACCESS:
		return type == 'w' ? CAUSE_STORE_ACCESS : type == 'r' ? CAUSE_LOAD_ACCESS : CAUSE_FETCH_ACCESS;
	case AF_PAGE:
		return type == 'w' ? CAUSE_STORE_PAGE_FAULT : type == 'r' ? CAUSE_LOAD_PAGE_FAULT : CAUSE_FETCH_PAGE_FAULT;
	default:
		return type == 'w' ? CAUSE_STORE_GUEST_PAGE_FAULT
		       : type == 'r' ? CAUSE_LOAD_GUEST_PAGE_FAULT : CAUSE_FETCH_GUEST_PAGE_FAULT;
	}
}

static unsigned width_funct3(unsigned width)
{
	switch (width) {
	case 1: return 0;
	case 2: return 1;
	case 4: return 2;
	case 8: return 3;
	default: model_fatal("access width %u (want 1, 2, 4 or 8)", width);
	}
}

/*
 * The transformed instruction for mtinst/htinst (8.6.3): the original 32-bit load or
 * store with rs1 and the immediate replaced by zero (the address offset field is zero
 * for an aligned access).
 */
static uint64_t transformed_insn(char type, unsigned width, bool zero_ext, unsigned reg)
{
	unsigned f3 = width_funct3(width) | ((zero_ext && width < 8) ? 4u : 0u);
	if (type == 'w')
		return ((uint64_t)reg << 20) | ((uint64_t)f3 << 12) | 0x23;
	return ((uint64_t)reg << 7) | ((uint64_t)f3 << 12) | 0x03;
}

void model_set_tinst(bool on)
{
	g_model.no_tinst = !on;
}

static enum model_result fault(unsigned h, struct hart_state *hs, enum access_fault f,
			       uint64_t addr, char type, unsigned width, bool zero_ext, unsigned reg)
{
	bool virt = mode_is_virtual(hs->pub.mode);
	struct trap_info t = { .cause = cause_for(f, type), .tval = addr, .gva = virt };
	if (f == AF_GUEST_PAGE) {
		t.tval2 = hs->fault_gpa >> 2; /* the GPA, shifted right by 2 (8.6.3) */
		if (hs->fault_implicit)
			t.tinst = 0x3000; /* the pseudoinstruction of a 64-bit implicit PTE read */
		else if (type != 'x' && !g_model.no_tinst)
			t.tinst = transformed_insn(type, width, zero_ext, reg);
	}
	enum model_result r = trap_take_exception(h, &t);
	trap_deliver_pending();
	return r;
}

static void check_reg(unsigned reg)
{
	if (reg >= 32)
		model_fatal("register x%u does not exist", reg);
}

enum model_result model_load(unsigned h, uint64_t addr, unsigned width, bool zero_ext, unsigned rd)
{
	struct hart_state *hs = model_action_hart(h, "model_load");
	if (!hs)
		return MODEL_PARKED;
	check_reg(rd);
	width_funct3(width);
	uint64_t pa;
	enum access_fault f = check_access(hs, addr, width, 'r', true, &pa);
	if (f != AF_NONE && f != AF_DEVICE)
		return fault(h, hs, f, addr, 'r', width, zero_ext, rd);

	uint64_t v = 0;
	if (f == AF_DEVICE)
		bus_access(pa, width, false, &v);
	else
		memcpy(&v, ram_at(pa), width); /* little-endian host, like the hart */
	if (!zero_ext && width < 8) {
		unsigned sh = 64 - 8 * width;
		v = (uint64_t)((int64_t)(v << sh) >> sh);
	}
	if (rd != 0)
		hs->pub.x[rd] = v;
	hs->pub.pc += 4;
	trap_deliver_pending();
	return MODEL_OK;
}

enum model_result model_store(unsigned h, uint64_t addr, unsigned width, unsigned rs2)
{
	struct hart_state *hs = model_action_hart(h, "model_store");
	if (!hs)
		return MODEL_PARKED;
	check_reg(rs2);
	width_funct3(width);
	uint64_t pa;
	enum access_fault f = check_access(hs, addr, width, 'w', true, &pa);
	if (f != AF_NONE && f != AF_DEVICE)
		return fault(h, hs, f, addr, 'w', width, false, rs2);

	uint64_t v = rs2 ? hs->pub.x[rs2] : 0;
	model_epoch_counter++;
	if (f == AF_DEVICE) {
		bus_access(pa, width, true, &v);
	} else {
		ram_mark_written(pa, width);
		memcpy(ram_at(pa), &v, width);
	}
	hs->pub.pc += 4;
	trap_deliver_pending();
	return MODEL_OK;
}

/* The domain jumps to addr: the first 16-bit parcel there is fetched. */
enum model_result model_fetch(unsigned h, uint64_t addr)
{
	struct hart_state *hs = model_action_hart(h, "model_fetch");
	if (!hs)
		return MODEL_PARKED;
	addr &= ~1ULL; /* with C, targets are 2-byte aligned (jalr clears bit 0) */
	hs->pub.pc = addr;
	uint64_t pa;
	enum access_fault f = check_access(hs, addr, 2, 'x', true, &pa);
	if (f != AF_NONE)
		return fault(h, hs, f, addr, 'x', 2, false, 0);
	trap_deliver_pending();
	return MODEL_OK;
}

bool model_can_access(unsigned h, uint64_t addr, char type)
{
	struct hart_state *hs = model_hs(h, "model_can_access");
	if (type != 'r' && type != 'w' && type != 'x')
		model_fatal("model_can_access: access type '%c' (want r, w or x)", type);
	if (hs->pub.parked || hs->pub.mode == MODE_M)
		return false;
	uint64_t pa;
	enum access_fault f = check_access(hs, addr, type == 'x' ? 2 : 1, type, false, &pa);
	return f == AF_NONE || f == AF_DEVICE;
}

enum model_result model_fence(unsigned h, char kind)
{
	struct hart_state *hs = model_action_hart(h, "model_fence");
	if (!hs)
		return MODEL_PARKED;
	bool virt = mode_is_virtual(hs->pub.mode);
	uint16_t vmid = (uint16_t)((hs->csr[SL_HGATP] >> HGATP_VMID_SHIFT) & HGATP_VMID_MASK);
	if ((kind == 'v' || kind == 'g') && hs->pub.mode != MODE_HS) {
		/* hypervisor fences from VS are virtual-instruction exceptions, from U illegal */
		struct trap_info t = { .cause = virt ? CAUSE_VIRTUAL_INSTRUCTION : CAUSE_ILLEGAL_INSTRUCTION };
		enum model_result r = trap_take_exception(h, &t);
		trap_deliver_pending();
		return r;
	}
	if (kind == 'v' || (kind == 's' && virt))
		vtlb_flush_vmid(hs, vmid);
	else if (kind == 'g')
		gtlb_flush(hs);
	hs->pub.pc += 4;
	trap_deliver_pending();
	return MODEL_OK;
}
