/*
 * Physical page allocator: a binary buddy allocator over the RAM ranges the
 * boot loader reported. Blocks are 2^order pages, order 0..PMM_MAX_ORDER,
 * naturally aligned in physical memory. Per-page metadata lives in a table
 * carved from RAM at init, never inside free pages, so a stray write into a
 * freed page cannot corrupt the allocator. Physical page 0 is never handed
 * out, so 0 means failure. Double frees and frees of reserved pages panic.
 */
#ifndef KERNEL_PMM_H
#define KERNEL_PMM_H

#include <kernel/compiler.h>

#define PMM_MAX_ORDER 10 /* 4 MiB blocks */
#define PMM_MAX_ZONES 16

struct pmm_range {
	uint64_t base;
	uint64_t size;
};

/* ram: usable RAM; reserved: ranges inside it never to hand out (boot
 * image, DTB, modules, the kernel). Either list may overlap itself. */
void pmm_init(const struct pmm_range *ram, unsigned nram,
	      const struct pmm_range *reserved, unsigned nreserved);

uint64_t pmm_alloc(unsigned order); /* physical address, or 0 */
void pmm_free(uint64_t pa, unsigned order);

/* Pages with more than one holder (a memory object's, mapped into
 * processes: kernel/memobj.c): pmm_alloc_shared hands out a page with
 * one reference, pmm_get adds one, pmm_put drops one and frees the page
 * with the last. The count lives in the page's free-list link, which an
 * allocated page does not use. */
uint64_t pmm_alloc_shared(void);
void pmm_get(uint64_t pa);
void pmm_put(uint64_t pa);

/* True if pa is the first page of a block handed out by pmm_alloc. */
bool pmm_page_allocated(uint64_t pa);

uint64_t pmm_free_pages(void);  /* pages free now */
uint64_t pmm_total_pages(void); /* pages managed (free at init) */
uint64_t pmm_meta_bytes(void);  /* bytes of RAM the metadata took */

#endif
