/*
 * x86-64 kernel-stack switch (arch/context.h). The System V ABI's
 * callee-saved registers are pushed on the old stack, the stacks swap,
 * and they are popped from the new one. arch_context_load is the second
 * half alone; arch_resume_ctx is a saved context that returns into
 * arch_resume_entry (vectors.S).
 */
	.text
	.global arch_context_switch
	.global arch_context_load
/* void arch_context_switch(uintptr_t *save_sp, uintptr_t load_sp) */
arch_context_switch:
	pushq %rbp
	pushq %rbx
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	movq %rsp, (%rdi)
	movq %rsi, %rdi
/* NORETURN void arch_context_load(uintptr_t load_sp) */
arch_context_load:
	movq %rdi, %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbx
	popq %rbp
	ret

	.section .rodata
	.balign 16
	.global arch_resume_ctx
arch_resume_ctx: /* r15 r14 r13 r12 rbx rbp, then the return address */
	.quad 0, 0, 0, 0, 0, 0, arch_resume_entry
