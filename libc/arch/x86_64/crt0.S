/*
 * Process entry on x86-64. The first thread starts at _start with rsp at
 * the System V initial stack:
 *   [rsp]            argc (8 bytes)
 *   [rsp+8]          argv[0] .. argv[argc-1], NULL
 *   then             envp[0] .. , NULL
 *   then             auxv pairs (type, value), ending with AT_NULL
 * No register other than rsp is relied on. We clear rbp (the end of the
 * frame chain), align rsp to 16 as the ABI wants at a call, and call
 * __libc_start(argc, argv, envp), which never returns.
 */
	.text
	.globl _start
	.type _start, @function
_start:
	.cfi_startproc
	.cfi_undefined rip
	xor %ebp, %ebp
	mov (%rsp), %rdi		/* argc */
	lea 8(%rsp), %rsi		/* argv */
	lea 8(%rsi,%rdi,8), %rdx	/* envp = argv + argc + 1 */
	and $-16, %rsp
	call __libc_start
	ud2
	.cfi_endproc
	.size _start, . - _start

	.section .note.GNU-stack, "", @progbits
