/*
 * Fake x86 multiboot2 "kernel" for testing tools/qemu-test without Muon.
 * It prints its command line to COM1 with every '|' turned into a newline,
 * except the last character, which says what to do next: a digit d writes
 * d to isa-debug-exit (QEMU exits with (d << 1) | 1); anything else halts
 * with interrupts off, forever. So "1..1|ok 1 - x|MUON-EXIT: 0|0" is a
 * passing ktest run and "Muon fake|." a hang.
 * Built by tools/testdata/build-fake-kernels (32-bit code, loaded at 1 MiB).
 */
	.section .multiboot2, "a"
	.balign 8
mb2_start:
	.long 0xe85250d6		/* magic */
	.long 0				/* architecture: i386 */
	.long mb2_end - mb2_start
	.long -(0xe85250d6 + (mb2_end - mb2_start))
	.balign 8
	.short 0, 0			/* end tag */
	.long 8
mb2_end:

	.text
	.code32
	.globl _start
_start:
	cli
	mov $stack_top, %esp
	lea 8(%ebx), %esi		/* first tag */
next_tag:
	mov (%esi), %eax
	test %eax, %eax
	jz stop				/* end tag: no command line */
	cmp $1, %eax
	je found
	mov 4(%esi), %eax
	add $7, %eax
	and $~7, %eax
	add %eax, %esi
	jmp next_tag
found:
	lea 8(%esi), %esi
	xor %ebx, %ebx			/* bl: the control character */
print:
	movzbl (%esi), %eax
	test %al, %al
	jz stop
	inc %esi
	cmpb $0, (%esi)
	jne 1f
	mov %al, %bl			/* last character: not printed */
	jmp stop
1:	cmp $'|', %al
	jne 2f
	mov $'\r', %al
	call putc
	mov $'\n', %al
2:	call putc
	jmp print
stop:
	mov $'\r', %al
	call putc
	mov $'\n', %al
	call putc
	cmp $'0', %bl
	jb halt
	cmp $'9', %bl
	ja halt
	movzbl %bl, %eax
	sub $'0', %eax
	mov $0xf4, %dx
	outl %eax, %dx
halt:
	cli
	hlt
	jmp halt

putc:					/* al -> COM1, waiting for THRE */
	mov %eax, %ecx
	mov $0x3fd, %dx
3:	inb %dx, %al
	test $0x20, %al
	jz 3b
	mov $0x3f8, %dx
	mov %ecx, %eax
	outb %al, %dx
	ret

	.bss
	.balign 16
	.skip 4096
stack_top:
