/*
 * Probes (see probe.h). Every GPR but x0, and every FP register and fcsr, is loaded
 * from the probe before the instruction and stored back right after it; sscratch holds
 * this vCPU's area, whose `cur` field finds the probe again when no register is free.
 * Interrupts must be off except inside probe_spin's loop.
 */
#include "probe.h"

	.option arch, +d

.macro PROBE_ENTER name
	.globl \name
	.balign 4
\name:
	sd	ra, PR_HOST+0(a0)
	sd	sp, PR_HOST+8(a0)
	sd	gp, PR_HOST+16(a0)
	sd	tp, PR_HOST+24(a0)
	sd	s0, PR_HOST+32(a0)
	sd	s1, PR_HOST+40(a0)
	sd	s2, PR_HOST+48(a0)
	sd	s3, PR_HOST+56(a0)
	sd	s4, PR_HOST+64(a0)
	sd	s5, PR_HOST+72(a0)
	sd	s6, PR_HOST+80(a0)
	sd	s7, PR_HOST+88(a0)
	sd	s8, PR_HOST+96(a0)
	sd	s9, PR_HOST+104(a0)
	sd	s10, PR_HOST+112(a0)
	sd	s11, PR_HOST+120(a0)
	csrr	t0, sscratch
	sd	t0, PR_AREA(a0)
	sd	a0, VA_CUR(t0)
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	fld	f\n, PR_FIN+8*\n(a0)
	.endr
	ld	t0, PR_FCSR_IN(a0)
	fscsr	t0
	mv	t6, a0
	.irp n, 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30
	ld	x\n, PR_IN+8*\n(t6)
	.endr
	ld	t6, PR_IN+8*31(t6)
.endm

.macro PROBE_LEAVE
	csrrw	t6, sscratch, t6
	ld	t6, VA_CUR(t6)
	.irp n, 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30
	sd	x\n, PR_OUT+8*\n(t6)
	.endr
	csrr	t5, sscratch
	sd	t5, PR_OUT+8*31(t6)
	ld	t5, PR_AREA(t6)
	csrw	sscratch, t5
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	fsd	f\n, PR_FOUT+8*\n(t6)
	.endr
	frcsr	t5
	sd	t5, PR_FCSR_OUT(t6)
	mv	a0, t6
	ld	ra, PR_HOST+0(a0)
	ld	sp, PR_HOST+8(a0)
	ld	gp, PR_HOST+16(a0)
	ld	tp, PR_HOST+24(a0)
	ld	s0, PR_HOST+32(a0)
	ld	s1, PR_HOST+40(a0)
	ld	s2, PR_HOST+48(a0)
	ld	s3, PR_HOST+56(a0)
	ld	s4, PR_HOST+64(a0)
	ld	s5, PR_HOST+72(a0)
	ld	s6, PR_HOST+80(a0)
	ld	s7, PR_HOST+88(a0)
	ld	s8, PR_HOST+96(a0)
	ld	s9, PR_HOST+104(a0)
	ld	s10, PR_HOST+112(a0)
	ld	s11, PR_HOST+120(a0)
	ret
.endm

	.text
/* uncompressed accesses: the monitor decodes them either way, but keep one form */
	.option push
	.option norvc
	PROBE_ENTER probe_ecall
	ecall
	PROBE_LEAVE
	PROBE_ENTER probe_lbu
	lbu	a1, 0(a0)
	PROBE_LEAVE
	PROBE_ENTER probe_lw
	lw	a1, 0(a0)
	PROBE_LEAVE
	PROBE_ENTER probe_ld
	ld	a1, 0(a0)
	PROBE_LEAVE
	PROBE_ENTER probe_sw
	sw	a1, 0(a0)
	PROBE_LEAVE
	PROBE_ENTER probe_sd
	sd	a1, 0(a0)
	PROBE_LEAVE
	PROBE_ENTER probe_spin
	csrsi	sstatus, 2
1:	ld	a2, 0(a0)
	bltu	a2, a1, 1b
	csrci	sstatus, 2
	PROBE_LEAVE
	.option pop

/*
 * Benchmark loops: the only instructions between the markers are the round trip
 * itself and the loop's addi/bnez, so the counting plugin sees nothing else.
 */
	.globl bench_hypercall_loop
bench_hypercall_loop:	/* (n, eid, fid) */
	mv	t0, a0
	mv	a7, a1
	mv	a6, a2
	li	a0, 0			/* a0..a5 reach the hypervisor: no leftovers */
	li	a1, 0
	li	a2, 0
	li	a3, 0
	li	a4, 0
	li	a5, 0
	slti	x0, x0, 0x7e1
1:	ecall
	addi	t0, t0, -1
	bnez	t0, 1b
	slti	x0, x0, 0x7f1
	ret

	.globl bench_mmio_loop
bench_mmio_loop:	/* (n, gpa) */
	mv	t0, a0
	mv	a0, a1
	slti	x0, x0, 0x7e2
1:	lw	a1, 0(a0)
	addi	t0, t0, -1
	bnez	t0, 1b
	slti	x0, x0, 0x7f2
	ret
