/*
 * M-mode trap entry and exit: the monitor's only context switch. Entry saves the
 * interrupted domain's x1..x31 into the frame h->regs points at (h = mscratch), the
 * domain's own record, and calls monitor_trap on the hart's own stack; exit loads the
 * frame h->regs points at then and returns with mret. The core moves a hart between
 * domains by pointing h->regs at the other domain's record and setting the CSRs: each
 * register is saved once and loaded once per world switch, never copied.
 *
 * mscratch holds h while a lower privilege runs and 0 while the monitor runs, so a
 * trap taken by the monitor itself is recognised and treated as fatal instead of
 * overwriting the saved frame.
 */
#include "virt_asm.h"

#define SAVE(n) sd x##n, (n * VIRT_REG_SIZE)(t6)
#define LOAD(n) ld x##n, (n * VIRT_REG_SIZE)(t6)

	.section .text.trap, "ax"
	.balign 4
	.globl trap_entry
trap_entry:
	csrrw	sp, mscratch, sp
	beqz	sp, trap_in_monitor
	sd	t6, VIRT_HART_SCRATCH(sp)
	ld	t6, VIRT_HART_REGS(sp)
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
	ld	t0, VIRT_HART_SCRATCH(sp)
	sd	t0, (31 * VIRT_REG_SIZE)(t6)
	csrrw	t0, mscratch, zero
	sd	t0, (2 * VIRT_REG_SIZE)(t6)

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
	ld	t6, VIRT_HART_REGS(a0)
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
