/*
 * Save and restore of the FP register file and fcsr (struct fp_state, arch.h). The
 * monitor is built soft-float, so only these routines use FP instructions; they turn
 * mstatus.FS on for their duration and put the previous FS value back.
 */
#include "virt_asm.h"

#define FP_FCSR_OFFSET (32 * 8)

	.option push
	.option arch, +d

	.section .text.fp, "ax"
	.balign 4

/* t1 = previous mstatus.FS bits; FS forced on */
.macro fs_on
	li	t0, VIRT_MSTATUS_FS
	csrrs	t1, mstatus, t0
	and	t1, t1, t0
.endm

.macro fs_restore
	csrc	mstatus, t0
	csrs	mstatus, t1
.endm

	.globl arch_fp_save
arch_fp_save:
	fs_on
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	fsd	f\n, (\n * 8)(a0)
	.endr
	frcsr	t2
	sd	t2, FP_FCSR_OFFSET(a0)
	fs_restore
	ret

	.globl arch_fp_restore
arch_fp_restore:
	fs_on
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	fld	f\n, (\n * 8)(a0)
	.endr
	ld	t2, FP_FCSR_OFFSET(a0)
	fscsr	t2
	fs_restore
	ret

	.option pop
