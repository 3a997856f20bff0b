/*
 * EL1 exception vector table (VBAR_EL1): 16 entries of 0x80 bytes, in
 * groups of four (synchronous, IRQ, FIQ, SError) for: current EL with
 * SP_EL0, current EL with SP_ELx, lower EL AArch64, lower EL AArch32.
 * Each entry saves a struct a64_frame (a64.h) on the stack and calls
 * a64_trap(frame, kind) with kind = the entry's index 0..15; if that
 * returns (interrupts), the frame is restored and we eret.
 */
#define FRAME_SIZE 288 /* 36 registers; a multiple of 16 */
#define F_SP 248
#define F_ELR 256
#define F_ESR 272

.macro ventry kind
	.balign 0x80
	sub	sp, sp, #FRAME_SIZE
	stp	x0, x1, [sp, #0]
	mov	x0, #\kind
	b	exception_common
.endm

	.text
	.balign 2048
	.globl a64_vectors
a64_vectors:
	ventry 0    /* EL1t synchronous */
	ventry 1    /* EL1t IRQ */
	ventry 2    /* EL1t FIQ */
	ventry 3    /* EL1t SError */
	ventry 4    /* EL1h synchronous */
	ventry 5    /* EL1h IRQ */
	ventry 6    /* EL1h FIQ */
	ventry 7    /* EL1h SError */
	ventry 8    /* EL0 AArch64 synchronous */
	ventry 9    /* EL0 AArch64 IRQ */
	ventry 10   /* EL0 AArch64 FIQ */
	ventry 11   /* EL0 AArch64 SError */
	ventry 12   /* EL0 AArch32 synchronous */
	ventry 13   /* EL0 AArch32 IRQ */
	ventry 14   /* EL0 AArch32 FIQ */
	ventry 15   /* EL0 AArch32 SError */

exception_common:
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x19, [sp, #144]
	stp	x20, x21, [sp, #160]
	stp	x22, x23, [sp, #176]
	stp	x24, x25, [sp, #192]
	stp	x26, x27, [sp, #208]
	stp	x28, x29, [sp, #224]
	/* the interrupted sp: ours before the frame, or SP_EL0 from below */
	add	x2, sp, #FRAME_SIZE
	cmp	x0, #8
	b.lo	1f
	mrs	x2, sp_el0
1:	stp	x30, x2, [sp, #240]
	mrs	x2, elr_el1
	mrs	x3, spsr_el1
	stp	x2, x3, [sp, #F_ELR]
	mrs	x2, esr_el1
	mrs	x3, far_el1
	stp	x2, x3, [sp, #F_ESR]
	mov	x1, x0
	mov	x0, sp
	bl	a64_trap

	ldp	x2, x3, [sp, #F_ELR]
	msr	elr_el1, x2
	msr	spsr_el1, x3
	ldp	x0, x1, [sp, #0]
	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldp	x6, x7, [sp, #48]
	ldp	x8, x9, [sp, #64]
	ldp	x10, x11, [sp, #80]
	ldp	x12, x13, [sp, #96]
	ldp	x14, x15, [sp, #112]
	ldp	x16, x17, [sp, #128]
	ldp	x18, x19, [sp, #144]
	ldp	x20, x21, [sp, #160]
	ldp	x22, x23, [sp, #176]
	ldp	x24, x25, [sp, #192]
	ldp	x26, x27, [sp, #208]
	ldp	x28, x29, [sp, #224]
	ldr	x30, [sp, #240]
	add	sp, sp, #FRAME_SIZE
	eret
