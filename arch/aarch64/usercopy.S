/*
 * Copies between kernel and user memory (arch/user.h). The caller has
 * range-checked the user side. Every user access is an unprivileged
 * LDTR/STTR: it is checked as if EL0 made it, so it works with PAN on
 * (the only kernel code that may touch user memory then) and a stray
 * kernel address faults like one from user mode would. Each such
 * instruction has an .extable entry: trap.c turns a data abort on it into
 * a jump to copy_fault, which returns -EFAULT.
 *
 * The user side is brought to 8-byte alignment with single bytes, then
 * copied a word at a time (32 bytes per round while it lasts, then 16
 * and 8 as the length's bits say), the tail in bytes: user accesses are
 * always naturally aligned (even on device memory they cannot take an
 * alignment fault), and never touch a byte
 * outside [u, u + n). The kernel side may be unaligned (Normal memory,
 * SCTLR_EL1.A = 0).
 */
#define EFAULT 14

/* A user access that may fault: jump to copy_fault instead. */
.macro uacc insn:vararg
9999:	\insn
	.pushsection .extable, "a"
	.balign 8
	.quad	9999b, copy_fault
	.popsection
.endm

	.text

/* int a64_copy_from_user(void *dst, uintptr_t usrc, size_t n) */
	.globl a64_copy_from_user
	.type a64_copy_from_user, %function
a64_copy_from_user:
	cbz	x2, 9f
1:	tst	x1, #7                  /* head: bytes up to user alignment */
	b.eq	2f
	uacc	ldtrb w3, [x1]
	strb	w3, [x0], #1
	add	x1, x1, #1
	subs	x2, x2, #1
	b.ne	1b
	b	9f
2:	subs	x2, x2, #32             /* x2: what is left past this round */
	b.lo	4f
3:	uacc	ldtr x3, [x1]
	uacc	ldtr x4, [x1, #8]
	uacc	ldtr x5, [x1, #16]
	uacc	ldtr x6, [x1, #24]
	stp	x3, x4, [x0]
	stp	x5, x6, [x0, #16]
	add	x0, x0, #32
	add	x1, x1, #32
	subs	x2, x2, #32
	b.hs	3b
4:	add	x2, x2, #32             /* 0..31 left: 16, 8, then bytes */
	tbz	x2, #4, 5f
	uacc	ldtr x3, [x1]
	uacc	ldtr x4, [x1, #8]
	stp	x3, x4, [x0], #16
	add	x1, x1, #16
5:	tbz	x2, #3, 6f
	uacc	ldtr x3, [x1]
	str	x3, [x0], #8
	add	x1, x1, #8
6:	ands	x2, x2, #7
	b.eq	9f
7:	uacc	ldtrb w3, [x1]
	strb	w3, [x0], #1
	add	x1, x1, #1
	subs	x2, x2, #1
	b.ne	7b
9:	mov	w0, #0
	ret
	.size a64_copy_from_user, . - a64_copy_from_user

/* int a64_copy_to_user(uintptr_t udst, const void *src, size_t n) */
	.globl a64_copy_to_user
	.type a64_copy_to_user, %function
a64_copy_to_user:
	cbz	x2, 9f
1:	tst	x0, #7
	b.eq	2f
	ldrb	w3, [x1], #1
	uacc	sttrb w3, [x0]
	add	x0, x0, #1
	subs	x2, x2, #1
	b.ne	1b
	b	9f
2:	subs	x2, x2, #32             /* x2: what is left past this round */
	b.lo	4f
3:	ldp	x3, x4, [x1]
	ldp	x5, x6, [x1, #16]
	uacc	sttr x3, [x0]
	uacc	sttr x4, [x0, #8]
	uacc	sttr x5, [x0, #16]
	uacc	sttr x6, [x0, #24]
	add	x0, x0, #32
	add	x1, x1, #32
	subs	x2, x2, #32
	b.hs	3b
4:	add	x2, x2, #32             /* 0..31 left: 16, 8, then bytes */
	tbz	x2, #4, 5f
	ldp	x3, x4, [x1], #16
	uacc	sttr x3, [x0]
	uacc	sttr x4, [x0, #8]
	add	x0, x0, #16
5:	tbz	x2, #3, 6f
	ldr	x3, [x1], #8
	uacc	sttr x3, [x0]
	add	x0, x0, #8
6:	ands	x2, x2, #7
	b.eq	9f
7:	ldrb	w3, [x1], #1
	uacc	sttrb w3, [x0]
	add	x0, x0, #1
	subs	x2, x2, #1
	b.ne	7b
9:	mov	w0, #0
	ret
	.size a64_copy_to_user, . - a64_copy_to_user

copy_fault:
	mov	w0, #-EFAULT
	ret
