/*
 * AArch64 entry: the Linux arm64 Image header, then the position-independent
 * path from whatever physical address the loader chose (QEMU -kernel, U-Boot
 * booti, the Pi firmware) to C at the kernel's linked virtual address:
 *   drop from EL2 to EL1 if needed; zero .bss; build boot page tables in
 *   .bss (TTBR1: the image at KERNEL_IMAGE_BASE, 4K pages; the direct map
 *   of the kernel's and the DTB's 2 MiB blocks; TTBR0: an identity map of
 *   the kernel, only to survive turning the MMU on); MMU and caches on;
 *   jump high; turn TTBR0 walks off; a64_entry(dtb_pa, entry_el, kernel_pa).
 * Secondary CPUs start at a64_secondary_entry (below; smp.c).
 * Until the jump, only PC-relative addressing (adr/adrp) is used for
 * addresses, and ldr =sym only for link-time virtual addresses.
 */
#include "a64_regs.h"

#define BOOT_PT_PAGES 24          /* table pages for the boot maps */
#define BOOT_STACK_SIZE 16384
#define FDT_MAGIC_LE 0xedfe0dd0   /* d00dfeed as read little-endian */
#define BOOT_DTB_MAX (64 << 20)   /* = FDT_MAX_SIZE: bigger DTBs are refused */

/* The tables are in TTBR0/TTBR1: drop whatever the TLB and I-cache hold,
 * turn the MMU on and jump to target, a virtual address (leaving the
 * identity map). Every CPU does this for itself. Clobbers x0. */
.macro mmu_on target
	isb
	tlbi	vmalle1
	ic	iallu
	dsb	nsh
	isb
	ldr	x0, =SCTLR_EL1_BOOT
	msr	sctlr_el1, x0
	isb
	ldr	x0, =\target
	br	x0
.endm

	.section .text.head, "ax"
	.globl _start
_start:
	/* Linux arm64 Image header (Documentation/arm64/booting, 64 bytes) */
	b	primary_entry           /* code0 */
	.long	0                       /* code1 */
	.quad	0                       /* text_offset: at a 2 MiB boundary */
	.quad	__image_size            /* image_size, .bss included */
	.quad	0xa                     /* flags: LE, 4K pages, anywhere in RAM */
	.quad	0                       /* res2 */
	.quad	0                       /* res3 */
	.quad	0                       /* res4 */
	.ascii	"ARM\x64"               /* magic */
	.long	0                       /* res5 (no PE header) */

primary_entry:
	mov	x19, x0                 /* x19 = DTB physical address */
	mrs	x20, CurrentEL
	ubfx	x20, x20, #2, #2        /* x20 = EL we were entered at */
	cmp	x20, #2
	b.eq	el2_to_el1
	cmp	x20, #1
	b.ne	boot_hang               /* EL3 (or nonsense): not supported */

el1_start:
	msr	spsel, #1
	ldr	x0, =SCTLR_EL1_RES1     /* MMU and caches off, known state */
	msr	sctlr_el1, x0
	isb

	adrp	x21, __kernel_start     /* x21 = physical start of the image */
	adrp	x22, __kernel_end       /* x22 = physical end (page aligned) */

	/* .bss: drop any stale cache lines (a dirty one could later be
	 * written back over our zeros), zero it with the MMU off, drop again. */
	adrp	x0, __bss_start
	adrp	x1, __bss_end
	bl	dcache_inval_range
	adrp	x0, __bss_start
	adrp	x1, __bss_end
1:	cmp	x0, x1
	b.hs	2f
	stp	xzr, xzr, [x0], #16
	b	1b
2:	bl	build_tables
	adrp	x0, __bss_start
	adrp	x1, __bss_end
	bl	dcache_inval_range

	/* MMU registers */
	ldr	x0, =MAIR_VALUE
	msr	mair_el1, x0
	mrs	x1, id_aa64mmfr0_el1
	and	x1, x1, #0xf            /* PARange */
	mov	x2, #5                  /* 48 bits at most (no LPA2) */
	cmp	x1, x2
	csel	x1, x1, x2, ls
	ldr	x0, =TCR_BOOT
	bfi	x0, x1, #TCR_IPS_SHIFT, #3
	msr	tcr_el1, x0
	msr	ttbr0_el1, x24
	msr	ttbr1_el1, x23
	mmu_on	high_entry

/* Entered at EL2 (e.g. -M virt,virtualization=on, the Pi 4): give EL1 the
 * counters, timers and the GICv3 CPU interface, and drop to it, at
 * target. Every CPU does this for itself. Clobbers x0, x1. */
.macro drop_to_el1 target
	mov	x0, #HCR_RW             /* EL1 AArch64, no stage 2, E2H = 0 */
	msr	hcr_el2, x0
	mrs	x0, cnthctl_el2
	orr	x0, x0, #(CNTHCTL_EL1PCTEN | CNTHCTL_EL1PCEN)
	msr	cnthctl_el2, x0
	msr	cntvoff_el2, xzr        /* virtual count = physical count */
	mrs	x0, midr_el1            /* what EL1 reads as MIDR/MPIDR */
	msr	vpidr_el2, x0
	mrs	x0, mpidr_el1
	msr	vmpidr_el2, x0
	mov	x0, #CPTR_EL2_RES1
	msr	cptr_el2, x0
	msr	hstr_el2, xzr
	mrs	x0, id_aa64pfr0_el1
	ubfx	x0, x0, #24, #4         /* GIC system registers implemented? */
	cbz	x0, 1f
	mrs	x0, S3_4_C12_C9_5       /* ICC_SRE_EL2 */
	mov	x1, #(ICC_SRE_SRE | ICC_SRE_ENABLE)
	orr	x0, x0, x1
	msr	S3_4_C12_C9_5, x0
	isb
	msr	S3_4_C12_C11_0, xzr     /* ICH_HCR_EL2: no virtual CPU interface */
1:	ldr	x0, =SCTLR_EL1_RES1
	msr	sctlr_el1, x0
	mov	x0, #SPSR_EL1H_MASKED
	msr	spsr_el2, x0
	adr	x0, \target
	msr	elr_el2, x0
	isb
	eret
.endm

el2_to_el1:
	drop_to_el1 el1_start

boot_hang:
	wfe
	b	boot_hang

/*
 * Build the boot tables from the pool in .bss (already zero).
 * In: x19 DTB pa, x21/x22 kernel pa range. Out: x23 TTBR1 root, x24 TTBR0
 * root. Uses x25-x28.
 */
build_tables:
	mov	x26, x30
	adrp	x27, boot_pt_pool       /* x27 = next free table page */
	add	x28, x27, #(BOOT_PT_PAGES * 4096) /* x28 = end of the pool */
	mov	x23, x27
	add	x27, x27, #4096
	mov	x24, x27
	add	x27, x27, #4096

	/* TTBR1: the image, 4K pages (any 4K-aligned load address works),
	 * writable and executable until vm_init() replaces it with W^X. */
	mov	x0, x23
	ldr	x1, =__kernel_start
	mov	x2, x21
	sub	x3, x22, x21
	ldr	x4, =(PTE_NORMAL | PTE_UXN)
	mov	x5, #0
	bl	map_range

	/* TTBR1: the direct map of the kernel's 2 MiB blocks, never executable;
	 * the walker reaches tables and ioremap's pool through it. */
	ldr	x25, =A64_DIRECT_BASE
	mov	x0, x23
	add	x1, x21, x25
	mov	x2, x21
	sub	x3, x22, x21
	ldr	x4, =(PTE_NORMAL | PTE_PXN | PTE_UXN)
	mov	x5, #1
	bl	map_range

	/* ... and of the DTB's blocks, if x0 pointed at one. */
	cbz	x19, 1f
	tst	x19, #7
	b.ne	1f
	ldr	w0, [x19]
	ldr	w1, =FDT_MAGIC_LE
	cmp	w0, w1
	b.ne	1f
	ldr	w3, [x19, #4]
	rev	w3, w3                  /* totalsize */
	ldr	x0, =BOOT_DTB_MAX
	cmp	x3, x0
	csel	x3, x3, x0, ls
	mov	x0, x23
	add	x1, x19, x25
	mov	x2, x19
	ldr	x4, =(PTE_NORMAL | PTE_PXN | PTE_UXN)
	mov	x5, #1
	bl	map_range

	/* TTBR0: the kernel at its physical address, for the instructions
	 * between turning the MMU on and the jump to high_entry. */
1:	mov	x0, x24
	mov	x1, x21
	mov	x2, x21
	sub	x3, x22, x21
	ldr	x4, =PTE_NORMAL
	mov	x5, #1
	bl	map_range
	dsb	sy
	mov	x30, x26
	ret

/*
 * map_range: x0 root, x1 va, x2 pa, x3 size, x4 leaf attributes, x5 = 1 for
 * 2 MiB blocks (va and pa rounded out to 2 MiB), 0 for 4K pages. Tables
 * come from [x27, x28). Clobbers x1-x3, x9-x15.
 */
.macro next_table shift
	ubfx	x13, x1, #\shift, #9
	ldr	x14, [x12, x13, lsl #3]
	tbnz	x14, #0, 8f
	mov	x14, x27                /* no table yet: take a zeroed page */
	add	x27, x27, #4096
	cmp	x27, x28
	b.hi	boot_hang               /* pool too small for this image */
	orr	x15, x14, #PTE_TYPE_TABLE
	str	x15, [x12, x13, lsl #3]
8:	and	x12, x14, #PTE_ADDR_MASK
.endm

map_range:
	mov	x9, #0x1000
	cbz	x5, 1f
	mov	x9, #0x200000
1:	sub	x10, x9, #1
	add	x3, x1, x3
	add	x3, x3, x10
	bic	x3, x3, x10             /* x3 = end of va, rounded up */
	and	x11, x1, x10
	sub	x1, x1, x11             /* va and pa rounded down alike */
	sub	x2, x2, x11
2:	cmp	x1, x3
	b.hs	4f
	mov	x12, x0
	next_table 39
	next_table 30
	cbz	x5, 3f
	ubfx	x13, x1, #21, #9
	orr	x14, x2, x4
	orr	x14, x14, #PTE_TYPE_BLOCK
	str	x14, [x12, x13, lsl #3]
	b	5f
3:	next_table 21
	ubfx	x13, x1, #12, #9
	orr	x14, x2, x4
	orr	x14, x14, #PTE_TYPE_TABLE /* page descriptor: 0b11 */
	str	x14, [x12, x13, lsl #3]
5:	add	x1, x1, x9
	add	x2, x2, x9
	b	2b
4:	ret

/* Invalidate data cache lines of [x0, x1) to the point of coherency. */
dcache_inval_range:
	mrs	x2, ctr_el0
	ubfx	x2, x2, #16, #4         /* DminLine: log2 of words */
	mov	x3, #4
	lsl	x3, x3, x2              /* line size in bytes */
	sub	x4, x3, #1
	bic	x0, x0, x4
1:	cmp	x0, x1
	b.hs	2f
	dc	ivac, x0
	add	x0, x0, x3
	b	1b
2:	dsb	sy
	ret

/* Running at the linked address now. */
high_entry:
	ldr	x0, =boot_stack_top
	mov	sp, x0
	ldr	x0, =a64_vectors
	msr	vbar_el1, x0
	/* The identity map is not needed any more: stop TTBR0 walks so a
	 * stray low address faults instead of hitting it. */
	mrs	x0, tcr_el1
	orr	x0, x0, #TCR_EPD0
	msr	tcr_el1, x0
	isb
	tlbi	vmalle1
	dsb	nsh
	isb
	msr	daifclr, #4             /* SError: report it, do not lose it */
	mov	x29, xzr                /* end of the frame-pointer chain */
	mov	x30, xzr
	mov	x0, x19
	mov	x1, x20
	mov	x2, x21
	bl	a64_entry
	b	boot_hang

/*
 * A secondary CPU (smp.c starts it here: PSCI CPU_ON, or the spin table's
 * release address), at this code's physical address with the MMU off, at
 * EL2 or EL1. It turns the MMU on with the boot CPU's settings and the
 * kernel's tables (TTBR1) and, in TTBR0 only for that moment, head.S's
 * identity map of the image, then calls a64_ap_entry(cpu) at the linked
 * address on its stack. What it needs is in a64_ap_start, found
 * PC-relative and read uncached (smp.c cleaned it to the point of
 * coherency); x0 (PSCI's context id) is not used.
 */
	.globl a64_secondary_entry
a64_secondary_entry:
	mrs	x0, CurrentEL
	ubfx	x0, x0, #2, #2
	cmp	x0, #2
	b.eq	ap_el2
	cmp	x0, #1
	b.ne	boot_hang
ap_el1:
	msr	spsel, #1
	ldr	x0, =SCTLR_EL1_RES1     /* MMU and caches off, known state */
	msr	sctlr_el1, x0
	isb
	adrp	x1, a64_ap_start
	add	x1, x1, :lo12:a64_ap_start
	ldr	x0, =MAIR_VALUE
	msr	mair_el1, x0
	ldr	x0, [x1, #AP_START_TCR]
	msr	tcr_el1, x0
	ldr	x0, [x1, #AP_START_TTBR1]
	msr	ttbr1_el1, x0
	adrp	x0, boot_pt_pool        /* build_tables' TTBR0 root: the page */
	add	x0, x0, #4096           /* after its TTBR1 root */
	msr	ttbr0_el1, x0
	mmu_on	ap_high
ap_el2:
	drop_to_el1 ap_el1

ap_high:
	ldr	x1, =a64_ap_start
	ldr	x0, [x1, #AP_START_STACK]
	mov	sp, x0
	ldr	x0, =a64_vectors
	msr	vbar_el1, x0
	isb
	msr	daifclr, #4             /* SError: report it, do not lose it */
	mov	x29, xzr
	mov	x30, xzr
	ldr	x0, [x1, #AP_START_CPU]
	bl	a64_ap_entry
	b	boot_hang

	.ltorg

	.section .bss, "aw", %nobits
	.balign 4096
boot_pt_pool:
	.skip	BOOT_PT_PAGES * 4096
	.balign 16
	.globl boot_stack_bottom
boot_stack_bottom:
	.skip	BOOT_STACK_SIZE
	.globl boot_stack_top
boot_stack_top:
