/*
 * KerInfo(what, buf, len): what the kernel tells about itself. Shared by
 * the kernel, libc, pidin and the tests.
 */
#ifndef SYS_KINFO_H
#define SYS_KINFO_H

#include <stdint.h>

#define KER_INFO_COUNTS 1 /* struct ker_info_counts */

/* Object and page counts, for tests that check a workload leaks nothing. */
struct ker_info_counts {
	uint64_t free_pages;  /* pages the page allocator can hand out now */
	uint64_t total_pages; /* pages it manages */
	uint64_t threads;     /* live threads, kernel and user */
	uint64_t processes;   /* live user processes */
};

#endif
