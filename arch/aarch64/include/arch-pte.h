/*
 * aarch64 stage-1 descriptor decoders the generic walker
 * (kernel/pagetable.c) calls at every level, inline (arch/mmu.h includes
 * this after pte_t and the VM_* bits); the bits are a64_regs.h's.
 */
#ifndef ARCH_PTE_H
#define ARCH_PTE_H

#include "../a64_regs.h"

/* What the CPU sets in a leaf as it is used: nothing (TCR_EL1.HA and
 * HD are off; the kernel sets AF itself). */
#define ARCH_PTE_USED_BITS 0ull

static inline bool arch_pte_valid(pte_t pte)
{
	return pte & PTE_VALID;
}

static inline bool arch_pte_is_table(pte_t pte, int level)
{
	/* 0b11 means "table" above the last level and "page" at it */
	return level > 0 && (pte & 3) == PTE_TYPE_TABLE;
}

static inline uint64_t arch_pte_addr(pte_t pte)
{
	return pte & PTE_ADDR_MASK;
}

static inline unsigned arch_pte_prot(pte_t pte)
{
	unsigned prot = VM_READ;

	if (!(pte & PTE_AP_RO))
		prot |= VM_WRITE;
	if (pte & PTE_AP_EL0) {
		prot |= VM_USER;
		if (!(pte & PTE_UXN))
			prot |= VM_EXEC;
	} else if (!(pte & PTE_PXN)) {
		prot |= VM_EXEC;
	}
	if (((pte >> 2) & 7) == MAIR_DEVICE_IDX)
		prot |= VM_DEVICE;
	return prot;
}

/* May user mode make access (VM_READ and/or VM_WRITE) through the leaf
 * pte: arch_pte_prot's answer, from the bits themselves. */
static inline bool arch_pte_user_may(pte_t pte, unsigned access)
{
	return (pte & PTE_AP_EL0) && (!(access & VM_WRITE) || !(pte & PTE_AP_RO));
}

#endif
