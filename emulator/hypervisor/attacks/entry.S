/*
 * Attack mode's assembly (atk_ctx.h): the trap vector, run_tvm_vcpu with the whole
 * register file chosen and captured, entry into the hypervisor's own VM and that VM's
 * code, the secondary harts' entry, and the agent's image.
 */
#include "atk_ctx.h"

#define STACK_SHIFT 14
#define MAX_HARTS 8
#define HSTATUS_SPV (1 << 7)
#define SSTATUS_SPP (1 << 8)
#define SSTATUS_FS (3 << 13)

	.option arch, +d
	.text

.macro SAVE_HOST base
	sd	ra, AC_HOST+0(\base)
	sd	sp, AC_HOST+8(\base)
	sd	gp, AC_HOST+16(\base)
	sd	tp, AC_HOST+24(\base)
	sd	s0, AC_HOST+32(\base)
	sd	s1, AC_HOST+40(\base)
	sd	s2, AC_HOST+48(\base)
	sd	s3, AC_HOST+56(\base)
	sd	s4, AC_HOST+64(\base)
	sd	s5, AC_HOST+72(\base)
	sd	s6, AC_HOST+80(\base)
	sd	s7, AC_HOST+88(\base)
	sd	s8, AC_HOST+96(\base)
	sd	s9, AC_HOST+104(\base)
	sd	s10, AC_HOST+112(\base)
	sd	s11, AC_HOST+120(\base)
.endm

.macro LOAD_HOST base
	ld	ra, AC_HOST+0(\base)
	ld	sp, AC_HOST+8(\base)
	ld	gp, AC_HOST+16(\base)
	ld	tp, AC_HOST+24(\base)
	ld	s0, AC_HOST+32(\base)
	ld	s1, AC_HOST+40(\base)
	ld	s2, AC_HOST+48(\base)
	ld	s3, AC_HOST+56(\base)
	ld	s4, AC_HOST+64(\base)
	ld	s5, AC_HOST+72(\base)
	ld	s6, AC_HOST+80(\base)
	ld	s7, AC_HOST+88(\base)
	ld	s8, AC_HOST+96(\base)
	ld	s9, AC_HOST+104(\base)
	ld	s10, AC_HOST+112(\base)
	ld	s11, AC_HOST+120(\base)
.endm

/* atk_ecall_regs(ctx): sscratch already holds ctx, and keeps it across the ecall */
	.globl atk_ecall_regs
	.balign 4
atk_ecall_regs:
	SAVE_HOST a0
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	fld	f\n, AC_FIN+8*\n(a0)
	.endr
	ld	t0, AC_FCSR_IN(a0)
	fscsr	t0
	li	t0, 1
	sd	t0, AC_ESCAPE(a0)
	mv	t6, a0
	.irp n, 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30
	ld	x\n, AC_IN+8*\n(t6)
	.endr
	ld	t6, AC_IN+8*31(t6)
	ecall
	csrrw	t6, sscratch, t6
	.irp n, 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30
	sd	x\n, AC_OUT+8*\n(t6)
	.endr
	csrr	t5, sscratch
	sd	t5, AC_OUT+8*31(t6)
	csrw	sscratch, t6
	sd	zero, AC_ESCAPE(t6)
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	fsd	f\n, AC_FOUT+8*\n(t6)
	.endr
	frcsr	t5
	sd	t5, AC_FCSR_OUT(t6)
	LOAD_HOST t6
	ret

/* atk_vm_enter(ctx, a0, a1, a2, pc) */
	.globl atk_vm_enter
atk_vm_enter:
	SAVE_HOST a0
	li	t0, 1
	sd	t0, AC_ESCAPE(a0)
	csrw	sepc, a4
	li	t0, HSTATUS_SPV
	csrs	hstatus, t0
	li	t0, SSTATUS_SPP
	csrs	sstatus, t0
	mv	a0, a1
	mv	a1, a2
	mv	a2, a3
	sret

/* the VM's code, reached through the VM's identity map of hypervisor memory */
	.option push
	.option norvc
	.balign 4096
	.globl atk_vm_scan
atk_vm_scan:
1:	ld	t0, 0(a0)
	beq	t0, a1, 2f
	addi	a0, a0, 8
	bltu	a0, a2, 1b
2:	ecall
3:	j	3b
	.globl atk_vm_store
atk_vm_store:
	sd	a1, 0(a0)
	ecall
4:	j	4b

/* 4-byte accesses, so the trap vector can step over a faulting one */
	.globl atk_probe_load
atk_probe_load:
	ld	a0, 0(a0)
	ret
	.globl atk_probe_store
atk_probe_store:
	sd	a1, 0(a0)
	ret
	.option pop

	.balign 4
	.globl atk_trap_entry
atk_trap_entry:
	csrrw	t6, sscratch, t6
	.irp n, 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30
	sd	x\n, AC_TRAP_REGS+8*\n(t6)
	.endr
	csrr	t5, sscratch
	sd	t5, AC_TRAP_REGS+8*31(t6)
	csrw	sscratch, t6
	csrr	t5, scause
	sd	t5, AC_TRAP+0(t6)
	csrr	t5, sepc
	sd	t5, AC_TRAP+8(t6)
	csrr	t5, stval
	sd	t5, AC_TRAP+16(t6)
	csrr	t5, htval
	sd	t5, AC_TRAP+24(t6)
	csrr	t5, htinst
	sd	t5, AC_TRAP+32(t6)
	csrr	t5, hstatus
	sd	t5, AC_TRAP+40(t6)
	ld	t5, AC_ESCAPE(t6)
	bnez	t5, escape
	ld	t5, AC_EXPECT(t6)
	beqz	t5, unexpected
	sd	zero, AC_EXPECT(t6)
	li	t5, 1
	sd	t5, AC_FAULTED(t6)
	csrr	t5, sepc
	addi	t5, t5, 4
	csrw	sepc, t5
	.irp n, 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30
	ld	x\n, AC_TRAP_REGS+8*\n(t6)
	.endr
	ld	t6, AC_TRAP_REGS+8*31(t6)
	sret

escape:
	sd	zero, AC_ESCAPE(t6)
	li	t5, 1
	sd	t5, AC_ESCAPED(t6)
	li	t5, HSTATUS_SPV
	csrc	hstatus, t5
	/* a monitor that still runs a CVM on this hart takes this as the CVM's trap and
	 * returns to where the run was made; otherwise it answers NOT_SUPPORTED here */
	li	a7, AC_RESYNC_EID
	li	a6, 0
	ecall
	LOAD_HOST t6
	ret

unexpected:
	ld	sp, AC_TRAP_REGS+8*2(t6)
	ld	tp, AC_TRAP_REGS+8*4(t6)
	mv	a0, t6
	call	atk_unexpected_trap
5:	wfi
	j	5b

/* harts started by attack mode: a0 = hart id, a1 = its context */
	.globl atk_secondary_entry
atk_secondary_entry:
	mv	tp, a0
	csrw	sie, zero
	la	t0, atk_trap_entry
	csrw	stvec, t0
	csrw	sscratch, a1
	li	t0, SSTATUS_FS
	csrs	sstatus, t0
	li	t0, MAX_HARTS
	bgeu	a0, t0, 6f
	la	sp, atk_stacks
	addi	t0, a0, 1
	slli	t0, t0, STACK_SHIFT
	add	sp, sp, t0
	call	atk_secondary_main
6:	wfi
	j	6b

	.section .rodata.agent, "a"
	.balign 4096
	.globl agent_image, agent_image_end
agent_image:
	.incbin AGENT_BIN
agent_image_end:

	.section .bss.atk_stacks, "aw", @nobits
	.balign 16
atk_stacks:
	.space	MAX_HARTS << STACK_SHIFT
