/*
 * x86-64 page-table entry bits and the decoders the generic walker
 * (kernel/pagetable.c) calls at every level, inline (arch/mmu.h includes
 * this after pte_t and the VM_* bits).
 */
#ifndef ARCH_PTE_H
#define ARCH_PTE_H

#define PTE_P	 (1ull << 0)
#define PTE_W	 (1ull << 1)
#define PTE_US	 (1ull << 2)
#define PTE_PWT	 (1ull << 3)
#define PTE_PCD	 (1ull << 4)
#define PTE_PS	 (1ull << 7) /* a leaf at level 1 or 2 */
#define PTE_G	 (1ull << 8)
#define PTE_NX	 (1ull << 63)
#define PTE_ADDR 0x000ffffffffff000ull
/* What the CPU sets in a leaf as it is used (accessed, dirty): leaves
 * that differ only there map alike. */
#define ARCH_PTE_USED_BITS ((1ull << 5) | (1ull << 6))

static inline bool arch_pte_valid(pte_t pte)
{
	return pte & PTE_P;
}

static inline bool arch_pte_is_table(pte_t pte, int level)
{
	return level > 0 && (pte & PTE_P) && !(pte & PTE_PS);
}

static inline uint64_t arch_pte_addr(pte_t pte)
{
	return pte & PTE_ADDR;
}

static inline unsigned arch_pte_prot(pte_t pte)
{
	unsigned prot = VM_READ;

	if (pte & PTE_W)
		prot |= VM_WRITE;
	if (!(pte & PTE_NX))
		prot |= VM_EXEC;
	if (pte & PTE_PCD)
		prot |= VM_DEVICE;
	if (pte & PTE_US)
		prot |= VM_USER;
	return prot;
}

/* May user mode make access (VM_READ and/or VM_WRITE) through the leaf
 * pte: arch_pte_prot's answer, from the bits themselves. */
static inline bool arch_pte_user_may(pte_t pte, unsigned access)
{
	pte_t need = PTE_US | (access & VM_WRITE ? PTE_W : 0);

	return (pte & need) == need;
}

#endif
