/* In-kernel tests of the physical page allocator on the machine's real RAM. */
#include <kernel/ktest.h>
#include <kernel/pmm.h>
#include <kernel/vm.h>

#define MARK 0x6d756f6e70616765ull /* "muonpage" */

/* Take every free page: none handed out twice, the count right, then
 * exhaustion fails cleanly, and freeing all restores the count and lets
 * the buddies merge back into maximal blocks. */
KTEST(pmm_alloc_all_free_all)
{
	uint64_t before = pmm_free_pages(), head = 0, n = 0, dups = 0, pa;

	KT_ASSERT(before > 0);
	while ((pa = pmm_alloc(0))) {
		uint64_t *p = phys_to_virt(pa);
		if (p[1] == (MARK ^ pa)) /* still marked: handed out twice */
			dups++;
		p[0] = head;
		p[1] = MARK ^ pa;
		head = pa;
		n++;
	}
	KT_EXPECT_EQ(n, before);
	KT_EXPECT_EQ(dups, 0);
	KT_EXPECT_EQ(pmm_free_pages(), 0);
	KT_EXPECT_EQ(pmm_alloc(0), 0);
	KT_EXPECT_EQ(pmm_alloc(4), 0);

	while (head) {
		uint64_t *p = phys_to_virt(head);
		uint64_t next = p[0];
		p[1] = 0;
		pmm_free(head, 0);
		head = next;
	}
	KT_EXPECT_EQ(pmm_free_pages(), before);
	pa = pmm_alloc(PMM_MAX_ORDER);
	KT_EXPECT(pa != 0);
	KT_EXPECT_EQ(pa & ((PAGE_SIZE << PMM_MAX_ORDER) - 1), 0);
	if (pa)
		pmm_free(pa, PMM_MAX_ORDER);
	KT_EXPECT_EQ(pmm_free_pages(), before);
}

/* Blocks of every order come back naturally aligned and disjoint. */
KTEST(pmm_orders_aligned_disjoint)
{
	uint64_t before = pmm_free_pages(), blocks[PMM_MAX_ORDER + 1];

	for (unsigned o = 0; o <= PMM_MAX_ORDER; o++) {
		blocks[o] = pmm_alloc(o);
		KT_EXPECT(blocks[o] != 0);
		KT_EXPECT_EQ(blocks[o] & ((PAGE_SIZE << o) - 1), 0);
		for (unsigned k = 0; k < o; k++) {
			uint64_t a = blocks[k], asz = PAGE_SIZE << k;
			uint64_t b = blocks[o], bsz = PAGE_SIZE << o;
			KT_EXPECT(a + asz <= b || b + bsz <= a);
		}
	}
	KT_EXPECT_EQ(pmm_free_pages(), before - ((2ull << PMM_MAX_ORDER) - 1));
	KT_EXPECT_EQ(pmm_alloc(PMM_MAX_ORDER + 1), 0); /* too big an order */
	for (unsigned o = 0; o <= PMM_MAX_ORDER; o++)
		if (blocks[o])
			pmm_free(blocks[o], o);
	KT_EXPECT_EQ(pmm_free_pages(), before);
}
