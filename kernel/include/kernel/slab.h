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
	size_t size; /* object size, rounded up to 16: objects are 16-aligned */
	/* Bytes slab_alloc zeroes at the start of an object; its owner
	 * writes the rest before anything reads it. */
	size_t zeroed;
	struct list partial; /* pages with at least one free object */
	uint64_t in_use;    /* objects handed out and not freed */
	uint64_t pages;     /* pages held now */
};

#define SLAB_CACHE(var, type) SLAB_CACHE_OF(var, #type, sizeof(type), ALIGN_UP(sizeof(type), 16))
/* A cache of size-byte objects that come zeroed in their first `zeroed`. */
#define SLAB_CACHE_OF(var, name, size, zeroed)                                                     \
	struct slab_cache var = {name, size, zeroed, LIST_INIT(var.partial), 0, 0}

/* An object zeroed as its cache says, or NULL when memory is exhausted. */
void *slab_alloc(struct slab_cache *c);
void slab_free(struct slab_cache *c, void *obj);

#endif
