/*
 * The Muon boot image format (IFS, "image filesystem", after QNX's): one
 * source of truth for tools/mkifs (writer), the kernel (validates the image
 * before mapping it), proc (runs the boot script, loads programs) and the
 * host tests. Reader: lib/ifs.c (freestanding, trusts nothing in the image).
 *
 * Layout (all integers little-endian, fixed width; no pointers):
 *
 *   offset 0          struct ifs_header (64 bytes)
 *   entry_table_off   entry_count x struct ifs_dirent (48 bytes each), 8-aligned
 *   strtab_off        the names, each followed by a NUL
 *   script_off        the compiled boot script: records, 8-aligned
 *   ...               zero padding up to a 4 KiB boundary
 *   data_off of each  file data, each file starting on a 4 KiB boundary so a
 *   non-empty file    loader can map it straight from the image
 *
 * mkifs writes exactly that order; the reader only insists that the three
 * tables lie inside the image and do not overlap each other, and that all
 * file data comes after all of them (see ifs_open() for the full rules).
 *
 * The image_size bytes of the image are covered by a CRC-32 (IEEE 802.3,
 * the zlib/PNG one) computed with the crc32 field taken as zero. The buffer
 * holding an image may be longer than image_size (a page-rounded module);
 * bytes past image_size are ignored.
 *
 * Entries are sorted by name, strictly increasing, comparing bytes as
 * unsigned with '/' ordered before every other byte (ifs_name_cmp()). So a
 * lookup is a binary search, duplicates cannot exist, and every "a/..."
 * entry directly follows "a" if that exists, which makes a file that is
 * also used as a directory (the pair "a", "a/b") detectable in one pass.
 * File data is laid out in the same order, each file after the previous.
 */
#ifndef MUON_IFS_H
#define MUON_IFS_H

#include <stddef.h>
#include <stdint.h>

#define IFS_MAGIC     "MUONIFS1" /* 8 bytes, no NUL */
#define IFS_MAGIC_LEN 8
#define IFS_VERSION   1
#define IFS_PAGE_SIZE 4096u /* alignment of file data */
#define IFS_PATH_MAX  1024  /* longest name, NUL included */
#define IFS_MAX_ARGS  64    /* longest argv of a RUN command */

/* The header, at offset 0. */
struct ifs_header {
	char magic[8];		   /* IFS_MAGIC */
	uint32_t version;	   /* IFS_VERSION */
	uint32_t header_size;	   /* sizeof(struct ifs_header) = 64 */
	uint64_t image_size;	   /* bytes of the whole image, header included */
	uint32_t flags;		   /* IFS_F_*; unknown bits are refused */
	uint32_t entry_count;	   /* number of struct ifs_dirent */
	uint32_t entry_table_off;  /* offset of the entry table, 8-aligned */
	uint32_t entry_table_size; /* entry_count * sizeof(struct ifs_dirent) */
	uint32_t strtab_off;	   /* offset of the string table (names) */
	uint32_t strtab_size;	   /* its size in bytes */
	uint32_t script_off;	   /* offset of the boot script, 8-aligned */
	uint32_t script_size;	   /* its size in bytes, a multiple of 8 (0: none) */
	uint32_t crc32;		   /* CRC-32 of image_size bytes, this field as 0 */
	uint32_t reserved;	   /* 0 */
};

/* Header flags: the architecture from the buildfile's [virtual=...]. At
 * most one is set; none means an arch-neutral image (test images). */
/* The kernel maps the image read-only into the first process (proc) and
 * tells it where with these auxiliary-vector entries (types beyond the
 * System V ones). */
#define AT_MUON_IFS	 0x1000 /* address of the image in proc */
#define AT_MUON_IFS_SIZE 0x1001 /* its size in bytes */

#define IFS_F_X86_64	0x1u
#define IFS_F_AARCH64	0x2u
#define IFS_F_ARCH_MASK (IFS_F_X86_64 | IFS_F_AARCH64)
#define IFS_F_KNOWN	IFS_F_ARCH_MASK

/* One file. */
struct ifs_dirent {
	uint32_t name_off;  /* offset of the name in the string table */
	uint32_t name_len;  /* its length, without the NUL that must follow it */
	uint64_t data_off;  /* offset of the data in the image, 4 KiB-aligned; 0 if size is 0 */
	uint64_t data_size; /* bytes of data */
	uint32_t type;	    /* IFS_TYPE_* */
	uint32_t mode;	    /* permission bits only (07777), e.g. 0555 */
	uint32_t uid;	    /* owner */
	uint32_t gid;	    /* group */
	uint64_t reserved;  /* 0 */
};

/* Entry types. Only regular files exist in version 1; 2 (directory) and 3
 * (symbolic link, data = target) are kept for later and refused today. */
#define IFS_TYPE_FILE 1u
#define IFS_MODE_MASK 07777u

/*
 * The boot script: records one after another, from script_off to
 * script_off + script_size, run by proc in order. Each record:
 *
 *   struct ifs_cmd_hdr, then argc NUL-terminated strings back to back
 *   (strings_size bytes, NULs included), then zero padding to the next
 *   multiple of 8 (fewer than 8 bytes): size = align8(24 + strings_size).
 *
 * strings_size is stored, not implied, because trailing empty strings and
 * zero padding look alike: with it, argc and the strings must agree
 * exactly. size covers everything, so a reader skips a record of a type
 * it does not know (ifs_open() checks the generic layout of every record
 * and the type-specific rules of the types below).
 */
struct ifs_cmd_hdr {
	uint32_t size;	       /* bytes of the record, header and padding included */
	uint16_t type;	       /* IFS_CMD_* (0 is invalid) */
	uint16_t flags;	       /* IFS_CMDF_*; unknown bits are refused */
	uint16_t argc;	       /* number of strings after the header */
	uint8_t priority;      /* RUN: 1..255, or 0 = inherit (proc's default) */
	uint8_t policy;	       /* RUN: IFS_SCHED_*, 0 = inherit */
	uint32_t value;	       /* WAITFOR: timeout in milliseconds; otherwise 0 */
	uint32_t strings_size; /* bytes of the strings, NULs included (0 iff argc is 0) */
	uint32_t reserved;     /* 0 */
};

/* Record types and their strings. */
#define IFS_CMD_RUN	    1 /* argv[0..argc-1]; argv[0] = program (non-empty), 1..IFS_MAX_ARGS */
#define IFS_CMD_DISPLAY_MSG 2 /* one string: the text, printed on the console */
#define IFS_CMD_SETENV	    3 /* two strings: name (non-empty, no '='), value */
#define IFS_CMD_WAITFOR	    4 /* one string: a path to wait for; value = timeout ms */
#define IFS_CMD_REOPEN	    5 /* one string: the device later programs get as fds 0-2 */

/* Record flags. */
#define IFS_CMDF_BACKGROUND 0x1u /* RUN only: do not wait for it ('&') */
#define IFS_CMDF_RESTART    0x2u /* RUN with BACKGROUND: start it again when it ends */
#define IFS_CMDF_KNOWN	    (IFS_CMDF_BACKGROUND | IFS_CMDF_RESTART)

/* Scheduling policies: QNX's <sched.h> values (buildfile [pri=10f|r|o]). */
#define IFS_SCHED_INHERIT 0
#define IFS_SCHED_FIFO	  1
#define IFS_SCHED_RR	  2
#define IFS_SCHED_OTHER	  3

/* Errors returned by the reader: 0 is success, these are negative. */
enum {
	IFS_E_TRUNCATED = -1,	   /* buffer smaller than the header or than image_size */
	IFS_E_MAGIC = -2,	   /* not "MUONIFS1" */
	IFS_E_VERSION = -3,	   /* unknown format version */
	IFS_E_HEADER_SIZE = -4,	   /* header_size is not 64 */
	IFS_E_IMAGE_SIZE = -5,	   /* image_size smaller than the header */
	IFS_E_RESERVED = -6,	   /* a reserved field is not zero */
	IFS_E_CRC = -7,		   /* CRC mismatch: the image is damaged */
	IFS_E_FLAGS = -8,	   /* unknown header flags, or two architectures */
	IFS_E_ENTRY_TABLE = -9,	   /* entry table misplaced, misaligned or mis-sized */
	IFS_E_STRTAB = -10,	   /* string table outside the image */
	IFS_E_SCRIPT_BLOCK = -11,  /* script block outside the image or misaligned */
	IFS_E_TABLE_OVERLAP = -12, /* two of the tables overlap, or overlap the header */
	IFS_E_NAME = -13,	   /* a name outside the string table, or not NUL-terminated */
	IFS_E_NAME_SYNTAX = -14,   /* a name that is not a clean relative path */
	IFS_E_DUPLICATE = -15,	   /* two entries with the same name */
	IFS_E_ORDER = -16,	   /* entries not sorted by name */
	IFS_E_NAME_CONFLICT = -17, /* "a" is a file and "a/..." exists too */
	IFS_E_ENTRY_TYPE = -18,	   /* an entry of unknown type */
	IFS_E_MODE = -19,	   /* mode bits outside 07777 */
	IFS_E_DATA = -20,	   /* file data outside the image */
	IFS_E_DATA_ALIGN = -21,	   /* file data not 4 KiB-aligned (or empty file with an offset) */
	IFS_E_DATA_OVERLAP = -22,  /* file data overlapping the tables or another file */
	IFS_E_RECORD = -23, /* record size wrong, past the block, or not matching strings_size */
	IFS_E_RECORD_STRINGS =
	    -24, /* record strings not argc NUL-terminated ones, or padding not zero */
	IFS_E_RECORD_FLAGS = -25, /* unknown record flags, or a flag the type does not take */
	IFS_E_SCHED = -26,	  /* bad priority or policy */
	IFS_E_COMMAND = -27,	  /* a known command with the wrong strings or fields */
	IFS_E_NOENT = -28,	  /* lookup: no such entry */
	IFS_E_INVAL = -29,	  /* bad argument to a call */
};

/* A validated image, filled by ifs_open(); points into the caller's buffer. */
struct ifs {
	const uint8_t *base; /* the image */
	uint64_t size;	     /* image_size */
	uint32_t flags;	     /* IFS_F_* */
	uint32_t entry_count;
	const uint8_t *entries; /* the entry table */
	const char *strtab;
	uint32_t strtab_size;
	const uint8_t *script;
	uint32_t script_size;
	uint32_t crc32;
};

/* One file, decoded. name and data point into the image. */
struct ifs_entry {
	const char *name; /* NUL-terminated */
	uint32_t name_len;
	uint32_t index; /* position in the entry table */
	uint32_t type;	/* IFS_TYPE_* */
	uint32_t mode;
	uint32_t uid;
	uint32_t gid;
	uint64_t data_off; /* offset in the image (4 KiB-aligned, 0 if size is 0) */
	uint64_t size;
	const uint8_t *data; /* base + data_off */
};

/* One script command, decoded. The strings point into the image. */
struct ifs_cmd {
	uint32_t offset;   /* of the record inside the script block */
	uint32_t type;	   /* IFS_CMD_* (or a type this reader does not know) */
	uint32_t flags;	   /* IFS_CMDF_* */
	uint32_t priority; /* 0 = inherit */
	uint32_t policy;   /* IFS_SCHED_* */
	uint32_t value;	   /* WAITFOR: timeout ms */
	uint32_t argc;
	const char *args;  /* the argc strings back to back (NULs included) */
	uint32_t args_len; /* their bytes, NULs included */
	/* argv[0..argc-1] point into args and argv[argc] is NULL, when argc
	 * <= IFS_MAX_ARGS (always for known types); otherwise argv[0] is NULL
	 * and only args/args_len describe the strings. */
	const char *argv[IFS_MAX_ARGS + 1];
};

/* Validate an image (everything, CRC included) and fill fs. 0 or IFS_E_*. */
int ifs_open(struct ifs *fs, const void *image, size_t size);

/* The same but for the CRC, for an image whose CRC was checked already and
 * that cannot have changed since: proc's, which the kernel checked at boot
 * and maps read-only (checking it again took a quarter of the boot). */
int ifs_open_nocrc(struct ifs *fs, const void *image, size_t size);

/* The name for an IFS_E_* code (or "success" / "unknown error"). */
const char *ifs_strerror(int err);

/* Entry i (0 <= i < entry_count). 0 or IFS_E_INVAL. */
int ifs_entry_at(const struct ifs *fs, uint32_t i, struct ifs_entry *out);

/* Find an entry by exact name ("proc", "bin/sh": no leading '/'). 0 or
 * IFS_E_NOENT. ifs_lookup_n takes a length instead of a C string. */
int ifs_lookup(const struct ifs *fs, const char *name, struct ifs_entry *out);
int ifs_lookup_n(const struct ifs *fs, const char *name, size_t len, struct ifs_entry *out);

/* Script iteration: start with *cursor = 0; returns 1 and fills cmd, 0 at
 * the end, or IFS_E_* (cannot happen on an image ifs_open() accepted). */
int ifs_script_next(const struct ifs *fs, uint32_t *cursor, struct ifs_cmd *cmd);

/* Helpers shared with mkifs, so that writer and reader agree. */

/* NULL if name[0..len) is a valid entry name, else why not ("has a '..'
 * component", ...). Valid: 1..IFS_PATH_MAX-1 bytes, components separated
 * by single '/', none empty, "." or "..", no leading or trailing '/', no
 * NUL or control characters (bytes below 0x20 and 0x7f). */
const char *ifs_name_problem(const char *name, size_t len);

/* The entry order: <0, 0, >0 like memcmp, '/' before any other byte. */
int ifs_name_cmp(const char *a, size_t alen, const char *b, size_t blen);

/* CRC-32 (IEEE, reflected 0xEDB88320), chainable like zlib's crc32():
 * start with crc = 0; crc32(crc32(0, a), b) == crc32(0, a||b). */
uint32_t ifs_crc32(uint32_t crc, const void *data, size_t len);

/* The image's CRC as stored in its header: over image_size bytes with the
 * crc32 field as zero. image_size must be >= sizeof(struct ifs_header). */
uint32_t ifs_image_crc(const void *image, uint64_t image_size);

/* The on-image layout is fixed: check it did not move. */
_Static_assert(sizeof(struct ifs_header) == 64, "ifs_header is 64 bytes");
_Static_assert(offsetof(struct ifs_header, image_size) == 16, "ifs_header layout");
_Static_assert(offsetof(struct ifs_header, crc32) == 56, "ifs_header layout");
_Static_assert(sizeof(struct ifs_dirent) == 48, "ifs_dirent is 48 bytes");
_Static_assert(offsetof(struct ifs_dirent, data_off) == 8, "ifs_dirent layout");
_Static_assert(offsetof(struct ifs_dirent, reserved) == 40, "ifs_dirent layout");
_Static_assert(sizeof(struct ifs_cmd_hdr) == 24, "ifs_cmd_hdr is 24 bytes");
_Static_assert(offsetof(struct ifs_cmd_hdr, strings_size) == 16, "ifs_cmd_hdr layout");
_Static_assert(offsetof(struct ifs_cmd_hdr, value) == 12, "ifs_cmd_hdr layout");

#endif
