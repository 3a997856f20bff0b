/*
 * Fixed-size object caches for kernel objects (threads, processes, ...).
 * Each cache carves pmm pages into equal objects; allocation and free are
 * O(1), and a page goes back to the pmm as soon as its last object is
 * freed, so after a workload both the object counts and the free-page count
 * return to their baseline: tests compare them to prove nothing leaks.
 */
#ifndef KERNEL_SLAB_H
#define KERNEL_SLAB_H

#include <kernel/compiler.h>
#include <kernel/list.h>

struct slab_cache {
	const char *name;
	size_t size;        /* object size, rounded up to 16 */
	struct list partial; /* pages with at least one free object */
	uint64_t in_use;    /* objects handed out and not freed */
	uint64_t pages;     /* pages held now */
};

#define SLAB_CACHE(var, type) struct slab_cache var = {#type, sizeof(type), LIST_INIT(var.partial), 0, 0}

/* Zeroed object, or NULL when memory is exhausted. */
void *slab_alloc(struct slab_cache *c);
void slab_free(struct slab_cache *c, void *obj);

#endif
