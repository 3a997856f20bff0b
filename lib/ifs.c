/*
 * Boot image (IFS) reader, shared by the kernel, proc, mkifs and the host
 * tests; the format is documented in include/muon/ifs.h.
 *
 * Entry points: ifs_open() validates a whole image; ifs_entry_at(),
 * ifs_lookup(), ifs_script_next() read a validated one; ifs_name_problem(),
 * ifs_name_cmp(), ifs_crc32() are the rules mkifs writes by.
 *
 * Freestanding: no library calls at all, so any of the three worlds can link
 * it as is. The image is never trusted: every field is read byte by byte (no
 * alignment assumed, host-endian independent), every offset+length is
 * checked against the image without overflow before anything is read, and
 * nothing outside [image, image + size) is ever touched.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bytes.h"
#include "muon/ifs.h"

#define HDR(f)	offsetof(struct ifs_header, f)
#define DENT(f) offsetof(struct ifs_dirent, f)
#define CMD(f)	offsetof(struct ifs_cmd_hdr, f)

static bool overlap(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	/* Empty ranges overlap nothing. Ranges are already known in-image. */
	return alen && blen && a < b + blen && b < a + alen;
}

/* --- CRC-32 ---------------------------------------------------------------- */

/* Eight bytes at a time ("slicing by 8"): crc_table[0] is the byte-wise
 * table of the reflected polynomial 0xEDB88320 and crc_table[k][i] is i
 * followed by k zero bytes, so one step folds 8 bytes with 8 lookups. The
 * boot image is checked at every boot and a byte at a time was most of the
 * boot's time. The tables are built on first use: the same values whoever
 * builds them first. */
static uint32_t crc_table[8][256];
static bool crc_ready;

static void crc_init(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;
		for (int b = 0; b < 8; b++)
			c = c & 1 ? (c >> 1) ^ 0xedb88320u : c >> 1;
		crc_table[0][i] = c;
	}
	for (uint32_t i = 0; i < 256; i++)
		for (int k = 1; k < 8; k++)
			crc_table[k][i] =
			    (crc_table[k - 1][i] >> 8) ^ crc_table[0][crc_table[k - 1][i] & 0xff];
	crc_ready = true;
}

uint32_t ifs_crc32(uint32_t crc, const void *data, size_t len)
{
	const uint8_t *p = data;
	const uint32_t(*t)[256] = crc_table;

	if (!crc_ready)
		crc_init();
	crc = ~crc;
	for (; len >= 8; len -= 8, p += 8) {
		uint32_t a = rd32(p) ^ crc, b = rd32(p + 4);
		crc = t[7][a & 0xff] ^ t[6][(a >> 8) & 0xff] ^ t[5][(a >> 16) & 0xff] ^
		      t[4][a >> 24] ^ t[3][b & 0xff] ^ t[2][(b >> 8) & 0xff] ^
		      t[1][(b >> 16) & 0xff] ^ t[0][b >> 24];
	}
	while (len--)
		crc = (crc >> 8) ^ t[0][(crc ^ *p++) & 0xff];
	return ~crc;
}

uint32_t ifs_image_crc(const void *image, uint64_t image_size)
{
	static const uint8_t zero[4];
	const uint8_t *p = image;
	uint32_t crc;

	crc = ifs_crc32(0, p, HDR(crc32));
	crc = ifs_crc32(crc, zero, 4);
	return ifs_crc32(crc, p + HDR(crc32) + 4, (size_t)(image_size - HDR(crc32) - 4));
}

/* --- names ----------------------------------------------------------------- */

const char *ifs_name_problem(const char *name, size_t len)
{
	size_t comp = 0; /* start of the current component */

	if (len == 0)
		return "is empty";
	if (len >= IFS_PATH_MAX)
		return "is too long";
	if (name[0] == '/')
		return "starts with '/'";
	for (size_t i = 0; i <= len; i++) {
		unsigned char c = i < len ? (unsigned char)name[i] : '/';

		if (i < len && (c < 0x20 || c == 0x7f))
			return c ? "has a control character" : "has a NUL byte";
		if (c != '/')
			continue;
		size_t n = i - comp;
		if (n == 0)
			return i == len ? "ends with '/'" : "has an empty component ('//')";
		if (n == 1 && name[comp] == '.')
			return "has a '.' component";
		if (n == 2 && name[comp] == '.' && name[comp + 1] == '.')
			return "has a '..' component";
		comp = i + 1;
	}
	return NULL;
}

/* '/' sorts first so that "a", "a/..." are neighbours (see ifs.h). NUL
 * never occurs in a valid name, so mapping '/' to 0 is enough. */
static unsigned name_key(char c)
{
	return c == '/' ? 0 : (unsigned char)c;
}

int ifs_name_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t n = alen < blen ? alen : blen;

	for (size_t i = 0; i < n; i++) {
		unsigned x = name_key(a[i]), y = name_key(b[i]);
		if (x != y)
			return x < y ? -1 : 1;
	}
	return alen < blen ? -1 : alen > blen;
}

/* --- entries ---------------------------------------------------------------- */

/* Decode entry i of an image whose tables are in range; check the entry on
 * its own (name, type, mode, data placement). Cross-entry rules are
 * ifs_open()'s. */
static int decode_entry(const struct ifs *fs, uint32_t i, struct ifs_entry *e)
{
	const uint8_t *d = fs->entries + (size_t)i * sizeof(struct ifs_dirent);
	uint32_t noff = rd32(d + DENT(name_off)), nlen = rd32(d + DENT(name_len));

	/* The name and its NUL inside the string table. */
	if (!in_range(noff, (uint64_t)nlen + 1, fs->strtab_size) || fs->strtab[noff + nlen] != 0)
		return IFS_E_NAME;
	e->name = fs->strtab + noff;
	e->name_len = nlen;
	if (ifs_name_problem(e->name, nlen))
		return IFS_E_NAME_SYNTAX;
	e->index = i;
	e->type = rd32(d + DENT(type));
	e->mode = rd32(d + DENT(mode));
	e->uid = rd32(d + DENT(uid));
	e->gid = rd32(d + DENT(gid));
	e->data_off = rd64(d + DENT(data_off));
	e->size = rd64(d + DENT(data_size));
	if (e->type != IFS_TYPE_FILE)
		return IFS_E_ENTRY_TYPE;
	if (e->mode & ~IFS_MODE_MASK)
		return IFS_E_MODE;
	if (rd64(d + DENT(reserved)))
		return IFS_E_RESERVED;
	if (e->size == 0) {
		/* No data: nothing to map, and no offset to check or misuse. */
		if (e->data_off)
			return IFS_E_DATA_ALIGN;
		e->data = NULL;
		return 0;
	}
	if (!in_range(e->data_off, e->size, fs->size))
		return IFS_E_DATA;
	if (e->data_off % IFS_PAGE_SIZE)
		return IFS_E_DATA_ALIGN;
	e->data = fs->base + e->data_off;
	return 0;
}

int ifs_entry_at(const struct ifs *fs, uint32_t i, struct ifs_entry *out)
{
	if (!fs || !out || i >= fs->entry_count)
		return IFS_E_INVAL;
	return decode_entry(fs, i, out);
}

int ifs_lookup_n(const struct ifs *fs, const char *name, size_t len, struct ifs_entry *out)
{
	uint32_t lo = 0, hi;

	if (!fs || !name || !out)
		return IFS_E_INVAL;
	hi = fs->entry_count;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		struct ifs_entry e;
		int r = decode_entry(fs, mid, &e);
		if (r < 0)
			return r;
		r = ifs_name_cmp(name, len, e.name, e.name_len);
		if (r == 0) {
			*out = e;
			return 0;
		}
		if (r < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return IFS_E_NOENT;
}

int ifs_lookup(const struct ifs *fs, const char *name, struct ifs_entry *out)
{
	size_t len = 0;

	if (!name)
		return IFS_E_INVAL;
	/* A longer name cannot be in the image; stop counting there. */
	while (len < IFS_PATH_MAX && name[len])
		len++;
	if (len == IFS_PATH_MAX)
		return IFS_E_NOENT;
	return ifs_lookup_n(fs, name, len, out);
}

/* --- script ---------------------------------------------------------------- */

/*
 * Decode and check the record at byte off of the script block. On success
 * *size is the record's size and cmd (if not NULL) is filled. Generic rules
 * hold for every type; known types also get their own.
 */
static int decode_cmd(const struct ifs *fs, uint32_t off, uint32_t *size, struct ifs_cmd *cmd)
{
	const uint8_t *r = fs->script + off;
	uint32_t avail = fs->script_size - off;
	uint32_t rsize, type, flags, argc, prio, policy, value, slen, n;

	if (avail < sizeof(struct ifs_cmd_hdr))
		return IFS_E_RECORD;
	rsize = rd32(r + CMD(size));
	if (rsize < sizeof(struct ifs_cmd_hdr) || rsize % 8 || rsize > avail)
		return IFS_E_RECORD;
	type = rd16(r + CMD(type));
	flags = rd16(r + CMD(flags));
	argc = rd16(r + CMD(argc));
	prio = r[CMD(priority)];
	policy = r[CMD(policy)];
	value = rd32(r + CMD(value));
	slen = rd32(r + CMD(strings_size));

	/* size = align8(header + strings): the two sizes agree. */
	if (slen > rsize - sizeof(struct ifs_cmd_hdr) ||
	    rsize - sizeof(struct ifs_cmd_hdr) - slen >= 8)
		return IFS_E_RECORD;
	/* Exactly argc strings, the last one ending the area, then zeros. */
	const char *args = (const char *)r + sizeof(struct ifs_cmd_hdr);
	n = 0;
	for (uint32_t i = 0; i < slen; i++)
		n += args[i] == 0;
	if (n != argc || (slen && args[slen - 1]))
		return IFS_E_RECORD_STRINGS;
	for (uint32_t i = sizeof(struct ifs_cmd_hdr) + slen; i < rsize; i++)
		if (r[i])
			return IFS_E_RECORD_STRINGS;
	if (rd32(r + CMD(reserved)))
		return IFS_E_RESERVED;

	if (type == 0)
		return IFS_E_RECORD;
	if (flags & ~IFS_CMDF_KNOWN)
		return IFS_E_RECORD_FLAGS;
	if (policy > IFS_SCHED_OTHER)
		return IFS_E_SCHED;

	switch (type) {
	case IFS_CMD_RUN:
		if (argc < 1 || argc > IFS_MAX_ARGS || args[0] == 0 || value)
			return IFS_E_COMMAND;
		if ((flags & IFS_CMDF_RESTART) && !(flags & IFS_CMDF_BACKGROUND))
			return IFS_E_RECORD_FLAGS;
		break;
	case IFS_CMD_DISPLAY_MSG:
	case IFS_CMD_SETENV:
	case IFS_CMD_WAITFOR:
	case IFS_CMD_REOPEN:
		/* Only RUN starts anything: flags and scheduling are its own. */
		if (flags)
			return IFS_E_RECORD_FLAGS;
		if (prio || policy)
			return IFS_E_SCHED;
		if (argc != (type == IFS_CMD_SETENV ? 2u : 1u))
			return IFS_E_COMMAND;
		if (type != IFS_CMD_WAITFOR && value)
			return IFS_E_COMMAND;
		if ((type == IFS_CMD_WAITFOR || type == IFS_CMD_REOPEN) && args[0] == 0)
			return IFS_E_COMMAND;
		if (type == IFS_CMD_SETENV) {
			if (args[0] == 0 || args[0] == '=')
				return IFS_E_COMMAND;
			for (const char *s = args; *s; s++)
				if (*s == '=')
					return IFS_E_COMMAND;
		}
		break;
	default:
		break; /* unknown: the generic rules above are all we can check */
	}

	*size = rsize;
	if (!cmd)
		return 0;
	cmd->offset = off;
	cmd->type = type;
	cmd->flags = flags;
	cmd->priority = prio;
	cmd->policy = policy;
	cmd->value = value;
	cmd->argc = argc;
	cmd->args = args;
	cmd->args_len = slen;
	if (argc <= IFS_MAX_ARGS) {
		const char *s = args;
		for (n = 0; n < argc; n++) {
			cmd->argv[n] = s;
			while (*s)
				s++;
			s++;
		}
		cmd->argv[argc] = NULL;
	} else {
		cmd->argv[0] = NULL;
	}
	return 0;
}

int ifs_script_next(const struct ifs *fs, uint32_t *cursor, struct ifs_cmd *cmd)
{
	uint32_t size;
	int r;

	if (!fs || !cursor || !cmd || *cursor > fs->script_size)
		return IFS_E_INVAL;
	if (*cursor == fs->script_size)
		return 0;
	r = decode_cmd(fs, *cursor, &size, cmd);
	if (r < 0)
		return r;
	*cursor += size;
	return 1;
}

/* --- the whole image -------------------------------------------------------- */

static int open_image(struct ifs *fs, const void *image, size_t size, bool crc)
{
	const uint8_t *p = image;
	struct ifs t;
	uint64_t isize, meta_end, prev_end;
	uint32_t eoff, esize, soff, ssize, coff, csize;
	int r;

	if (!fs || !image)
		return IFS_E_INVAL;

	/* The header, then the size, so that the CRC reads only the image. */
	if (size < sizeof(struct ifs_header))
		return IFS_E_TRUNCATED;
	for (int i = 0; i < IFS_MAGIC_LEN; i++)
		if (p[i] != (uint8_t)IFS_MAGIC[i])
			return IFS_E_MAGIC;
	if (rd32(p + HDR(version)) != IFS_VERSION)
		return IFS_E_VERSION;
	if (rd32(p + HDR(header_size)) != sizeof(struct ifs_header))
		return IFS_E_HEADER_SIZE;
	isize = rd64(p + HDR(image_size));
	if (isize < sizeof(struct ifs_header))
		return IFS_E_IMAGE_SIZE;
	if (isize > size)
		return IFS_E_TRUNCATED;
	/* Damage anywhere shows here first, under its own name, before the
	 * structure checks below could call it something more confusing. */
	if (crc && ifs_image_crc(p, isize) != rd32(p + HDR(crc32)))
		return IFS_E_CRC;
	if (rd32(p + HDR(reserved)))
		return IFS_E_RESERVED;

	t.base = p;
	t.size = isize;
	t.flags = rd32(p + HDR(flags));
	t.crc32 = rd32(p + HDR(crc32));
	if ((t.flags & ~IFS_F_KNOWN) || (t.flags & IFS_F_ARCH_MASK) == IFS_F_ARCH_MASK)
		return IFS_E_FLAGS;

	/* The three tables: inside the image, after the header, apart. */
	t.entry_count = rd32(p + HDR(entry_count));
	eoff = rd32(p + HDR(entry_table_off));
	esize = rd32(p + HDR(entry_table_size));
	if ((uint64_t)t.entry_count * sizeof(struct ifs_dirent) != esize || eoff % 8 ||
	    eoff < sizeof(struct ifs_header) || !in_range(eoff, esize, isize))
		return IFS_E_ENTRY_TABLE;
	soff = rd32(p + HDR(strtab_off));
	ssize = rd32(p + HDR(strtab_size));
	if (soff < sizeof(struct ifs_header) || !in_range(soff, ssize, isize))
		return IFS_E_STRTAB;
	coff = rd32(p + HDR(script_off));
	csize = rd32(p + HDR(script_size));
	if (coff % 8 || csize % 8 || coff < sizeof(struct ifs_header) ||
	    !in_range(coff, csize, isize))
		return IFS_E_SCRIPT_BLOCK;
	if (overlap(eoff, esize, soff, ssize) || overlap(eoff, esize, coff, csize) ||
	    overlap(soff, ssize, coff, csize))
		return IFS_E_TABLE_OVERLAP;
	t.entries = p + eoff;
	t.strtab = (const char *)p + soff;
	t.strtab_size = ssize;
	t.script = p + coff;
	t.script_size = csize;

	/* Entries: each sound, names strictly increasing (so no duplicates),
	 * no "a" beside "a/...", data after the tables and after the previous
	 * file's. */
	meta_end = sizeof(struct ifs_header);
	if (eoff + (uint64_t)esize > meta_end)
		meta_end = eoff + (uint64_t)esize;
	if (soff + (uint64_t)ssize > meta_end)
		meta_end = soff + (uint64_t)ssize;
	if (coff + (uint64_t)csize > meta_end)
		meta_end = coff + (uint64_t)csize;
	prev_end = meta_end;
	struct ifs_entry prev = {0}, e;
	for (uint32_t i = 0; i < t.entry_count; i++) {
		r = decode_entry(&t, i, &e);
		if (r < 0)
			return r;
		if (i > 0) {
			r = ifs_name_cmp(prev.name, prev.name_len, e.name, e.name_len);
			if (r == 0)
				return IFS_E_DUPLICATE;
			if (r > 0)
				return IFS_E_ORDER;
			if (e.name_len > prev.name_len && e.name[prev.name_len] == '/' &&
			    ifs_name_cmp(prev.name, prev.name_len, e.name, prev.name_len) == 0)
				return IFS_E_NAME_CONFLICT;
		}
		if (e.size) {
			if (e.data_off < prev_end)
				return IFS_E_DATA_OVERLAP;
			prev_end = e.data_off + e.size;
		}
		prev = e;
	}

	/* Script: every record well-formed and the last one ending the block. */
	for (uint32_t off = 0, rsize; off < csize; off += rsize) {
		r = decode_cmd(&t, off, &rsize, NULL);
		if (r < 0)
			return r;
	}

	*fs = t;
	return 0;
}

int ifs_open(struct ifs *fs, const void *image, size_t size)
{
	return open_image(fs, image, size, true);
}

int ifs_open_nocrc(struct ifs *fs, const void *image, size_t size)
{
	return open_image(fs, image, size, false);
}

/* Indexed by -err. */
static const char *const ifs_errors[] = {
    [0] = "success",
    [-IFS_E_TRUNCATED] = "image truncated (buffer smaller than the header or image size)",
    [-IFS_E_MAGIC] = "not a Muon boot image (bad magic)",
    [-IFS_E_VERSION] = "unsupported boot image version",
    [-IFS_E_HEADER_SIZE] = "bad header size",
    [-IFS_E_IMAGE_SIZE] = "image size smaller than the header",
    [-IFS_E_RESERVED] = "reserved field not zero",
    [-IFS_E_CRC] = "CRC mismatch: the image is damaged",
    [-IFS_E_FLAGS] = "unknown image flags or two architectures",
    [-IFS_E_ENTRY_TABLE] = "entry table outside the image, misaligned or mis-sized",
    [-IFS_E_STRTAB] = "string table outside the image",
    [-IFS_E_SCRIPT_BLOCK] = "script block outside the image or misaligned",
    [-IFS_E_TABLE_OVERLAP] = "image tables overlap",
    [-IFS_E_NAME] = "entry name outside the string table or not terminated",
    [-IFS_E_NAME_SYNTAX] = "entry name is not a clean relative path",
    [-IFS_E_DUPLICATE] = "two entries with the same name",
    [-IFS_E_ORDER] = "entries not sorted by name",
    [-IFS_E_NAME_CONFLICT] = "a file is also used as a directory",
    [-IFS_E_ENTRY_TYPE] = "entry of unknown type",
    [-IFS_E_MODE] = "entry mode has bits outside 07777",
    [-IFS_E_DATA] = "file data outside the image",
    [-IFS_E_DATA_ALIGN] = "file data not 4 KiB-aligned, or an empty file with an offset",
    [-IFS_E_DATA_OVERLAP] = "file data overlaps the tables or another file",
    [-IFS_E_RECORD] = "script record size wrong or past the script block",
    [-IFS_E_RECORD_STRINGS] = "script record strings unterminated or padding not zero",
    [-IFS_E_RECORD_FLAGS] = "script record flags invalid for its type",
    [-IFS_E_SCHED] = "script record priority or policy invalid",
    [-IFS_E_COMMAND] = "script command has wrong arguments",
    [-IFS_E_NOENT] = "no such file in the image",
    [-IFS_E_INVAL] = "invalid argument",
};

const char *ifs_strerror(int err)
{
	if (err > 0 || err <= -(int)(sizeof(ifs_errors) / sizeof(ifs_errors[0])) ||
	    !ifs_errors[-err])
		return "unknown error";
	return ifs_errors[-err];
}
