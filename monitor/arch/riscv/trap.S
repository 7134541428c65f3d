/*
 * M-mode trap entry and exit: the monitor's only context switch. Entry saves the
 * interrupted domain's x1..x31 into h->regs (h = mscratch) and calls monitor_trap on
 * the hart's own stack; exit loads h->regs back and returns with mret. The core moves
 * a hart between domains by editing h->regs and the CSRs in between.
 *
 * mscratch holds h while a lower privilege runs and 0 while the monitor runs, so a
 * trap taken by the monitor itself is recognised and treated as fatal instead of
 * overwriting the saved frame.
 */
#include "virt_asm.h"

#define SAVE(n) sd x##n, (n * VIRT_REG_SIZE)(sp)
#define LOAD(n) ld x##n, (n * VIRT_REG_SIZE)(t6)

	.section .text.trap, "ax"
	.balign 4
	.globl trap_entry
trap_entry:
	csrrw	sp, mscratch, sp
	beqz	sp, trap_in_monitor
	SAVE(1)
	SAVE(3)
	SAVE(4)
	SAVE(5)
	SAVE(6)
	SAVE(7)
	SAVE(8)
	SAVE(9)
	SAVE(10)
	SAVE(11)
	SAVE(12)
	SAVE(13)
	SAVE(14)
	SAVE(15)
	SAVE(16)
	SAVE(17)
	SAVE(18)
	SAVE(19)
	SAVE(20)
	SAVE(21)
	SAVE(22)
	SAVE(23)
	SAVE(24)
	SAVE(25)
	SAVE(26)
	SAVE(27)
	SAVE(28)
	SAVE(29)
	SAVE(30)
	SAVE(31)
	csrrw	t0, mscratch, zero
	sd	t0, (2 * VIRT_REG_SIZE)(sp)

	mv	s0, sp
	ld	sp, VIRT_HART_STACK_TOP(s0)
	mv	a0, s0
	call	monitor_trap
	mv	t0, a0
	mv	a0, s0
	/* the monitor decided under its lock; hsm_state may already say START_PENDING */
	bnez	t0, hart_park
	/* fall through */

	/* a0 = struct hart whose regs and M CSRs describe where to go */
	.globl trap_exit
trap_exit:
	csrw	mscratch, a0
	mv	t6, a0
	LOAD(1)
	LOAD(2)
	LOAD(3)
	LOAD(4)
	LOAD(5)
	LOAD(6)
	LOAD(7)
	LOAD(8)
	LOAD(9)
	LOAD(10)
	LOAD(11)
	LOAD(12)
	LOAD(13)
	LOAD(14)
	LOAD(15)
	LOAD(16)
	LOAD(17)
	LOAD(18)
	LOAD(19)
	LOAD(20)
	LOAD(21)
	LOAD(22)
	LOAD(23)
	LOAD(24)
	LOAD(25)
	LOAD(26)
	LOAD(27)
	LOAD(28)
	LOAD(29)
	LOAD(30)
	LOAD(31)
	mret

	/*
	 * A stopped or suspended hart waits here in M-mode (a0 = its struct hart) until the
	 * core says its wait is over: a start is pending (after an M software interrupt), or
	 * an interrupt ends a suspend. mstatus.MIE stays 0: wfi wakes on a pending enabled
	 * interrupt without taking it.
	 */
	.globl hart_park
hart_park:
	mv	s0, a0
	ld	sp, VIRT_HART_STACK_TOP(s0)
	csrw	mscratch, zero
	call	virt_hart_parking
1:	wfi
	mv	a0, s0
	call	virt_waiting_hart_wakes
	beqz	a0, 1b
	mv	a0, s0
	j	trap_exit

trap_in_monitor:
	/* back to the monitor's own sp; mscratch is 0 again */
	csrrw	sp, mscratch, sp
	call	virt_fatal_trap
1:	wfi
	j	1b
