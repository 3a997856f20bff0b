/*
 * Thread entry and exit stubs (libc/thread.c).
 *
 * __libc_thread_return: where a raw thread function returns to when its
 * attributes named no exit function and it did not start through
 * __libc_thread_entry. The value it returned is in rax; the C exit
 * function wants it as its argument. After the return rsp is 16-aligned
 * (the kernel started the function with rsp + 8 aligned); the and keeps
 * it so regardless.
 *
 * __libc_thread_entry: a thread ThreadCreate started through libc's start
 * routine: the kernel entered it with the argument in rdi and, as its
 * "return address" at [rsp], the thread function; it calls
 * __libc_thread_start(arg, func), which never returns.
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

	.globl __libc_thread_entry
	.type __libc_thread_entry, @function
__libc_thread_entry:
	.cfi_startproc
	.cfi_undefined rip
	xor %ebp, %ebp
	pop %rsi
	and $-16, %rsp
	call __libc_thread_start
	ud2
	.cfi_endproc
	.size __libc_thread_entry, . - __libc_thread_entry

	.section .note.GNU-stack, "", @progbits
