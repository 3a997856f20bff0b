/*
 * x86-64 kernel-stack switch (arch/context.h). The System V ABI's
 * callee-saved registers are pushed on the old stack, the stacks swap,
 * and they are popped from the new one.
 */
	.text
	.global arch_context_switch
/* void arch_context_switch(uintptr_t *save_sp, uintptr_t load_sp) */
arch_context_switch:
	pushq %rbp
	pushq %rbx
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	movq %rsp, (%rdi)
	movq %rsi, %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbx
	popq %rbp
	ret
