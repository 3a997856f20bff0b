/*
 * EL1 exception vector table (VBAR_EL1): 16 entries of 0x80 bytes, in
 * groups of four (synchronous, IRQ, FIQ, SError) for: current EL with
 * SP_EL0, current EL with SP_ELx, lower EL AArch64, lower EL AArch32.
 * Each entry saves a struct a64_frame (a64.h) on the stack and calls
 * a64_trap(frame, kind) with kind = the entry's index 0..15; if that
 * returns, the frame is restored and we eret.
 *
 * From EL0 the frame is built at the top of the thread's kernel stack:
 * SP_EL1 is left there by every return to EL0 (ret_to_user pops the
 * frame it pushed; a64_enter_user starts from the top), so nothing needs
 * loading on entry. Those frames also hold SP_EL0 and TPIDR_EL0, the
 * user registers a switch to another thread would otherwise lose.
 */
#include "a64_regs.h"

#define FRAME_SIZE 304 /* struct a64_frame: 38 registers, a multiple of 16 */
#define F_X30 240
#define F_SP 248
#define F_TPIDR 256
#define F_ELR 264
#define F_ESR 280

.macro ventry kind, common
	.balign 0x80
	sub	sp, sp, #FRAME_SIZE
	stp	x0, x1, [sp, #0]
	mov	x0, #\kind
	b	\common
.endm

/* The EL0 synchronous entry of a table with the IPC fast path, in its
 * slot: a kernel call (SVC) goes to fast (calls with the lock when not
 * one), anything else to el0_common (kind 8). On one CPU (IPC_FAST_ONE)
 * the null call (x8 = 0) is done here: nothing to do; x0 = 0 and eret,
 * ELR and SPSR as the SVC left them. Nothing can be pending for the
 * thread at a kernel call's entry on one CPU (signals, a switch due): the
 * way back to EL0 took care of them. KerNop does not consume a
 * TimerTimeout (syscalls.def). On several CPUs it goes the generic way. */
.macro vsvc fast, one
	.balign 0x80
	sub	sp, sp, #FRAME_SIZE
	stp	x8, x9, [sp, #64]       /* the number, and x9 for scratch */
	mrs	x9, esr_el1
	lsr	x9, x9, #26
	cmp	x9, #0x15               /* EC: SVC from AArch64 */
	b.ne	el0_sync_other
.if \one
	cbnz	x8, \fast
	ldr	x9, [sp, #72]
	add	sp, sp, #FRAME_SIZE
	mov	x0, xzr
	eret
.else
	cbz	x8, el0_sync_other
	b	\fast
.endif
.endm

/* A table for each ipc_fast_mode (arch_syscall_entry_set), so that no
 * entry tests the mode; they differ in their EL0 synchronous entry. */
.macro vectors name, mode
	.balign 2048
	.globl \name
\name:
	ventry 0, el1_common     /* EL1t synchronous */
	ventry 1, el1_common     /* EL1t IRQ */
	ventry 2, el1_common     /* EL1t FIQ */
	ventry 3, el1_common     /* EL1t SError */
	ventry 4, el1_common     /* EL1h synchronous */
	ventry 5, el1_common     /* EL1h IRQ */
	ventry 6, el1_common     /* EL1h FIQ */
	ventry 7, el1_common     /* EL1h SError */
.if \mode == 0                 /* IPC_FAST_ONE */
	vsvc el0_fast, 1         /* EL0 AArch64 synchronous */
.elseif \mode == 2             /* IPC_FAST_SMP */
	vsvc el0_fast_smp, 0
.else
	ventry 8, el0_common
.endif
	ventry 9, el0_common     /* EL0 AArch64 IRQ */
	ventry 10, el0_common    /* EL0 AArch64 FIQ */
	ventry 11, el0_common    /* EL0 AArch64 SError */
	ventry 12, el0_common    /* EL0 AArch32 synchronous */
	ventry 13, el0_common    /* EL0 AArch32 IRQ */
	ventry 14, el0_common    /* EL0 AArch32 FIQ */
	ventry 15, el0_common    /* EL0 AArch32 SError */
.endm

	.text
	vectors a64_vectors, 0      /* IPC_FAST_ONE */
	vectors a64_vectors_smp, 2  /* IPC_FAST_SMP */
	vectors a64_vectors_slow, 1 /* IPC_FAST_OFF */

/* What a kernel call's frame needs of x0-x29 (fast_entry; x8 and x9,
 * the number and vsvc's scratch, are vsvc's): x18-x29. Not x6, x7 or
 * x10-x17, which a kernel call takes as clobbered (AAPCS64's
 * caller-saved: libc/arch/aarch64/kcall.h), nor the arguments x0-x5
 * (clobbered too, x0 the result), which the generic path reads
 * (save_args: fast_entry stores them for it, or the fast call that
 * leaves it the call does, arch_kcall_args_save): what comes back in
 * them from a call the fast path takes is the thread's own, from an
 * earlier frame (a64_enter_user zeroes the first's). Eight stores fewer
 * than an exception's (save_x2_x29 and x0, x1, below). */
.macro save_args
	stp	x0, x1, [sp, #0]
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
.endm
.macro save_x2_x5
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
.endm
.macro save_kcall
	stp	x18, x19, [sp, #144]
	stp	x20, x21, [sp, #160]
	stp	x22, x23, [sp, #176]
	stp	x24, x25, [sp, #192]
	stp	x26, x27, [sp, #208]
	stp	x28, x29, [sp, #224]
.endm

/* Every register of x2-x29 (an exception's or an interrupt's frame):
 * save_kcall's and the rest. */
.macro save_x2_x29
	save_x2_x5
	save_kcall
	stp	x8, x9, [sp, #64]
	stp	x6, x7, [sp, #48]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
.endm

/* x30 and the interrupted sp (in a) first, then the exception registers,
 * with a and b as scratch. */
.macro save_special a=x2, b=x3
	stp	x30, \a, [sp, #F_X30]
	mrs	\a, elr_el1
	mrs	\b, spsr_el1
	stp	\a, \b, [sp, #F_ELR]
	mrs	\a, esr_el1
	mrs	\b, far_el1
	stp	\a, \b, [sp, #F_ESR]
.endm

/* ELR, SPSR and x2-x30 from the frame at off(base) (x2 and x3 first as
 * scratch); the caller has turned interrupts off (ELR/SPSR are about to
 * be live, whatever a64_trap left). */
.macro load_elr_x2_x30 base, off
	ldp	x2, x3, [\base, #(\off + F_ELR)]
	msr	elr_el1, x2
	msr	spsr_el1, x3
	ldp	x2, x3, [\base, #(\off + 16)]
	ldp	x4, x5, [\base, #(\off + 32)]
	ldp	x6, x7, [\base, #(\off + 48)]
	ldp	x8, x9, [\base, #(\off + 64)]
	ldp	x10, x11, [\base, #(\off + 80)]
	ldp	x12, x13, [\base, #(\off + 96)]
	ldp	x14, x15, [\base, #(\off + 112)]
	ldp	x16, x17, [\base, #(\off + 128)]
	ldp	x18, x19, [\base, #(\off + 144)]
	ldp	x20, x21, [\base, #(\off + 160)]
	ldp	x22, x23, [\base, #(\off + 176)]
	ldp	x24, x25, [\base, #(\off + 192)]
	ldp	x26, x27, [\base, #(\off + 208)]
	ldp	x28, x29, [\base, #(\off + 224)]
	ldr	x30, [\base, #(\off + F_X30)]
.endm

/* The same from the frame at sp, and x0 and x1; then sp above it. */
.macro restore_and_eret
	load_elr_x2_x30 sp, 0
	ldp	x0, x1, [sp, #0]
	add	sp, sp, #FRAME_SIZE
	eret
.endm

/* SP_EL0 and TPIDR_EL0 from the frame at off(base) (x2, x3 scratch). No
 * barrier for page-table entries the kernel wrote for this process: one
 * the walker does not see yet is a translation fault, which the fault
 * path answers "valid: try again" (arch/mmu.h). */
.macro load_el0 base, off
	ldp	x2, x3, [\base, #(\off + F_SP)]
	msr	sp_el0, x2
	msr	tpidr_el0, x3
.endm

/* Back to EL0 from the frame at sp (interrupts off). */
.macro user_return
	load_el0 sp, 0
	restore_and_eret
.endm

/* Taken at EL1 (x0 = kind). */
el1_common:
	save_x2_x29
	add	x2, sp, #FRAME_SIZE     /* our sp before the frame */
	save_special
	mov	x1, x0
	mov	x0, sp
	bl	a64_trap
	msr	daifset, #0xf
	restore_and_eret

/* A kernel call while the IPC fast path is on: its calls are tried first
 * (kernel/syscall.h), with the arguments in x0-x5 as the call left them
 * (the frame is built with x9 and x10 as scratch): one that takes the
 * call never returns; one that returns leaves it to a64_trap, the
 * arguments stored in the frame (arch_kcall_args_save). calls: the
 * one-CPU or the several-CPU table (every call up to IPC_FAST_TABLE,
 * kernel/syscall.h), whose calls keep none of our registers and no frame
 * records (kernel/fastpath.c), so x29 ends kernel backtraces only from
 * a64_trap on. Only a64_trap reads the frame's ESR and FAR: written on
 * the way to it, ESR as the SVC's class (a fault the fast path took on a
 * user copy has changed ESR_EL1 since; the SVC's immediate is never
 * read). */
.macro fast_entry calls
	save_kcall
	mrs	x9, sp_el0
	stp	x30, x9, [sp, #F_X30]
	mrs	x9, elr_el1
	mrs	x10, spsr_el1
	stp	x9, x10, [sp, #F_ELR]
	mrs	x9, tpidr_el0
	str	x9, [sp, #F_TPIDR]
	cmp	x8, #0x4f               /* IPC_FAST_TABLE - 1 */
	b.hi	2f
	ldr	x10, =\calls            /* (the literal pool below) */
	ldr	x10, [x10, x8, lsl #3]
	blr	x10
	b	3f                      /* (it stored the arguments) */
2:	save_args
3:	mov	x29, xzr
	mov	x9, #0x56000000         /* ESR: EC SVC64, IL (the immediate: 0) */
	stp	x9, xzr, [sp, #F_ESR]   /* and FAR */
	mov	x0, sp
	mov	x1, #8                  /* VEC_EL0_SYNC */
	bl	a64_trap
	b	ret_to_user
.endm

/* The fast tables' entry for a call the fast path does not take
 * (kernel/syscall.h), called from fast_entry with sp at the frame: the
 * arguments stored, and back to it, which goes on to a64_trap. */
	.globl arch_fast_none
arch_fast_none:
	save_args
	ret

/* From vsvc (x8 and x9 saved, x9 its scratch): the kernel calls, on one
 * CPU and on several; anything else (x9 back, x0 and x1 saved as every
 * entry's, for el0_common). */
el0_fast:
	fast_entry ipc_fast_calls
el0_fast_smp:
	fast_entry ipc_fast_calls_smp
el0_sync_other:
	ldr	x9, [sp, #72]
	stp	x0, x1, [sp, #0]
	mov	x0, #8                  /* VEC_EL0_SYNC */
	b	el0_common
	.ltorg                          /* fast_entry's table addresses */

/* Taken from EL0 (x0 = kind), sp at the top of the thread's kernel stack. */
el0_common:
	save_x2_x29
	mrs	x2, sp_el0
	save_special
	mrs	x2, tpidr_el0
	str	x2, [sp, #F_TPIDR]
	mov	x29, xzr                /* kernel backtraces end here */
	mov	x1, x0
	mov	x0, sp
	bl	a64_trap
ret_to_user:
	msr	daifset, #0xf
ret_to_user_masked:                     /* (interrupts off already) */
	user_return


/* sp: the current thread's trap frame, at the top of its kernel stack
 * (cpu->kstack_top, which the switch set); tmp is clobbered. */
.macro top_frame tmp
	mrs	\tmp, tpidr_el1
	ldr	\tmp, [\tmp, #8]          /* cpu->kstack_top */
	sub	sp, \tmp, #FRAME_SIZE
.endm

/* A thread that kept no kernel context (arch/context.h) runs again: on
 * the frame its kernel call left at the top of its stack (cpu->kstack_top,
 * set by the switch), a64_resume ends the call; then back to EL0.
 * arch_context_load comes here for a saved sp of 0 (ARCH_RESUME_KSP), on
 * the stack it left. */
	.globl arch_resume_entry
arch_resume_entry:
	top_frame x1
	mov	x0, sp
	mov	x29, xzr
	bl	a64_resume
	b	ret_to_user

/* arch_syscall_return(result, ktop) (arch/context.h; arch-inline.h
 * branches here with result in x0, ktop in x1): the current thread's
 * frame, at the top of its stack, returns result (interrupts off, as the
 * fast path runs; x0 as it is, the frame's not read). The frame is read
 * from below sp, which is already where the next entry from EL0 builds
 * its own: every exception is masked. */
	.globl a64_syscall_return
a64_syscall_return:
	mov	sp, x1                  /* cpu->kstack_top: the frame ends there */
	load_el0 x1, -FRAME_SIZE
	load_elr_x2_x30 x1, -FRAME_SIZE
	ldp	xzr, x1, [x1, #-FRAME_SIZE] /* x1 (alone, past ldur's reach) */
	eret

/* NORETURN void arch_syscall_return_unlock(long result): the same, and
 * the kernel lock let go on the frame's stack. */
	.globl arch_syscall_return_unlock
arch_syscall_return_unlock:
	top_frame x1
	str	x0, [sp]
	mov	x29, xzr
	bl	klock_release
	b	ret_to_user

/*
 * NORETURN void a64_enter_user(pc, sp, arg, ret, ktop, tp): a new user
 * thread's first entry to EL0. The kernel stack is dropped (sp = ktop: the
 * next exception from EL0 builds its frame there); x0 = arg, x30 = ret,
 * every other general register zero, SP_EL0 = sp, TPIDR_EL0 = tp.
 */
	.globl a64_enter_user
a64_enter_user:
	msr	daifset, #0xf
	mov	sp, x4
	/* The top frame's x0-x7, x10-x17, which a kernel call's frame does
	 * not write (save_kcall): the thread's own (zero) from the start, not
	 * what the stack's last thread left. */
	stp	xzr, xzr, [sp, #(0 - FRAME_SIZE)]
	stp	xzr, xzr, [sp, #(16 - FRAME_SIZE)]
	stp	xzr, xzr, [sp, #(32 - FRAME_SIZE)]
	stp	xzr, xzr, [sp, #(48 - FRAME_SIZE)]
	stp	xzr, xzr, [sp, #(80 - FRAME_SIZE)]
	stp	xzr, xzr, [sp, #(96 - FRAME_SIZE)]
	stp	xzr, xzr, [sp, #(112 - FRAME_SIZE)]
	stp	xzr, xzr, [sp, #(128 - FRAME_SIZE)]
	msr	sp_el0, x1
	msr	tpidr_el0, x5
	msr	elr_el1, x0
	mov	x1, #SPSR_EL0T
	msr	spsr_el1, x1
	mov	x0, x2
	mov	x30, x3
	mov	x1, xzr
	mov	x2, xzr
	mov	x3, xzr
	mov	x4, xzr
	mov	x5, xzr
	mov	x6, xzr
	mov	x7, xzr
	mov	x8, xzr
	mov	x9, xzr
	mov	x10, xzr
	mov	x11, xzr
	mov	x12, xzr
	mov	x13, xzr
	mov	x14, xzr
	mov	x15, xzr
	mov	x16, xzr
	mov	x17, xzr
	mov	x18, xzr
	mov	x19, xzr
	mov	x20, xzr
	mov	x21, xzr
	mov	x22, xzr
	mov	x23, xzr
	mov	x24, xzr
	mov	x25, xzr
	mov	x26, xzr
	mov	x27, xzr
	mov	x28, xzr
	mov	x29, xzr
	dsb	ishst
	eret
