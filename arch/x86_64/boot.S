/*
 * x86-64 entry from a multiboot2 loader (GRUB): 32-bit protected mode,
 * paging off, eax = magic, ebx = physical address of the boot information.
 * We build boot page tables (identity 0-1 GiB for the switch, the image at
 * KERNEL_IMAGE_BASE, a direct map of 0-4 GiB at KERNEL_DIRECT_BASE, all
 * 2 MiB pages), enter long mode, jump to the higher half and call
 * x86_entry(magic, info). vm_init() later replaces these tables.
 */
#define KERNEL_IMAGE_BASE 0xffffffff80000000
#define PHYS(x) ((x) - KERNEL_IMAGE_BASE)

#define MB2_MAGIC 0xe85250d6
#define MB2_ARCH_I386 0

	.section .multiboot2, "a"
	.balign 8
mb2_header:
	.long MB2_MAGIC
	.long MB2_ARCH_I386
	.long mb2_header_end - mb2_header
	.long -(MB2_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))
	/* entry address tag: the ELF entry is a higher-half address */
	.balign 8
	.short 3, 0
	.long 12
	.long _start32_phys
	.balign 8
	.short 0, 0 /* end tag */
	.long 8
mb2_header_end:

	.section .text.boot32, "ax"
	.code32
	.global _start32
_start32:
	cli
	cld
	movl %eax, PHYS(boot_magic)
	movl %ebx, PHYS(boot_info_pa)

	/* Long mode is required; NX is used when present. */
	movl $0x80000000, %eax
	cpuid
	cmpl $0x80000001, %eax
	jb no_long_mode
	movl $0x80000001, %eax
	cpuid
	testl $(1 << 29), %edx
	jz no_long_mode
	movl %edx, %ebp /* bit 20: NX */

	/* Zero the eight table pages, then fill them. */
	movl $PHYS(boot_pml4), %edi
	xorl %eax, %eax
	movl $(8 * 4096 / 4), %ecx
	rep stosl

	/* Four page directories: 2048 x 2 MiB pages = 0-4 GiB. */
	movl $PHYS(boot_pd), %edi
	movl $0x83, %eax /* present, writable, 2 MiB */
	movl $2048, %ecx
1:	movl %eax, (%edi)
	addl $0x200000, %eax
	addl $8, %edi
	loop 1b

	movl $(PHYS(boot_pd) + 3), %eax
	movl %eax, PHYS(boot_pdpt_low)            /* identity 0-1 GiB */
	movl %eax, PHYS(boot_pdpt_high) + 510 * 8 /* -2 GiB -> 0 */
	movl $PHYS(boot_pdpt_direct), %edi
	movl $4, %ecx
2:	movl %eax, (%edi)                         /* direct map 0-4 GiB */
	addl $4096, %eax
	addl $8, %edi
	loop 2b

	movl $(PHYS(boot_pdpt_low) + 3), %eax
	movl %eax, PHYS(boot_pml4)
	movl $(PHYS(boot_pdpt_direct) + 3), %eax
	movl %eax, PHYS(boot_pml4) + 256 * 8
	movl $(PHYS(boot_pdpt_high) + 3), %eax
	movl %eax, PHYS(boot_pml4) + 511 * 8

	movl %cr4, %eax
	orl $((1 << 5) | (1 << 7)), %eax /* PAE, global pages */
	movl %eax, %cr4
	movl $PHYS(boot_pml4), %eax
	movl %eax, %cr3

	movl $0xc0000080, %ecx /* EFER */
	rdmsr
	orl $(1 << 8), %eax    /* long mode enable */
	testl $(1 << 20), %ebp
	jz 3f
	orl $(1 << 11), %eax   /* no-execute enable */
3:	wrmsr

	movl %cr0, %eax
	orl $((1 << 31) | (1 << 16)), %eax /* paging; write-protect in ring 0 */
	movl %eax, %cr0

	lgdt PHYS(boot_gdt_ptr)
	ljmp $0x08, $PHYS(start64)

no_long_mode:
	/* Say why on COM1 (already set up by the firmware or GRUB), then stop. */
	movl $PHYS(no_lm_msg), %esi
4:	movb (%esi), %al
	testb %al, %al
	jz 6f
	movw $0x3fd, %dx
5:	inb %dx, %al
	testb $0x20, %al
	jz 5b
	movb (%esi), %al
	movw $0x3f8, %dx
	outb %al, %dx
	incl %esi
	jmp 4b
6:	hlt
	jmp 6b

	.code64
start64:
	movw $0x10, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	xorw %ax, %ax
	movw %ax, %fs
	movw %ax, %gs
	movabsq $high64, %rax
	jmp *%rax

	.text
high64:
	movabsq $boot_stack_top, %rsp
	xorl %ebp, %ebp /* ends the backtrace */
	movl boot_magic(%rip), %edi
	movl boot_info_pa(%rip), %esi
	call x86_entry
7:	cli
	hlt
	jmp 7b

	.section .rodata
no_lm_msg:
	.asciz "muon: this CPU has no 64-bit long mode; stopping.\r\n"
	.balign 8
boot_gdt:
	.quad 0
	.quad 0x00af9a000000ffff /* 0x08: 64-bit code */
	.quad 0x00cf92000000ffff /* 0x10: data */
boot_gdt_end:
boot_gdt_ptr:
	.short boot_gdt_end - boot_gdt - 1
	.long PHYS(boot_gdt)

	.data
	.balign 4
boot_magic:
	.long 0
boot_info_pa:
	.long 0

	.bss
	.balign 4096
	.global boot_pml4
boot_pml4:
	.skip 4096
boot_pdpt_low:
	.skip 4096
boot_pdpt_direct:
	.skip 4096
boot_pdpt_high:
	.skip 4096
boot_pd:
	.skip 4 * 4096
	.balign 16
boot_stack:
	.skip 16384
boot_stack_top:
