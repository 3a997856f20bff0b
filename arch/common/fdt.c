/*
 * Flattened device tree reader (see fdt.h). Entry points: fdt_init() to
 * validate a blob, then the walkers and property getters. All arithmetic on
 * offsets taken from the blob is done in 64 bits and checked against the
 * block it must stay in, so no input can make a read leave the blob.
 */
#include "fdt.h"

#include <kernel/string.h>

#define TOK_BEGIN_NODE 1u
#define TOK_END_NODE   2u
#define TOK_PROP       3u
#define TOK_NOP	       4u
#define TOK_END	       9u

#define HDR_MAGIC	 0
#define HDR_TOTALSIZE	 4
#define HDR_OFF_STRUCT	 8
#define HDR_OFF_STRINGS	 12
#define HDR_OFF_RSVMAP	 16
#define HDR_VERSION	 20
#define HDR_LAST_COMP	 24
#define HDR_BOOT_CPUID	 28
#define HDR_SIZE_STRINGS 32
#define HDR_SIZE_STRUCT	 36
#define HDR_V16_SIZE	 36 /* version 16 has no size_dt_struct */

/* One decoded token of the structure block. */
struct tok {
	uint32_t tag;
	uint32_t next;	    /* offset of the following token */
	const char *name;   /* node name, or property name */
	const uint8_t *val; /* property value */
	uint32_t len;	    /* property value length */
};

const char *fdt_strerror(int err)
{
	switch (err) {
	case 0:
		return "ok";
	case FDT_ERR_NOTFOUND:
		return "not found";
	case FDT_ERR_BADMAGIC:
		return "bad magic";
	case FDT_ERR_BADVERSION:
		return "unsupported version";
	case FDT_ERR_TRUNCATED:
		return "truncated";
	case FDT_ERR_BADLAYOUT:
		return "bad block layout";
	case FDT_ERR_BADSTRUCT:
		return "bad structure block";
	case FDT_ERR_BADSTRING:
		return "bad string reference";
	case FDT_ERR_DEPTH:
		return "nesting too deep";
	case FDT_ERR_BADRSV:
		return "bad memory reservation map";
	case FDT_ERR_BADOFFSET:
		return "bad node or property offset";
	case FDT_ERR_BADVALUE:
		return "bad property value";
	default:
		return "unknown error";
	}
}

uint32_t fdt_be32(const void *p)
{
	const uint8_t *b = p;

	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

uint64_t fdt_be64(const void *p)
{
	const uint8_t *b = p;

	return (uint64_t)fdt_be32(b) << 32 | fdt_be32(b + 4);
}

static uint64_t align4(uint64_t x)
{
	return (x + 3) & ~3ull;
}

/* Is s[0..max) NUL-terminated somewhere? */
static bool terminated(const uint8_t *s, uint64_t max)
{
	return max && strnlen((const char *)s, max) < max;
}

/*
 * Decode the token at off of the structure block. Everything the token
 * refers to (name, value, property name string) is checked to lie in its
 * block; an error here means the blob is malformed (or off is bogus).
 */
static int read_token(const struct fdt *f, uint64_t off, struct tok *t)
{
	const uint8_t *sb = f->blob + f->off_struct;
	uint64_t size = f->size_struct;

	if (off & 3)
		return FDT_ERR_BADOFFSET;
	if (off + 4 > size)
		return FDT_ERR_BADSTRUCT; /* ran off the block: no FDT_END */
	t->tag = fdt_be32(sb + off);
	t->name = NULL;
	t->val = NULL;
	t->len = 0;
	switch (t->tag) {
	case TOK_BEGIN_NODE: {
		const uint8_t *name = sb + off + 4;
		uint64_t max = size - (off + 4);
		if (!terminated(name, max))
			return FDT_ERR_BADSTRUCT;
		t->name = (const char *)name;
		t->next = (uint32_t)align4(off + 4 + strlen(t->name) + 1);
		if (t->next > size)
			return FDT_ERR_BADSTRUCT;
		return 0;
	}
	case TOK_PROP: {
		if (off + 12 > size)
			return FDT_ERR_BADSTRUCT;
		uint64_t len = fdt_be32(sb + off + 4);
		uint64_t nameoff = fdt_be32(sb + off + 8);
		if (len > size - (off + 12))
			return FDT_ERR_BADSTRUCT;
		if (nameoff >= f->size_strings)
			return FDT_ERR_BADSTRING;
		const uint8_t *pname = f->blob + f->off_strings + nameoff;
		if (!terminated(pname, f->size_strings - nameoff))
			return FDT_ERR_BADSTRING;
		t->name = (const char *)pname;
		t->val = sb + off + 12;
		t->len = (uint32_t)len;
		/* size is a multiple of 4, so the padded end stays inside */
		t->next = (uint32_t)align4(off + 12 + len);
		return 0;
	}
	case TOK_END_NODE:
	case TOK_NOP:
	case TOK_END:
		t->next = (uint32_t)(off + 4);
		return 0;
	default:
		return FDT_ERR_BADSTRUCT;
	}
}

uint32_t fdt_header_size_hint(const void *blob, size_t avail)
{
	if (!blob || avail < 8 || fdt_be32(blob) != FDT_MAGIC)
		return 0;
	return fdt_be32((const uint8_t *)blob + HDR_TOTALSIZE);
}

/* The one pass over the whole structure that every later walk relies on. */
static int check_structure(struct fdt *f)
{
	struct tok t;
	uint64_t off = 0;
	int depth = 0, err;
	bool seen_root = false;

	for (;;) {
		if ((err = read_token(f, off, &t)))
			return err;
		switch (t.tag) {
		case TOK_BEGIN_NODE:
			if (!seen_root) {
				seen_root = true;
				f->root = (int)off;
			} else if (depth == 0) {
				return FDT_ERR_BADSTRUCT; /* a second root */
			}
			if (++depth > FDT_MAX_DEPTH)
				return FDT_ERR_DEPTH;
			break;
		case TOK_END_NODE:
			if (depth == 0)
				return FDT_ERR_BADSTRUCT;
			depth--;
			break;
		case TOK_PROP:
			if (depth == 0)
				return FDT_ERR_BADSTRUCT; /* property outside a node */
			break;
		case TOK_NOP:
			break;
		case TOK_END:
			if (depth != 0 || !seen_root)
				return FDT_ERR_BADSTRUCT;
			return 0;
		}
		off = t.next;
	}
}

static int check_rsvmap(struct fdt *f)
{
	uint64_t off = f->off_rsvmap;

	for (uint32_t n = 0; n <= FDT_MAX_RSV; n++, off += 16) {
		if (off + 16 > f->totalsize)
			return FDT_ERR_BADRSV;
		if (!fdt_be64(f->blob + off) && !fdt_be64(f->blob + off + 8)) {
			f->nrsv = n;
			return 0;
		}
	}
	return FDT_ERR_BADRSV;
}

static bool overlap(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return alen && blen && a < b + blen && b < a + alen;
}

/* Header and block layout; f->blob is set for the checks that follow. */
static int check_header(struct fdt *f, const uint8_t *b, size_t limit)
{
	uint64_t hdr_size;

	if (!b || limit < HDR_V16_SIZE)
		return FDT_ERR_TRUNCATED;
	if (fdt_be32(b + HDR_MAGIC) != FDT_MAGIC)
		return FDT_ERR_BADMAGIC;
	f->version = fdt_be32(b + HDR_VERSION);
	/* 16 and 17 share a layout; later versions promise to stay readable
	 * by version-17 readers through last_comp_version. */
	if (f->version < 16 || fdt_be32(b + HDR_LAST_COMP) > 17)
		return FDT_ERR_BADVERSION;
	hdr_size = f->version >= 17 ? FDT_HEADER_SIZE : HDR_V16_SIZE;
	if (limit < hdr_size)
		return FDT_ERR_TRUNCATED;
	f->totalsize = fdt_be32(b + HDR_TOTALSIZE);
	if (f->totalsize > limit || f->totalsize > FDT_MAX_SIZE)
		return FDT_ERR_TRUNCATED;
	if (f->totalsize < hdr_size)
		return FDT_ERR_TRUNCATED;
	f->off_struct = fdt_be32(b + HDR_OFF_STRUCT);
	f->off_strings = fdt_be32(b + HDR_OFF_STRINGS);
	f->off_rsvmap = fdt_be32(b + HDR_OFF_RSVMAP);
	f->size_strings = fdt_be32(b + HDR_SIZE_STRINGS);
	f->boot_cpuid = fdt_be32(b + HDR_BOOT_CPUID);
	if (f->version >= 17)
		f->size_struct = fdt_be32(b + HDR_SIZE_STRUCT);
	else if (f->off_strings > f->off_struct) /* v16: up to the next block */
		f->size_struct = (f->off_strings - f->off_struct) & ~3u;
	else if (f->off_struct <= f->totalsize)
		f->size_struct = (f->totalsize - f->off_struct) & ~3u;

	/* Each block inside the blob, past the header, naturally aligned. */
	if ((uint64_t)f->off_struct + f->size_struct > f->totalsize ||
	    (uint64_t)f->off_strings + f->size_strings > f->totalsize ||
	    (uint64_t)f->off_rsvmap + 16 > f->totalsize)
		return FDT_ERR_TRUNCATED;
	if (f->off_struct < hdr_size || f->off_strings < hdr_size || f->off_rsvmap < hdr_size ||
	    (f->off_struct & 3) || (f->off_rsvmap & 7) || (f->size_struct & 3))
		return FDT_ERR_BADLAYOUT;
	if (overlap(f->off_struct, f->size_struct, f->off_strings, f->size_strings))
		return FDT_ERR_BADLAYOUT;
	f->blob = b;
	return 0;
}

int fdt_init(struct fdt *f, const void *blob, size_t limit)
{
	int err;

	memset(f, 0, sizeof(*f));
	f->root = FDT_ERR_NOTFOUND;
	err = check_header(f, blob, limit);
	if (!err)
		err = check_rsvmap(f);
	if (!err)
		err = check_structure(f);
	if (err) {
		/* leave nothing behind that a later call could trust */
		memset(f, 0, sizeof(*f));
		f->root = FDT_ERR_NOTFOUND;
	}
	return err;
}

int fdt_root(const struct fdt *f)
{
	return f->blob ? f->root : FDT_ERR_NOTFOUND;
}

/* Check that node is a node, return its first token after the name. */
static int node_body(const struct fdt *f, int node, struct tok *t)
{
	int err;

	if (!f->blob || node < 0)
		return FDT_ERR_BADOFFSET;
	if ((err = read_token(f, (uint64_t)node, t)))
		return err;
	if (t->tag != TOK_BEGIN_NODE)
		return FDT_ERR_BADOFFSET;
	return (int)t->next;
}

const char *fdt_node_name(const struct fdt *f, int node)
{
	struct tok t;

	return node_body(f, node, &t) < 0 ? NULL : t.name;
}

int fdt_first_child(const struct fdt *f, int node)
{
	struct tok t;
	int off = node_body(f, node, &t), err;

	while (off >= 0) {
		if ((err = read_token(f, (uint64_t)off, &t)))
			return err;
		if (t.tag == TOK_BEGIN_NODE)
			return off;
		if (t.tag != TOK_PROP && t.tag != TOK_NOP)
			return FDT_ERR_NOTFOUND;
		off = (int)t.next;
	}
	return off;
}

int fdt_next_sibling(const struct fdt *f, int node)
{
	struct tok t;
	int off = node_body(f, node, &t), err;
	int depth = 1;

	if (off < 0)
		return off;
	/* Skip to the END_NODE that closes node. */
	while (depth > 0) {
		if ((err = read_token(f, (uint64_t)off, &t)))
			return err;
		if (t.tag == TOK_BEGIN_NODE)
			depth++;
		else if (t.tag == TOK_END_NODE)
			depth--;
		else if (t.tag == TOK_END)
			return FDT_ERR_BADSTRUCT;
		off = (int)t.next;
	}
	for (;;) {
		if ((err = read_token(f, (uint64_t)off, &t)))
			return err;
		if (t.tag == TOK_BEGIN_NODE)
			return off;
		if (t.tag != TOK_NOP && t.tag != TOK_PROP)
			return FDT_ERR_NOTFOUND;
		off = (int)t.next;
	}
}

int fdt_next_node(const struct fdt *f, int node, int *depth)
{
	struct tok t;
	int off = node_body(f, node, &t), err;

	if (off < 0)
		return off;
	for (;;) {
		if ((err = read_token(f, (uint64_t)off, &t)))
			return err;
		if (t.tag == TOK_BEGIN_NODE) {
			if (depth)
				(*depth)++;
			return off;
		}
		if (t.tag == TOK_END_NODE && depth)
			(*depth)--;
		if (t.tag == TOK_END)
			return FDT_ERR_NOTFOUND;
		off = (int)t.next;
	}
}

/* Does the node name match name[0..len)? Without a unit address in the
 * request, "cpus" matches "cpus" and "memory" matches "memory@0". */
static bool name_matches(const char *node_name, const char *name, size_t len)
{
	size_t nlen = strlen(node_name);

	if (nlen == len && !memcmp(node_name, name, len))
		return true;
	for (size_t i = 0; i < len; i++)
		if (name[i] == '@')
			return false;
	return nlen > len && node_name[len] == '@' && !memcmp(node_name, name, len);
}

int fdt_subnode(const struct fdt *f, int parent, const char *name, size_t len)
{
	for (int n = fdt_first_child(f, parent); n >= 0; n = fdt_next_sibling(f, n)) {
		const char *nn = fdt_node_name(f, n);
		if (nn && name_matches(nn, name, len))
			return n;
	}
	return FDT_ERR_NOTFOUND;
}

int fdt_path(const struct fdt *f, const char *path, size_t len)
{
	int node = fdt_root(f);
	size_t i = 0;

	if (node < 0)
		return node;
	if (!len || path[0] != '/')
		return FDT_ERR_NOTFOUND;
	while (i < len && path[i]) {
		if (path[i] == '/') {
			i++;
			continue;
		}
		size_t j = i;
		while (j < len && path[j] && path[j] != '/')
			j++;
		node = fdt_subnode(f, node, path + i, j - i);
		if (node < 0)
			return node;
		i = j;
	}
	return node;
}

int fdt_first_prop(const struct fdt *f, int node)
{
	struct tok t;
	int off = node_body(f, node, &t), err;

	while (off >= 0) {
		if ((err = read_token(f, (uint64_t)off, &t)))
			return err;
		if (t.tag == TOK_PROP)
			return off;
		if (t.tag != TOK_NOP)
			return FDT_ERR_NOTFOUND;
		off = (int)t.next;
	}
	return off;
}

int fdt_next_prop(const struct fdt *f, int prop)
{
	struct tok t;
	int err;

	if (!f->blob || prop < 0)
		return FDT_ERR_BADOFFSET;
	if ((err = read_token(f, (uint64_t)prop, &t)))
		return err;
	if (t.tag != TOK_PROP)
		return FDT_ERR_BADOFFSET;
	for (uint64_t off = t.next;; off = t.next) {
		if ((err = read_token(f, off, &t)))
			return err;
		if (t.tag == TOK_PROP)
			return (int)off;
		if (t.tag != TOK_NOP)
			return FDT_ERR_NOTFOUND;
	}
}

int fdt_prop_at(const struct fdt *f, int prop, const char **name, const void **val, uint32_t *len)
{
	struct tok t;
	int err;

	if (!f->blob || prop < 0)
		return FDT_ERR_BADOFFSET;
	if ((err = read_token(f, (uint64_t)prop, &t)))
		return err;
	if (t.tag != TOK_PROP)
		return FDT_ERR_BADOFFSET;
	if (name)
		*name = t.name;
	if (val)
		*val = t.val;
	if (len)
		*len = t.len;
	return 0;
}

const void *fdt_getprop(const struct fdt *f, int node, const char *name, uint32_t *len)
{
	for (int p = fdt_first_prop(f, node); p >= 0; p = fdt_next_prop(f, p)) {
		const char *pname;
		const void *val;
		uint32_t plen;
		if (fdt_prop_at(f, p, &pname, &val, &plen))
			return NULL;
		if (!strcmp(pname, name)) {
			if (len)
				*len = plen;
			return val;
		}
	}
	return NULL;
}

const char *fdt_getprop_str(const struct fdt *f, int node, const char *name)
{
	uint32_t len;
	const uint8_t *v = fdt_getprop(f, node, name, &len);

	return v && terminated(v, len) ? (const char *)v : NULL;
}

bool fdt_getprop_u32(const struct fdt *f, int node, const char *name, uint32_t *out)
{
	uint32_t len;
	const void *v = fdt_getprop(f, node, name, &len);

	if (!v || len != 4)
		return false;
	*out = fdt_be32(v);
	return true;
}

bool fdt_stringlist_has(const void *list, uint32_t len, const char *s)
{
	const char *p = list;
	size_t slen = strlen(s);

	while (len) {
		size_t n = strnlen(p, len);
		if (n == slen && !memcmp(p, s, n))
			return n < len; /* only a terminated entry counts */
		if (n >= len)
			return false;
		p += n + 1;
		len -= (uint32_t)(n + 1);
	}
	return false;
}

bool fdt_node_compatible(const struct fdt *f, int node, const char *compat)
{
	uint32_t len;
	const void *v = fdt_getprop(f, node, "compatible", &len);

	return v && fdt_stringlist_has(v, len, compat);
}

bool fdt_node_enabled(const struct fdt *f, int node)
{
	uint32_t len;
	const char *s = fdt_getprop(f, node, "status", &len);

	if (!s)
		return true;
	return (len == 5 && !memcmp(s, "okay", 5)) || (len == 3 && !memcmp(s, "ok", 3));
}

int fdt_node_by_phandle(const struct fdt *f, uint32_t phandle)
{
	int depth = 0;

	if (phandle == 0 || phandle == 0xffffffffu)
		return FDT_ERR_NOTFOUND;
	for (int n = fdt_root(f); n >= 0; n = fdt_next_node(f, n, &depth)) {
		uint32_t ph;
		if ((fdt_getprop_u32(f, n, "phandle", &ph) ||
		     fdt_getprop_u32(f, n, "linux,phandle", &ph)) &&
		    ph == phandle)
			return n;
	}
	return FDT_ERR_NOTFOUND;
}

int fdt_find_compatible(const struct fdt *f, int start, const char *compat)
{
	int depth = 0;
	int n = start < 0 ? fdt_root(f) : fdt_next_node(f, start, &depth);

	for (; n >= 0; n = fdt_next_node(f, n, &depth))
		if (fdt_node_compatible(f, n, compat))
			return n;
	return n < 0 ? n : FDT_ERR_NOTFOUND;
}

bool fdt_read_cells(const void *val, uint32_t len, uint32_t *pos, uint32_t cells, uint64_t *out)
{
	const uint8_t *v = val;

	if (cells > 2 || *pos > len || (uint64_t)cells * 4 > len - *pos)
		return false;
	*out = 0;
	for (uint32_t i = 0; i < cells; i++)
		*out = *out << 32 | fdt_be32(v + *pos + 4 * i);
	*pos += cells * 4;
	return true;
}

bool fdt_rsv(const struct fdt *f, uint32_t i, uint64_t *addr, uint64_t *size)
{
	if (!f->blob || i >= f->nrsv)
		return false;
	const uint8_t *e = f->blob + f->off_rsvmap + 16ull * i;
	*addr = fdt_be64(e);
	*size = fdt_be64(e + 8);
	return true;
}
