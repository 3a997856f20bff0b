/*
 * Physical page allocator: binary buddy over zones (one per RAM range).
 * See kernel/pmm.h for the contract. Entry points: pmm_init, pmm_alloc,
 * pmm_free, and the counters. No lock yet: single CPU, callers run with
 * the kernel entered (the SMP kernel lock will cover it).
 *
 * Per page we keep one state byte and two uint32 list links (indices inside
 * the zone), 9 bytes per 4 KiB page, in a table carved from RAM at init.
 *
 * Small blocks just freed stay "hot" (unmerged, counted free) in a short
 * LIFO per order, as Linux's per-CPU page lists: a thread's kernel stack
 * and pages come and go in pairs, and each pair would otherwise split a
 * big block and merge it back whole. An allocation that finds nothing
 * else merges them all first (drain).
 */
#include <arch/mmu.h>
#include <kernel/panic.h>
#include <kernel/pmm.h>
#include <kernel/string.h>
#include <kernel/vm.h>

#define NIL 0xffffffffu
#define ST_FREE 0x80     /* head of a free block; low bits: order */
#define ST_ALLOC 0x40    /* head of an allocated block; low bits: order */
#define ST_RESERVED 0x20 /* never managed: firmware, kernel, metadata, holes */
#define ST_HOT	    0x10 /* head of a hot block (below); low bits: order */
#define ST_TAIL 0x00     /* inside a block whose head is elsewhere */
#define ST_ORDER(s) ((s) & 0x0f)

struct zone {
	uint64_t base_pfn; /* first page frame of the zone */
	uint32_t npages;
	uint8_t *state;       /* npages entries */
	uint32_t *next, *prev; /* free-list links, npages entries each */
	uint32_t head[PMM_MAX_ORDER + 1]; /* first free block of each order */
	/* Bit o: head[o] has a block, so allocation finds the smallest
	 * fitting order without a scan. */
	uint32_t orders;
};

static struct zone zones[PMM_MAX_ZONES];
static unsigned nzones;
static uint64_t free_pages, total_pages, meta_bytes;

/* Hot blocks of orders 0..2 (pages and kernel stacks), up to 16 of each. */
#define HOT_ORDERS 3
#define HOT_MAX	   16
struct hot_block {
	struct zone *z;
	uint32_t i; /* its head's index in z */
};
static struct {
	unsigned n;
	struct hot_block b[HOT_MAX];
} hot[HOT_ORDERS];

/* The zone holding pa (and its page's index there), or NULL. */
static struct zone *zone_of(uint64_t pa, uint32_t *i)
{
	uint64_t pfn = pa / PAGE_SIZE;

	for (unsigned zi = 0; zi < nzones; zi++) {
		struct zone *z = &zones[zi];
		if (pfn >= z->base_pfn && pfn < z->base_pfn + z->npages) {
			*i = (uint32_t)(pfn - z->base_pfn);
			return z;
		}
	}
	return NULL;
}

static void list_push(struct zone *z, unsigned order, uint32_t i)
{
	z->prev[i] = NIL;
	z->next[i] = z->head[order];
	if (z->head[order] != NIL)
		z->prev[z->head[order]] = i;
	z->head[order] = i;
	z->orders |= 1u << order;
}

static void list_remove(struct zone *z, unsigned order, uint32_t i)
{
	if (z->prev[i] != NIL)
		z->next[z->prev[i]] = z->next[i];
	else if ((z->head[order] = z->next[i]) == NIL)
		z->orders &= ~(1u << order);
	if (z->next[i] != NIL)
		z->prev[z->next[i]] = z->prev[i];
}

/* Put the block at index i (not on a list) back, merging buddies; the
 * caller counts it free. */
static void free_block(struct zone *z, uint32_t i, unsigned order)
{
	while (order < PMM_MAX_ORDER) {
		/* Buddies pair on absolute frame numbers, so blocks stay
		 * naturally aligned in physical memory. */
		uint64_t pfn = z->base_pfn + i;
		uint64_t bpfn = pfn ^ (1ull << order);
		if (bpfn < z->base_pfn || bpfn + (1ull << order) > z->base_pfn + z->npages)
			break;
		uint32_t b = (uint32_t)(bpfn - z->base_pfn);
		if (z->state[b] != (ST_FREE | order))
			break;
		list_remove(z, order, b);
		z->state[b] = ST_TAIL;
		z->state[i] = ST_TAIL;
		i = b < i ? b : i;
		order++;
	}
	z->state[i] = ST_FREE | order;
	list_push(z, order, i);
}

/* Hand the free pages [s, e) (zone indices) to the allocator. */
static void add_free(struct zone *z, uint32_t s, uint32_t e)
{
	while (s < e) {
		unsigned order = PMM_MAX_ORDER;
		uint64_t pfn = z->base_pfn + s;
		while (order && ((pfn & ((1ull << order) - 1)) || s + (1u << order) > e))
			order--;
		total_pages += 1ull << order;
		free_pages += 1ull << order;
		free_block(z, s, order);
		s += 1u << order;
	}
}

static bool overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a < b + blen && b < a + alen;
}

/* First page-aligned spot of `need` bytes in RAM that no reservation
 * touches and that is not page 0. */
static uint64_t find_space(const struct pmm_range *ram, unsigned nram,
			   const struct pmm_range *res, unsigned nres, uint64_t need)
{
	for (unsigned r = 0; r < nram; r++) {
		uint64_t end = ALIGN_DOWN(ram[r].base + ram[r].size, PAGE_SIZE);
		uint64_t at = ALIGN_UP(ram[r].base, PAGE_SIZE);
		if (at == 0)
			at = PAGE_SIZE;
		for (unsigned k = 0; k < nres && at + need <= end; k++) {
			if (overlaps(at, need, res[k].base, res[k].size)) {
				at = ALIGN_UP(res[k].base + res[k].size, PAGE_SIZE);
				k = (unsigned)-1; /* restart: an earlier one may hit now */
			}
		}
		if (at + need <= end)
			return at;
	}
	return 0;
}

void pmm_init(const struct pmm_range *ram, unsigned nram,
	      const struct pmm_range *reserved, unsigned nreserved)
{
	struct pmm_range res[PMM_MAX_ZONES * 4 + 1];
	uint64_t need = 0;

	if (nram > PMM_MAX_ZONES)
		panic("pmm: %u RAM ranges, at most %d", nram, PMM_MAX_ZONES);
	if (nreserved > ARRAY_SIZE(res) - 1)
		panic("pmm: %u reserved ranges, at most %zu", nreserved, ARRAY_SIZE(res) - 1);
	nzones = 0;
	free_pages = total_pages = 0;
	for (unsigned o = 0; o < HOT_ORDERS; o++)
		hot[o].n = 0;
	for (unsigned r = 0; r < nram; r++) {
		uint64_t s = ALIGN_UP(ram[r].base, PAGE_SIZE);
		uint64_t e = ALIGN_DOWN(ram[r].base + ram[r].size, PAGE_SIZE);
		if (e <= s)
			continue;
		if ((e - s) / PAGE_SIZE >= NIL)
			panic("pmm: RAM range 0x%llx too large", (unsigned long long)s);
		struct zone *z = &zones[nzones++];
		z->base_pfn = s / PAGE_SIZE;
		z->npages = (uint32_t)((e - s) / PAGE_SIZE);
		need += ALIGN_UP(z->npages * 9ull, 8);
	}
	need = ALIGN_UP(need, PAGE_SIZE);

	if (nreserved)
		memcpy(res, reserved, nreserved * sizeof(*res));
	uint64_t meta = find_space(ram, nram, res, nreserved, need);
	if (!meta)
		panic("pmm: no room for %llu bytes of page metadata", (unsigned long long)need);
	res[nreserved++] = (struct pmm_range){meta, need};
	meta_bytes = need;

	uint8_t *p = phys_to_virt(meta);
	for (unsigned zi = 0; zi < nzones; zi++) {
		struct zone *z = &zones[zi];
		z->next = (uint32_t *)p;
		z->prev = z->next + z->npages;
		z->state = (uint8_t *)(z->prev + z->npages);
		p += ALIGN_UP(z->npages * 9ull, 8);
		memset(z->state, ST_RESERVED, z->npages);
		for (unsigned o = 0; o <= PMM_MAX_ORDER; o++)
			z->head[o] = NIL;
		z->orders = 0;
	}

	/* Each zone minus the reservations (and page 0), page by page runs. */
	for (unsigned zi = 0; zi < nzones; zi++) {
		struct zone *z = &zones[zi];
		uint32_t run = NIL;
		for (uint32_t i = 0; i <= z->npages; i++) {
			bool usable = i < z->npages;
			uint64_t pa = (z->base_pfn + i) * PAGE_SIZE;
			if (usable && pa == 0)
				usable = false;
			for (unsigned k = 0; usable && k < nreserved; k++)
				if (overlaps(pa, PAGE_SIZE, res[k].base, res[k].size)) {
					/* Skip the whole reservation at once. */
					uint64_t end = ALIGN_UP(res[k].base + res[k].size, PAGE_SIZE);
					uint64_t skip = (end - pa) / PAGE_SIZE;
					if (run != NIL)
						add_free(z, run, i);
					run = NIL;
					i = (uint32_t)MIN((uint64_t)z->npages, i + skip) - 1;
					usable = false;
					break;
				}
			if (usable && run == NIL)
				run = i;
			else if (!usable && run != NIL) {
				add_free(z, run, i);
				run = NIL;
			}
		}
	}
}

/* A block of order from the buddy lists, or 0. */
static uint64_t buddy_alloc(unsigned order)
{
	for (unsigned zi = 0; zi < nzones; zi++) {
		struct zone *z = &zones[zi];
		uint32_t fit = z->orders >> order;
		if (!fit)
			continue;
		unsigned o = order + (unsigned)__builtin_ctz(fit);
		uint32_t i = z->head[o];
		list_remove(z, o, i);
		while (o > order) { /* split: hand the upper halves back */
			o--;
			uint32_t b = i + (1u << o);
			z->state[b] = ST_FREE | o;
			list_push(z, o, b);
		}
		z->state[i] = ST_ALLOC | order;
		return (z->base_pfn + i) * PAGE_SIZE;
	}
	return 0;
}

/* Merge every hot block into the buddy lists; false if there was none. */
static bool drain(void)
{
	bool any = false;

	for (unsigned o = 0; o < HOT_ORDERS; o++)
		while (hot[o].n) {
			struct hot_block b = hot[o].b[--hot[o].n];
			free_block(b.z, b.i, o);
			any = true;
		}
	return any;
}

uint64_t pmm_alloc(unsigned order)
{
	uint64_t pa;

	if (order > PMM_MAX_ORDER)
		return 0;
	if (order < HOT_ORDERS && hot[order].n) {
		struct hot_block b = hot[order].b[--hot[order].n];
		b.z->state[b.i] = ST_ALLOC | order;
		pa = (b.z->base_pfn + b.i) * PAGE_SIZE;
	} else {
		pa = buddy_alloc(order);
		if (!pa && drain())
			pa = buddy_alloc(order);
		if (!pa)
			return 0;
	}
	free_pages -= 1ull << order;
	return pa;
}

void pmm_free(uint64_t pa, unsigned order)
{
	uint32_t i;
	struct zone *z = zone_of(pa, &i);

	if (pa & (PAGE_SIZE - 1))
		panic("pmm_free: 0x%llx not page-aligned", (unsigned long long)pa);
	if (!z)
		panic("pmm_free: 0x%llx is not managed RAM", (unsigned long long)pa);
	uint8_t st = z->state[i];
	if (st & (ST_FREE | ST_HOT))
		panic("pmm_free: double free of 0x%llx", (unsigned long long)pa);
	if (st & ST_ALLOC && ST_ORDER(st) != order)
		panic("pmm_free: 0x%llx allocated as order %u, freed as %u", (unsigned long long)pa,
		      ST_ORDER(st), order);
	if (st == ST_RESERVED)
		panic("pmm_free: 0x%llx is reserved", (unsigned long long)pa);
	if (st == ST_TAIL)
		panic("pmm_free: 0x%llx is inside a block, not its start",
		      (unsigned long long)pa);
	free_pages += 1ull << order;
	if (order < HOT_ORDERS && hot[order].n < HOT_MAX) {
		z->state[i] = ST_HOT | order;
		hot[order].b[hot[order].n++] = (struct hot_block){z, i};
		return;
	}
	free_block(z, i, order);
}

/* The reference count of a page pmm_alloc_shared handed out. */
static uint32_t *refs_of(uint64_t pa)
{
	uint32_t i;
	struct zone *z = zone_of(pa, &i);

	if (!z || z->state[i] != (ST_ALLOC | 0))
		panic("pmm: 0x%llx is not an allocated page", (unsigned long long)pa);
	return &z->next[i];
}

uint64_t pmm_alloc_shared(void)
{
	uint64_t pa = pmm_alloc(0);

	if (pa)
		*refs_of(pa) = 1;
	return pa;
}

void pmm_get(uint64_t pa)
{
	uint32_t *r = refs_of(pa);

	if (*r == 0)
		panic("pmm_get: 0x%llx is not a shared page", (unsigned long long)pa);
	++*r;
}

void pmm_put(uint64_t pa)
{
	uint32_t *r = refs_of(pa);

	if (*r == 0)
		panic("pmm_put: 0x%llx has no reference", (unsigned long long)pa);
	if (--*r == 0)
		pmm_free(pa, 0);
}

bool pmm_page_allocated(uint64_t pa)
{
	uint32_t i;
	struct zone *z = zone_of(pa, &i);

	return z && z->state[i] & ST_ALLOC;
}

uint64_t pmm_free_pages(void)
{
	return free_pages;
}

uint64_t pmm_total_pages(void)
{
	return total_pages;
}

uint64_t pmm_meta_bytes(void)
{
	return meta_bytes;
}
