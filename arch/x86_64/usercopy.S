/*
 * Copies between kernel and user memory (arch/user.h). The caller has
 * range-checked the user side; a page fault on a rep movs is turned by
 * the trap handler (its .extable entry) into a return of -EFAULT. With
 * SMAP on, stac/clac open user memory for exactly these instructions.
 * Eight bytes at a time (rep movsq), then the rest (rep movsb).
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
	shrq $3, %rcx
copy_words:
	rep movsq
	movl %edx, %ecx
	andl $7, %ecx
copy_bytes:
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
	.quad copy_words, copy_fault
	.quad copy_bytes, copy_fault
