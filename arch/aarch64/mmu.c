/*
 * Stage-1 EL1&0 translation-table descriptors for the generic walker
 * (arch/mmu.h), and the kernel root (TTBR1_EL1) and TLB maintenance.
 * Kernel mappings: AF set, global, never executable at EL0 (UXN); Normal
 * memory write-back and inner shareable (MAIR index 0); devices
 * Device-nGnRE (index 1), never executable. User mappings (VM_USER):
 * EL0-accessible (AP[1]), non-global (nG: tagged with the ASID), never
 * executable at EL1 (PXN), executable at EL0 only with VM_EXEC.
 */
#include <arch/mmu.h>
#include <kernel/string.h>

#include "a64.h"

_Static_assert(A64_DIRECT_BASE == KERNEL_DIRECT_BASE, "a64_regs.h and arch/mmu.h disagree");
_Static_assert(A64_IMAGE_BASE == KERNEL_IMAGE_BASE, "a64_regs.h and arch/mmu.h disagree");

#define TTBR_BADDR_MASK PTE_ADDR_MASK /* drop ASID and CnP */

pte_t arch_pte_table(uint64_t table_pa)
{
	return (table_pa & PTE_ADDR_MASK) | PTE_TYPE_TABLE;
}

pte_t arch_pte_leaf(uint64_t pa, unsigned prot, int level)
{
	pte_t e = (pa & PTE_ADDR_MASK) | PTE_AF | PTE_UXN;

	e |= level == 0 ? PTE_TYPE_TABLE : PTE_TYPE_BLOCK; /* 0b11 = page */
	if (prot & VM_DEVICE)
		e |= PTE_ATTRIDX(MAIR_DEVICE_IDX) | PTE_PXN;
	else
		e |= PTE_ATTRIDX(MAIR_NORMAL_IDX) | PTE_SH_INNER;
	if (!(prot & VM_WRITE))
		e |= PTE_AP_RO;
	if (prot & VM_NOACCESS) {
		e |= PTE_AP_RO | PTE_NG | PTE_PXN; /* per address space, kernel-only */
	} else if (prot & VM_USER) {
		/* EL0's, tagged with the ASID, never run by the kernel;
		 * EL0 may run it if asked (devices never). */
		e |= PTE_AP_EL0 | PTE_NG | PTE_PXN;
		if ((prot & VM_EXEC) && !(prot & VM_DEVICE))
			e &= ~PTE_UXN;
	} else if (!(prot & VM_EXEC)) {
		e |= PTE_PXN;
	}
	return e;
}

int arch_max_leaf_level(void)
{
	return 2; /* 1 GiB blocks exist with every 4K-granule ARMv8 MMU */
}

uint64_t arch_kernel_root(void)
{
	return read_sysreg(ttbr1_el1) & TTBR_BADDR_MASK;
}

void arch_set_kernel_root(uint64_t root_pa)
{
	dsb(ishst); /* the new tables are in memory before the walker looks */
	write_sysreg(ttbr1_el1, root_pa);
	isb();
	__asm__ volatile("tlbi vmalle1is" ::: "memory");
	dsb(ish);
	isb();
}

void arch_tlb_flush_page(uintptr_t va)
{
	dsb(ishst);
	/* VAAE1IS: this VA, any ASID; the operand is VA[55:12] */
	__asm__ volatile("tlbi vaae1is, %0" ::"r"((va >> 12) & 0xfffffffffffful) : "memory");
	dsb(ish);
	isb();
}

void arch_clear_page(void *kva)
{
	/* DC ZVA zeroes a whole block of 4 << DCZID_EL0.BS bytes at once,
	 * unless DZP says it is prohibited here (a hypervisor's TDZ). */
	uint64_t id = read_sysreg(dczid_el0);
	char *p = kva, *end = p + PAGE_SIZE;

	if (id & DCZID_DZP)
		memset(kva, 0, PAGE_SIZE);
	else
		for (size_t block = 4ul << (id & DCZID_BS); p < end; p += block)
			__asm__ volatile("dc zva, %0" ::"r"(p) : "memory");
	dsb(ishst); /* (arch/mmu.h: before the entry that maps or links it) */
}
