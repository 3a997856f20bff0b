/*
 * Process entry on aarch64. The first thread starts at _start with sp at
 * the System V initial stack:
 *   [sp]             argc (8 bytes)
 *   [sp+8]           argv[0] .. argv[argc-1], NULL
 *   then             envp[0] .. , NULL
 *   then             auxv pairs (type, value), ending with AT_NULL
 * No register other than sp is relied on. We clear the frame pointer and
 * link register (the end of the frame chain), keep sp 16-aligned, and
 * call __libc_start(argc, argv, envp), which never returns.
 */
	.text
	.globl _start
	.type _start, %function
_start:
	.cfi_startproc
	.cfi_undefined x30
	mov x29, #0
	mov x30, #0
	mov x9, sp
	ldr x0, [x9]			/* argc */
	add x1, x9, #8			/* argv */
	add x2, x1, x0, lsl #3
	add x2, x2, #8			/* envp = argv + argc + 1 */
	and x9, x9, #~15
	mov sp, x9
	bl __libc_start
	udf #0
	.cfi_endproc
	.size _start, . - _start

	.section .note.GNU-stack, "", %progbits
