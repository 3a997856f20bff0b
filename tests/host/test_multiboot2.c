/*
 * Host tests of the multiboot2 parser (arch/x86_64/multiboot2.c): a
 * well-formed information block like GRUB's, then every kind of damage
 * refused with its error.
 */
#include "host_test.h"

#include "../../arch/x86_64/multiboot2.h"
#include <string.h>

static uint8_t buf[4096] __attribute__((aligned(8)));
static uint32_t len;

static void put32(uint32_t off, uint32_t v) { memcpy(buf + off, &v, 4); }

/* Append a tag with the given body; returns the tag's offset. */
static uint32_t tag(uint32_t type, const void *body, uint32_t blen)
{
	uint32_t off = len;

	put32(off, type);
	put32(off + 4, 8 + blen);
	if (blen)
		memcpy(buf + off + 8, body, blen);
	len = (off + 8 + blen + 7) & ~7u;
	return off;
}

static void start(void)
{
	memset(buf, 0, sizeof(buf));
	len = 8;
}

static void finish(void)
{
	tag(0, NULL, 0);
	put32(0, len);
}

static void build_good(void)
{
	uint8_t mmap[8 + 3 * 24], mod[8 + 9];

	start();
	tag(1, "ktest crash=page", 17);
	tag(2, "GRUB 2.06", 10);
	uint32_t mi[2] = {639, 261120};
	tag(4, mi, 8);
	memset(mmap, 0, sizeof(mmap));
	memcpy(mmap, &(uint32_t){24}, 4);
	memcpy(mmap + 4, &(uint32_t){0}, 4);
	uint64_t e[3][3] = {{0, 0x9fc00, 1}, {0x9fc00, 0x400, 2}, {0x100000, 0xfee0000, 1}};
	for (int i = 0; i < 3; i++) {
		memcpy(mmap + 8 + 24 * i, &e[i][0], 8);
		memcpy(mmap + 16 + 24 * i, &e[i][1], 8);
		memcpy(mmap + 24 + 24 * i, &(uint32_t){(uint32_t)e[i][2]}, 4);
	}
	tag(6, mmap, sizeof(mmap));
	memcpy(mod, &(uint32_t){0x300000}, 4);
	memcpy(mod + 4, &(uint32_t){0x301000}, 4);
	memcpy(mod + 8, "boot.ifs", 9);
	tag(3, mod, sizeof(mod));
	tag(21, &(uint32_t){0x200000}, 4); /* a tag we skip */
	finish();
}

int main(int argc, char **argv)
{
	struct mb2_info mi;

	build_good();
	if (argc == 2) { /* write the good block as a fuzzing seed */
		FILE *f = fopen(argv[1], "wb");
		if (!f || fwrite(buf, 1, len, f) != len || fclose(f))
			return 2;
	}
	CHECK_EQ(mb2_parse(buf, sizeof(buf), &mi), MB2_OK);
	CHECK_EQ(mi.total_size, len);
	CHECK(mi.cmdline && !strcmp(mi.cmdline, "ktest crash=page"));
	CHECK(mi.loader && !strcmp(mi.loader, "GRUB 2.06"));
	CHECK(mi.have_meminfo);
	CHECK_EQ(mi.mem_lower_kib, 639);
	CHECK_EQ(mi.nmmap, 3);
	CHECK_EQ(mi.mmap[2].base, 0x100000);
	CHECK_EQ(mi.mmap[2].len, 0xfee0000);
	CHECK_EQ(mi.mmap[1].type, 2);
	CHECK_EQ(mi.nmodules, 1);
	CHECK_EQ(mi.modules[0].start, 0x300000);
	CHECK_EQ(mi.modules[0].end, 0x301000);
	CHECK(!strcmp(mi.modules[0].name, "boot.ifs"));
	/* The parser only reads inside the given size. */
	CHECK_EQ(mb2_parse(buf, len - 1, &mi), MB2_E_SIZE);
	CHECK_EQ(mb2_parse(buf, 4, &mi), MB2_E_SHORT);
	CHECK_EQ(mb2_parse(buf + 4, sizeof(buf) - 4, &mi), MB2_E_ALIGN);

	/* Damage, one kind at a time. */
	build_good();
	put32(0, 8);
	CHECK_EQ(mb2_parse(buf, sizeof(buf), &mi), MB2_E_SIZE);

	build_good();
	put32(8 + 4, 4); /* first tag's size below 8 */
	CHECK_EQ(mb2_parse(buf, sizeof(buf), &mi), MB2_E_TAG);

	build_good();
	put32(8 + 4, 0xfffffff9u); /* first tag runs past the end */
	CHECK_EQ(mb2_parse(buf, sizeof(buf), &mi), MB2_E_TAG);

	build_good();
	buf[8 + 8 + 16] = 'x'; /* command line loses its NUL */
	CHECK_EQ(mb2_parse(buf, sizeof(buf), &mi), MB2_E_STRING);

	build_good();
	put32(len - 8, 5); /* end tag becomes an unknown tag: no end */
	CHECK_EQ(mb2_parse(buf, sizeof(buf), &mi), MB2_E_NO_END);

	start();
	uint8_t mm[8 + 24] = {0};
	memcpy(mm, &(uint32_t){20}, 4); /* entry size below 24 */
	tag(6, mm, sizeof(mm));
	finish();
	CHECK_EQ(mb2_parse(buf, sizeof(buf), &mi), MB2_E_MMAP);

	start();
	uint8_t md[8 + 2] = {0};
	memcpy(md, &(uint32_t){0x5000}, 4);
	memcpy(md + 4, &(uint32_t){0x4000}, 4); /* end before start */
	tag(3, md, sizeof(md));
	finish();
	CHECK_EQ(mb2_parse(buf, sizeof(buf), &mi), MB2_E_MODULE);

	/* Too many map entries: kept up to the limit, the rest counted. */
	start();
	uint8_t big[8 + 24 * (MB2_MAX_MMAP + 3)];
	memset(big, 0, sizeof(big));
	memcpy(big, &(uint32_t){24}, 4);
	tag(6, big, sizeof(big));
	finish();
	CHECK_EQ(mb2_parse(buf, sizeof(buf), &mi), MB2_OK);
	CHECK_EQ(mi.nmmap, MB2_MAX_MMAP);
	CHECK_EQ(mi.mmap_dropped, 3);
	CHECK(!strcmp(mb2_strerror(MB2_E_NO_END), "no end tag"));
	return ht_done();
}
