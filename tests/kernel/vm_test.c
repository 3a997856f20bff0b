/* In-kernel tests of the kernel address space: W^X on the image, NX on the
 * direct map, the image's alias read-only, device mappings uncached; the
 * lazy-entry bit no encoder uses; arch_clear_page. */
#include <arch/init.h>
#include <kernel/ktest.h>
#include <kernel/pmm.h>
#include <kernel/sections.h>
#include <kernel/string.h>
#include <kernel/vm.h>

static unsigned prot_of(const void *va)
{
	int level;
	pte_t e = pt_lookup(arch_kernel_root(), (uintptr_t)va, &level);

	return e ? arch_pte_prot(e) : 0;
}

static int probe_data;

KTEST(vm_kernel_image_wx)
{
	KT_EXPECT_EQ(prot_of((const void *)(uintptr_t)&ktest_run), VM_READ | VM_EXEC);
	KT_EXPECT_EQ(prot_of(__rodata_start), VM_READ);
	KT_EXPECT_EQ(prot_of(&probe_data), VM_READ | VM_WRITE);
	KT_EXPECT_EQ(prot_of((const char *)((uintptr_t)__kernel_end - 1)), VM_READ | VM_WRITE);
}

KTEST(vm_direct_map_nx)
{
	uint64_t kstart, kend, pa = pmm_alloc(0);

	KT_ASSERT(pa != 0);
	KT_EXPECT_EQ(prot_of(phys_to_virt(pa)), VM_READ | VM_WRITE);
	/* The page really is usable through the direct map. */
	volatile uint64_t *p = phys_to_virt(pa);
	p[0] = 0x1122334455667788ull;
	KT_EXPECT_EQ(p[0], 0x1122334455667788ull);
	pmm_free(pa, 0);

	arch_kernel_phys_range(&kstart, &kend);
	KT_EXPECT_EQ(prot_of(phys_to_virt(kstart)), VM_READ);
	KT_EXPECT_EQ(prot_of(phys_to_virt(kend - 1)), VM_READ);
	KT_EXPECT_EQ(kimage_to_phys(__kernel_start), kstart);
}

KTEST(vm_unmapped_low_and_guard)
{
	int level;

	/* Nothing at the bottom of the address space: null derefs fault. */
	KT_EXPECT_EQ(pt_lookup(arch_kernel_root(), 0, &level), 0);
	KT_EXPECT_EQ(pt_lookup(arch_kernel_root(), 0x1000, &level), 0);
}

KTEST(vm_lazy_bit_unused)
{
	/* pte_is_lazy trusts that no valid entry has PTE_LAZY, and shared
	 * entries that PTE_SHARED, PTE_SHARED_RO and PTE_SHARED_NOEXEC are
	 * theirs alone. */
	uint64_t pa = 0x0000fffffffff000ull & -(1ull << 30); /* every address bit */

	for (unsigned prot = 0; prot < 0x40; prot++)
		for (int level = 0; level <= arch_max_leaf_level(); level++)
			KT_EXPECT_EQ(arch_pte_leaf(pa, prot, level) & PTE_SOFT_BITS, 0);
	KT_EXPECT_EQ(arch_pte_table(0x0000fffffffff000ull) & PTE_SOFT_BITS, 0);
	const pte_t soft = PTE_LAZY | PTE_SHARED | PTE_SHARED_RO | PTE_SHARED_NOEXEC;
	KT_EXPECT_EQ(PTE_SOFT_BITS & soft, soft);
	/* The address and the permissions read back without them. */
	pte_t e = arch_pte_leaf(pa, VM_READ | VM_USER, 0) | PTE_SHARED | PTE_SHARED_RO |
		  PTE_SHARED_NOEXEC;
	KT_EXPECT_EQ(arch_pte_addr(e), pa);
	KT_EXPECT_EQ(arch_pte_prot(e), VM_READ | VM_USER);
	KT_EXPECT(arch_pte_valid(e));
	KT_EXPECT(!arch_pte_valid(pte_lazy(0x3f)));
}

KTEST(vm_clear_page)
{
	uint64_t pa = pmm_alloc(1);

	KT_ASSERT(pa != 0);
	uint8_t *p = phys_to_virt(pa);
	memset(p, 0xa5, 2 * PAGE_SIZE);
	arch_clear_page(p);
	size_t i = 0;
	while (i < 2 * PAGE_SIZE && !p[i])
		i++;
	KT_EXPECT_EQ(i, PAGE_SIZE); /* all of the page, nothing past it */
	KT_EXPECT_EQ(p[PAGE_SIZE], 0xa5);
	pmm_free(pa, 1);
}
