/*
 * mkifs writer: lays out a struct mk_image as an IFS image (format in
 * include/muon/ifs.h). Entries are sorted with ifs_name_cmp() and the CRC
 * computed with ifs_image_crc(), the reader's own functions, so writer and
 * reader cannot disagree. Output depends only on the input (no times, no
 * host details, zeroed padding), so the same buildfile gives the same bytes.
 * Also linked by tests/host/test_ifs.c to build images in memory.
 */
#include <stdlib.h>
#include <string.h>

#include "mkifs.h"

void *mk_alloc(size_t n)
{
	void *p = calloc(1, n ? n : 1);

	if (!p) {
		fprintf(stderr, "mkifs: out of memory\n");
		exit(1);
	}
	return p;
}

char *mk_strdup(const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(mk_alloc(n), s, n);
}

static void *grow(void *arr, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return arr;
	size_t ncap = *cap ? *cap * 2 : 16;
	while (ncap < need)
		ncap *= 2;
	void *n = realloc(arr, ncap * elem);
	if (!n) {
		fprintf(stderr, "mkifs: out of memory\n");
		exit(1);
	}
	memset((char *)n + *cap * elem, 0, (ncap - *cap) * elem);
	*cap = ncap;
	return n;
}

struct mk_file *mk_add_file(struct mk_image *m, const char *name, const void *data, size_t size,
			    uint32_t mode, uint32_t uid, uint32_t gid, int line)
{
	struct mk_file *f;

	m->files = grow(m->files, &m->files_cap, m->nfiles + 1, sizeof(*m->files));
	f = &m->files[m->nfiles++];
	f->name = mk_strdup(name);
	f->data = size ? memcpy(mk_alloc(size), data, size) : NULL;
	f->size = size;
	f->mode = mode;
	f->uid = uid;
	f->gid = gid;
	f->line = line;
	return f;
}

struct mk_cmd *mk_add_cmd(struct mk_image *m, unsigned type, int argc, char *const argv[], int line)
{
	struct mk_cmd *c;

	m->cmds = grow(m->cmds, &m->cmds_cap, m->ncmds + 1, sizeof(*m->cmds));
	c = &m->cmds[m->ncmds++];
	c->type = (uint16_t)type;
	c->argc = argc;
	c->argv = mk_alloc(sizeof(char *) * (size_t)(argc + 1));
	for (int i = 0; i < argc; i++)
		c->argv[i] = mk_strdup(argv[i]);
	c->line = line;
	return c;
}

void mk_free(struct mk_image *m)
{
	for (size_t i = 0; i < m->nfiles; i++) {
		free(m->files[i].name);
		free(m->files[i].data);
	}
	for (size_t i = 0; i < m->ncmds; i++) {
		for (int j = 0; j < m->cmds[i].argc; j++)
			free(m->cmds[i].argv[j]);
		free(m->cmds[i].argv);
	}
	free(m->files);
	free(m->cmds);
	memset(m, 0, sizeof(*m));
}

/* --- serialization ------------------------------------------------------------ */

static void wr16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void wr32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> 8 * i);
}

static void wr64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> 8 * i);
}

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) / a * a;
}

static int cmp_files(const void *a, const void *b)
{
	const struct mk_file *x = *(const struct mk_file *const *)a;
	const struct mk_file *y = *(const struct mk_file *const *)b;

	return ifs_name_cmp(x->name, strlen(x->name), y->name, strlen(y->name));
}

static uint64_t cmd_strings(const struct mk_cmd *c)
{
	uint64_t n = 0;

	for (int i = 0; i < c->argc; i++)
		n += strlen(c->argv[i]) + 1;
	return n;
}

static uint64_t cmd_size(const struct mk_cmd *c)
{
	return align_up(sizeof(struct ifs_cmd_hdr) + cmd_strings(c), 8);
}

#define HDR(f)	offsetof(struct ifs_header, f)
#define DENT(f) offsetof(struct ifs_dirent, f)
#define CMD(f)	offsetof(struct ifs_cmd_hdr, f)

int mk_build(const struct mk_image *m, uint8_t **image, size_t *size, const char **why)
{
	const struct mk_file **sorted;
	uint64_t eoff, esize, soff, ssize = 0, coff, csize = 0, end, isize;
	uint64_t *data_off;
	uint8_t *img;

	*image = NULL;
	*size = 0;
	if (m->nfiles > UINT32_MAX / sizeof(struct ifs_dirent)) {
		*why = "too many files";
		return -1;
	}
	sorted = mk_alloc(sizeof(*sorted) * (m->nfiles + 1));
	for (size_t i = 0; i < m->nfiles; i++) {
		sorted[i] = &m->files[i];
		if (ifs_name_problem(m->files[i].name, strlen(m->files[i].name))) {
			*why = "invalid file name";
			free(sorted);
			return -1;
		}
		ssize += strlen(m->files[i].name) + 1;
	}
	/* Names are unique (the caller checked), so qsort's instability
	 * cannot make the order depend on anything but the names. */
	qsort(sorted, m->nfiles, sizeof(*sorted), cmp_files);
	for (size_t i = 0; i + 1 < m->nfiles; i++) {
		if (cmp_files(&sorted[i], &sorted[i + 1]) == 0) {
			*why = "duplicate file name";
			free(sorted);
			return -1;
		}
	}
	for (size_t i = 0; i < m->ncmds; i++) {
		if (m->cmds[i].argc < 0 || m->cmds[i].argc > UINT16_MAX) {
			*why = "too many arguments in a command";
			free(sorted);
			return -1;
		}
		csize += cmd_size(&m->cmds[i]);
	}

	/* header | entries | names | script | pad to 4 KiB | data, data, ... */
	eoff = sizeof(struct ifs_header);
	esize = m->nfiles * sizeof(struct ifs_dirent);
	soff = eoff + esize;
	coff = align_up(soff + ssize, 8);
	end = coff + csize;
	if (end > UINT32_MAX) {
		*why = "tables larger than 4 GiB";
		free(sorted);
		return -1;
	}
	data_off = mk_alloc(sizeof(*data_off) * (m->nfiles + 1));
	isize = end;
	for (size_t i = 0; i < m->nfiles; i++) {
		if (!sorted[i]->size)
			continue; /* an empty file has no data and offset 0 */
		data_off[i] = align_up(isize, IFS_PAGE_SIZE);
		isize = data_off[i] + sorted[i]->size;
	}
	if (isize > SIZE_MAX) {
		*why = "image too large";
		free(sorted);
		free(data_off);
		return -1;
	}

	img = mk_alloc((size_t)isize);
	memcpy(img, IFS_MAGIC, IFS_MAGIC_LEN);
	wr32(img + HDR(version), IFS_VERSION);
	wr32(img + HDR(header_size), sizeof(struct ifs_header));
	wr64(img + HDR(image_size), isize);
	wr32(img + HDR(flags), m->flags);
	wr32(img + HDR(entry_count), (uint32_t)m->nfiles);
	wr32(img + HDR(entry_table_off), (uint32_t)eoff);
	wr32(img + HDR(entry_table_size), (uint32_t)esize);
	wr32(img + HDR(strtab_off), (uint32_t)soff);
	wr32(img + HDR(strtab_size), (uint32_t)ssize);
	wr32(img + HDR(script_off), (uint32_t)coff);
	wr32(img + HDR(script_size), (uint32_t)csize);

	uint64_t name_at = 0;
	for (size_t i = 0; i < m->nfiles; i++) {
		const struct mk_file *f = sorted[i];
		uint8_t *d = img + eoff + i * sizeof(struct ifs_dirent);
		size_t nlen = strlen(f->name);

		wr32(d + DENT(name_off), (uint32_t)name_at);
		wr32(d + DENT(name_len), (uint32_t)nlen);
		wr64(d + DENT(data_off), data_off[i]);
		wr64(d + DENT(data_size), f->size);
		wr32(d + DENT(type), IFS_TYPE_FILE);
		wr32(d + DENT(mode), f->mode);
		wr32(d + DENT(uid), f->uid);
		wr32(d + DENT(gid), f->gid);
		memcpy(img + soff + name_at, f->name, nlen + 1);
		name_at += nlen + 1;
		if (f->size)
			memcpy(img + data_off[i], f->data, f->size);
	}

	uint8_t *r = img + coff;
	for (size_t i = 0; i < m->ncmds; i++) {
		const struct mk_cmd *c = &m->cmds[i];
		uint64_t rsize = cmd_size(c);
		uint8_t *s = r + sizeof(struct ifs_cmd_hdr);

		wr32(r + CMD(size), (uint32_t)rsize);
		wr16(r + CMD(type), c->type);
		wr16(r + CMD(flags), c->flags);
		wr16(r + CMD(argc), (uint16_t)c->argc);
		r[CMD(priority)] = c->priority;
		r[CMD(policy)] = c->policy;
		wr32(r + CMD(value), c->value);
		wr32(r + CMD(strings_size), (uint32_t)cmd_strings(c));
		for (int j = 0; j < c->argc; j++) {
			size_t n = strlen(c->argv[j]) + 1;
			memcpy(s, c->argv[j], n);
			s += n;
		}
		r += rsize;
	}
	wr32(img + HDR(crc32), ifs_image_crc(img, isize));

	free(sorted);
	free(data_off);
	*image = img;
	*size = (size_t)isize;
	return 0;
}
