/*
 * The arch seam, MMU part. Both arches use 4 KiB pages and four levels of
 * 512-entry tables over a 48-bit virtual address, so the walker is generic
 * (kernel/pagetable.c) and the arch only encodes entries.
 *
 * Levels are numbered from the leaf: 0 = 4 KiB pages, 1 = 2 MiB blocks,
 * 2 = 1 GiB blocks, 3 = the root.
 */
#ifndef ARCH_MMU_H
#define ARCH_MMU_H

#include <kernel/compiler.h>

#define PAGE_SHIFT 12
#define PAGE_SIZE (1ul << PAGE_SHIFT)
#define PT_ENTRIES 512
#define PT_LEVELS 4

/* Kernel virtual layout, the same on both arches. */
#define KERNEL_DIRECT_BASE 0xffff800000000000ul /* all RAM (and MMIO) at pa + this */
#define KERNEL_IMAGE_BASE 0xffffffff80000000ul  /* the kernel image is linked here */

/* Protection of a mapping. */
#define VM_READ 0x1
#define VM_WRITE 0x2
#define VM_EXEC 0x4
#define VM_DEVICE 0x8 /* uncached, strongly ordered: MMIO */
#define VM_USER 0x10  /* reachable from user mode */
#define VM_NOACCESS 0x20 /* in the user half, reachable by nobody in user
			    mode (PROT_NONE): per address space */

typedef uint64_t pte_t;

pte_t arch_pte_table(uint64_t table_pa);               /* entry -> next table */
pte_t arch_pte_leaf(uint64_t pa, unsigned prot, int level); /* page or block */
/* The decoders, inline (arch/<arch>/include/arch-pte.h): every step of a
 * walk makes them.
 *   bool arch_pte_valid(pte_t pte);
 *   bool arch_pte_is_table(pte_t pte, int level);
 *   uint64_t arch_pte_addr(pte_t pte);
 *   unsigned arch_pte_prot(pte_t pte);  a valid leaf back into VM_* bits
 *   bool arch_pte_user_may(pte_t pte, unsigned access);  its VM_USER and
 *       access (VM_READ/VM_WRITE) bits all set, from the entry's own bits */
#ifndef HOST_TEST /* (the host tests build pmm.c, which wants the layout alone) */
#include <arch-pte.h>
#endif
/* Largest leaf level the CPU supports (1 = 2 MiB, 2 = 1 GiB). */
int arch_max_leaf_level(void);

/* The root the kernel's half of the address space runs on now. */
uint64_t arch_kernel_root(void);
/* Switch the kernel half to a new root and drop stale TLB entries. */
void arch_set_kernel_root(uint64_t root_pa);
/* Drop any TLB entry for va in the kernel half (after changing a live map). */
void arch_tlb_flush_page(uintptr_t va);
/* Zero the page at kva (direct map) the fastest way the CPU has: every
 * whole page the kernel zeroes (user memory, tables) goes through here.
 * Its zeroes are seen by every observer, other CPUs and the table walker
 * (which may walk at any time, speculatively too), before any store after
 * it: the entry that maps or links the page never shows what the page
 * held before. (A leaf written for user mode needs no barrier of its
 * own: until the walker sees it, an access takes a translation fault,
 * which process_fault() answers "valid: try again".) */
void arch_clear_page(void *kva);

#endif
