/*
 * Constants shared by the firmware's assembly and C. The assembly cannot include the
 * C headers, so the struct offsets it relies on are restated here and boot.c checks
 * them against the real layout at compile time.
 */
#ifndef VIRT_ASM_H
#define VIRT_ASM_H

#define VIRT_REG_SIZE 8
#define VIRT_HART_REGS 0        /* offsetof(struct hart, regs): the trap frame pointer */
#define VIRT_HART_STACK_TOP 8   /* offsetof(struct hart, stack_top) */
#define VIRT_HART_SCRATCH 16    /* offsetof(struct hart, scratch) */

/* M-mode stack per hart: 16 KiB, enough for the deepest monitor call chain. */
#define VIRT_STACK_SHIFT 14

#define VIRT_MIP_MSIP 0x8
#define VIRT_MSTATUS_FS 0x6000

#endif
