/*
 * The hardware model behind the host library: harts with GPRs, FP registers and the
 * M/HS/VS CSRs the monitor touches, 16 PMP entries checked with the privileged spec's
 * matching and priority rules, a G-stage walker with a per-hart translation cache that
 * only hfence.gvma empties, a VS-stage walker with its own cache tagged by VMID and ASID
 * that only hfence.vvma and a guest's sfence.vma empty, and physical memory laid out
 * like QEMU virt.
 *
 * Nothing executes instructions here. Tests and fuzzers act as the domains: "the domain
 * on hart h executes ecall", "... loads from address A", "interrupt I arrives". The
 * model performs trap entry exactly as hardware would (delegation included), calls the
 * monitor when the trap reaches M-mode, and performs mret afterwards.
 */
#ifndef HOST_MODEL_H
#define HOST_MODEL_H

#include "types.h"

struct model_config {
	unsigned nr_harts;     /* <= MAX_HARTS */
	uint64_t ram_size;     /* RAM at 0x80000000 */
	uint64_t monitor_size; /* at the start of RAM */
	uint64_t conf_size;    /* at the end of RAM */
};
#define MODEL_RAM_BASE 0x80000000ULL
#define MODEL_HV_ENTRY 0x80200000ULL /* where the hypervisor starts, like -kernel */
extern const struct model_config model_default_config; /* 4 harts, 16 MiB, 2 MiB, 4 MiB */

/* privilege and virtualisation mode of a hart */
enum model_mode { MODE_U = 0, MODE_HS = 1, MODE_M = 3, MODE_VU = 4, MODE_VS = 5 };

struct model_hart {
	uint64_t x[32];
	uint64_t pc;
	uint64_t f[32];
	uint64_t fcsr;
	enum model_mode mode;
	bool parked; /* HSM-stopped: waiting in M-mode for a wake-up */
	uint64_t mtimecmp;
};

/* Sets up memory and harts only: hart 0 in HS at MODEL_HV_ENTRY, the rest parked. */
void model_init_hw(const struct model_config *cfg);
/* model_init_hw, then the monitor's boot (monitor_init). Aborts on a bad config. */
void model_init(const struct model_config *cfg);
/* Frees everything model_init allocated. */
void model_fini(void);
/* Records the whole state (RAM, harts, CSRs, monitor state); restore brings it back,
 * copying only the RAM pages written since the snapshot. */
void model_snapshot(void);
void model_restore(void);

/*
 * Checkpoints over the snapshot, for prefix caching: the whole state now (harts, CSRs,
 * monitor state, console) and the RAM pages that differ from the snapshot. Resuming one
 * is model_restore followed by putting those back, so it costs the pages that changed.
 * A checkpoint belongs to the snapshot it was taken over; resuming it over another
 * aborts.
 */
struct model_checkpoint;
/* Into `reuse` (its buffers kept) when it is not NULL, else into a new checkpoint. */
struct model_checkpoint *model_checkpoint_take(struct model_checkpoint *reuse);
void model_checkpoint_resume(const struct model_checkpoint *c);
void model_checkpoint_free(struct model_checkpoint *c);
/* The pages a checkpoint holds (what resuming it copies). */
uint64_t model_checkpoint_pages(const struct model_checkpoint *c);

unsigned model_nr_harts(void);
struct model_hart *model_hart(unsigned h);
uint64_t model_csr(unsigned h, unsigned csr);            /* raw read, no side effect */
void model_set_csr(unsigned h, unsigned csr, uint64_t v); /* raw write (test setup) */

/* Results of an action. */
enum model_result {
	MODEL_OK = 0,     /* the instruction completed without a trap */
	MODEL_TRAP_M,     /* it trapped to M-mode; the monitor handled it and returned */
	MODEL_TRAP_HS,    /* it trapped to HS (delegated) */
	MODEL_TRAP_VS,    /* it trapped to VS (delegated twice) */
	MODEL_PARKED,     /* the hart is parked; nothing happened */
};

/* The domain on hart h executes ecall with its current registers. */
enum model_result model_ecall(unsigned h);
/*
 * The domain on hart h executes a load/store of `width` (1, 2, 4, 8) bytes at address
 * `addr`: a PA when V=0 (HS/U, S-stage paging is not modelled), a guest virtual address
 * when V=1 (VS/VU: VS-stage under vsatp, then G-stage). The register is rd (load, sign-extended unless `zero_ext`) or rs2
 * (store). On a guest-page fault mtinst holds the transformed instruction.
 */
enum model_result model_load(unsigned h, uint64_t addr, unsigned width, bool zero_ext, unsigned rd);
enum model_result model_store(unsigned h, uint64_t addr, unsigned width, unsigned rs2);
/*
 * The domain on hart h executes csrrw (op 'w'), csrrs ('s') or csrrc ('c') rd, csr,
 * rs1, with the privileged spec's access rules for its mode (csr_insn.c): a denied
 * access traps (illegal or virtual instruction), an allowed one goes through the CSR's
 * WARL rules, and in VS-mode an S CSR with a VS copy is that copy.
 */
enum model_result model_csr_insn(unsigned h, unsigned csr, char op, unsigned rd, unsigned rs1);
/*
 * The domain on hart h executes a fence of the VS-stage cache: 'v' HFENCE.VVMA from HS
 * (the VMID in hgatp), 's' SFENCE.VMA from VS (its own VMID), 'g' HFENCE.GVMA from HS
 * (the G-stage cache; it leaves VS-stage translations alone, as the spec allows).
 */
enum model_result model_fence(unsigned h, char kind);
/* Each cached VS-stage translation on hart h: its VMID and the hgatp root it was filled under. */
void model_vs_tlb_each(unsigned h, void (*fn)(uint16_t vmid, uint64_t root, void *arg), void *arg);
/*
 * The domain on hart h moves `val` into, or reads from, FP register `reg` (0-31, 32 =
 * fcsr), as fld/fsd would: illegal while mstatus.FS is Off, or with V=1 while
 * vsstatus.FS is Off (fp.c). A trap to M that returns to the same instruction runs it
 * again, as the hart would after the monitor's lazy FP switch. pc does not move.
 */
enum model_result model_fp_write(unsigned h, unsigned reg, uint64_t val);
enum model_result model_fp_read(unsigned h, unsigned reg, uint64_t *val);
/* Instruction fetch check at addr (used for "can the domain execute here"). */
enum model_result model_fetch(unsigned h, uint64_t addr);
/* Raise interrupt `irq` (mip bit number) on hart h and deliver whatever is pending. */
void model_raise_irq(unsigned h, unsigned irq);
void model_clear_irq(unsigned h, unsigned irq);
/* Advance `time` by delta; raises MTIP where mtimecmp is reached and delivers. */
void model_advance_time(uint64_t delta);
uint64_t model_time(void);

/*
 * Would the domain now on hart h be allowed this access (no trap, no side effect)?
 * type: 'r', 'w' or 'x'. For V=1 the address is a GPA, translated as model_load would.
 */
bool model_can_access(unsigned h, uint64_t addr, char type);
/* PMP decision alone for privilege mode `priv` (PRV_U/PRV_S/PRV_M) at physical addr. */
bool model_pmp_allows(unsigned h, unsigned priv, uint64_t pa, uint64_t len, char type);

/* Raw physical memory, no checks except bounds (false outside RAM). For tests/oracles. */
bool model_phys_read(uint64_t pa, void *buf, size_t len);
bool model_phys_write(uint64_t pa, const void *buf, size_t len);
uint8_t *model_ram(void);      /* base of RAM in host memory */
uint64_t model_ram_size(void);
/* Was the page at pa written since the last model_snapshot()/model_init()? */
bool model_page_dirty(uint64_t pa);

/*
 * Devices at QEMU virt's addresses (bus.c): fw_cfg with its DMA interface, a bus master
 * that reads and writes physical memory without PMP, and empty virtio-mmio transports.
 */
#define MODEL_FW_CFG_BASE 0x10100000ULL
#define MODEL_FW_CFG_SIZE 0x18ULL
#define MODEL_FW_CFG_SIGNATURE 0x0000u /* "QEMU" */
#define MODEL_FW_CFG_ID 0x0001u        /* feature bits: traditional + DMA */
#define MODEL_FW_CFG_WRITABLE 0x0020u  /* the one item DMA may write (QEMU: ramfb's) */
#define MODEL_FW_CFG_WRITABLE_SIZE 28u
#define MODEL_VIRTIO_BASE 0x10001000ULL
#define MODEL_VIRTIO_SIZE 0x1000ULL
#define MODEL_VIRTIO_SLOTS 8u

/* A range of physical memory a bus master read or wrote. */
struct model_dma {
	uint64_t pa, len;
	bool write;
};
/* Calls fn for each range bus masters touched since the last call, then forgets them. */
void model_drain_dma(void (*fn)(const struct model_dma *d, void *arg), void *arg);

/* Console the monitor writes to / reads from. */
const char *model_console_output(size_t *len);
/*
 * Calls fn for every RAM page written (or handed to the monitor through phys_ptr) since
 * the previous call, then forgets them. model_restore forgets them too: the snapshot's
 * contents were looked at before it was taken.
 */
void model_drain_written_pages(void (*fn)(uint64_t pa, void *arg), void *arg);
void model_console_clear(void);
void model_console_input(const char *s);
/* Last SRST request (type, reason), or -1 type if none. */
int model_reset_requested(uint32_t *reason);
/* Number of hfence.gvma the monitor executed on hart h since init/restore. */
uint64_t model_hfence_count(unsigned h);
/*
 * Advances whenever the monitor runs (any trap into M-mode) and whenever a hart below
 * M stores to memory: the only ways the monitor's state, its CSRs or confidential memory
 * can change. Never rewound by model_restore, so equal readings mean nothing changed.
 */
uint64_t model_epoch(void);

#endif
