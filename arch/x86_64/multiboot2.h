/*
 * Multiboot2 boot information parser. Pure code (host-tested and fuzzed):
 * it never trusts the loader's data, checks every size and offset against
 * the buffer, and only points into the buffer it was given.
 */
#ifndef X86_MULTIBOOT2_H
#define X86_MULTIBOOT2_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MB2_BOOTLOADER_MAGIC 0x36d76289u
#define MB2_MAX_MMAP 64
#define MB2_MAX_MODULES 8

#define MB2_MEMORY_AVAILABLE 1

enum mb2_error {
	MB2_OK = 0,
	MB2_E_SHORT = -1,     /* buffer smaller than the fixed header */
	MB2_E_SIZE = -2,      /* total_size < 16 or larger than the buffer */
	MB2_E_ALIGN = -3,     /* info not 8-byte aligned */
	MB2_E_TAG = -4,       /* a tag's size is < 8 or runs past the end */
	MB2_E_NO_END = -5,    /* no end tag */
	MB2_E_STRING = -6,    /* a string tag without its NUL */
	MB2_E_MMAP = -7,      /* bad memory map entry size or length */
	MB2_E_MODULE = -8,    /* module tag too short or end < start */
};

struct mb2_mmap_entry {
	uint64_t base;
	uint64_t len;
	uint32_t type; /* 1 available, 3 ACPI reclaimable, 4 NVS, 5 bad */
};

struct mb2_module {
	uint32_t start, end; /* physical, end exclusive */
	const char *name;
};

struct mb2_info {
	uint32_t total_size;
	const char *cmdline; /* NULL if absent */
	const char *loader;  /* NULL if absent */
	bool have_meminfo;
	uint32_t mem_lower_kib, mem_upper_kib;
	struct mb2_mmap_entry mmap[MB2_MAX_MMAP];
	unsigned nmmap;
	unsigned mmap_dropped; /* entries beyond MB2_MAX_MMAP */
	struct mb2_module modules[MB2_MAX_MODULES];
	unsigned nmodules;
	unsigned modules_dropped;
	const uint8_t *rsdp; /* the loader's copy of the ACPI RSDP, or NULL */
	uint32_t rsdp_len;   /* its bytes (the tag's body) */
};

/* Parse the information at buf, of which avail bytes may be read. */
int mb2_parse(const void *buf, size_t avail, struct mb2_info *out);
const char *mb2_strerror(int err);

#endif
