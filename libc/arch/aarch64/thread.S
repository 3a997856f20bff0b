/*
 * Where a thread function returns to when its attributes named no exit
 * function (libc/thread.c; the kernel put this address in x30 before the
 * function started). The value it returned is in x0, which is already
 * the C exit function's argument; sp is 16-aligned. The frame chain ends
 * here (x29 = x30 = 0).
 */
	.text
	.globl __libc_thread_return
	.type __libc_thread_return, %function
__libc_thread_return:
	.cfi_startproc
	.cfi_undefined x30
	mov x29, #0
	mov x30, #0
	b __libc_thread_exit
	.cfi_endproc
	.size __libc_thread_return, . - __libc_thread_return

	.section .note.GNU-stack, "", %progbits
