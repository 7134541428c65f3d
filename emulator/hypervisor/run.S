/*
 * hv_ecall_regs (hv_regs.h): an ecall made with the whole register file chosen by the
 * caller, and the whole register file captured after it. HS runs with interrupts off,
 * so sscratch can carry the frame across the ecall; the monitor must keep it.
 * hv_bench_sbi_loop: n plain SBI calls between the counting plugin's markers.
 */
#include "hv_regs.h"

	.option arch, +d
	.text
	.globl hv_ecall_regs
	.balign 4
hv_ecall_regs:
	sd	ra, HR_HOST+0(a0)
	sd	sp, HR_HOST+8(a0)
	sd	gp, HR_HOST+16(a0)
	sd	tp, HR_HOST+24(a0)
	sd	s0, HR_HOST+32(a0)
	sd	s1, HR_HOST+40(a0)
	sd	s2, HR_HOST+48(a0)
	sd	s3, HR_HOST+56(a0)
	sd	s4, HR_HOST+64(a0)
	sd	s5, HR_HOST+72(a0)
	sd	s6, HR_HOST+80(a0)
	sd	s7, HR_HOST+88(a0)
	sd	s8, HR_HOST+96(a0)
	sd	s9, HR_HOST+104(a0)
	sd	s10, HR_HOST+112(a0)
	sd	s11, HR_HOST+120(a0)
	csrw	sscratch, a0
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	fld	f\n, HR_FIN+8*\n(a0)
	.endr
	mv	t6, a0
	.irp n, 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30
	ld	x\n, HR_IN+8*\n(t6)
	.endr
	ld	t6, HR_IN+8*31(t6)
	ecall
	csrrw	t6, sscratch, t6
	.irp n, 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30
	sd	x\n, HR_OUT+8*\n(t6)
	.endr
	csrr	t5, sscratch
	sd	t5, HR_OUT+8*31(t6)
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	fsd	f\n, HR_FOUT+8*\n(t6)
	.endr
	mv	a0, t6
	ld	ra, HR_HOST+0(a0)
	ld	sp, HR_HOST+8(a0)
	ld	gp, HR_HOST+16(a0)
	ld	tp, HR_HOST+24(a0)
	ld	s0, HR_HOST+32(a0)
	ld	s1, HR_HOST+40(a0)
	ld	s2, HR_HOST+48(a0)
	ld	s3, HR_HOST+56(a0)
	ld	s4, HR_HOST+64(a0)
	ld	s5, HR_HOST+72(a0)
	ld	s6, HR_HOST+80(a0)
	ld	s7, HR_HOST+88(a0)
	ld	s8, HR_HOST+96(a0)
	ld	s9, HR_HOST+104(a0)
	ld	s10, HR_HOST+112(a0)
	ld	s11, HR_HOST+120(a0)
	ret

/* phase 0 of the counting plugin: Base get_spec_version, n times */
	.globl hv_bench_sbi_loop
hv_bench_sbi_loop:
	mv	t0, a0
	li	a7, 0x10
	li	a6, 0
	slti	x0, x0, 0x7e0
1:	ecall
	addi	t0, t0, -1
	bnez	t0, 1b
	slti	x0, x0, 0x7f0
	ret
