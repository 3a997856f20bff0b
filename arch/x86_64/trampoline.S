/*
 * Where a secondary x86-64 CPU starts (smp.c): in real mode at
 * X86_TRAMPOLINE_PA, where smp.c copies this code, the STARTUP IPI's
 * vector being that page's number. It goes through 32-bit protected mode
 * into long mode on the boot page tables (boot.S: they map this page
 * where it is and the kernel at its link address), then jumps to
 * x86_ap_entry(cpu) on the stack smp.c left in the data at the end.
 * Position-independent but for X86_TRAMPOLINE_PA itself.
 */
#include "trampoline.h"

#define AT(label) (X86_TRAMPOLINE_PA + (label) - x86_trampoline)

	.section .rodata
	.balign 16
	.global x86_trampoline, x86_trampoline_end
x86_trampoline:
	.code16
	cli
	cld
	movw %cs, %ax
	movw %ax, %ds
	lgdtl tramp_gdt_ptr - x86_trampoline
	movl %cr0, %eax
	orl $1, %eax /* protection on */
	movl %eax, %cr0
	ljmpl $0x08, $AT(pm32)

	.code32
pm32:
	movw $0x10, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	movl %cr4, %eax
	orl $((1 << 5) | (1 << 7)), %eax /* PAE, global pages */
	movl %eax, %cr4
	movl AT(tramp_cr3), %eax
	movl %eax, %cr3
	movl $0xc0000080, %ecx /* EFER */
	rdmsr
	orl AT(tramp_efer), %eax /* long mode, and no-execute as the boot CPU */
	wrmsr
	movl %cr0, %eax
	orl $((1 << 31) | (1 << 16)), %eax /* paging; write-protect in ring 0 */
	movl %eax, %cr0
	ljmp $0x18, $AT(lm64)

	.code64
lm64:
	movw $0x10, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	movq tramp_stack(%rip), %rsp
	movq tramp_cpu(%rip), %rdi
	xorl %ebp, %ebp /* ends the backtrace */
	pushq $0        /* a return address: the ABI's stack alignment */
	movq tramp_entry(%rip), %rax
	jmp *%rax

	.balign 8
tramp_gdt:
	.quad 0
	.quad 0x00cf9a000000ffff /* 0x08: 32-bit code */
	.quad 0x00cf92000000ffff /* 0x10: data */
	.quad 0x00af9a000000ffff /* 0x18: 64-bit code */
tramp_gdt_ptr:
	.short tramp_gdt_ptr - tramp_gdt - 1
	.long AT(tramp_gdt)

	/* Filled in by smp.c for each CPU it starts (struct x86_tramp_data). */
	.balign 8
tramp_data:
tramp_cr3:
	.long 0
tramp_efer:
	.long 0
tramp_stack:
	.quad 0
tramp_entry:
	.quad 0
tramp_cpu:
	.quad 0
x86_trampoline_end:
