/* In-kernel tests of the kernel address space: W^X on the image, NX on the
 * direct map, the image's alias read-only, device mappings uncached; the
 * lazy-entry bit no encoder uses; arch_clear_page; TLB tags at a switch
 * between processes. */
#include <arch/init.h>
#include <arch/user.h>
#include <kernel/cpu.h>
#include <kernel/ktest.h>
#include <kernel/pmm.h>
#include <kernel/process.h>
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

/* TLB tags at a switch between processes (process_activate): with tags
 * shared (process_tag_limit 2 gives every process tag 1), two processes
 * that map the same user address to pages of their own each read their
 * own after every switch, though the other ran under the same tag just
 * before (the switch flushes the tag when its root changes: without it,
 * the other's translation would answer, which QEMU's TLB keeps across
 * a TTBR0 load with an unchanged ASID). With tags unique (an arch with
 * one for every pid: aarch64's 16-bit ASIDs), a process's tag is its
 * pid and no switch checks it; untagged (x86-64 without PCIDs), every
 * load flushes. */
#define TAG_VA 0x50000000ul
static bool reads_own(struct process *p, uint64_t want)
{
	uint64_t v = 0;

	process_activate(this_cpu(), p, false);
	return arch_copy_from_user(&v, TAG_VA, 8) == 0 && v == want;
}

KTEST(vm_tags_at_a_switch)
{
	KT_ASSERT_EQ(arch_vmspace_current(), 0); /* the test thread has none: we borrow it */
	unsigned limit = process_tag_limit, n = arch_asid_count();
	process_tag_limit = 2;
	struct process *a = process_create("ktest-tag-a"), *b = process_create("ktest-tag-b");
	process_tag_limit = limit;
	struct process *own = process_create("ktest-tag-own");
	unsigned long irq = arch_irq_save();
	uint64_t one = 0x1111, two = 0x2222;

	if (!KT_EXPECT(a && b && own) ||
	    !KT_EXPECT(process_map(a, TAG_VA, PAGE_SIZE, VM_READ | VM_WRITE) == 0) ||
	    !KT_EXPECT(process_map(b, TAG_VA, PAGE_SIZE, VM_READ | VM_WRITE) == 0) ||
	    !KT_EXPECT(process_write(a, TAG_VA, &one, 8) == 0) ||
	    !KT_EXPECT(process_write(b, TAG_VA, &two, 8) == 0))
		goto out;
	KT_EXPECT_EQ(a->asid, n > 1 ? 1u : 0u);
	KT_EXPECT_EQ(b->asid, a->asid);
	KT_EXPECT_EQ(a->shared_tag, a->asid);
	if (n >= PID_MAX) {
		KT_EXPECT_EQ(own->asid, (unsigned)own->pid);
		KT_EXPECT_EQ(own->shared_tag, 0u);
	} else {
		KT_EXPECT_EQ(own->asid, n > 1 ? 1 + (unsigned)own->pid % (MIN(n, 256u) - 1) : 0u);
		KT_EXPECT_EQ(own->shared_tag, own->asid);
	}
	for (int i = 0; i < 3; i++) {
		KT_EXPECT(reads_own(a, one));
		KT_EXPECT(reads_own(b, two));
	}
out:
	if (a)
		process_release(a);
	if (b)
		process_release(b); /* (the one loaded: back to none) */
	if (own)
		process_release(own);
	KT_EXPECT_EQ(arch_vmspace_current(), 0);
	arch_irq_restore(irq);
}
