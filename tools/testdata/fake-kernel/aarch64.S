/*
 * Fake arm64 "kernel" for testing tools/qemu-test without Muon: a Linux
 * arm64 Image (QEMU -kernel and U-Boot booti load it) that prints TEXT
 * (incbin'd from text.txt, '|' -> newline) to the PL011 of QEMU virt, then
 * ends as Muon's kernel does: with Arm semihosting SYS_EXIT and status
 * STATUS (QEMU exits with it), or, built with -DPSCI, with PSCI
 * SYSTEM_OFF over hvc (QEMU exits 0), or, built with -DHANG, waits
 * forever. Built by tools/testdata/build-fake-kernels.
 */
#ifndef STATUS
#define STATUS 0
#endif
	.text
	.globl _head
_head:
	b start				/* code0 */
	.long 0				/* code1 */
	.quad 0x80000			/* text_offset */
	.quad _end - _head		/* image_size */
	.quad 0				/* flags */
	.quad 0, 0, 0
	.ascii "ARM\x64"		/* magic */
	.long 0

start:
	adr x1, text
	ldr x2, =0x09000000		/* PL011 on virt */
1:	ldrb w3, [x1], #1
	cbz w3, done
	cmp w3, #'|'
	b.ne 2f
	mov w3, #'\n'
2:	ldr w4, [x2, #0x18]		/* FR: wait while TXFF */
	tbnz w4, #5, 2b
	str w3, [x2]
	b 1b
done:
#if defined(HANG)
3:	wfi
	b 3b
#elif defined(PSCI)
	ldr w0, =0x84000008		/* PSCI SYSTEM_OFF */
	hvc #0
	b done
#else
	mov x0, #0x18			/* SYS_EXIT */
	adr x1, exit_block		/* {ADP_Stopped_ApplicationExit, STATUS} */
	hlt #0xf000
	b done
#endif
	.ltorg
	.balign 8
exit_block:
	.quad 0x20026, STATUS
text:
	.incbin "text.txt"
	.byte '\n', 0
	.balign 8
_end:
