/*
 * State and helpers shared by the files of the host hardware model only.
 *
 * The model is the judge of the monitor, so it keeps its own definitions of the
 * architectural encodings it decides with (PTE bits, PMP configuration, status fields
 * the contract headers do not name) instead of borrowing the monitor's: a wrong
 * constant in a monitor header must not be able to fool both sides. CSR numbers come
 * from csr.h because they are the instruction encoding both sides must share; they
 * were checked against the privileged specification (1.12, tables 2.2-2.6).
 */
#ifndef HOST_MODEL_PRIV_H
#define HOST_MODEL_PRIV_H

#include "config.h"
#include "csr.h"
#include "hart.h"
#include "model.h"

#define MODEL_PMP_ENTRIES 16
#define MODEL_GTLB_ENTRIES 16
#define MODEL_VTLB_ENTRIES 16
#define MODEL_CONSOLE_IN_MAX 1024
#define MODEL_CONSOLE_OUT_MAX (64 * 1024)
#define MODEL_MAX_DELIVERIES 64
#define MODEL_PA_BITS 56 /* physical address width (Sv39/Sv48 PPN is 44 bits) */

/* Page-table entry bits (privileged spec 4.3.1, 4.4.1). */
#define M_PTE_V (1ULL << 0)
#define M_PTE_R (1ULL << 1)
#define M_PTE_W (1ULL << 2)
#define M_PTE_X (1ULL << 3)
#define M_PTE_U (1ULL << 4)
#define M_PTE_A (1ULL << 6)
#define M_PTE_D (1ULL << 7)
#define M_PTE_PPN_SHIFT 10
#define M_PTE_PPN_BITS 44
#define M_PTE_RESERVED (0x3ffULL << 54) /* N, PBMT and reserved bits: none implemented */
/* 4.3.2 step 3, for both stages: invalid, write-only, or reserved bits set. */
static inline bool pte_faults(uint64_t pte)
{
	return !(pte & M_PTE_V) || (!(pte & M_PTE_R) && (pte & M_PTE_W)) || (pte & M_PTE_RESERVED);
}
/* A non-leaf PTE with D, A or U set (reserved there, 4.3.1), or a pointer at level 0. */
static inline bool pointer_faults(uint64_t pte, int level)
{
	return (pte & (M_PTE_D | M_PTE_A | M_PTE_U)) || level == 0;
}

/* pmpNcfg (privileged spec 3.7.1). */
#define M_PMP_R 0x01u
#define M_PMP_W 0x02u
#define M_PMP_X 0x04u
#define M_PMP_A_SHIFT 3
#define M_PMP_A_MASK 0x18u
#define M_PMP_OFF 0u
#define M_PMP_TOR 1u
#define M_PMP_NA4 2u
#define M_PMP_NAPOT 3u
#define M_PMP_RESERVED 0x60u
#define M_PMP_L 0x80u
#define M_PMPADDR_MASK ((1ULL << 54) - 1) /* bits 55:2 of the address */

/* mstatus/sstatus fields csr.h does not name. */
#define M_MSTATUS_UBE (1ULL << 6)
#define M_MSTATUS_VS (3ULL << 9)
#define M_MSTATUS_XS (3ULL << 15)
#define M_MSTATUS_MXR (1ULL << 19)
#define M_MSTATUS_UXL (3ULL << 32)
#define M_MSTATUS_UXL_64 (2ULL << 32)
#define M_MSTATUS_SXL_64 (2ULL << 34)
#define M_MSTATUS_SD (1ULL << 63)
#define M_HSTATUS_HU (1ULL << 9)
#define M_HSTATUS_VTVM (1ULL << 20)
#define M_HSTATUS_VTSR (1ULL << 22)
#define M_ENVCFG_FIOM (1ULL << 0)
#define M_ENVCFG_STCE (1ULL << 63)

/* Interrupt bits: S-level, VS-level, M-level (privileged spec 3.1.9, 8.2.3). */
#define M_IRQ_S_BITS ((1ULL << 1) | (1ULL << 5) | (1ULL << 9))
#define M_IRQ_VS_BITS ((1ULL << 2) | (1ULL << 6) | (1ULL << 10))
#define M_IRQ_M_BITS ((1ULL << 3) | (1ULL << 7) | (1ULL << 11))

/* Storage slots of one hart's CSR file; views (sstatus, sip, hie...) have none. */
enum csr_slot {
	SL_MSTATUS, SL_MEDELEG, SL_MIDELEG, SL_MIE, SL_MTVEC, SL_MCOUNTEREN, SL_MENVCFG,
	SL_MSCRATCH, SL_MEPC, SL_MCAUSE, SL_MTVAL, SL_MIP, SL_MTINST, SL_MTVAL2, SL_MINSTRET,
	SL_MCYCLE, SL_MCOUNTINHIBIT,
	SL_STVEC, SL_SCOUNTEREN, SL_SENVCFG, SL_SSCRATCH, SL_SEPC, SL_SCAUSE, SL_STVAL,
	SL_STIMECMP, SL_SATP,
	SL_VSSTATUS, SL_VSTVEC, SL_VSSCRATCH, SL_VSEPC, SL_VSCAUSE, SL_VSTVAL, SL_VSTIMECMP,
	SL_VSATP,
	SL_HSTATUS, SL_HEDELEG, SL_HIDELEG, SL_HTIMEDELTA, SL_HCOUNTEREN, SL_HENVCFG, SL_HTVAL,
	SL_HVIP, SL_HTINST, SL_HGATP,
	SL_PMPCFG0, SL_PMPCFG2, SL_PMPADDR0,
	NR_CSR_SLOTS = SL_PMPADDR0 + MODEL_PMP_ENTRIES
};

/* One cached G-stage translation of a 4 KiB guest page. */
struct gtlb_entry {
	uint64_t gpa_page, pa_page;
	uint16_t vmid;
	uint8_t pte_bits; /* leaf PTE bits 7:0 */
	bool valid;
};

/* A VS-stage translation (VA page to GPA page), tagged as the spec allows hardware to tag
 * it: by VMID and ASID only. `root` is the hgatp root it was filled under, which no
 * lookup looks at: it tells oracles whose translation it was. */
struct vtlb_entry {
	uint64_t va_page, gpa_page, root;
	uint16_t vmid, asid;
	uint8_t pte_bits;
	bool valid;
};

struct hart_state {
	struct model_hart pub;
	uint64_t csr[NR_CSR_SLOTS];
	struct gtlb_entry gtlb[MODEL_GTLB_ENTRIES];
	unsigned gtlb_next;
	struct vtlb_entry vtlb[MODEL_VTLB_ENTRIES];
	unsigned vtlb_next;
	/* the last guest-page fault's GPA, and whether the VS-stage walk's own PTE read took it */
	uint64_t fault_gpa;
	bool fault_implicit;
	uint64_t hfence_count;
	bool wake_refused; /* the monitor declined a wake-up for the MSIP now pending */
};

/* Everything model_snapshot records apart from RAM and the monitor's own state. */
#define MODEL_DMA_LOG 16
struct model_fw_cfg {
	unsigned selector;
	uint32_t offset;
	uint64_t dma_hi;
	uint8_t writable[MODEL_FW_CFG_WRITABLE_SIZE];
	struct model_dma log[MODEL_DMA_LOG]; /* since model_drain_dma last looked */
	unsigned nr_log;
};

struct model_state {
	struct hart_state harts[MAX_HARTS];
	unsigned nr_harts;
	unsigned current;  /* the hart whose trap the monitor is handling */
	bool in_monitor;
	uint64_t time;
	size_t console_out_len;
	size_t console_in_head, console_in_len;
	char console_in[MODEL_CONSOLE_IN_MAX];
	bool reset_requested;
	uint32_t reset_type, reset_reason;
	uint64_t storms; /* delivery rounds cut off by MODEL_MAX_DELIVERIES */
	bool no_tinst; /* guest-page faults leave mtinst 0 (model_set_tinst) */
	struct model_fw_cfg fw_cfg;
};

extern struct model_state g_model;
extern uint64_t model_epoch_counter; /* see model_epoch() */
extern bool g_model_ready;

/* model.c */
void model_fatal(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
struct hart_state *model_hs(unsigned h, const char *who);
struct hart_state *model_current_hs(const char *who);
/* The hart an action runs on; aborts inside the monitor; NULL when parked. */
struct hart_state *model_action_hart(unsigned h, const char *who);
void model_console_putc(char c);
/* bus.c: device registers below M-mode (only RAM and these answer) */
bool bus_claims(uint64_t pa, uint64_t len);
bool bus_access(uint64_t pa, unsigned width, bool store, uint64_t *val);

/* host_arch.c */
struct platform_ops;
const struct platform_ops *model_platform_ops(void);

/* csr_file.c */
void csr_reset(struct hart_state *hs); /* mhartid is computed from the hart's index */
uint64_t csr_get(const struct hart_state *hs, unsigned csr);
void csr_put(struct hart_state *hs, unsigned csr, uint64_t val);
uint64_t csr_mip(const struct hart_state *hs); /* what mip reads, all sources merged */
uint64_t csr_mideleg(const struct hart_state *hs);
uint8_t csr_pmp_cfg(const struct hart_state *hs, unsigned idx);
uint64_t csr_pmp_addr(const struct hart_state *hs, unsigned idx);

/* pmp_check.c: type 'r', 'w' or 'x'; priv PRV_U, PRV_S or PRV_M. */
bool pmp_check(const struct hart_state *hs, unsigned priv, uint64_t pa, uint64_t len, char type);

/* gstage_walk.c */
enum xlate_result { XLATE_OK, XLATE_GUEST_PAGE_FAULT, XLATE_ACCESS_FAULT };
enum xlate_result gstage_translate(struct hart_state *hs, uint64_t gpa, char type, bool update,
				   uint64_t *pa);
void gtlb_flush(struct hart_state *hs);

/* vsstage_walk.c: VS-stage translation for V=1 accesses (vsatp), cached per VMID/ASID */
enum vs_result { VS_OK, VS_PAGE_FAULT, VS_GUEST_PAGE_FAULT, VS_ACCESS_FAULT };
enum vs_result vsstage_translate(struct hart_state *hs, uint64_t va, char type, bool update,
				 uint64_t *gpa, uint64_t *fault_gpa);
void vtlb_flush_vmid(struct hart_state *hs, uint16_t vmid);

/* mem.c */
bool ram_ready(void);
bool ram_contains(uint64_t pa, uint64_t len);
uint8_t *ram_at(uint64_t pa); /* pa must be inside RAM */
void ram_mark_written(uint64_t pa, uint64_t len);
void ram_alloc(uint64_t size);
void ram_free(void);
void ram_snapshot(void);
void ram_restore(void);
void ram_clear_dirty(void);
/* The RAM of a checkpoint (model.c): the pages that differ from the snapshot. */
struct ram_delta {
	uint64_t *dirty, *written;
	uint8_t *pages;
	uint64_t npages, capacity; /* pages held, pages the buffer has room for */
};
void ram_delta_take(struct ram_delta *d);
void ram_delta_apply(const struct ram_delta *d);
void ram_delta_free(struct ram_delta *d);

/* traps.c */
struct trap_info {
	uint64_t cause; /* MCAUSE_INTR set for interrupts */
	uint64_t tval, tval2, tinst;
	bool gva; /* tval holds a guest virtual address */
};
static inline bool mode_is_virtual(enum model_mode m) { return m == MODE_VS || m == MODE_VU; }
/* The nominal privilege (PRV_U/PRV_S/PRV_M) of a mode. */
static inline unsigned mode_priv(enum model_mode m)
{
	return m == MODE_M ? PRV_M : (m == MODE_HS || m == MODE_VS) ? PRV_S : PRV_U;
}
enum model_result trap_take_exception(unsigned h, const struct trap_info *t);
void trap_deliver_pending(void);
void trap_park(struct hart_state *hs);

/* devtree.c: boot reads RAM and harts from a QEMU-virt-shaped device tree (fatal if they
 * disagree with the machine) and patches the hypervisor's copy, as virt's boot does. */
void model_boot_device_tree(void);

#endif
