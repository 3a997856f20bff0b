/*
 * x86-64 interrupt and exception entry: one stub per vector pushes a zero
 * error code where the CPU pushes none, then the vector number, and joins
 * trap_common, which saves the general registers as a struct trap_frame
 * (x86.h) and calls x86_trap(frame).
 */
	.text

/* The general registers, as struct trap_frame has them (x86.h). */
.macro SAVE_REGS
	pushq %rax
	pushq %rbx
	pushq %rcx
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %rbp
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
.endm

/* ... and back, with the vector and error code dropped (RESTORE_REGS:
 * rsp left at the iretq frame), or (RESTORE_BUT_RAX) all but rax (a kernel
 * call's result) from the frame at base(%rsp), rsp left as it is. */
.macro RESTORE_REGS
	RESTORE_BUT_RAX 0
	movq 112(%rsp), %rax
	addq $136, %rsp
.endm
.macro RESTORE_BUT_RAX base
	movq \base+0(%rsp), %r15
	movq \base+8(%rsp), %r14
	movq \base+16(%rsp), %r13
	movq \base+24(%rsp), %r12
	movq \base+32(%rsp), %r11
	movq \base+40(%rsp), %r10
	movq \base+48(%rsp), %r9
	movq \base+56(%rsp), %r8
	movq \base+64(%rsp), %rbp
	movq \base+72(%rsp), %rdi
	movq \base+80(%rsp), %rsi
	movq \base+88(%rsp), %rdx
	movq \base+96(%rsp), %rcx
	movq \base+104(%rsp), %rbx
.endm

.macro STUB n
	.balign 16
vec_\n:
	.if (\n == 8 || \n == 10 || \n == 11 || \n == 12 || \n == 13 || \n == 14 || \n == 17 || \n == 21 || \n == 29 || \n == 30)
	.else
	pushq $0
	.endif
	pushq $\n
	jmp trap_common
.endm

.altmacro
.macro STUBS from, to
	STUB %from
	.if \to - \from
	STUBS %(from + 1), \to
	.endif
.endm

	STUBS 0, 63
	STUBS 64, 127
	STUBS 128, 191
	STUBS 192, 255

trap_common:
	/* The gate cleared TF, NT and RF (and IF, for interrupts), not AC,
	 * which user code may have set: clear it, or SMAP would not stop
	 * kernel accesses to user memory (the iretq brings it back). DF is
	 * cleared below. */
771:	clac                 /* a NOP without SMAP (x86_smap_patch) */
	.pushsection .smap_sites, "a"
	.balign 8
	.quad 771b
	.popsection
	/* From user mode: GS must hold the kernel's per-CPU pointer. */
	testb $3, 24(%rsp)
	jz trap_save
	swapgs
trap_save:
	SAVE_REGS
	cld                  /* (a kernel call's FMASK clears DF itself) */
	movq %rsp, %rdi
	call x86_trap
trap_restore:
	RESTORE_REGS
	testb $3, 8(%rsp)
	jz 1f
	swapgs
1:	iretq

/* The same for a frame known to return to user mode: a kernel call's,
 * or a new thread's. */
user_restore:
	RESTORE_REGS
	swapgs
	iretq

/*
 * SYSCALL from user mode: rcx = user rip, r11 = user rflags, every flag
 * user code can set cleared by FMASK (user.c). Switch to the thread's
 * kernel stack and build the same struct trap_frame an interrupt would,
 * so one exit serves both. While the IPC fast path is on, its calls are
 * tried first (kernel/syscall.h), with the arguments where the C ABI
 * wants them (the kernel call's rdi, rsi, rdx, r10 → rcx, r8, r9): one
 * that takes the call never returns; one that returns leaves the call to
 * x86_trap. There is an entry for each ipc_fast_mode, which LSTAR names
 * (arch_syscall_entry_set), so none tests the mode.
 */
/* The fast path's try at a kernel call (the frame saved but for the
 * number, rax, and the arguments): the table's entry for every call up to
 * IPC_FAST_TABLE (kernel/syscall.h). A call it takes never returns; one
 * it leaves to the generic path returns with the number and the
 * arguments stored in the frame (arch_kcall_args_save): on at
 * syscall_stored. Any other call goes to syscall_generic, which stores
 * them, straight or from the table (arch_fast_none). */
.macro FAST_CALLS calls
	cmpq $0x4f, %rax       /* IPC_FAST_TABLE - 1 */
	ja syscall_generic
	movq %r10, %rcx        /* the C ABI's fourth argument */
	call *\calls(, %rax, 8)
	jmp syscall_stored
.endm

/* The frame, on the thread's kernel stack, without what a kernel call
 * need not write (nor rax, its number, which the generic path stores):
 * ss and cs, which every frame at the top of a thread's stack has the
 * same (its first, x86_trap_exit's, has them), vector and error, which
 * only the generic path reads (it sets vector), and rcx and r11, which
 * the syscall took (the user's rip and rflags: libc's calls take them as
 * clobbered; what comes back in them is the thread's own from an earlier
 * frame). Nor the arguments (rdi rsi rdx r10 r8 r9, clobbered too): the
 * generic path stores them (SYSCALL_ARGS), and a fast call that goes on
 * to it (FAST_CALLS); one the fast path takes leaves with the thread's
 * own again. Stores, not pushes: 4 fewer instructions. */
.macro SYSCALL_FRAME
	swapgs
	movq %rsp, %gs:16    /* cpu->scratch */
	movq %gs:8, %rsp     /* cpu->kstack_top */
	subq $176, %rsp      /* sizeof(struct trap_frame) */
	movq %rcx, 136(%rsp) /* rip */
	movq %r11, 152(%rsp) /* rflags */
	movq %gs:16, %rcx
	movq %rcx, 160(%rsp) /* rsp */
	movq %rbx, 104(%rsp)
	movq %rbp, 64(%rsp)
	movq %r12, 24(%rsp)
	movq %r13, 16(%rsp)
	movq %r14, 8(%rsp)
	movq %r15, (%rsp)
.endm

/* The number and the arguments, as struct trap_frame has them. */
.macro SYSCALL_ARGS
	movq %rax, 112(%rsp)
	movq %rdx, 88(%rsp)
	movq %rsi, 80(%rsp)
	movq %rdi, 72(%rsp)
	movq %r8, 56(%rsp)
	movq %r9, 48(%rsp)
	movq %r10, 40(%rsp)
.endm

/* IPC_FAST_ONE: the fast path on one CPU. */
	.global x86_syscall_entry
x86_syscall_entry:
	/* The null call: nothing to do, no register touched but rax, back
	 * with sysretq (rcx and r11 hold the user's rip and rflags). Its
	 * rip must be canonical: a syscall ending the last user page gives
	 * 0x800000000000, which sysretq would fault on in the kernel; that
	 * one goes the long way (an iretq). On one CPU nothing can be
	 * pending for the thread at a kernel call's entry (signals, a
	 * switch due): interrupts on the way back to user mode took care of
	 * them. KerNop does not consume a TimerTimeout (syscalls.def). */
	testq %rax, %rax
	jnz 1f
	btq $47, %rcx
	jc 1f
	sysretq
1:	SYSCALL_FRAME
	FAST_CALLS ipc_fast_calls
syscall_generic:
	SYSCALL_ARGS
syscall_stored:
	movq $0x100, 120(%rsp) /* vector: a kernel call (X86_KCALL_VECTOR) */
	movq %rsp, %rdi
	call x86_trap
	jmp user_restore

/* The fast tables' entry for a call the fast path does not take
 * (kernel/syscall.h): the generic path, its return address dropped (rax
 * still the number). */
	.global arch_fast_none
arch_fast_none:
	addq $8, %rsp
	jmp syscall_generic

/* IPC_FAST_SMP: several CPUs, the fast calls that take the kernel lock. */
	.global x86_syscall_entry_smp
x86_syscall_entry_smp:
	SYSCALL_FRAME
	FAST_CALLS ipc_fast_calls_smp

/* IPC_FAST_OFF ("ipc.slow"): every call the generic way. */
	.global x86_syscall_entry_slow
x86_syscall_entry_slow:
	SYSCALL_FRAME
	jmp syscall_generic

/* rsp: the current thread's trap frame, at the top of its kernel stack
 * (cpu->kstack_top, which the switch set). */
.macro TOP_FRAME
	movq %gs:8, %rsp
	subq $176, %rsp      /* sizeof(struct trap_frame) */
.endm

/* A thread that kept no kernel context (arch/context.h) runs again: on
 * the frame its kernel call left at the top of its stack (cpu->kstack_top,
 * set by the switch), x86_resume ends the call; then back to user mode.
 * The first instruction leaves arch_resume_ctx's read-only "stack". */
	.global arch_resume_entry
arch_resume_entry:
	TOP_FRAME
	movq %rsp, %rdi
	call x86_resume
	jmp user_restore

/* arch_syscall_return(result) (arch/context.h; arch-inline.h jumps here
 * with result in rax): the current thread's frame, at the top of its
 * stack, returns result (the frame's rax is not read; user_restore's
 * steps in place). */
	.global x86_syscall_return
x86_syscall_return:
	/* The frame is read below rsp: interrupts are off, and NMI, #MC
	 * and #DF take IST stacks (idt.c), so nothing pushes onto it. */
	movq %gs:8, %rsp     /* cpu->kstack_top: the frame ends there */
	RESTORE_BUT_RAX -176 /* sizeof(struct trap_frame) */
	subq $40, %rsp       /* its iretq frame: rip, cs, rflags, rsp, ss */
	swapgs
	iretq

/* NORETURN void arch_syscall_return_unlock(long result): the same, and
 * the kernel lock let go on the frame's stack (rsp stays 16-aligned). */
	.global arch_syscall_return_unlock
arch_syscall_return_unlock:
	TOP_FRAME
	movq %rdi, 112(%rsp)
	call klock_release
	jmp user_restore

/* Leave for user mode from a frame built by arch_enter_user (user.c),
 * a new thread's first: copied to the top of the stack (it lies below,
 * maybe overlapping: copied from its end), where it gives the frames of
 * the thread's kernel calls their ss and cs, and their rcx and r11 slots
 * a value of the thread's own (the stack may have been another's). */
	.global x86_trap_exit
x86_trap_exit:
	leaq 168(%rdi), %rsi /* its last word */
	movq %gs:8, %rsp     /* cpu->kstack_top */
	leaq -8(%rsp), %rdi  /* the top frame's last word */
	movl $22, %ecx       /* sizeof(struct trap_frame) / 8 */
	std
	rep movsq
	cld
	subq $176, %rsp
	jmp user_restore

.macro ADDR n
	.quad vec_\n
.endm
.macro ADDRS from, to
	ADDR %from
	.if \to - \from
	ADDRS %(from + 1), \to
	.endif
.endm

	.section .rodata
	.balign 8
	.global x86_vector_table
x86_vector_table:
	ADDRS 0, 63
	ADDRS 64, 127
	ADDRS 128, 191
	ADDRS 192, 255
