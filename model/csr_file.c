/*
 * One hart's CSR file: a few dozen storage slots, with the views (sstatus, sip, sie,
 * hip, hie, vsip, vsie) computed from the registers they alias, and each write
 * filtered through the field's WARL rule. Privileged spec 1.12, chapters 3, 4 and 8.
 */
#include <string.h>

#include "model_priv.h"

/* mstatus fields M-mode can write (UBE/SBE/MBE, VS and XS are read-only zero here). */
#define MSTATUS_WRITABLE                                                                    \
	(MSTATUS_SIE | MSTATUS_MIE | MSTATUS_SPIE | MSTATUS_MPIE | MSTATUS_SPP | MSTATUS_MPP | \
	 MSTATUS_FS | MSTATUS_MPRV | MSTATUS_SUM | M_MSTATUS_MXR | MSTATUS_TVM | MSTATUS_TW |  \
	 MSTATUS_TSR | MSTATUS_GVA | MSTATUS_MPV)
/* sstatus is a restricted view of mstatus (4.1.1); vsstatus has the same layout. */
#define SSTATUS_VISIBLE                                                                   \
	(MSTATUS_SIE | MSTATUS_SPIE | M_MSTATUS_UBE | MSTATUS_SPP | M_MSTATUS_VS | MSTATUS_FS | \
	 M_MSTATUS_XS | MSTATUS_SUM | M_MSTATUS_MXR | M_MSTATUS_UXL | M_MSTATUS_SD)
#define SSTATUS_WRITABLE \
	(MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_FS | MSTATUS_SUM | M_MSTATUS_MXR)
#define HSTATUS_WRITABLE                                                               \
	(HSTATUS_GVA | HSTATUS_SPV | HSTATUS_SPVP | M_HSTATUS_HU | M_HSTATUS_VTVM | HSTATUS_VTW | \
	 M_HSTATUS_VTSR)

/* Delegable exceptions: medeleg[11] is read-only zero (3.1.8); hedeleg per table 8.2. */
#define MEDELEG_WRITABLE 0xF0B7FFULL /* 0-10, 12, 13, 15, 20-23 */
#define HEDELEG_WRITABLE 0x00B1FFULL /* 0-8, 12, 13, 15 */
/* mie: all standard bits but SGEIE (GEILEN is 0, so SGEI never exists: 8.2.3). */
#define MIE_WRITABLE (M_IRQ_S_BITS | M_IRQ_VS_BITS | M_IRQ_M_BITS)

#define MISA_VALUE                                                                      \
	((2ULL << 62) | (1ULL << ('A' - 'A')) | (1ULL << ('C' - 'A')) | (1ULL << ('D' - 'A')) | \
	 (1ULL << ('F' - 'A')) | (1ULL << ('H' - 'A')) | (1ULL << ('I' - 'A')) |              \
	 (1ULL << ('M' - 'A')) | (1ULL << ('S' - 'A')) | (1ULL << ('U' - 'A')))

static uint64_t merge(uint64_t old, uint64_t val, uint64_t writable)
{
	return (old & ~writable) | (val & writable);
}

void csr_reset(struct hart_state *hs)
{
	/* Reset values are unspecified; QEMU's are 0, stimecmp and vstimecmp included, so an
	 * S-mode timer is due from reset until software sets it (the monitor must not end
	 * a CVM's turn for a timer the hypervisor never asked for). */
	memset(hs->csr, 0, sizeof(hs->csr));
}

uint64_t csr_mideleg(const struct hart_state *hs)
{
	/* VS-level interrupt bits are read-only one with the H extension (8.2.3). */
	return hs->csr[SL_MIDELEG] | M_IRQ_VS_BITS;
}

static bool sstc_on(const struct hart_state *hs)
{
	return (hs->csr[SL_MENVCFG] & M_ENVCFG_STCE) != 0;
}

uint64_t csr_mip(const struct hart_state *hs)
{
	uint64_t mip = hs->csr[SL_MIP] & (M_IRQ_S_BITS | M_IRQ_M_BITS);
	/* mip.VS* alias hip, which takes them from hvip (GEILEN = 0: no guest files). */
	mip |= hs->csr[SL_HVIP] & M_IRQ_VS_BITS;
	if (sstc_on(hs)) {
		/* Sstc: STIP follows stimecmp and is not writable; VSTIP ORs in vstimecmp. */
		mip &= ~MIP_STIP;
		if (g_model.time >= hs->csr[SL_STIMECMP])
			mip |= MIP_STIP;
		if ((hs->csr[SL_HENVCFG] & M_ENVCFG_STCE) &&
		    g_model.time + hs->csr[SL_HTIMEDELTA] >= hs->csr[SL_VSTIMECMP])
			mip |= 1ULL << IRQ_VS_TIMER;
	}
	return mip;
}

uint8_t csr_pmp_cfg(const struct hart_state *hs, unsigned idx)
{
	return (uint8_t)(hs->csr[SL_PMPCFG0 + idx / 8] >> (8 * (idx % 8)));
}

uint64_t csr_pmp_addr(const struct hart_state *hs, unsigned idx)
{
	return hs->csr[SL_PMPADDR0 + idx] & M_PMPADDR_MASK;
}

/* 3.7.1: writes to a locked entry's cfg are ignored. */
static void pmpcfg_write(struct hart_state *hs, unsigned first, uint64_t val)
{
	uint64_t reg = hs->csr[SL_PMPCFG0 + first / 8];
	for (unsigned i = 0; i < 8; i++) {
		unsigned shift = 8 * i;
		uint8_t old = (uint8_t)(reg >> shift);
		uint8_t cfg = (uint8_t)(val >> shift) & (uint8_t)~M_PMP_RESERVED;
		if (old & M_PMP_L)
			continue;
		/* R=0 W=1 is reserved; the WARL field maps it to a legal value (no W). */
		if ((cfg & (M_PMP_R | M_PMP_W)) == M_PMP_W)
			cfg &= (uint8_t)~M_PMP_W;
		reg = (reg & ~(0xffULL << shift)) | ((uint64_t)cfg << shift);
	}
	hs->csr[SL_PMPCFG0 + first / 8] = reg;
}

/* 3.7.1: pmpaddr[i] is locked by its own L, and by entry i+1 if that is a locked TOR. */
static void pmpaddr_write(struct hart_state *hs, unsigned idx, uint64_t val)
{
	if (csr_pmp_cfg(hs, idx) & M_PMP_L)
		return;
	if (idx + 1 < MODEL_PMP_ENTRIES) {
		uint8_t next = csr_pmp_cfg(hs, idx + 1);
		if ((next & M_PMP_L) && ((next & M_PMP_A_MASK) >> M_PMP_A_SHIFT) == M_PMP_TOR)
			return;
	}
	hs->csr[SL_PMPADDR0 + idx] = val & M_PMPADDR_MASK;
}

/* xtvec: MODE values 2 and 3 are reserved; the WARL field keeps its old mode. */
static void tvec_write(uint64_t *slot, uint64_t val)
{
	uint64_t mode = val & 3;
	if (mode > 1)
		mode = *slot & 3;
	*slot = (val & ~3ULL) | mode;
}

/* satp/vsatp: an unsupported MODE makes the whole write have no effect (4.1.11). */
static void atp_write(uint64_t *slot, uint64_t val)
{
	uint64_t mode = val >> 60;
	if (mode == 0 || mode == 8 || mode == 9)
		*slot = val;
}

/* hgatp (8.2.10): same rule, PPN[1:0] read as zero, VMIDLEN = 14. */
static void hgatp_write(uint64_t *slot, uint64_t val)
{
	uint64_t mode = val >> HGATP_MODE_SHIFT;
	if (mode != HGATP_MODE_BARE && mode != HGATP_MODE_SV39X4 && mode != HGATP_MODE_SV48X4)
		return;
	*slot = (mode << HGATP_MODE_SHIFT) | (val & (HGATP_VMID_MASK << HGATP_VMID_SHIFT)) |
		(val & HGATP_PPN_MASK & ~3ULL);
}

static uint64_t status_sd(uint64_t st)
{
	return (st & MSTATUS_FS) == MSTATUS_FS_DIRTY ? M_MSTATUS_SD : 0;
}

static uint64_t vs_view(uint64_t hbits, uint64_t hideleg)
{
	/* vsip/vsie: VS bits delegated by hideleg appear at the S positions (8.2.13). */
	return (hbits & hideleg & M_IRQ_VS_BITS) >> 1;
}

uint64_t csr_get(const struct hart_state *hs, unsigned csr)
{
	const uint64_t *c = hs->csr;
	if (csr >= CSR_PMPADDR0 && csr < CSR_PMPADDR0 + MODEL_PMP_ENTRIES)
		return csr_pmp_addr(hs, csr - CSR_PMPADDR0);
	switch (csr) {
	case CSR_MSTATUS: return c[SL_MSTATUS] | M_MSTATUS_UXL_64 | M_MSTATUS_SXL_64 | status_sd(c[SL_MSTATUS]);
	case CSR_MISA: return MISA_VALUE;
	case CSR_MEDELEG: return c[SL_MEDELEG];
	case CSR_MIDELEG: return csr_mideleg(hs);
	case CSR_MIE: return c[SL_MIE];
	case CSR_MTVEC: return c[SL_MTVEC];
	case CSR_MCOUNTEREN: return c[SL_MCOUNTEREN];
	case CSR_MENVCFG: return c[SL_MENVCFG];
	case CSR_MSCRATCH: return c[SL_MSCRATCH];
	case CSR_MEPC: return c[SL_MEPC];
	case CSR_MCAUSE: return c[SL_MCAUSE];
	case CSR_MTVAL: return c[SL_MTVAL];
	case CSR_MIP: return csr_mip(hs);
	case CSR_MTINST: return c[SL_MTINST];
	case CSR_MTVAL2: return c[SL_MTVAL2];
	case CSR_MINSTRET: return c[SL_MINSTRET];
	case CSR_MCYCLE: return c[SL_MCYCLE];
	case CSR_MCOUNTINHIBIT: return c[SL_MCOUNTINHIBIT];
	case CSR_PMPCFG0: return c[SL_PMPCFG0];
	case CSR_PMPCFG2: return c[SL_PMPCFG2];
	case CSR_MVENDORID: case CSR_MARCHID: case CSR_MIMPID: return 0;
	case CSR_MHARTID: return (uint64_t)(hs - g_model.harts);
	case CSR_TIME: return g_model.time;

	case CSR_SSTATUS: return (csr_get(hs, CSR_MSTATUS)) & SSTATUS_VISIBLE;
	/* sie/sip: only S-level bits delegated through mideleg are visible (3.1.9, 8.2.3). */
	case CSR_SIE: return c[SL_MIE] & csr_mideleg(hs) & M_IRQ_S_BITS;
	case CSR_SIP: return csr_mip(hs) & csr_mideleg(hs) & M_IRQ_S_BITS;
	case CSR_STVEC: return c[SL_STVEC];
	case CSR_SCOUNTEREN: return c[SL_SCOUNTEREN];
	case CSR_SENVCFG: return c[SL_SENVCFG];
	case CSR_SSCRATCH: return c[SL_SSCRATCH];
	case CSR_SEPC: return c[SL_SEPC];
	case CSR_SCAUSE: return c[SL_SCAUSE];
	case CSR_STVAL: return c[SL_STVAL];
	case CSR_STIMECMP: return c[SL_STIMECMP];
	case CSR_SATP: return c[SL_SATP];

	case CSR_VSSTATUS: return c[SL_VSSTATUS] | M_MSTATUS_UXL_64 | status_sd(c[SL_VSSTATUS]);
	case CSR_VSIE: return vs_view(c[SL_MIE], c[SL_HIDELEG]);
	case CSR_VSIP: return vs_view(csr_mip(hs), c[SL_HIDELEG]);
	case CSR_VSTVEC: return c[SL_VSTVEC];
	case CSR_VSSCRATCH: return c[SL_VSSCRATCH];
	case CSR_VSEPC: return c[SL_VSEPC];
	case CSR_VSCAUSE: return c[SL_VSCAUSE];
	case CSR_VSTVAL: return c[SL_VSTVAL];
	case CSR_VSTIMECMP: return c[SL_VSTIMECMP];
	case CSR_VSATP: return c[SL_VSATP];

	case CSR_HSTATUS: return c[SL_HSTATUS] | HSTATUS_VSXL_64;
	case CSR_HEDELEG: return c[SL_HEDELEG];
	case CSR_HIDELEG: return c[SL_HIDELEG];
	case CSR_HIE: return c[SL_MIE] & M_IRQ_VS_BITS;
	case CSR_HIP: return csr_mip(hs) & M_IRQ_VS_BITS;
	case CSR_HVIP: return c[SL_HVIP];
	case CSR_HTIMEDELTA: return c[SL_HTIMEDELTA];
	case CSR_HCOUNTEREN: return c[SL_HCOUNTEREN];
	case CSR_HGEIE: return 0;
	case CSR_HENVCFG: return c[SL_HENVCFG];
	case CSR_HTVAL: return c[SL_HTVAL];
	case CSR_HTINST: return c[SL_HTINST];
	case CSR_HGATP: return c[SL_HGATP];
	default:
		model_fatal("read of CSR 0x%03x, which the hardware model does not implement", csr);
	}
}

void csr_put(struct hart_state *hs, unsigned csr, uint64_t val)
{
	uint64_t *c = hs->csr;
	if (csr >= CSR_PMPADDR0 && csr < CSR_PMPADDR0 + MODEL_PMP_ENTRIES) {
		pmpaddr_write(hs, csr - CSR_PMPADDR0, val);
		return;
	}
	switch (csr) {
	case CSR_MSTATUS: {
		uint64_t nv = merge(c[SL_MSTATUS], val, MSTATUS_WRITABLE);
		/* MPP is WARL: 2 (reserved) leaves the old value. */
		if ((val & MSTATUS_MPP) == (2ULL << MSTATUS_MPP_SHIFT))
			nv = (nv & ~MSTATUS_MPP) | (c[SL_MSTATUS] & MSTATUS_MPP);
		c[SL_MSTATUS] = nv;
		break;
	}
	case CSR_MISA: break; /* WARL, read-only here */
	case CSR_MEDELEG: c[SL_MEDELEG] = val & MEDELEG_WRITABLE; break;
	case CSR_MIDELEG: c[SL_MIDELEG] = val & M_IRQ_S_BITS; break;
	case CSR_MIE: c[SL_MIE] = val & MIE_WRITABLE; break;
	case CSR_MTVEC: tvec_write(&c[SL_MTVEC], val); break;
	case CSR_MCOUNTEREN: c[SL_MCOUNTEREN] = val & 0xffffffffULL; break;
	case CSR_MENVCFG:
		c[SL_MENVCFG] = val & (M_ENVCFG_FIOM | M_ENVCFG_STCE);
		if (!(val & M_ENVCFG_STCE))
			c[SL_HENVCFG] &= ~M_ENVCFG_STCE;
		break;
	case CSR_MSCRATCH: c[SL_MSCRATCH] = val; break;
	case CSR_MEPC: c[SL_MEPC] = val & ~1ULL; break; /* IALIGN=16: bit 0 reads zero */
	case CSR_MCAUSE: c[SL_MCAUSE] = val; break;
	case CSR_MTVAL: c[SL_MTVAL] = val; break;
	case CSR_MIP: {
		/* M-level bits are read-only (set by CLINT/PLIC); STIP too under Sstc. */
		uint64_t w = M_IRQ_S_BITS & ~(sstc_on(hs) ? MIP_STIP : 0);
		c[SL_MIP] = merge(c[SL_MIP], val, w);
		/* mip.VSSIP aliases hvip.VSSIP; VSTIP/VSEIP are read-only in mip (8.2.3). */
		c[SL_HVIP] = merge(c[SL_HVIP], val, 1ULL << IRQ_VS_SOFT);
		break;
	}
	case CSR_MTINST: c[SL_MTINST] = val; break;
	case CSR_MTVAL2: c[SL_MTVAL2] = val; break;
	case CSR_MINSTRET: c[SL_MINSTRET] = val; break;
	case CSR_MCYCLE: c[SL_MCYCLE] = val; break;
	case CSR_MCOUNTINHIBIT: c[SL_MCOUNTINHIBIT] = val & 0xfffffffdULL; break; /* bit 1 (TM) is 0 */
	case CSR_PMPCFG0: pmpcfg_write(hs, 0, val); break;
	case CSR_PMPCFG2: pmpcfg_write(hs, 8, val); break;

	case CSR_SSTATUS: c[SL_MSTATUS] = merge(c[SL_MSTATUS], val, SSTATUS_WRITABLE); break;
	case CSR_SIE: c[SL_MIE] = merge(c[SL_MIE], val, csr_mideleg(hs) & M_IRQ_S_BITS); break;
	case CSR_SIP: c[SL_MIP] = merge(c[SL_MIP], val, csr_mideleg(hs) & MIP_SSIP); break;
	case CSR_STVEC: tvec_write(&c[SL_STVEC], val); break;
	case CSR_SCOUNTEREN: c[SL_SCOUNTEREN] = val & 0xffffffffULL; break;
	case CSR_SENVCFG: c[SL_SENVCFG] = val & M_ENVCFG_FIOM; break;
	case CSR_SSCRATCH: c[SL_SSCRATCH] = val; break;
	case CSR_SEPC: c[SL_SEPC] = val & ~1ULL; break;
	case CSR_SCAUSE: c[SL_SCAUSE] = val; break;
	case CSR_STVAL: c[SL_STVAL] = val; break;
	case CSR_STIMECMP: c[SL_STIMECMP] = val; break;
	case CSR_SATP: atp_write(&c[SL_SATP], val); break;

	case CSR_VSSTATUS: c[SL_VSSTATUS] = val & SSTATUS_WRITABLE; break;
	case CSR_VSIE: c[SL_MIE] = merge(c[SL_MIE], val << 1, c[SL_HIDELEG] & M_IRQ_VS_BITS); break;
	case CSR_VSIP:
		c[SL_HVIP] = merge(c[SL_HVIP], val << 1, c[SL_HIDELEG] & (1ULL << IRQ_VS_SOFT));
		break;
	case CSR_VSTVEC: tvec_write(&c[SL_VSTVEC], val); break;
	case CSR_VSSCRATCH: c[SL_VSSCRATCH] = val; break;
	case CSR_VSEPC: c[SL_VSEPC] = val & ~1ULL; break;
	case CSR_VSCAUSE: c[SL_VSCAUSE] = val; break;
	case CSR_VSTVAL: c[SL_VSTVAL] = val; break;
	case CSR_VSTIMECMP: c[SL_VSTIMECMP] = val; break;
	case CSR_VSATP: atp_write(&c[SL_VSATP], val); break;

	case CSR_HSTATUS: c[SL_HSTATUS] = val & HSTATUS_WRITABLE; break;
	case CSR_HEDELEG: c[SL_HEDELEG] = val & HEDELEG_WRITABLE; break;
	case CSR_HIDELEG: c[SL_HIDELEG] = val & M_IRQ_VS_BITS; break;
	case CSR_HIE: c[SL_MIE] = merge(c[SL_MIE], val, M_IRQ_VS_BITS); break;
	case CSR_HIP: c[SL_HVIP] = merge(c[SL_HVIP], val, 1ULL << IRQ_VS_SOFT); break;
	case CSR_HVIP: c[SL_HVIP] = val & M_IRQ_VS_BITS; break;
	case CSR_HTIMEDELTA: c[SL_HTIMEDELTA] = val; break;
	case CSR_HCOUNTEREN: c[SL_HCOUNTEREN] = val & 0xffffffffULL; break;
	case CSR_HGEIE: break; /* GEILEN = 0: read-only zero */
	case CSR_HENVCFG:
		/* henvcfg.STCE is read-only zero while menvcfg.STCE is zero. */
		c[SL_HENVCFG] = val & (M_ENVCFG_FIOM | (c[SL_MENVCFG] & M_ENVCFG_STCE));
		break;
	case CSR_HTVAL: c[SL_HTVAL] = val; break;
	case CSR_HTINST: c[SL_HTINST] = val; break;
	case CSR_HGATP: hgatp_write(&c[SL_HGATP], val); break;

	case CSR_MVENDORID: case CSR_MARCHID: case CSR_MIMPID: case CSR_MHARTID: case CSR_TIME:
		model_fatal("write to read-only CSR 0x%03x (illegal instruction on hardware)", csr);
	default:
		model_fatal("write of CSR 0x%03x, which the hardware model does not implement", csr);
	}
}

ureg_t host_csr_read(unsigned csr)
{
	return csr_get(model_current_hs("csr_read"), csr);
}

void host_csr_write(unsigned csr, ureg_t val)
{
	csr_put(model_current_hs("csr_write"), csr, val);
}

uint64_t model_csr(unsigned h, unsigned csr)
{
	return csr_get(model_hs(h, "model_csr"), csr);
}

/*
 * An M-mode csrw, WARL rules and PMP locks included, except that mip also accepts the
 * M-level bits so tests can stand in for the interrupt controllers.
 */
void model_set_csr(unsigned h, unsigned csr, uint64_t v)
{
	struct hart_state *hs = model_hs(h, "model_set_csr");
	if (csr == CSR_MIP) {
		if ((v & MIP_MSIP) && !(hs->csr[SL_MIP] & MIP_MSIP))
			hs->wake_refused = false;
		hs->csr[SL_MIP] = v & (M_IRQ_S_BITS | M_IRQ_M_BITS);
		hs->csr[SL_HVIP] = v & M_IRQ_VS_BITS;
		return;
	}
	csr_put(hs, csr, v);
}
