/*
 * Kernel address space: the direct map, the kernel image mapped W^X, and
 * device mappings (ioremap). Generic over the arch seam in arch/mmu.h.
 */
#ifndef KERNEL_VM_H
#define KERNEL_VM_H

#include <arch/mmu.h>
#include <kernel/boot.h>

#ifdef HOST_TEST
#define DIRECT_MAP_OFFSET 0ul /* host tests pass host memory as "physical" */
#else
#define DIRECT_MAP_OFFSET KERNEL_DIRECT_BASE
#endif

static inline void *phys_to_virt(uint64_t pa)
{
	return (void *)(uintptr_t)(pa + DIRECT_MAP_OFFSET);
}

/* Only for addresses in the direct map. */
static inline uint64_t virt_to_phys(const void *va)
{
	return (uint64_t)(uintptr_t)va - DIRECT_MAP_OFFSET;
}

/* Physical address of something inside the kernel image (text, data, bss). */
uint64_t kimage_to_phys(const void *va);

/* Page-table walker (kernel/pagetable.c). alloc returns a physical page or
 * 0; pages it returns are zeroed by the walker. Leaves of 2 MiB (and 1 GiB
 * where the CPU has them) are used where va, pa and size allow. Returns 0,
 * or -1 when a table cannot be allocated or a different leaf is in the way. */
int pt_map(uint64_t root_pa, uintptr_t va, uint64_t pa, uint64_t size,
	   unsigned prot, uint64_t (*alloc)(void));
/* The leaf entry mapping va, or 0; *level gets its level. */
pte_t pt_lookup(uint64_t root_pa, uintptr_t va, int *level);
/* The 4 KiB leaf entry for va, valid or not, the tables above it made
 * with alloc where missing (NULL: out of memory, or a bigger leaf in the
 * way). */
pte_t *pt_leaf(uint64_t root_pa, uintptr_t va, uint64_t (*alloc)(void));
#ifndef HOST_TEST /* (the entry decoders: arch/mmu.h) */
/* The same without making tables (NULL: none there), inline: a long
 * message's copy looks up each side's first page with it. */
static inline pte_t *pt_leaf_find(uint64_t root_pa, uintptr_t va)
{
	pte_t *table = phys_to_virt(root_pa);

	for (int l = PT_LEVELS - 1; l > 0; l--) {
		pte_t e = table[(va >> (PAGE_SHIFT + 9 * l)) & (PT_ENTRIES - 1)];
		if (!arch_pte_is_table(e, l))
			return NULL;
		table = phys_to_virt(arch_pte_addr(e));
	}
	return &table[(va >> PAGE_SHIFT) & (PT_ENTRIES - 1)];
}
#endif
/* Free the last-level table covering va (user half) if it maps nothing
 * any more, then each table above that is left empty, the root
 * excepted; the pages freed. The caller flushes the TLB. */
unsigned pt_prune(uint64_t root_pa, uintptr_t va);
/* Free every table of the user half (root entries 0..255) and hand each
 * valid user leaf entry to free_leaf; the root itself stays. */
void pt_free_user(uint64_t root_pa, void (*free_leaf)(pte_t e, int level, void *arg));
/* Hand each valid leaf entry of the user half to leaf, changing nothing. */
void pt_walk_user(uint64_t root_pa, void (*leaf)(pte_t e, int level, void *arg), void *arg);

/* A page not there yet: a zero page made on first touch (anonymous
 * memory, kernel/process.c), with the entry flags (VM_*) it will have.
 * Both MMUs leave every bit but bit 0 (present / valid) of an invalid
 * entry to software; these use bit 58 and bits 2..7. Bit 58 is software's
 * in a valid entry too, and neither arch's encoder sets it (vm_test
 * checks), so it alone tells a lazy entry. */
#define PTE_LAZY (1ull << 58)
static inline pte_t pte_lazy(unsigned prot)
{
	return PTE_LAZY | (pte_t)(prot & 0x3f) << 2;
}
static inline bool pte_is_lazy(pte_t e)
{
	return e & PTE_LAZY;
}
static inline unsigned pte_lazy_prot(pte_t e)
{
	return (unsigned)(e >> 2) & 0x3f;
}

/* A page of a memory object (kernel/memobj.c) mapped into a process: a
 * valid entry with bit 57, holding one of the page's references
 * (pmm_get), so unmapping drops that reference instead of freeing the
 * page. Bit 56 says the mapping may never be made writable, bit 55
 * executable (beyond what it was granted). Bits 55..58 are software's in
 * a valid entry on both MMUs (x86-64: 52..58; aarch64: 55..58), and no
 * encoder sets them (vm_test checks). */
#define PTE_SHARED (1ull << 57)
#define PTE_SHARED_RO (1ull << 56)
#define PTE_SHARED_NOEXEC (1ull << 55)
#define PTE_SOFT_BITS (0xfull << 55) /* what encoders leave to software */

/* Build the final kernel tables (direct map of RAM with NX, kernel text RX,
 * rodata R, data and bss RW+NX, the image's direct-map alias read-only),
 * carry over the device mappings made so far, and switch to them. */
void vm_init(const struct boot_info *bi);

/* Map MMIO uncached at phys_to_virt(pa) and return that address. Works
 * before vm_init() (tables from a small pool in the image) and after. */
void *ioremap(uint64_t pa, uint64_t size);

#endif
