/*
 * aarch64 kernel-stack switch (arch/context.h): the AAPCS64 callee-saved
 * registers x19-x28, the frame pointer x29 and the link register x30 go on
 * the old stack as one 96-byte frame; the stacks swap; the new frame is
 * popped and "ret" continues the other thread. arch_context_load is the
 * second half alone; a saved sp of 0 (ARCH_RESUME_KSP) goes to
 * arch_resume_entry (vectors.S) instead.
 */
	.text
	.globl arch_context_switch
/* void arch_context_switch(uintptr_t *save_sp, uintptr_t load_sp) */
arch_context_switch:
	sub	sp, sp, #96
	stp	x19, x20, [sp, #0]
	stp	x21, x22, [sp, #16]
	stp	x23, x24, [sp, #32]
	stp	x25, x26, [sp, #48]
	stp	x27, x28, [sp, #64]
	stp	x29, x30, [sp, #80]
	mov	x9, sp
	str	x9, [x0]
	mov	x0, x1
/* NORETURN void arch_context_load(uintptr_t load_sp) */
	.globl arch_context_load
arch_context_load:
	cbz	x0, arch_resume_entry   /* ARCH_RESUME_KSP: no context kept */
	mov	sp, x0
	ldp	x19, x20, [sp, #0]
	ldp	x21, x22, [sp, #16]
	ldp	x23, x24, [sp, #32]
	ldp	x25, x26, [sp, #48]
	ldp	x27, x28, [sp, #64]
	ldp	x29, x30, [sp, #80]
	add	sp, sp, #96
	ret

