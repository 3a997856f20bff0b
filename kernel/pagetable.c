/*
 * Generic four-level page-table walker over the arch's entry encoders
 * (arch/mmu.h). Entry points: pt_map, pt_lookup. Tables are reached through
 * the direct map, so every table page must lie in mapped RAM (the early
 * boot tables and pool do).
 */
#include <arch/mmu.h>
#include <kernel/pmm.h>
#include <kernel/vm.h>

static unsigned pt_index(uintptr_t va, int level)
{
	return (va >> (PAGE_SHIFT + 9 * level)) & (PT_ENTRIES - 1);
}

static uint64_t level_size(int level)
{
	return 1ull << (PAGE_SHIFT + 9 * level);
}

int pt_map(uint64_t root_pa, uintptr_t va, uint64_t pa, uint64_t size,
	   unsigned prot, uint64_t (*alloc)(void))
{
	int max_leaf = arch_max_leaf_level();

	if ((va | pa | size) & (PAGE_SIZE - 1))
		return -1;
	while (size) {
		/* The biggest leaf that fits the alignment and what is left. */
		int leaf = max_leaf;
		while (leaf > 0 && ((va | pa) & (level_size(leaf) - 1) ||
				    size < level_size(leaf)))
			leaf--;

		pte_t *table = phys_to_virt(root_pa);
		for (int level = PT_LEVELS - 1; level > leaf; level--) {
			pte_t *e = &table[pt_index(va, level)];
			if (!arch_pte_valid(*e)) {
				uint64_t t = alloc();
				if (!t)
					return -1;
				arch_clear_page(phys_to_virt(t));
				*e = arch_pte_table(t);
			} else if (!arch_pte_is_table(*e, level)) {
				return -1; /* a bigger leaf is in the way */
			}
			table = phys_to_virt(arch_pte_addr(*e));
		}
		pte_t *e = &table[pt_index(va, leaf)];
		pte_t want = arch_pte_leaf(pa, prot, leaf);
		if (arch_pte_valid(*e) && *e != want) {
			if (arch_pte_is_table(*e, leaf))
				return -1; /* smaller pages already mapped here */
			/* A changed leaf: replace it; live tables need the
			 * stale translation dropped. */
			*e = want;
			arch_tlb_flush_page(va);
		} else {
			*e = want;
		}
		va += level_size(leaf);
		pa += level_size(leaf);
		size -= level_size(leaf);
	}
	return 0;
}

pte_t pt_lookup(uint64_t root_pa, uintptr_t va, int *level)
{
	pte_t *table = phys_to_virt(root_pa);

	for (int l = PT_LEVELS - 1; l >= 0; l--) {
		pte_t e = table[pt_index(va, l)];
		if (!arch_pte_valid(e))
			return 0;
		if (l == 0 || !arch_pte_is_table(e, l)) {
			*level = l;
			return e;
		}
		table = phys_to_virt(arch_pte_addr(e));
	}
	return 0;
}

pte_t *pt_leaf(uint64_t root_pa, uintptr_t va, uint64_t (*alloc)(void))
{
	pte_t *table = phys_to_virt(root_pa);

	for (int l = PT_LEVELS - 1; l > 0; l--) {
		pte_t *e = &table[pt_index(va, l)];
		if (!arch_pte_valid(*e)) {
			uint64_t t = alloc();
			if (!t)
				return NULL;
			arch_clear_page(phys_to_virt(t));
			*e = arch_pte_table(t);
		} else if (!arch_pte_is_table(*e, l)) {
			return NULL; /* a bigger leaf */
		}
		table = phys_to_virt(arch_pte_addr(*e));
	}
	return &table[pt_index(va, 0)];
}

unsigned pt_prune(uint64_t root_pa, uintptr_t va)
{
	pte_t *path[PT_LEVELS], *table = phys_to_virt(root_pa);
	unsigned freed = 0;

	/* path[l]: the entry at level l that points to the table below. */
	for (int l = PT_LEVELS - 1; l > 0; l--) {
		pte_t *e = &table[pt_index(va, l)];
		if (!arch_pte_valid(*e) || !arch_pte_is_table(*e, l))
			return 0;
		path[l] = e;
		table = phys_to_virt(arch_pte_addr(*e));
	}
	for (int l = 1; l < PT_LEVELS; l++) {
		const pte_t *t = phys_to_virt(arch_pte_addr(*path[l]));
		for (unsigned i = 0; i < PT_ENTRIES; i++)
			if (t[i])
				return freed; /* still maps something (lazy entries too) */
		pmm_free(arch_pte_addr(*path[l]), 0);
		*path[l] = 0;
		freed++;
	}
	return freed;
}

/* Hand each valid leaf under the table at table_pa (entries [0, end)) to
 * leaf; with free, clear every entry and free the tables below too. */
static void walk_level(uint64_t table_pa, int level, unsigned end, bool free,
		       void (*leaf)(pte_t e, int level, void *arg), void *arg)
{
	pte_t *table = phys_to_virt(table_pa);

	for (unsigned i = 0; i < end; i++) {
		pte_t e = table[i];
		if (!arch_pte_valid(e))
			continue;
		if (level > 0 && arch_pte_is_table(e, level)) {
			walk_level(arch_pte_addr(e), level - 1, PT_ENTRIES, free, leaf, arg);
			if (free)
				pmm_free(arch_pte_addr(e), 0);
		} else {
			leaf(e, level, arg);
		}
		if (free)
			table[i] = 0;
	}
}

void pt_free_user(uint64_t root_pa, void (*free_leaf)(pte_t e, int level, void *arg))
{
	walk_level(root_pa, PT_LEVELS - 1, PT_ENTRIES / 2, true, free_leaf, NULL);
}

void pt_walk_user(uint64_t root_pa, void (*leaf)(pte_t e, int level, void *arg), void *arg)
{
	walk_level(root_pa, PT_LEVELS - 1, PT_ENTRIES / 2, false, leaf, arg);
}
