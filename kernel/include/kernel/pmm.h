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

/* True if pa is the first page of a block handed out by pmm_alloc. */
bool pmm_page_allocated(uint64_t pa);

uint64_t pmm_free_pages(void);  /* pages free now */
uint64_t pmm_total_pages(void); /* pages managed (free at init) */
uint64_t pmm_meta_bytes(void);  /* bytes of RAM the metadata took */

#endif
