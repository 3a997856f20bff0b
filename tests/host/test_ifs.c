/*
 * Host tests of the boot image reader (lib/ifs.c) with images built in
 * memory by mkifs's writer (tools/mkifs/image.c): a full image read back
 * with its real values (names, sizes, perms, data, every script command),
 * then every kind of damage refused with its own error: header fields out
 * of range, truncation, CRC, overflowing offsets, bad names, lying records.
 *
 * Usage: test_ifs [SEED-DIR]  (writes the fuzzing seeds there and exits).
 */
#include <stdlib.h>
#include <string.h>

#include "../../tools/mkifs/mkifs.h"
#include "host_test.h"

/* --- building --------------------------------------------------------------------- */

static uint8_t proc_data[5000], sh_data[100];

static void add_run(struct mk_image *m, int argc, char *const argv[], unsigned prio,
		    unsigned policy, unsigned flags)
{
	struct mk_cmd *c = mk_add_cmd(m, IFS_CMD_RUN, argc, argv, 0);
	c->priority = (uint8_t)prio;
	c->policy = (uint8_t)policy;
	c->flags = (uint16_t)flags;
}

/* The image most tests start from. */
static void good_image(struct mk_image *m)
{
	memset(m, 0, sizeof(*m));
	for (size_t i = 0; i < sizeof(proc_data); i++)
		proc_data[i] = (uint8_t)(i * 7 + 1);
	memcpy(proc_data, "\177ELF", 4);
	for (size_t i = 0; i < sizeof(sh_data); i++)
		sh_data[i] = (uint8_t)(0xa0 + i);
	m->flags = IFS_F_AARCH64;
	/* Added out of order: the writer sorts. */
	mk_add_file(m, "proc", proc_data, sizeof(proc_data), 0555, 0, 0, 0);
	mk_add_file(m, "etc/motd", "Welcome to Muon\n", 16, 0444, 0, 0, 0);
	mk_add_file(m, "bin-x", "x", 1, 0755, 1, 2, 0);
	mk_add_file(m, "bin/sh", sh_data, sizeof(sh_data), 04755, 100, 200, 0);
	mk_add_file(m, "empty", NULL, 0, 0600, 0, 0, 0);

	char *msg[] = {"Muon boot"};
	mk_add_cmd(m, IFS_CMD_DISPLAY_MSG, 1, msg, 0);
	char *env[] = {"PATH", "/proc/boot"};
	mk_add_cmd(m, IFS_CMD_SETENV, 2, env, 0);
	char *wf[] = {"/dev/ser1"};
	mk_add_cmd(m, IFS_CMD_WAITFOR, 1, wf, 0)->value = 2500;
	char *a1[] = {"proc", "-v", "two words", ""};
	add_run(m, 4, a1, 20, IFS_SCHED_FIFO, IFS_CMDF_BACKGROUND);
	char *a2[] = {"bin/sh"};
	add_run(m, 1, a2, 0, IFS_SCHED_INHERIT, 0);
	char *a3[] = {"x", "y"};
	add_run(m, 2, a3, 255, IFS_SCHED_RR, 0);
	char *a4[] = {"z"};
	add_run(m, 1, a4, 1, IFS_SCHED_OTHER, 0);
}

struct img {
	uint8_t *p;
	size_t n;
};

static struct img build(const struct mk_image *m)
{
	struct img im;
	const char *why = "";

	if (mk_build(m, &im.p, &im.n, &why) < 0) {
		printf("# mk_build: %s\n", why);
		exit(1);
	}
	return im;
}

static struct img good(void)
{
	struct mk_image m;
	good_image(&m);
	struct img im = build(&m);
	mk_free(&m);
	return im;
}

#define H(f) offsetof(struct ifs_header, f)

/* --- poking ------------------------------------------------------------------------ */

static uint32_t get32(const struct img *im, uint64_t off)
{
	uint32_t v;
	memcpy(&v, im->p + off, 4); /* the host is little-endian, like the format */
	return v;
}

static void put16(struct img *im, uint64_t off, uint16_t v)
{
	memcpy(im->p + off, &v, 2);
}

static void put32(struct img *im, uint64_t off, uint32_t v)
{
	memcpy(im->p + off, &v, 4);
}

static void put64(struct img *im, uint64_t off, uint64_t v)
{
	memcpy(im->p + off, &v, 8);
}

static uint64_t get64(const struct img *im, uint64_t off)
{
	uint64_t v;
	memcpy(&v, im->p + off, 8);
	return v;
}

/* Make the CRC right again; not possible (nor needed: those checks come
 * first) when image_size is out of the buffer. */
static void fix_crc(struct img *im)
{
	uint64_t isize = get64(im, H(image_size));

	if (isize >= sizeof(struct ifs_header) && isize <= im->n)
		put32(im, H(crc32), ifs_image_crc(im->p, isize));
}

static void swap_entries(struct img *im, uint32_t a, uint32_t b)
{
	uint8_t t[sizeof(struct ifs_dirent)], *base = im->p + get32(im, H(entry_table_off));

	memcpy(t, base + a * sizeof(t), sizeof(t));
	memcpy(base + a * sizeof(t), base + b * sizeof(t), sizeof(t));
	memcpy(base + b * sizeof(t), t, sizeof(t));
}

static int open_img(const struct img *im)
{
	struct ifs fs;
	return ifs_open(&fs, im->p, im->n);
}

#define D(i, f)                                                                                    \
	(get32(&im, H(entry_table_off)) + (i) * sizeof(struct ifs_dirent) +                        \
	 offsetof(struct ifs_dirent, f))
#define SCRIPT(im) get32(&(im), H(script_off))
#define C(f)	   offsetof(struct ifs_cmd_hdr, f)

/* Expect err from a modified good image, after recomputing its CRC so
 * that the check behind the CRC is the one exercised. */
#define DAMAGED(what, err)                                                                         \
	do {                                                                                       \
		struct img im = good();                                                            \
		what;                                                                              \
		fix_crc(&im);                                                                      \
		int r_ = open_img(&im);                                                            \
		if (!CHECK_EQ(r_, err))                                                            \
			printf("#   %s: %s\n", #what, ifs_strerror(r_));                           \
		free(im.p);                                                                        \
	} while (0)

/* Offset of record n in the script block of im. */
static uint64_t record(const struct img *im, int n)
{
	uint64_t off = get32(im, H(script_off));
	while (n--)
		off += get32(im, off);
	return off;
}

/* --- the tests ----------------------------------------------------------------------- */

static void test_helpers(void)
{
	CHECK_EQ(ifs_crc32(0, "123456789", 9), 0xcbf43926);
	CHECK_EQ(ifs_crc32(ifs_crc32(0, "1234", 4), "56789", 5), 0xcbf43926);
	CHECK_EQ(ifs_crc32(0, "", 0), 0);
	/* Eight bytes at a time and byte by byte, split anywhere, agree. */
	{
		uint8_t buf[61];
		for (size_t i = 0; i < sizeof(buf); i++)
			buf[i] = (uint8_t)(i * 37 + 11);
		uint32_t whole = ifs_crc32(0, buf, sizeof(buf));
		CHECK_EQ(whole, 0x59756119u); /* zlib.crc32 */
		for (size_t cut = 0; cut <= sizeof(buf); cut++)
			CHECK_EQ(ifs_crc32(ifs_crc32(0, buf, cut), buf + cut, sizeof(buf) - cut), whole);
	}

	CHECK(ifs_name_problem("proc", 4) == NULL);
	CHECK(ifs_name_problem("bin/sh", 6) == NULL);
	CHECK(ifs_name_problem("a/.b/c..d/...", 13) == NULL);
	CHECK(!strcmp(ifs_name_problem("", 0), "is empty"));
	CHECK(!strcmp(ifs_name_problem("/bin", 4), "starts with '/'"));
	CHECK(!strcmp(ifs_name_problem("bin/", 4), "ends with '/'"));
	CHECK(!strcmp(ifs_name_problem("a//b", 4), "has an empty component ('//')"));
	CHECK(!strcmp(ifs_name_problem("..", 2), "has a '..' component"));
	CHECK(!strcmp(ifs_name_problem("a/../b", 6), "has a '..' component"));
	CHECK(!strcmp(ifs_name_problem("a/..", 4), "has a '..' component"));
	CHECK(!strcmp(ifs_name_problem("./a", 3), "has a '.' component"));
	CHECK(!strcmp(ifs_name_problem("a\nb", 3), "has a control character"));
	CHECK(!strcmp(ifs_name_problem("a\0b", 3), "has a NUL byte"));
	CHECK(!strcmp(ifs_name_problem("a\177", 2), "has a control character"));
	static char longname[IFS_PATH_MAX + 1];
	memset(longname, 'a', sizeof(longname));
	CHECK(ifs_name_problem(longname, IFS_PATH_MAX - 1) == NULL);
	CHECK(!strcmp(ifs_name_problem(longname, IFS_PATH_MAX), "is too long"));

	/* '/' before everything, so "a" and "a/..." are neighbours. */
	CHECK(ifs_name_cmp("a/c", 3, "a-b", 3) < 0);
	CHECK(ifs_name_cmp("a", 1, "a/c", 3) < 0);
	CHECK(ifs_name_cmp("a/c", 3, "a/c", 3) == 0);
	CHECK(ifs_name_cmp("b", 1, "a/c", 3) > 0);
	CHECK(ifs_name_cmp("a\xff", 2, "a~", 2) > 0); /* bytes are unsigned */

	/* Every error has its own message. */
	int distinct = 1;
	for (int e = IFS_E_INVAL; e <= IFS_E_TRUNCATED; e++)
		for (int f = e + 1; f <= IFS_E_TRUNCATED; f++)
			if (!strcmp(ifs_strerror(e), ifs_strerror(f)))
				distinct = 0;
	CHECK(distinct);
	CHECK(!strcmp(ifs_strerror(IFS_E_CRC), "CRC mismatch: the image is damaged"));
	CHECK(!strcmp(ifs_strerror(0), "success"));
	CHECK(!strcmp(ifs_strerror(-1000), "unknown error"));
	CHECK(!strcmp(ifs_strerror(5), "unknown error"));
	CHECK(!strcmp(ifs_strerror(-2147483647 - 1), "unknown error"));
}

static void test_good(void)
{
	struct img im = good();
	struct ifs fs;
	struct ifs_entry e;
	struct ifs_cmd c;
	uint32_t cur = 0;

	CHECK_EQ(ifs_open(&fs, im.p, im.n), 0);
	CHECK(!memcmp(im.p, "MUONIFS1", 8));
	CHECK_EQ(fs.size, im.n);
	CHECK_EQ(fs.flags, IFS_F_AARCH64);
	CHECK_EQ(fs.entry_count, 5);
	CHECK_EQ(get32(&im, H(entry_table_off)), 64);
	CHECK_EQ(get32(&im, H(script_off)) % 8, 0);
	/* proc is the largest, last in name order: 5000 bytes after a page. */
	CHECK_EQ(im.n % IFS_PAGE_SIZE, 5000 % IFS_PAGE_SIZE);

	/* Sorted with '/' first: bin/sh, bin-x, empty, etc/motd, proc. */
	static const char *names[] = {"bin/sh", "bin-x", "empty", "etc/motd", "proc"};
	static const uint64_t sizes[] = {100, 1, 0, 16, 5000};
	static const uint32_t modes[] = {04755, 0755, 0600, 0444, 0555};
	uint64_t prev_end = 0;
	for (uint32_t i = 0; i < 5; i++) {
		CHECK_EQ(ifs_entry_at(&fs, i, &e), 0);
		CHECK(!strcmp(e.name, names[i]));
		CHECK_EQ(e.name_len, strlen(names[i]));
		CHECK_EQ(e.index, i);
		CHECK_EQ(e.type, IFS_TYPE_FILE);
		CHECK_EQ(e.size, sizes[i]);
		CHECK_EQ(e.mode, modes[i]);
		CHECK_EQ(e.data_off % IFS_PAGE_SIZE, 0);
		if (e.size) {
			CHECK(e.data == im.p + e.data_off);
			CHECK(e.data_off >= prev_end);
			prev_end = e.data_off + e.size;
		} else {
			CHECK(e.data == NULL && e.data_off == 0);
		}
	}
	CHECK_EQ(ifs_entry_at(&fs, 5, &e), IFS_E_INVAL);
	CHECK_EQ(ifs_entry_at(&fs, 0xffffffff, &e), IFS_E_INVAL);

	/* Lookups, data and attributes. */
	CHECK_EQ(ifs_lookup(&fs, "bin/sh", &e), 0);
	CHECK(e.uid == 100 && e.gid == 200 && e.mode == 04755);
	CHECK(!memcmp(e.data, sh_data, sizeof(sh_data)));
	CHECK_EQ(ifs_lookup(&fs, "proc", &e), 0);
	CHECK(e.size == sizeof(proc_data) && !memcmp(e.data, proc_data, sizeof(proc_data)));
	CHECK_EQ(ifs_lookup(&fs, "etc/motd", &e), 0);
	CHECK(!memcmp(e.data, "Welcome to Muon\n", 16));
	CHECK_EQ(ifs_lookup(&fs, "bin-x", &e), 0);
	CHECK(e.uid == 1 && e.gid == 2 && e.data[0] == 'x');
	CHECK_EQ(ifs_lookup(&fs, "empty", &e), 0);
	CHECK_EQ(e.size, 0);
	CHECK_EQ(ifs_lookup(&fs, "bin", &e), IFS_E_NOENT);
	CHECK_EQ(ifs_lookup(&fs, "bin/", &e), IFS_E_NOENT);
	CHECK_EQ(ifs_lookup(&fs, "/proc", &e), IFS_E_NOENT);
	CHECK_EQ(ifs_lookup(&fs, "", &e), IFS_E_NOENT);
	CHECK_EQ(ifs_lookup(&fs, "zzz", &e), IFS_E_NOENT);
	CHECK_EQ(ifs_lookup_n(&fs, "proc/x", 4, &e), 0);
	CHECK_EQ(ifs_lookup(&fs, NULL, &e), IFS_E_INVAL);
	static char huge[IFS_PATH_MAX + 10];
	memset(huge, 'p', sizeof(huge) - 1);
	CHECK_EQ(ifs_lookup(&fs, huge, &e), IFS_E_NOENT);

	/* The script, in order, every field. */
	CHECK_EQ(ifs_script_next(&fs, &cur, &c), 1);
	CHECK(c.type == IFS_CMD_DISPLAY_MSG && c.argc == 1 && !strcmp(c.argv[0], "Muon boot"));
	CHECK(c.argv[1] == NULL && c.offset == 0 && c.flags == 0);
	CHECK_EQ(ifs_script_next(&fs, &cur, &c), 1);
	CHECK(c.type == IFS_CMD_SETENV && c.argc == 2);
	CHECK(!strcmp(c.argv[0], "PATH") && !strcmp(c.argv[1], "/proc/boot"));
	CHECK_EQ(c.args_len, 5 + 11);
	CHECK_EQ(ifs_script_next(&fs, &cur, &c), 1);
	CHECK(c.type == IFS_CMD_WAITFOR && c.value == 2500 && !strcmp(c.argv[0], "/dev/ser1"));
	CHECK_EQ(ifs_script_next(&fs, &cur, &c), 1);
	CHECK(c.type == IFS_CMD_RUN && c.argc == 4);
	CHECK(!strcmp(c.argv[0], "proc") && !strcmp(c.argv[1], "-v"));
	CHECK(!strcmp(c.argv[2], "two words") && !strcmp(c.argv[3], "") && c.argv[4] == NULL);
	CHECK(c.priority == 20 && c.policy == IFS_SCHED_FIFO && c.flags == IFS_CMDF_BACKGROUND);
	CHECK(c.args == c.argv[0] && c.args_len == 5 + 3 + 10 + 1);
	CHECK_EQ(ifs_script_next(&fs, &cur, &c), 1);
	CHECK(c.type == IFS_CMD_RUN && c.argc == 1 && !strcmp(c.argv[0], "bin/sh"));
	CHECK(c.priority == 0 && c.policy == IFS_SCHED_INHERIT && c.flags == 0);
	CHECK_EQ(ifs_script_next(&fs, &cur, &c), 1);
	CHECK(c.priority == 255 && c.policy == IFS_SCHED_RR && !strcmp(c.argv[1], "y"));
	CHECK_EQ(ifs_script_next(&fs, &cur, &c), 1);
	CHECK(c.priority == 1 && c.policy == IFS_SCHED_OTHER && !strcmp(c.argv[0], "z"));
	CHECK_EQ(ifs_script_next(&fs, &cur, &c), 0);
	CHECK_EQ(ifs_script_next(&fs, &cur, &c), 0); /* and stays at the end */
	CHECK_EQ(cur, fs.script_size);
	cur = fs.script_size + 8;
	CHECK_EQ(ifs_script_next(&fs, &cur, &c), IFS_E_INVAL);

	/* A buffer longer than the image (a page-rounded module) is fine. */
	uint8_t *big = calloc(1, im.n + 8192);
	memcpy(big, im.p, im.n);
	memset(big + im.n, 0xee, 8192);
	CHECK_EQ(ifs_open(&fs, big, im.n + 8192), 0);
	CHECK_EQ(fs.size, im.n);
	free(big);

	/* Same input, same bytes. */
	struct img again = good();
	CHECK(again.n == im.n && !memcmp(again.p, im.p, im.n));
	free(again.p);
	free(im.p);

	/* The smallest image: a header and nothing else. */
	struct mk_image m = {0};
	im = build(&m);
	CHECK_EQ(im.n, 64);
	CHECK_EQ(ifs_open(&fs, im.p, im.n), 0);
	cur = 0;
	CHECK(fs.entry_count == 0 && fs.flags == 0 && ifs_script_next(&fs, &cur, &c) == 0);
	CHECK_EQ(ifs_lookup(&fs, "proc", &e), IFS_E_NOENT);
	free(im.p);

	CHECK_EQ(ifs_open(NULL, im.p, 64), IFS_E_INVAL);
	CHECK_EQ(ifs_open(&fs, NULL, 64), IFS_E_INVAL);
}

static void test_header_damage(void)
{
	struct img im = good();
	struct ifs fs;
	int all_truncated = 1;

	/* Every truncation: the header says more than there is. */
	for (size_t n = 0; n < im.n; n++)
		if (ifs_open(&fs, im.p, n) != IFS_E_TRUNCATED)
			all_truncated = 0;
	CHECK(all_truncated);
	free(im.p);

	DAMAGED(im.p[0] = 'X', IFS_E_MAGIC);
	DAMAGED(im.p[7] = '2', IFS_E_MAGIC);
	DAMAGED(put32(&im, H(version), 2), IFS_E_VERSION);
	DAMAGED(put32(&im, H(version), 0), IFS_E_VERSION);
	DAMAGED(put32(&im, H(header_size), 63), IFS_E_HEADER_SIZE);
	DAMAGED(put32(&im, H(header_size), 128), IFS_E_HEADER_SIZE);
	DAMAGED(put64(&im, H(image_size), 63), IFS_E_IMAGE_SIZE);
	DAMAGED(put64(&im, H(image_size), im.n + 1), IFS_E_TRUNCATED);
	DAMAGED(put64(&im, H(image_size), UINT64_MAX), IFS_E_TRUNCATED);
	DAMAGED(put32(&im, H(reserved), 1), IFS_E_RESERVED);
	DAMAGED(put32(&im, H(flags), IFS_F_X86_64 | IFS_F_AARCH64), IFS_E_FLAGS);
	DAMAGED(put32(&im, H(flags), 0x4), IFS_E_FLAGS);
	DAMAGED(put32(&im, H(flags), 0x80000000), IFS_E_FLAGS);

	/* The CRC: a flipped bit anywhere, or in the CRC itself. */
	im = good();
	im.p[im.n - 1] ^= 1; /* last byte of proc's data */
	CHECK_EQ(open_img(&im), IFS_E_CRC);
	im.p[im.n - 1] ^= 1;
	im.p[H(crc32)] ^= 0x80;
	CHECK_EQ(open_img(&im), IFS_E_CRC);
	im.p[H(crc32)] ^= 0x80;
	im.p[100] ^= 4; /* inside the entry table */
	CHECK_EQ(open_img(&im), IFS_E_CRC);
	im.p[100] ^= 4;
	CHECK_EQ(open_img(&im), 0);
	/* ifs_open_nocrc (proc's, on the image the kernel checked): a wrong
	 * CRC passes, anything else is still refused. */
	{
		struct ifs fs;
		im.p[H(crc32)] ^= 0x80;
		CHECK_EQ(ifs_open_nocrc(&fs, im.p, im.n), 0);
		CHECK_EQ(fs.entry_count, 5u);
		put32(&im, H(reserved), 1);
		CHECK_EQ(ifs_open_nocrc(&fs, im.p, im.n), IFS_E_RESERVED);
		put32(&im, H(reserved), 0);
		im.p[H(crc32)] ^= 0x80;
	}
	/* A shorter image_size with its CRC: data then falls outside. */
	put64(&im, H(image_size), im.n - 1);
	fix_crc(&im);
	CHECK_EQ(open_img(&im), IFS_E_DATA);
	free(im.p);

	/* The tables. */
	DAMAGED(put32(&im, H(entry_count), 6), IFS_E_ENTRY_TABLE);
	DAMAGED(put32(&im, H(entry_table_size), 4 * 48), IFS_E_ENTRY_TABLE);
	/* count * 48 == size modulo 2^32 must not pass: 2^28 * 48 = 3 * 2^32. */
	DAMAGED(put32(&im, H(entry_count), 5 + (1u << 28)), IFS_E_ENTRY_TABLE);
	DAMAGED(put32(&im, H(entry_table_off), 68), IFS_E_ENTRY_TABLE);
	DAMAGED(put32(&im, H(entry_table_off), 0), IFS_E_ENTRY_TABLE);
	DAMAGED(put32(&im, H(entry_table_off), 56), IFS_E_ENTRY_TABLE);
	DAMAGED(put32(&im, H(entry_table_off), 0xfffffff8), IFS_E_ENTRY_TABLE);
	DAMAGED(put32(&im, H(strtab_off), (uint32_t)im.n), IFS_E_STRTAB);
	DAMAGED(put32(&im, H(strtab_size), 0xffffffff), IFS_E_STRTAB);
	DAMAGED((put32(&im, H(strtab_off), 0xffffffff), put32(&im, H(strtab_size), 2)),
		IFS_E_STRTAB);
	DAMAGED(put32(&im, H(strtab_off), 8), IFS_E_STRTAB);
	DAMAGED(put32(&im, H(script_off), get32(&im, H(script_off)) + 4), IFS_E_SCRIPT_BLOCK);
	DAMAGED(put32(&im, H(script_size), get32(&im, H(script_size)) - 4), IFS_E_SCRIPT_BLOCK);
	DAMAGED(put32(&im, H(script_off), 0xfffffff8), IFS_E_SCRIPT_BLOCK);
	DAMAGED(put32(&im, H(script_size), 0xfffffff8), IFS_E_SCRIPT_BLOCK);
	DAMAGED(put32(&im, H(script_off), 32), IFS_E_SCRIPT_BLOCK);
	DAMAGED(put32(&im, H(strtab_off), 64), IFS_E_TABLE_OVERLAP);
	DAMAGED(put32(&im, H(script_off), get32(&im, H(strtab_off)) / 8 * 8), IFS_E_TABLE_OVERLAP);
	DAMAGED(put32(&im, H(entry_table_off), get32(&im, H(script_off))), IFS_E_TABLE_OVERLAP);
}

static void test_entry_damage(void)
{
	/* Entry 0 is "bin/sh" (name at 0 in the string table), 2 "empty". */
	DAMAGED(put32(&im, D(0, name_off), 0xffffffff), IFS_E_NAME);
	DAMAGED(put32(&im, D(0, name_len), 0xffffffff), IFS_E_NAME);
	DAMAGED(put32(&im, D(0, name_len), 5), IFS_E_NAME); /* no NUL after "bin/s" */
	DAMAGED(put32(&im, D(0, name_off), get32(&im, H(strtab_size))), IFS_E_NAME);
	DAMAGED(put32(&im, D(0, name_len), 0), IFS_E_NAME); /* "" is followed by 'b' */
	DAMAGED(memcpy(im.p + get32(&im, H(strtab_off)), "bin/..", 6), IFS_E_NAME_SYNTAX);
	DAMAGED(memcpy(im.p + get32(&im, H(strtab_off)), "/in/sh", 6), IFS_E_NAME_SYNTAX);
	DAMAGED(memcpy(im.p + get32(&im, H(strtab_off)), "bin//h", 6), IFS_E_NAME_SYNTAX);
	DAMAGED(memcpy(im.p + get32(&im, H(strtab_off)), "bin/\x1b", 5), IFS_E_NAME_SYNTAX);
	DAMAGED(memcpy(im.p + get32(&im, H(strtab_off)), "bin/s/", 6), IFS_E_NAME_SYNTAX);
	/* An empty name: point at a NUL. */
	DAMAGED((put32(&im, D(0, name_off), 6), put32(&im, D(0, name_len), 0)), IFS_E_NAME_SYNTAX);
	/* Entry 1 named like entry 0. */
	DAMAGED((put32(&im, D(1, name_off), get32(&im, D(0, name_off))),
		 put32(&im, D(1, name_len), get32(&im, D(0, name_len)))),
		IFS_E_DUPLICATE);
	/* Entries 1 and 3 swapped (bin-x, etc/motd). */
	DAMAGED(swap_entries(&im, 1, 3), IFS_E_ORDER);
	/* Names sorted bytewise instead of '/' first: "bin-x" before "bin/sh". */
	DAMAGED(memcpy(im.p + get32(&im, H(strtab_off)), "bin-zz", 6), IFS_E_ORDER);
	DAMAGED(put32(&im, D(2, type), 2), IFS_E_ENTRY_TYPE);
	DAMAGED(put32(&im, D(2, type), 0), IFS_E_ENTRY_TYPE);
	DAMAGED(put32(&im, D(2, mode), 010000), IFS_E_MODE);
	DAMAGED(put32(&im, D(2, mode), 0100644), IFS_E_MODE);
	DAMAGED(put64(&im, D(2, reserved), 1), IFS_E_RESERVED);
	/* Data: outside, overflowing, misaligned, over tables or a neighbour. */
	DAMAGED(put64(&im, D(4, data_size), 5001), IFS_E_DATA);
	DAMAGED(put64(&im, D(4, data_size), UINT64_MAX), IFS_E_DATA);
	DAMAGED(put64(&im, D(4, data_off), UINT64_MAX - 4095), IFS_E_DATA);
	DAMAGED(put64(&im, D(4, data_off), get64(&im, D(4, data_off)) + 4096), IFS_E_DATA);
	DAMAGED(put64(&im, D(0, data_off), get64(&im, D(0, data_off)) + 1), IFS_E_DATA_ALIGN);
	DAMAGED(put64(&im, D(2, data_off), 4096), IFS_E_DATA_ALIGN); /* empty, with an offset */
	DAMAGED(put64(&im, D(0, data_off), 0), IFS_E_DATA_OVERLAP);  /* over the header */
	DAMAGED(put64(&im, D(1, data_off), get64(&im, D(0, data_off))), IFS_E_DATA_OVERLAP);
	DAMAGED(put64(&im, D(0, data_off), get64(&im, D(4, data_off))), IFS_E_DATA_OVERLAP);

	/* "a" and "a/b" together (the writer does not check; the reader must),
	 * even with "a-b" between them in plain byte order. */
	struct mk_image m = {0};
	mk_add_file(&m, "a", "1", 1, 0444, 0, 0, 0);
	mk_add_file(&m, "a-b", "2", 1, 0444, 0, 0, 0);
	mk_add_file(&m, "a/b", "3", 1, 0444, 0, 0, 0);
	struct img im = build(&m);
	CHECK_EQ(open_img(&im), IFS_E_NAME_CONFLICT);
	free(im.p);
	mk_free(&m);
	mk_add_file(&m, "a", "1", 1, 0444, 0, 0, 0);
	mk_add_file(&m, "a-b", "2", 1, 0444, 0, 0, 0);
	mk_add_file(&m, "ab/c", "3", 1, 0444, 0, 0, 0);
	im = build(&m);
	CHECK_EQ(open_img(&im), 0);
	free(im.p);
	mk_free(&m);
}

/* An image with one command, to test command rules on well-formed records. */
static int one_cmd(unsigned type, int argc, char *const argv[], unsigned prio, unsigned policy,
		   unsigned flags, uint32_t value)
{
	struct mk_image m = {0};
	struct mk_cmd *c = mk_add_cmd(&m, type, argc, argv, 0);
	c->priority = (uint8_t)prio;
	c->policy = (uint8_t)policy;
	c->flags = (uint16_t)flags;
	c->value = value;
	struct img im = build(&m);
	int r = open_img(&im);
	if (r == 0) { /* it must then iterate */
		struct ifs fs;
		struct ifs_cmd cmd;
		uint32_t cur = 0;
		ifs_open(&fs, im.p, im.n);
		if (ifs_script_next(&fs, &cur, &cmd) != 1 || cmd.type != type ||
		    cmd.argc != (uint32_t)argc || ifs_script_next(&fs, &cur, &cmd) != 0)
			r = 1;
	}
	free(im.p);
	mk_free(&m);
	return r;
}

static void test_script_damage(void)
{
	/* Records: 0 DISPLAY_MSG "Muon boot" (size 40, strings 10), 1 SETENV
	 * (40), 2 WAITFOR (40), 3 RUN proc -v "two words" "" (size 48, strings
	 * 19), 4, 5, 6 RUN (size 32 each): 264 bytes. */
	struct img g = good();
	CHECK_EQ(get32(&g, H(script_size)), 264);
	CHECK_EQ(record(&g, 6), get32(&g, H(script_off)) + 232);
	free(g.p);
	DAMAGED(put32(&im, record(&im, 0), 0), IFS_E_RECORD);
	DAMAGED(put32(&im, record(&im, 0), 16), IFS_E_RECORD);
	DAMAGED(put32(&im, record(&im, 0), 44), IFS_E_RECORD);
	DAMAGED(put32(&im, record(&im, 0), 0xfffffff8), IFS_E_RECORD);
	DAMAGED(put32(&im, record(&im, 6), 40), IFS_E_RECORD); /* past the block */
	/* Record sizes lying, shorter or longer than the strings. */
	DAMAGED(put32(&im, record(&im, 0), 32), IFS_E_RECORD);
	DAMAGED(put32(&im, record(&im, 0), 48), IFS_E_RECORD);
	DAMAGED(put32(&im, record(&im, 0) + C(strings_size), 17), IFS_E_RECORD);
	DAMAGED(put32(&im, record(&im, 0) + C(strings_size), 0xffffffff), IFS_E_RECORD);
	/* strings_size lying within the padding: the last string loses its NUL,
	 * or the padding becomes strings. */
	DAMAGED(put32(&im, record(&im, 0) + C(strings_size), 9), IFS_E_RECORD_STRINGS);
	DAMAGED(put32(&im, record(&im, 0) + C(strings_size), 12), IFS_E_RECORD_STRINGS);
	/* The block one record longer than its records: an empty record. */
	DAMAGED(put32(&im, H(script_size), get32(&im, H(script_size)) + 8), IFS_E_RECORD);
	DAMAGED(put32(&im, H(script_size), get32(&im, H(script_size)) + 24), IFS_E_RECORD);
	/* argc lying: more, fewer, far more strings than there are. */
	DAMAGED(put16(&im, record(&im, 3) + C(argc), 5), IFS_E_RECORD_STRINGS);
	DAMAGED(put16(&im, record(&im, 3) + C(argc), 3), IFS_E_RECORD_STRINGS);
	DAMAGED(put16(&im, record(&im, 3) + C(argc), 0xffff), IFS_E_RECORD_STRINGS);
	DAMAGED(im.p[record(&im, 0) + 39] = 1, IFS_E_RECORD_STRINGS); /* padding */
	DAMAGED(im.p[record(&im, 0) + 30] = 0, IFS_E_RECORD_STRINGS); /* a NUL inside */
	DAMAGED(put32(&im, record(&im, 0) + C(reserved), 1), IFS_E_RESERVED);
	DAMAGED(put16(&im, record(&im, 0) + C(type), 0), IFS_E_RECORD);
	DAMAGED(put16(&im, record(&im, 3) + C(flags), 2), IFS_E_RECORD_FLAGS);
	DAMAGED(put16(&im, record(&im, 0) + C(flags), IFS_CMDF_BACKGROUND), IFS_E_RECORD_FLAGS);
	DAMAGED(im.p[record(&im, 3) + C(policy)] = 4, IFS_E_SCHED);
	DAMAGED(im.p[record(&im, 1) + C(priority)] = 10, IFS_E_SCHED);
	DAMAGED(im.p[record(&im, 2) + C(policy)] = IFS_SCHED_FIFO, IFS_E_SCHED);
	DAMAGED(put32(&im, record(&im, 0) + C(value), 1), IFS_E_COMMAND);
	DAMAGED(put32(&im, record(&im, 3) + C(value), 1), IFS_E_COMMAND);
	/* An unknown type is skippable: accepted, and seen by the iterator. */
	DAMAGED(put16(&im, record(&im, 0) + C(type), 99), 0);

	/* Command rules on well-formed records. */
	char *none[] = {NULL}, *empty[] = {""}, *one[] = {"a"}, *two[] = {"a", "b"};
	char *eqname[] = {"A=B", "c"}, *eqfirst[] = {"=B", "c"}, *noname[] = {"", "c"};
	CHECK_EQ(one_cmd(IFS_CMD_RUN, 1, one, 0, 0, 0, 0), 0);
	CHECK_EQ(one_cmd(IFS_CMD_RUN, 0, none, 0, 0, 0, 0), IFS_E_COMMAND);
	CHECK_EQ(one_cmd(IFS_CMD_RUN, 1, empty, 0, 0, 0, 0), IFS_E_COMMAND);
	CHECK_EQ(one_cmd(IFS_CMD_SETENV, 2, two, 0, 0, 0, 0), 0);
	CHECK_EQ(one_cmd(IFS_CMD_SETENV, 1, one, 0, 0, 0, 0), IFS_E_COMMAND);
	CHECK_EQ(one_cmd(IFS_CMD_SETENV, 2, eqname, 0, 0, 0, 0), IFS_E_COMMAND);
	CHECK_EQ(one_cmd(IFS_CMD_SETENV, 2, eqfirst, 0, 0, 0, 0), IFS_E_COMMAND);
	CHECK_EQ(one_cmd(IFS_CMD_SETENV, 2, noname, 0, 0, 0, 0), IFS_E_COMMAND);
	CHECK_EQ(one_cmd(IFS_CMD_SETENV, 2, two, 0, 0, IFS_CMDF_BACKGROUND, 0), IFS_E_RECORD_FLAGS);
	CHECK_EQ(one_cmd(IFS_CMD_DISPLAY_MSG, 1, empty, 0, 0, 0, 0), 0);
	CHECK_EQ(one_cmd(IFS_CMD_DISPLAY_MSG, 2, two, 0, 0, 0, 0), IFS_E_COMMAND);
	CHECK_EQ(one_cmd(IFS_CMD_DISPLAY_MSG, 1, one, 5, 0, 0, 0), IFS_E_SCHED);
	CHECK_EQ(one_cmd(IFS_CMD_WAITFOR, 1, one, 0, 0, 0, 100), 0);
	CHECK_EQ(one_cmd(IFS_CMD_WAITFOR, 1, empty, 0, 0, 0, 100), IFS_E_COMMAND);
	CHECK_EQ(one_cmd(IFS_CMD_WAITFOR, 2, two, 0, 0, 0, 100), IFS_E_COMMAND);
	CHECK_EQ(one_cmd(IFS_CMD_REOPEN, 1, one, 0, 0, 0, 0), 0);
	CHECK_EQ(one_cmd(IFS_CMD_REOPEN, 1, empty, 0, 0, 0, 0), IFS_E_COMMAND);
	CHECK_EQ(one_cmd(IFS_CMD_REOPEN, 1, one, 0, 0, 0, 5), IFS_E_COMMAND);
	CHECK_EQ(one_cmd(IFS_CMD_RUN, 1, one, 0, 4, 0, 0), IFS_E_SCHED);
	CHECK_EQ(one_cmd(IFS_CMD_RUN, 1, one, 0, 0, 0x8000, 0), IFS_E_RECORD_FLAGS);
	CHECK_EQ(one_cmd(IFS_CMD_RUN, 1, one, 0, 0, IFS_CMDF_RESTART | IFS_CMDF_BACKGROUND, 0), 0);
	CHECK_EQ(one_cmd(IFS_CMD_RUN, 1, one, 0, 0, IFS_CMDF_RESTART, 0), IFS_E_RECORD_FLAGS);
	CHECK_EQ(one_cmd(IFS_CMD_WAITFOR, 1, one, 0, 0, IFS_CMDF_RESTART, 100), IFS_E_RECORD_FLAGS);
	CHECK_EQ(one_cmd(200, 0, none, 0, 0, 0, 7), 0); /* unknown, no strings */
	char *many[IFS_MAX_ARGS + 1];
	for (int i = 0; i <= IFS_MAX_ARGS; i++)
		many[i] = "arg";
	CHECK_EQ(one_cmd(IFS_CMD_RUN, IFS_MAX_ARGS, many, 0, 0, 0, 0), 0);
	CHECK_EQ(one_cmd(IFS_CMD_RUN, IFS_MAX_ARGS + 1, many, 0, 0, 0, 0), IFS_E_COMMAND);
	/* Unknown types may have more strings than argv holds: args only. */
	CHECK_EQ(one_cmd(300, IFS_MAX_ARGS + 1, many, 0, 0, 0, 0), 0);
	struct mk_image m = {0};
	mk_add_cmd(&m, 300, IFS_MAX_ARGS + 1, many, 0);
	struct img im = build(&m);
	struct ifs fs;
	struct ifs_cmd c;
	uint32_t cur = 0;
	CHECK(ifs_open(&fs, im.p, im.n) == 0 && ifs_script_next(&fs, &cur, &c) == 1);
	CHECK(c.type == 300 && c.argc == IFS_MAX_ARGS + 1 && c.argv[0] == NULL);
	CHECK(c.args_len == 4 * (IFS_MAX_ARGS + 1) && !strcmp(c.args, "arg"));
	free(im.p);
	mk_free(&m);
}

/* Flip each bit of a small image, with the CRC fixed: never a crash, and
 * whatever is accepted iterates cleanly. ASan watches the reads. */
static void test_bit_flips(void)
{
	struct img im = good();
	uint64_t meta = get32(&im, H(script_off)) + get32(&im, H(script_size));
	int accepted = 0, bad_iter = 0;

	for (uint64_t off = 0; off < meta; off++) {
		for (int bit = 0; bit < 8; bit++) {
			struct ifs fs;
			struct ifs_entry e;
			struct ifs_cmd c;
			uint32_t cur = 0;
			int r;

			im.p[off] ^= (uint8_t)(1 << bit);
			if (off < H(crc32) || off >= H(crc32) + 4)
				fix_crc(&im);
			/* An exact-size heap copy so ASan sees any overread. */
			uint8_t *copy = malloc(im.n);
			memcpy(copy, im.p, im.n);
			if (ifs_open(&fs, copy, im.n) == 0) {
				accepted++;
				for (uint32_t i = 0; i < fs.entry_count; i++)
					if (ifs_entry_at(&fs, i, &e) < 0 ||
					    ifs_lookup_n(&fs, e.name, e.name_len, &e) < 0 ||
					    e.index != i)
						bad_iter++;
				while ((r = ifs_script_next(&fs, &cur, &c)) > 0)
					;
				if (r < 0)
					bad_iter++;
			}
			free(copy);
			im.p[off] ^= (uint8_t)(1 << bit);
		}
	}
	fix_crc(&im);
	printf("# %d of %d one-bit changes still valid images\n", accepted, (int)meta * 8);
	CHECK(accepted > 0 && accepted < (int)meta * 8);
	CHECK_EQ(bad_iter, 0);
	free(im.p);
}

/* Seeds for fuzz_ifs: the good image with its files emptied but one small
 * one (so it stays near 4 KiB), and a script-only image. */
static int write_seeds(const char *dir)
{
	struct mk_image m;
	struct img im[2];
	static const char *names[] = {"small.ifs", "script-only.ifs"};
	char path[4096];

	good_image(&m);
	for (size_t i = 0; i < m.nfiles; i++)
		if (strcmp(m.files[i].name, "etc/motd"))
			m.files[i].size = 0;
	im[0] = build(&m);
	mk_free(&m);
	good_image(&m);
	for (size_t i = 0; i < m.nfiles; i++) {
		free(m.files[i].name);
		free(m.files[i].data);
	}
	m.nfiles = 0;
	im[1] = build(&m);
	mk_free(&m);
	for (int i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		FILE *f = fopen(path, "wb");
		if (!f || fwrite(im[i].p, 1, im[i].n, f) != im[i].n || fclose(f))
			return 2;
		free(im[i].p);
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 2)
		return write_seeds(argv[1]);
	test_helpers();
	test_good();
	test_header_damage();
	test_entry_damage();
	test_script_damage();
	test_bit_flips();
	return ht_done();
}
