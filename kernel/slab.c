/*
 * Object caches (see slab.h). Each page starts with a small header (its
 * free list and count); the objects follow. Pages with free objects sit on
 * the cache's partial list; full pages are on no list; empty pages go back
 * to the pmm at once. Entry points: slab_alloc, slab_free.
 */
#include <arch/mmu.h>
#include <kernel/panic.h>
#include <kernel/pmm.h>
#include <kernel/slab.h>
#include <kernel/string.h>
#include <kernel/vm.h>

struct slab_page {
	struct list link;  /* in cache->partial while it has free objects */
	void *free;        /* free objects, linked through their first word */
	unsigned in_use;
};

#define FIRST_OBJ ALIGN_UP(sizeof(struct slab_page), 16)

static struct slab_page *grow(struct slab_cache *c)
{
	uint64_t pa = pmm_alloc(0);

	if (!pa)
		return NULL;
	c->size = ALIGN_UP(c->size, 16);
	KASSERT(FIRST_OBJ + c->size <= PAGE_SIZE);
	struct slab_page *p = phys_to_virt(pa);
	p->free = NULL;
	p->in_use = 0;
	size_t n = (PAGE_SIZE - FIRST_OBJ) / c->size;
	while (n--) { /* push from the top down so objects go out in address order */
		void **obj = (void **)((uint8_t *)p + FIRST_OBJ + n * c->size);
		*obj = p->free;
		p->free = obj;
	}
	list_add_head(&c->partial, &p->link);
	c->pages++;
	return p;
}

void *slab_alloc(struct slab_cache *c)
{
	struct slab_page *p = list_empty(&c->partial) ? grow(c)
						       : list_entry(c->partial.next, struct slab_page, link);
	if (!p)
		return NULL;
	void **obj = p->free;
	p->free = *obj;
	p->in_use++;
	if (!p->free)
		list_remove(&p->link); /* full */
	c->in_use++;
	memset(obj, 0, c->zeroed);
	return obj;
}

void slab_free(struct slab_cache *c, void *obj)
{
	struct slab_page *p = (struct slab_page *)ALIGN_DOWN((uintptr_t)obj, PAGE_SIZE);

	KASSERT(c->in_use > 0 && p->in_use > 0);
	if (!p->free)
		list_add_head(&c->partial, &p->link); /* was full */
	*(void **)obj = p->free;
	p->free = obj;
	p->in_use--;
	c->in_use--;
	if (!p->in_use) {
		list_remove(&p->link);
		pmm_free(virt_to_phys(p), 0);
		c->pages--;
	}
}
