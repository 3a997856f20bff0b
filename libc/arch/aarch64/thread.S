/*
 * Thread entry and exit stubs (libc/thread.c).
 *
 * __libc_thread_return: where a raw thread function returns to when its
 * attributes named no exit function and it did not start through
 * __libc_thread_entry (the kernel put this address in x30 before the
 * function started). The value it returned is in x0, which is already
 * the C exit function's argument; sp is 16-aligned.
 *
 * __libc_thread_entry: a thread ThreadCreate started through libc's start
 * routine: the kernel entered it with the argument in x0 and the thread
 * function in x30; it goes on to __libc_thread_start(arg, func), which
 * never returns. The frame chain ends here (x29 = x30 = 0).
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

	.globl __libc_thread_entry
	.type __libc_thread_entry, %function
__libc_thread_entry:
	.cfi_startproc
	.cfi_undefined x30
	mov x1, x30
	mov x29, #0
	mov x30, #0
	b __libc_thread_start
	.cfi_endproc
	.size __libc_thread_entry, . - __libc_thread_entry

	.section .note.GNU-stack, "", %progbits
