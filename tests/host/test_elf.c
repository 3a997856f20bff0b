/*
 * Host tests of the ELF checker (lib/elf.c): hand-built minimal ELF64
 * executables for x86-64 and AArch64 accepted with the right description,
 * every kind of broken one refused with its own error, and real static
 * binaries built at test time with the host's gcc and aarch64-linux-gnu-gcc
 * (into build/host/elf-test/; skipped when a compiler is missing).
 *
 * Usage: test_elf [SEED-DIR]  (writes the fuzzing seeds there and exits).
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../../include/muon/elf.h"
#include "host_test.h"

/* --- building ---------------------------------------------------------------------- */

struct seg {
	uint32_t type, flags;
	uint64_t offset, vaddr, filesz, memsz, align;
};

static uint8_t buf[0x3000];

static void put16(size_t off, uint16_t v)
{
	memcpy(buf + off, &v, 2);
}

static void put32(size_t off, uint32_t v)
{
	memcpy(buf + off, &v, 4);
}

static void put64(size_t off, uint64_t v)
{
	memcpy(buf + off, &v, 8);
}

#define EH(f)	 offsetof(struct elf64_ehdr, f)
#define PH(i, f) (64 + (i)*56 + offsetof(struct elf64_phdr, f))

/* An ELF header and n program headers right after it, in buf. */
static void mkelf(unsigned machine, uint64_t entry, const struct seg *s, int n)
{
	memset(buf, 0, sizeof(buf));
	memcpy(buf, ELFMAG, 4);
	buf[EI_CLASS] = ELFCLASS64;
	buf[EI_DATA] = ELFDATA2LSB;
	buf[EI_VERSION] = EV_CURRENT;
	put16(EH(e_type), ET_EXEC);
	put16(EH(e_machine), (uint16_t)machine);
	put32(EH(e_version), EV_CURRENT);
	put64(EH(e_entry), entry);
	put64(EH(e_phoff), 64);
	put16(EH(e_ehsize), 64);
	put16(EH(e_phentsize), 56);
	put16(EH(e_phnum), (uint16_t)n);
	for (int i = 0; i < n; i++) {
		put32(PH(i, p_type), s[i].type);
		put32(PH(i, p_flags), s[i].flags);
		put64(PH(i, p_offset), s[i].offset);
		put64(PH(i, p_vaddr), s[i].vaddr);
		put64(PH(i, p_paddr), s[i].vaddr);
		put64(PH(i, p_filesz), s[i].filesz);
		put64(PH(i, p_memsz), s[i].memsz);
		put64(PH(i, p_align), s[i].align);
	}
}

/*
 * The "classic" layout (one file page for everything, data at a different
 * virtual page): headers (64 + 3 * 56 = 0xe8 bytes) and 8 bytes of code,
 * RX at 0x400000 from offset 0; data RW at 0x6010f0 from offset 0xf0
 * (congruent modulo 4 KiB) with bss after it; stack RW. 0x100 bytes.
 */
#define SMALL_SIZE 0x100
static const struct seg small_segs[] = {
    {PT_LOAD, PF_R | PF_X, 0, 0x400000, 0xf0, 0xf0, 0x1000},
    {PT_LOAD, PF_R | PF_W, 0xf0, 0x6010f0, 0x10, 0x2000, 0x1000},
    {PT_GNU_STACK, PF_R | PF_W, 0, 0, 0, 0, 16},
};
#define SMALL_ENTRY 0x4000e8

static void small(unsigned machine)
{
	mkelf(machine, SMALL_ENTRY, small_segs, 3);
	/* Some "code" at the entry: a branch to itself on either machine. */
	memcpy(buf + 0xe8, machine == EM_X86_64 ? "\xeb\xfe\x90\x90" : "\x00\x00\x00\x14", 4);
	memset(buf + 0xf0, 0x5a, 0x10);
}

/* Same layout, with s[] replacing the program headers. */
static int check_segs(unsigned machine, uint64_t entry, const struct seg *s, int n,
		      struct elf_info *info)
{
	mkelf(machine, entry, s, n);
	return elf_check(buf, sizeof(buf), machine, info);
}

static int check_buf(size_t size, unsigned machine)
{
	struct elf_info info;
	/* An exact-size copy, so ASan sees any read past size. */
	uint8_t *copy = malloc(size ? size : 1);
	memcpy(copy, buf, size);
	int r = elf_check(copy, size, machine, &info);
	free(copy);
	return r;
}

/* Expect err from the small x86-64 image after a change. */
#define BROKEN(what, err)                                                                          \
	do {                                                                                       \
		small(EM_X86_64);                                                                  \
		what;                                                                              \
		int r_ = check_buf(SMALL_SIZE, EM_X86_64);                                         \
		if (!CHECK_EQ(r_, err))                                                            \
			printf("#   %s: %s\n", #what, elf_strerror(r_));                           \
	} while (0)

/* Expect err from segments s (x86-64, entry in the first unless given). */
#define SEGS(entry, err, ...)                                                                      \
	do {                                                                                       \
		const struct seg s_[] = {__VA_ARGS__};                                             \
		struct elf_info i_;                                                                \
		int r_ = check_segs(EM_X86_64, entry, s_, (int)(sizeof(s_) / sizeof(s_[0])), &i_); \
		if (!CHECK_EQ(r_, err))                                                            \
			printf("#   %s\n", elf_strerror(r_));                                      \
	} while (0)

/* --- hand-built ---------------------------------------------------------------------- */

static void test_good(void)
{
	struct elf_info info;

	for (int m = 0; m < 2; m++) {
		unsigned machine = m ? EM_AARCH64 : EM_X86_64;
		small(machine);
		CHECK_EQ(check_buf(SMALL_SIZE, machine), 0);
		CHECK_EQ(elf_check(buf, SMALL_SIZE, machine, &info), 0);
		CHECK_EQ(info.machine, machine);
		CHECK_EQ(info.entry, SMALL_ENTRY);
		CHECK_EQ(info.nsegs, 2);
		CHECK(info.seg[0].vaddr == 0x400000 && info.seg[0].memsz == 0xf0 &&
		      info.seg[0].offset == 0 && info.seg[0].filesz == 0xf0);
		CHECK_EQ(info.seg[0].prot, ELF_PROT_READ | ELF_PROT_EXEC);
		CHECK(info.seg[1].vaddr == 0x6010f0 && info.seg[1].memsz == 0x2000 &&
		      info.seg[1].offset == 0xf0 && info.seg[1].filesz == 0x10);
		CHECK_EQ(info.seg[1].prot, ELF_PROT_READ | ELF_PROT_WRITE);
		CHECK_EQ(info.lo, 0x400000);
		CHECK_EQ(info.hi, 0x604000);	     /* 0x6010f0 + 0x2000 rounded up */
		CHECK_EQ(info.phdr_vaddr, 0x400040); /* headers are in the text segment */
		CHECK(info.phnum == 3 && info.phentsize == 56 && !info.has_tls);
		/* The other machine is refused. */
		CHECK_EQ(elf_check(buf, SMALL_SIZE, m ? EM_X86_64 : EM_AARCH64, &info),
			 ELF_E_MACHINE);
	}

	/* A longer buffer than the file is fine (trailing bytes ignored). */
	small(EM_X86_64);
	CHECK_EQ(elf_check(buf, sizeof(buf), EM_X86_64, &info), 0);
	/* GNU OS ABI (what ld writes for IFUNC users) is accepted. */
	BROKEN(buf[EI_OSABI] = ELFOSABI_GNU, 0);
	/* Unknown program header types, notes, PT_PHDR: looked past. */
	SEGS(0x401000, 0, {PT_NOTE, PF_R, 0, 0, 0, 0, 4}, {0x6474e552, PF_R, 0, 0, 0, 0, 1},
	     {PT_LOAD, PF_R | PF_X, 0x1000, 0x401000, 0x100, 0x100, 0x1000},
	     {PT_PHDR, PF_R, 64, 0x7000, 3 * 56, 3 * 56, 8});
	struct elf_info i2;
	const struct seg phdr[] = {{PT_PHDR, PF_R, 64, 0x400040, 112, 112, 8},
				   {PT_LOAD, PF_R | PF_X, 0, 0x400000, 0x1000, 0x1000, 0x1000}};
	CHECK_EQ(check_segs(EM_AARCH64, 0x400800, phdr, 2, &i2), 0);
	CHECK_EQ(i2.phdr_vaddr, 0x400040);
	/* Headers outside every segment: no AT_PHDR. */
	const struct seg nophdr[] = {
	    {PT_LOAD, PF_R | PF_X, 0x1000, 0x401000, 0x100, 0x100, 0x1000}};
	CHECK_EQ(check_segs(EM_X86_64, 0x401000, nophdr, 1, &i2), 0);
	CHECK_EQ(i2.phdr_vaddr, 0);
	/* Empty PT_LOADs are skipped, not counted. */
	SEGS(0x401000, 0, {PT_LOAD, PF_R | PF_W | PF_X, 0, 0, 0, 0, 0},
	     {PT_LOAD, PF_R | PF_X, 0x1000, 0x401000, 0x100, 0x100, 0x1000});
	/* Segments touching (end of one page, start of the next) are fine. */
	SEGS(0x401000, 0, {PT_LOAD, PF_R | PF_X, 0x1000, 0x401000, 0x1000, 0x1000, 0x1000},
	     {PT_LOAD, PF_R | PF_W, 0x2000, 0x402000, 0x10, 0x10, 0x1000});
	/* The highest user page, and exactly up to the kernel half. */
	SEGS(0x7ffffffff000, 0,
	     {PT_LOAD, PF_R | PF_X, 0x1000, 0x7ffffffff000, 0x1000, 0x1000, 0x1000});
	/* Eight segments is the most. */
	SEGS(0x401000, 0, {PT_LOAD, PF_R | PF_X, 0x1000, 0x401000, 0x10, 0x10, 0x1000},
	     {PT_LOAD, PF_R, 0x1000, 0x411000, 0x10, 0x10, 0x1000},
	     {PT_LOAD, PF_R, 0x1000, 0x421000, 0x10, 0x10, 0x1000},
	     {PT_LOAD, PF_R, 0x1000, 0x431000, 0x10, 0x10, 0x1000},
	     {PT_LOAD, PF_R, 0x1000, 0x441000, 0x10, 0x10, 0x1000},
	     {PT_LOAD, PF_R, 0x1000, 0x451000, 0x10, 0x10, 0x1000},
	     {PT_LOAD, PF_R, 0x1000, 0x461000, 0x10, 0x10, 0x1000},
	     {PT_LOAD, PF_R | PF_W, 0x1000, 0x471000, 0x10, 0x10, 0x1000});
	/* TLS: its .tdata inside a loaded segment. */
	const struct seg tls[] = {{PT_LOAD, PF_R | PF_X, 0x1000, 0x401000, 0x100, 0x100, 0x1000},
				  {PT_LOAD, PF_R | PF_W, 0x2000, 0x402000, 0x100, 0x200, 0x1000},
				  {PT_TLS, PF_R, 0x2010, 0x402010, 0x20, 0x400, 64}};
	CHECK_EQ(check_segs(EM_X86_64, 0x401000, tls, 3, &i2), 0);
	CHECK(i2.has_tls && i2.tls_vaddr == 0x402010 && i2.tls_filesz == 0x20 &&
	      i2.tls_memsz == 0x400 && i2.tls_align == 64);
}

static void test_broken_headers(void)
{
	int all = 1;

	/* Every truncation of the file is refused (most: segment outside). */
	small(EM_X86_64);
	for (size_t n = 0; n < SMALL_SIZE; n++)
		if (check_buf(n, EM_X86_64) == 0)
			all = 0;
	CHECK(all);
	BROKEN(, 0);
	CHECK_EQ(check_buf(63, EM_X86_64), ELF_E_TRUNCATED);
	CHECK_EQ(check_buf(0, EM_X86_64), ELF_E_TRUNCATED);
	BROKEN(buf[0] = 0x7e, ELF_E_MAGIC);
	BROKEN(buf[3] = 'f', ELF_E_MAGIC);
	BROKEN(buf[EI_CLASS] = 1, ELF_E_CLASS);
	BROKEN(buf[EI_CLASS] = 0, ELF_E_CLASS);
	BROKEN(buf[EI_DATA] = 2, ELF_E_ENDIAN);
	BROKEN(buf[EI_VERSION] = 2, ELF_E_VERSION);
	BROKEN(put32(EH(e_version), 0), ELF_E_VERSION);
	BROKEN(buf[EI_OSABI] = 9, ELF_E_OSABI); /* FreeBSD */
	BROKEN(buf[EI_ABIVERSION] = 1, ELF_E_OSABI);
	BROKEN(put16(EH(e_type), ET_DYN), ELF_E_TYPE);	/* PIE */
	BROKEN(put16(EH(e_type), 1), ELF_E_TYPE);	/* ET_REL */
	BROKEN(put16(EH(e_type), 4), ELF_E_TYPE);	/* ET_CORE */
	BROKEN(put16(EH(e_machine), 3), ELF_E_MACHINE); /* i386 */
	BROKEN(put16(EH(e_machine), EM_AARCH64), ELF_E_MACHINE);
	BROKEN(put16(EH(e_ehsize), 52), ELF_E_EHSIZE);
	BROKEN(put16(EH(e_phentsize), 32), ELF_E_PHENTSIZE);
	BROKEN(put16(EH(e_phentsize), 64), ELF_E_PHENTSIZE);
	BROKEN(put16(EH(e_phnum), 0), ELF_E_PHNUM);
	BROKEN(put16(EH(e_phnum), 0xffff), ELF_E_PHNUM);
	BROKEN(put16(EH(e_phnum), 4), ELF_E_PHDRS); /* 64 + 4 * 56 > 0x100 */
	BROKEN(put64(EH(e_phoff), 0xd0), ELF_E_PHDRS);
	BROKEN(put64(EH(e_phoff), 0x100), ELF_E_PHDRS);
	BROKEN(put64(EH(e_phoff), UINT64_MAX - 8), ELF_E_PHDRS);
	BROKEN(put64(EH(e_phoff), (1ull << 63)), ELF_E_PHDRS);
	/* Entry points: in data, in nothing, past the text's file bytes. */
	BROKEN(put64(EH(e_entry), 0x6010f0), ELF_E_ENTRY);
	BROKEN(put64(EH(e_entry), 0), ELF_E_ENTRY);
	BROKEN(put64(EH(e_entry), 0x4000f0), ELF_E_ENTRY);
	BROKEN(put64(EH(e_entry), 0x3fffff), ELF_E_ENTRY);
	BROKEN(put64(EH(e_entry), 0xffffffff80000000), ELF_E_ENTRY);

	struct elf_info info;
	CHECK_EQ(elf_check(buf, sizeof(buf), 3, &info), ELF_E_INVAL);
	CHECK_EQ(elf_check(NULL, sizeof(buf), EM_X86_64, &info), ELF_E_INVAL);
	CHECK_EQ(elf_check(buf, sizeof(buf), EM_X86_64, NULL), ELF_E_INVAL);

	int distinct = 1;
	for (int e = ELF_E_INVAL; e <= ELF_E_TRUNCATED; e++)
		for (int f = e + 1; f <= ELF_E_TRUNCATED; f++)
			if (!strcmp(elf_strerror(e), elf_strerror(f)))
				distinct = 0;
	CHECK(distinct);
	CHECK(!strcmp(elf_strerror(ELF_E_WX), "segment both writable and executable (W^X)"));
	CHECK(!strcmp(elf_strerror(1), "unknown error"));
	CHECK(!strcmp(elf_strerror(-100), "unknown error"));
}

static void test_broken_segments(void)
{
	const uint32_t RX = PF_R | PF_X, RW = PF_R | PF_W;

	/* Dynamic linking. */
	SEGS(0x401000, ELF_E_INTERP, {PT_INTERP, PF_R, 0x200, 0x400200, 28, 28, 1},
	     {PT_LOAD, RX, 0x1000, 0x401000, 0x100, 0x100, 0x1000});
	SEGS(0x401000, ELF_E_DYNAMIC, {PT_LOAD, RX, 0x1000, 0x401000, 0x100, 0x100, 0x1000},
	     {PT_DYNAMIC, RW, 0x1000, 0x401000, 0x10, 0x10, 8});
	/* Sizes and file bounds. */
	SEGS(0x401000, ELF_E_FILESZ, {PT_LOAD, RX, 0x1000, 0x401000, 0x101, 0x100, 0x1000});
	SEGS(0x401000, ELF_E_FILESZ, {PT_LOAD, RX, 0x1000, 0x401000, 0x10, 0, 0x1000});
	SEGS(0x401000, ELF_E_SEGMENT_FILE, {PT_LOAD, RX, 0x2f00, 0x401f00, 0x200, 0x200, 0x1000});
	SEGS(0x401000, ELF_E_SEGMENT_FILE,
	     {PT_LOAD, RX, 0xfffffffffffff000, 0x401000, 0x2000, 0x2000, 0x1000});
	SEGS(0x401000, ELF_E_SEGMENT_FILE, {PT_LOAD, RX, 0x4000, 0x404000, 0, 0x100, 0x1000});
	/* Alignment: not congruent modulo 4 KiB, or modulo p_align, or a
	 * p_align that is not a power of two. */
	SEGS(0x401000, ELF_E_ALIGN, {PT_LOAD, RX, 0x1000, 0x401800, 0x100, 0x100, 0x1000});
	SEGS(0x401010, ELF_E_ALIGN, {PT_LOAD, RX, 0x1000, 0x401010, 0x100, 0x100, 0});
	SEGS(0x412000, ELF_E_ALIGN, {PT_LOAD, RX, 0x1000, 0x412000, 0x100, 0x100, 0x10000});
	SEGS(0x401000, ELF_E_ALIGN, {PT_LOAD, RX, 0x1000, 0x401000, 0x100, 0x100, 0x3000});
	/* Addresses: page 0, the kernel half, crossing into it, wrapping. */
	SEGS(0x0, ELF_E_ADDRESS, {PT_LOAD, RX, 0x1000, 0x0, 0x100, 0x100, 0x1000});
	SEGS(0x800, ELF_E_ADDRESS, {PT_LOAD, RX, 0x800, 0x800, 0x100, 0x100, 0x1000});
	SEGS(0xffffffff80001000, ELF_E_ADDRESS,
	     {PT_LOAD, RX, 0x1000, 0xffffffff80001000, 0x100, 0x100, 0x1000});
	SEGS(0xffff800000001000, ELF_E_ADDRESS,
	     {PT_LOAD, RX, 0x1000, 0xffff800000001000, 0x100, 0x100, 0x1000});
	SEGS(0x7ffffffff000, ELF_E_ADDRESS,
	     {PT_LOAD, RX, 0x1000, 0x7ffffffff000, 0x1000, 0x1001, 0x1000});
	SEGS(0x800000000000, ELF_E_ADDRESS,
	     {PT_LOAD, RX, 0x1000, 0x800000000000, 0x100, 0x100, 0x1000});
	SEGS(0x401000, ELF_E_ADDRESS,
	     {PT_LOAD, RX, 0x1000, 0x401000, 0x100, 0xfffffffffffff000, 0x1000});
	/* W^X. */
	SEGS(0x401000, ELF_E_WX,
	     {PT_LOAD, PF_R | PF_W | PF_X, 0x1000, 0x401000, 0x100, 0x100, 0x1000});
	SEGS(0x401000, ELF_E_WX, {PT_LOAD, RX, 0x1000, 0x401000, 0x100, 0x100, 0x1000},
	     {PT_LOAD, PF_W | PF_X, 0x2000, 0x402000, 0x100, 0x100, 0x1000});
	SEGS(0x401000, ELF_E_EXECSTACK, {PT_LOAD, RX, 0x1000, 0x401000, 0x100, 0x100, 0x1000},
	     {PT_GNU_STACK, PF_R | PF_W | PF_X, 0, 0, 0, 0, 16});
	/* Overlap: the same range, a shared page, bss running into the next. */
	SEGS(0x401000, ELF_E_OVERLAP, {PT_LOAD, RX, 0x1000, 0x401000, 0x100, 0x100, 0x1000},
	     {PT_LOAD, PF_R, 0x1000, 0x401000, 0x100, 0x100, 0x1000});
	SEGS(0x401000, ELF_E_OVERLAP, {PT_LOAD, RX, 0x1000, 0x401000, 0x100, 0x100, 0x1000},
	     {PT_LOAD, RW, 0x1800, 0x401800, 0x100, 0x100, 0x1000});
	SEGS(0x401000, ELF_E_OVERLAP, {PT_LOAD, RW, 0x2000, 0x400000, 0x100, 0x1001, 0x1000},
	     {PT_LOAD, RX, 0x1000, 0x401000, 0x100, 0x100, 0x1000});
	SEGS(0x401000, ELF_E_OVERLAP, {PT_LOAD, RX, 0x1000, 0x401000, 0x100, 0x100, 0x1000},
	     {PT_LOAD, RW, 0x1000, 0x300000, 0x100, 0x200000, 0x1000});
	/* Nothing to load, or too much. */
	SEGS(0x401000, ELF_E_NO_LOAD, {PT_GNU_STACK, RW, 0, 0, 0, 0, 16});
	SEGS(0x401000, ELF_E_NO_LOAD, {PT_LOAD, RX, 0x1000, 0x401000, 0, 0, 0x1000});
	SEGS(0x401000, ELF_E_TOO_MANY, {PT_LOAD, RX, 0x1000, 0x401000, 0x10, 0x10, 0x1000},
	     {PT_LOAD, PF_R, 0x1000, 0x411000, 0x10, 0x10, 0x1000},
	     {PT_LOAD, PF_R, 0x1000, 0x421000, 0x10, 0x10, 0x1000},
	     {PT_LOAD, PF_R, 0x1000, 0x431000, 0x10, 0x10, 0x1000},
	     {PT_LOAD, PF_R, 0x1000, 0x441000, 0x10, 0x10, 0x1000},
	     {PT_LOAD, PF_R, 0x1000, 0x451000, 0x10, 0x10, 0x1000},
	     {PT_LOAD, PF_R, 0x1000, 0x461000, 0x10, 0x10, 0x1000},
	     {PT_LOAD, PF_R, 0x1000, 0x471000, 0x10, 0x10, 0x1000},
	     {PT_LOAD, PF_R | PF_W, 0x1000, 0x481000, 0x10, 0x10, 0x1000});
	/* The entry point: a readable but not executable segment, its bss. */
	SEGS(0x401000, ELF_E_ENTRY, {PT_LOAD, PF_R, 0x1000, 0x401000, 0x100, 0x100, 0x1000});
	SEGS(0x401100, ELF_E_ENTRY, {PT_LOAD, RX, 0x1000, 0x401000, 0x100, 0x200, 0x1000});
	/* TLS: two, filesz > memsz, outside the file, bad align, outside segments. */
	SEGS(0x401000, ELF_E_TLS, {PT_LOAD, RX, 0x1000, 0x401000, 0x100, 0x100, 0x1000},
	     {PT_TLS, PF_R, 0x1000, 0x401000, 0x10, 0x10, 8},
	     {PT_TLS, PF_R, 0x1000, 0x401000, 0x10, 0x10, 8});
	SEGS(0x401000, ELF_E_TLS, {PT_LOAD, RX, 0x1000, 0x401000, 0x100, 0x100, 0x1000},
	     {PT_TLS, PF_R, 0x1000, 0x401000, 0x20, 0x10, 8});
	SEGS(0x401000, ELF_E_TLS, {PT_LOAD, RX, 0x1000, 0x401000, 0x100, 0x100, 0x1000},
	     {PT_TLS, PF_R, 0x2ff8, 0x401000, 0x10, 0x10, 8});
	SEGS(0x401000, ELF_E_TLS, {PT_LOAD, RX, 0x1000, 0x401000, 0x100, 0x100, 0x1000},
	     {PT_TLS, PF_R, 0x1000, 0x401000, 0x10, 0x10, 12});
	SEGS(0x401000, ELF_E_TLS, {PT_LOAD, RX, 0x1000, 0x401000, 0x100, 0x100, 0x1000},
	     {PT_TLS, PF_R, 0x1000, 0x501000, 0x10, 0x10, 8});
	SEGS(0x401000, ELF_E_TLS, {PT_LOAD, RX, 0x1000, 0x401000, 0x100, 0x100, 0x1000},
	     {PT_TLS, PF_R, 0x1000, 0x4010f8, 0x10, 0x10, 8});
}

/* --- real binaries --------------------------------------------------------------------- */

static const char start_c[] = "/* Written by tests/host/test_elf.c: a minimal static program. */\n"
			      "int counter = 1;              /* .data: a writable segment */\n"
			      "char scratch[8192];           /* .bss */\n"
			      "static const char msg[] = \"read-only data\";\n"
			      "void _start(void)\n"
			      "{\n"
			      "\tfor (;;) {\n"
			      "\t\tcounter++;\n"
			      "\t\tscratch[counter & 8191] = msg[counter & 7];\n"
			      "\t}\n"
			      "}\n";

static uint8_t *slurp(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	uint8_t *p = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 && fseek(f, 0, SEEK_SET) == 0) {
		p = malloc((size_t)n);
		if (p && fread(p, 1, (size_t)n, f) != (size_t)n) {
			free(p);
			p = NULL;
		}
		*size = (size_t)n;
	}
	fclose(f);
	return p;
}

static void real_binary(const char *cc, unsigned machine, const char *extra)
{
	const char *dir = "build/host/elf-test";
	char cmd[1024], out[256], which[256];
	struct elf_info info;
	size_t size = 0;

	snprintf(which, sizeof(which), "command -v %s >/dev/null 2>&1", cc);
	if (system(which) != 0) {
		printf("ok %d - real %s binary # SKIP %s not installed\n", ++ht_count, cc, cc);
		return;
	}
	mkdir("build", 0777);
	mkdir("build/host", 0777);
	mkdir(dir, 0777);
	snprintf(out, sizeof(out), "%s/start-%u", dir, machine);
	snprintf(cmd, sizeof(cmd), "%s/start.c", dir);
	FILE *f = fopen(cmd, "w");
	if (!f || fputs(start_c, f) < 0 || fclose(f)) {
		CHECK(!"cannot write build/host/elf-test/start.c");
		return;
	}
	snprintf(cmd, sizeof(cmd),
		 "%s -static -nostdlib -no-pie -fno-pie -O1 -ffreestanding -fno-stack-protector "
		 "-Wl,-z,noexecstack -Wl,--build-id=none %s -o %s %s/start.c",
		 cc, extra, out, dir);
	if (!CHECK_EQ(system(cmd), 0)) {
		printf("#   %s\n", cmd);
		return;
	}
	uint8_t *img = slurp(out, &size);
	if (!CHECK(img != NULL))
		return;
	int r = elf_check(img, size, machine, &info);
	if (!CHECK_EQ(r, 0))
		printf("#   %s: %s\n", out, elf_strerror(r));
	/* Its description matches the file's own header. */
	uint64_t entry;
	memcpy(&entry, img + EH(e_entry), 8);
	CHECK_EQ(info.entry, entry);
	int text = 0, data = 0;
	for (uint32_t i = 0; i < info.nsegs; i++) {
		printf("#   %s: segment %u: vaddr %#llx memsz %#llx offset %#llx filesz %#llx prot "
		       "%u\n",
		       cc, i, (unsigned long long)info.seg[i].vaddr,
		       (unsigned long long)info.seg[i].memsz,
		       (unsigned long long)info.seg[i].offset,
		       (unsigned long long)info.seg[i].filesz, info.seg[i].prot);
		text += (info.seg[i].prot & ELF_PROT_EXEC) != 0;
		data += (info.seg[i].prot & ELF_PROT_WRITE) != 0;
	}
	CHECK(text == 1 && data == 1);
	int bss = 0;
	for (uint32_t i = 0; i < info.nsegs; i++)
		bss += info.seg[i].memsz >= info.seg[i].filesz + 8192;
	CHECK_EQ(bss, 1);
	CHECK(info.lo >= 0x1000 && info.hi <= ELF_USER_TOP && info.lo < info.hi);
	/* And as the wrong machine, refused. */
	CHECK_EQ(elf_check(img, size, machine == EM_X86_64 ? EM_AARCH64 : EM_X86_64, &info),
		 ELF_E_MACHINE);
	free(img);
}

static int write_seeds(const char *dir)
{
	char path[4096];

	for (int m = 0; m < 2; m++) {
		small(m ? EM_AARCH64 : EM_X86_64);
		snprintf(path, sizeof(path), "%s/small-%s.elf", dir, m ? "aarch64" : "x86_64");
		FILE *f = fopen(path, "wb");
		if (!f || fwrite(buf, 1, SMALL_SIZE, f) != SMALL_SIZE || fclose(f))
			return 2;
	}
	/* With TLS and a PT_PHDR, so those paths have a seed too. */
	const struct seg s[] = {{PT_PHDR, PF_R, 64, 0x400040, 4 * 56, 4 * 56, 8},
				{PT_LOAD, PF_R | PF_X, 0, 0x400000, 0x180, 0x180, 0x1000},
				{PT_LOAD, PF_R | PF_W, 0x180, 0x601180, 0x20, 0x100, 0x1000},
				{PT_TLS, PF_R, 0x180, 0x601180, 0x10, 0x40, 16}};
	mkelf(EM_AARCH64, 0x400140, s, 4);
	snprintf(path, sizeof(path), "%s/tls-aarch64.elf", dir);
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(buf, 1, 0x1a0, f) != 0x1a0 || fclose(f))
		return 2;
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 2)
		return write_seeds(argv[1]);
	test_good();
	test_broken_headers();
	test_broken_segments();
	real_binary("gcc", EM_X86_64, "");
	real_binary("aarch64-linux-gnu-gcc", EM_AARCH64, "");
	return ht_done();
}
