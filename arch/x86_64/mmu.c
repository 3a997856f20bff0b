/* x86-64 page-table entries for the generic walker (arch/mmu.h). Kernel
 * leaves are global; NX is used when the CPU has it. */
#include "x86.h"

#include <arch/mmu.h>

pte_t arch_pte_table(uint64_t table_pa)
{
	/* Permissions are decided at the leaf (the CPU takes the strictest
	 * of all levels), so tables allow everything, user access included. */
	return (table_pa & PTE_ADDR) | PTE_P | PTE_W | PTE_US;
}

pte_t arch_pte_leaf(uint64_t pa, unsigned prot, int level)
{
	pte_t e = (pa & PTE_ADDR) | PTE_P | PTE_G;

	if (level > 0)
		e |= PTE_PS;
	if (prot & VM_WRITE)
		e |= PTE_W;
	if (!(prot & VM_EXEC) && x86_cpu.nx)
		e |= PTE_NX;
	if (prot & VM_DEVICE)
		e |= PTE_PCD | PTE_PWT;
	if (prot & VM_USER)
		e = (e & ~PTE_G) | PTE_US; /* user pages are per address space */
	else if (prot & VM_NOACCESS)
		e &= ~(PTE_G | PTE_W); /* per address space too, kernel-only */
	return e;
}

int arch_max_leaf_level(void)
{
	return x86_cpu.page1g ? 2 : 1;
}

static uint64_t kernel_root; /* after vm_init; CR3 may hold a user root */

uint64_t arch_kernel_root(void)
{
	return kernel_root ? kernel_root : READ_CR(3) & PTE_ADDR;
}

void arch_set_kernel_root(uint64_t root_pa)
{
	uint64_t cr4 = READ_CR(4);

	kernel_root = root_pa;
	WRITE_CR(3, root_pa);
	/* Kernel pages are global and survive a CR3 load: toggling PGE
	 * flushes them too. */
	WRITE_CR(4, cr4 & ~(1ull << 7));
	WRITE_CR(4, cr4);
}

void arch_tlb_flush_page(uintptr_t va)
{
	__asm__ volatile("invlpg (%0)" ::"r"(va) : "memory");
}

void arch_clear_page(void *kva)
{
	/* Fast-string stores, as Linux's clear_page; DF is clear in the
	 * kernel (FMASK and trap entry clear it). */
	uint64_t n = PAGE_SIZE / 8;

	__asm__ volatile("rep stosq" : "+D"(kva), "+c"(n) : "a"(0ul) : "memory");
}
