/*
 * Memory objects: page-granular runs of zeroed physical pages that their
 * owner process (shmmgr) creates, resizes and destroys, and maps into
 * other processes (shared memory). Entry points in memobj.h; the kernel
 * calls KerMemObj* (sys_proc.c) check the ability and the arguments.
 *
 * Each page has a reference count in the pmm (pmm_alloc_shared): the
 * object holds one, each mapping one (process_map_shared), so a page
 * lives while the object or any mapping has it, and destroying the
 * object or unmapping only drops references. Ids count from 1 in each
 * owner; an owner's objects go with it (memobj_process_exit). The
 * owner is charged for the pages and the page array (process_charge).
 */
#include <kernel/errno.h>
#include <kernel/memobj.h>
#include <kernel/pmm.h>
#include <kernel/process.h>
#include <kernel/slab.h>
#include <kernel/string.h>
#include <kernel/vm.h>

/* The page array is one pmm block: at most this many pages (2 GiB). */
#define PAGES_PER_BLOCK(order) ((PAGE_SIZE << (order)) / sizeof(uint64_t))
#define MEMOBJ_MAX_PAGES       PAGES_PER_BLOCK(PMM_MAX_ORDER)

struct memobj {
	struct list link; /* in its owner's memobjs */
	int id;
	uint64_t npages;
	uint64_t *pages; /* npages physical addresses; NULL when empty */
	unsigned order;	 /* of the block holding pages */
};

static SLAB_CACHE(memobj_cache, struct memobj);

static unsigned order_for(uint64_t npages)
{
	unsigned o = 0;

	while (PAGES_PER_BLOCK(o) < npages)
		o++;
	return o;
}

static struct memobj *find(struct process *p, int id)
{
	list_for_each(it, &p->memobjs)
	{
		struct memobj *m = list_entry(it, struct memobj, link);
		if (m->id == id)
			return m;
	}
	return NULL;
}

int memobj_create(struct process *p)
{
	if (p->next_memobj <= 0) /* wrapped: an id in use would repeat */
		return -EAGAIN;
	if (process_charge(p, 1)) /* its share of a slab page, at least */
		return -EAGAIN;
	struct memobj *m = slab_alloc(&memobj_cache);
	if (!m) {
		process_uncharge(p, 1);
		return -EAGAIN;
	}
	m->id = p->next_memobj++;
	list_add_tail(&p->memobjs, &m->link);
	return m->id;
}

/* Drop the object's references to pages [from, m->npages). */
static void drop_pages(struct memobj *m, uint64_t from)
{
	for (uint64_t i = from; i < m->npages; i++)
		pmm_put(m->pages[i]);
}

static void free_array(struct memobj *m)
{
	if (m->pages)
		pmm_free(virt_to_phys(m->pages), m->order);
	m->pages = NULL;
}

static uint64_t charge_of(uint64_t npages)
{
	return npages ? npages + (1ull << order_for(npages)) : 0;
}

int memobj_resize(struct process *p, int id, uint64_t size)
{
	struct memobj *m = find(p, id);
	uint64_t want = size / PAGE_SIZE;

	if (!m)
		return -EBADF;
	if (size & (PAGE_SIZE - 1))
		return -EINVAL;
	if (want > MEMOBJ_MAX_PAGES)
		return -ENOMEM;
	if (want == m->npages)
		return 0;
	if (want > m->npages && !process_may_charge(p, charge_of(want) - charge_of(m->npages)))
		return -ENOMEM; /* refused whole, not after some steps */
	/* One step of at most MEMOBJ_STEP pages; the caller comes again for
	 * the rest, so zeroing or dropping a large object never holds the
	 * kernel long. */
	uint64_t n = want > m->npages ? MIN(want, m->npages + MEMOBJ_STEP)
				      : MAX(want, m->npages - MIN(m->npages, MEMOBJ_STEP));
	uint64_t old_charge = charge_of(m->npages), new_charge = charge_of(n);
	if (new_charge > old_charge && process_charge(p, new_charge - old_charge))
		return -ENOMEM;
	uint64_t *pages = m->pages;
	unsigned order = order_for(n);
	if (n && (!pages || order != m->order)) {
		uint64_t pa = pmm_alloc(order);
		if (!pa) {
			if (new_charge > old_charge)
				process_uncharge(p, new_charge - old_charge);
			return -ENOMEM;
		}
		pages = phys_to_virt(pa);
		if (m->pages)
			memcpy(pages, m->pages, MIN(n, m->npages) * sizeof(*pages));
	}
	/* New pages zeroed; on failure what was made goes again. */
	for (uint64_t i = m->npages; i < n; i++) {
		uint64_t pa = pmm_alloc_shared();
		if (!pa) {
			for (uint64_t j = m->npages; j < i; j++)
				pmm_put(pages[j]);
			if (pages != m->pages)
				pmm_free(virt_to_phys(pages), order);
			process_uncharge(p, new_charge - old_charge);
			return -ENOMEM;
		}
		arch_clear_page(phys_to_virt(pa));
		pages[i] = pa;
	}
	drop_pages(m, n);
	if (pages != m->pages || !n) { /* the old array goes */
		free_array(m);
		m->order = order;
	}
	m->pages = n ? pages : NULL;
	m->npages = n;
	if (new_charge < old_charge)
		process_uncharge(p, old_charge - new_charge);
	return n != want;
}

static void destroy(struct process *p, struct memobj *m)
{
	drop_pages(m, 0);
	free_array(m);
	process_uncharge(p, charge_of(m->npages) + 1);
	list_remove(&m->link);
	slab_free(&memobj_cache, m);
}

int memobj_destroy(struct process *p, int id)
{
	struct memobj *m = find(p, id);

	if (!m)
		return -EBADF;
	destroy(p, m);
	return 0;
}

long memobj_map(struct process *owner, int id, uint64_t offset, uint64_t size, struct process *to,
		uintptr_t va, unsigned prot, unsigned max)
{
	struct memobj *m = find(owner, id);

	if (!m)
		return -EBADF;
	if ((offset | size) & (PAGE_SIZE - 1) || !size)
		return -EINVAL;
	if (offset / PAGE_SIZE > m->npages || size / PAGE_SIZE > m->npages - offset / PAGE_SIZE)
		return -ENXIO; /* POSIX mmap: past the object's end */
	if (va)
		process_unmap(to, va, size); /* MAP_FIXED replaces what was there */
	return process_map_shared(to, va, m->pages + offset / PAGE_SIZE, size / PAGE_SIZE, prot,
				  max);
}

void memobj_process_exit(struct process *p)
{
	while (!list_empty(&p->memobjs))
		destroy(p, list_entry(p->memobjs.next, struct memobj, link));
}

uint64_t memobj_count(void)
{
	return memobj_cache.in_use;
}
