/*
 * Where a thread function returns to when its attributes named no exit
 * function (libc/thread.c; the kernel pushed this address as the
 * function's return address). The value it returned is in rax; the C
 * exit function wants it as its argument. After the return rsp is
 * 16-aligned (the kernel started the function with rsp + 8 aligned), so
 * the call below is as the ABI wants; the and keeps it so regardless.
 */
	.text
	.globl __libc_thread_return
	.type __libc_thread_return, @function
__libc_thread_return:
	.cfi_startproc
	.cfi_undefined rip
	xor %ebp, %ebp
	mov %rax, %rdi
	and $-16, %rsp
	call __libc_thread_exit
	ud2
	.cfi_endproc
	.size __libc_thread_return, . - __libc_thread_return

	.section .note.GNU-stack, "", @progbits
