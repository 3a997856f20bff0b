/*
 * Copies between kernel and user memory (arch/user.h). The caller has
 * range-checked the user side; a page fault on the rep movsb is turned by
 * the trap handler (the .extable entry) into a return of -EFAULT. With
 * SMAP on, stac/clac open user memory for exactly this instruction.
 */
	.text
	.global arch_copy_from_user
	.global arch_copy_to_user
/* int arch_copy_from_user(void *dst, uintptr_t usrc, size_t n)
 * int arch_copy_to_user(uintptr_t udst, const void *src, size_t n) */
arch_copy_from_user:
arch_copy_to_user:
	cmpb $0, x86_smap_on(%rip)
	je 1f
	stac
1:	movq %rdx, %rcx
copy_insn:
	rep movsb
	xorl %eax, %eax
copy_done:
	cmpb $0, x86_smap_on(%rip)
	je 2f
	clac
2:	ret
copy_fault:
	movl $-14, %eax /* -EFAULT */
	jmp copy_done

	.section .extable, "a"
	.quad copy_insn, copy_fault
