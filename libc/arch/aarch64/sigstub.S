/*
 * Where signal handlers return to (the kernel put it in x30; libc/signal.c
 * passes it to SignalAction): sp then points at the address of the
 * context the kernel saved, which SignalReturn (0x5d, checked in
 * libc/signal.c) restores. It never returns.
 */
	.text
	.globl __libc_sigstub
	.type __libc_sigstub, %function
__libc_sigstub:
	.cfi_startproc
	.cfi_undefined x30
	ldr	x0, [sp]
	mov	x8, #0x5d
	svc	#0
	udf	#0
	.cfi_endproc
	.size __libc_sigstub, . - __libc_sigstub

	.section .note.GNU-stack, "", @progbits
