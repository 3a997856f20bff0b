/*
 * Where signal handlers return to (the kernel made this their return
 * address; libc/signal.c passes it to SignalAction): rsp then points at
 * the address of the context the kernel saved, which SignalReturn
 * (0x5d, checked in libc/signal.c) restores. It never returns.
 */
	.text
	.globl __libc_sigstub
	.type __libc_sigstub, @function
__libc_sigstub:
	.cfi_startproc
	.cfi_undefined rip
	movq (%rsp), %rdi
	movl $0x5d, %eax
	syscall
	ud2
	.cfi_endproc
	.size __libc_sigstub, . - __libc_sigstub

	.section .note.GNU-stack, "", @progbits
