/*
 * Flattened device tree (DTB) reader. Never trusts the blob: fdt_init()
 * checks the header and every block against the caller's size limit and
 * walks the whole structure block once (tokens, names, property lengths,
 * string offsets, nesting), and every accessor re-checks the bounds of what
 * it reads. Pure C (host-testable); no allocation, no writes to the blob.
 *
 * Nodes and properties are named by their offset in the structure block
 * (an int >= 0); functions that look something up return such an offset or
 * a negative FDT_ERR_* code.
 */
#ifndef FDT_H
#define FDT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FDT_MAGIC	0xd00dfeedu
#define FDT_HEADER_SIZE 40	    /* version 17 header */
#define FDT_MAX_DEPTH	32	    /* deeper trees are refused */
#define FDT_MAX_RSV	256	    /* /memreserve/ entries */
#define FDT_MAX_SIZE	(64u << 20) /* no sane DTB is bigger */

enum fdt_err {
	FDT_ERR_NOTFOUND = -1, /* no such node or property */
	FDT_ERR_BADMAGIC = -2,
	FDT_ERR_BADVERSION = -3,
	FDT_ERR_TRUNCATED = -4,	 /* header or a block beyond totalsize / limit */
	FDT_ERR_BADLAYOUT = -5,	 /* misaligned or overlapping blocks */
	FDT_ERR_BADSTRUCT = -6,	 /* bad token, unterminated name, bad length */
	FDT_ERR_BADSTRING = -7,	 /* property name outside the strings block */
	FDT_ERR_DEPTH = -8,	 /* nesting deeper than FDT_MAX_DEPTH */
	FDT_ERR_BADRSV = -9,	 /* memory reservation map unterminated */
	FDT_ERR_BADOFFSET = -10, /* caller passed something not a node/prop */
	FDT_ERR_BADVALUE = -11,	 /* a property value of the wrong shape */
};

struct fdt {
	const uint8_t *blob;
	uint32_t totalsize;
	uint32_t off_struct, size_struct;
	uint32_t off_strings, size_strings;
	uint32_t off_rsvmap, nrsv;
	uint32_t version;
	uint32_t boot_cpuid;
	int root; /* offset of the root node */
};

const char *fdt_strerror(int err);

/* Big-endian loads from possibly unaligned memory. */
uint32_t fdt_be32(const void *p);
uint64_t fdt_be64(const void *p);

/* Size the header claims, or 0 if there is no header magic (for callers
 * that must map the blob before they can check it). */
uint32_t fdt_header_size_hint(const void *blob, size_t avail);

/* Check blob (at most limit bytes readable) and fill f. 0 or FDT_ERR_*. */
int fdt_init(struct fdt *f, const void *blob, size_t limit);

/* Tree walking. */
int fdt_root(const struct fdt *f);
const char *fdt_node_name(const struct fdt *f, int node); /* NULL if bad */
int fdt_first_child(const struct fdt *f, int node);
int fdt_next_sibling(const struct fdt *f, int node);
/* Preorder: the node after node in document order; *depth is adjusted
 * (+1 for a child, 0 for a sibling, -n when climbing). */
int fdt_next_node(const struct fdt *f, int node, int *depth);
/* Child of parent called name[0..len) ("uart" matches "uart@1000" too). */
int fdt_subnode(const struct fdt *f, int parent, const char *name, size_t len);
/* Absolute path such as "/soc/serial@7e201000", len bytes of it. */
int fdt_path(const struct fdt *f, const char *path, size_t len);
int fdt_node_by_phandle(const struct fdt *f, uint32_t phandle);
/* The next node after start (or from the root if start < 0) whose
 * compatible list holds compat. */
int fdt_find_compatible(const struct fdt *f, int start, const char *compat);

/* Properties. */
int fdt_first_prop(const struct fdt *f, int node);
int fdt_next_prop(const struct fdt *f, int prop);
int fdt_prop_at(const struct fdt *f, int prop, const char **name, const void **val, uint32_t *len);
const void *fdt_getprop(const struct fdt *f, int node, const char *name, uint32_t *len);
/* A string property, only if NUL-terminated inside its value. */
const char *fdt_getprop_str(const struct fdt *f, int node, const char *name);
/* A one-cell property; false if absent or not 4 bytes. */
bool fdt_getprop_u32(const struct fdt *f, int node, const char *name, uint32_t *out);
/* Is s one of the NUL-separated strings in list[0..len)? */
bool fdt_stringlist_has(const void *list, uint32_t len, const char *s);
bool fdt_node_compatible(const struct fdt *f, int node, const char *compat);
/* status absent, "okay" or "ok". */
bool fdt_node_enabled(const struct fdt *f, int node);

/* Read a number of cells (0..2) at *pos of val[0..len) and advance *pos. */
bool fdt_read_cells(const void *val, uint32_t len, uint32_t *pos, uint32_t cells, uint64_t *out);

/* /memreserve/ entry i (0 <= i < f->nrsv). */
bool fdt_rsv(const struct fdt *f, uint32_t i, uint64_t *addr, uint64_t *size);

#endif
