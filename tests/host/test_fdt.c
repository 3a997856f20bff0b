/*
 * Host tests of the FDT reader (arch/common/fdt.c) and platform discovery
 * (arch/common/dtb.c): QEMU virt's real DTBs (dumped with dumpdtb, GICv2,
 * GICv3, EL2) and a Pi-4-shaped tree must give the real values; hand-made
 * broken blobs must each be refused with an error; every truncation and
 * many corruptions of a real blob must be handled without a crash.
 *
 * Usage: test_fdt [corpus-dir]  (default tests/host/corpus/fdt, or found
 * next to the binary's source tree when run from elsewhere).
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dtb.h"
#include "fdt.h"
#include "host_test.h"

static const char *corpus_dir = "tests/host/corpus/fdt";

struct blob {
	uint8_t *data;
	size_t size;
};

static struct blob load(const char *name)
{
	char path[1024];
	struct blob b = {NULL, 0};
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", corpus_dir, name);
	fp = fopen(path, "rb");
	if (!fp) {
		printf("# cannot open %s\n", path);
		return b;
	}
	fseek(fp, 0, SEEK_END);
	b.size = (size_t)ftell(fp);
	fseek(fp, 0, SEEK_SET);
	b.data = malloc(b.size ? b.size : 1);
	if (fread(b.data, 1, b.size, fp) != b.size)
		b.size = 0;
	fclose(fp);
	return b;
}

/* Find the corpus when not run from the project root: the binary lives in
 * build/host/, the corpus in tests/host/corpus/fdt. */
static void find_corpus(int argc, char **argv)
{
	static char buf[1024];
	char exe[900];
	ssize_t n;

	if (argc > 1) {
		corpus_dir = argv[1];
		return;
	}
	if (!access("tests/host/corpus/fdt/virt-gicv2.dtb", R_OK))
		return;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return;
	exe[n] = '\0';
	char *slash = strrchr(exe, '/');
	if (slash)
		*slash = '\0';
	snprintf(buf, sizeof(buf), "%s/../../tests/host/corpus/fdt", exe);
	corpus_dir = buf;
}

/* --- a tiny DTB builder for hand-made blobs ------------------------------ */

struct builder {
	uint8_t st[4096]; /* structure block */
	size_t nst;
	char strs[512]; /* strings block */
	size_t nstrs;
};

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

static void b_u32(struct builder *b, uint32_t v)
{
	put32(b->st + b->nst, v);
	b->nst += 4;
}

static void b_bytes(struct builder *b, const void *p, size_t n)
{
	if (n)
		memcpy(b->st + b->nst, p, n);
	b->nst += n;
	while (b->nst & 3)
		b->st[b->nst++] = 0;
}

static void b_begin(struct builder *b, const char *name)
{
	b_u32(b, 1);
	b_bytes(b, name, strlen(name) + 1);
}

static void b_end(struct builder *b)
{
	b_u32(b, 2);
}

static uint32_t b_str(struct builder *b, const char *s)
{
	for (size_t i = 0; i < b->nstrs; i += strlen(b->strs + i) + 1)
		if (!strcmp(b->strs + i, s))
			return (uint32_t)i;
	uint32_t off = (uint32_t)b->nstrs;
	memcpy(b->strs + b->nstrs, s, strlen(s) + 1);
	b->nstrs += strlen(s) + 1;
	return off;
}

static void b_prop(struct builder *b, const char *name, const void *val, uint32_t len)
{
	b_u32(b, 3);
	b_u32(b, len);
	b_u32(b, b_str(b, name));
	b_bytes(b, val, len);
}

static void b_prop_cells(struct builder *b, const char *name, const uint32_t *c, int n)
{
	uint8_t v[64];

	for (int i = 0; i < n; i++)
		put32(v + 4 * i, c[i]);
	b_prop(b, name, v, (uint32_t)(4 * n));
}

static void b_prop_str(struct builder *b, const char *name, const char *s)
{
	b_prop(b, name, s, (uint32_t)strlen(s) + 1);
}

/* Lay out header, empty reservation map, structure and strings. */
static struct blob b_finish(struct builder *b, bool add_end)
{
	struct blob out;
	size_t off_rsv = 40, off_st = off_rsv + 16;

	if (add_end)
		b_u32(b, 9);
	size_t off_strs = off_st + b->nst, total = off_strs + b->nstrs;
	out.size = total;
	out.data = calloc(1, total);
	put32(out.data + 0, FDT_MAGIC);
	put32(out.data + 4, (uint32_t)total);
	put32(out.data + 8, (uint32_t)off_st);
	put32(out.data + 12, (uint32_t)off_strs);
	put32(out.data + 16, (uint32_t)off_rsv);
	put32(out.data + 20, 17);
	put32(out.data + 24, 16);
	put32(out.data + 28, 0);
	put32(out.data + 32, (uint32_t)b->nstrs);
	put32(out.data + 36, (uint32_t)b->nst);
	memcpy(out.data + off_st, b->st, b->nst);
	memcpy(out.data + off_strs, b->strs, b->nstrs);
	return out;
}

/* A small well-formed tree used as the base of the broken variants. */
static struct blob good_tree(void)
{
	static struct builder b;
	const uint32_t two = 2, one = 1;
	const uint32_t mem[] = {0, 0x80000000u, 0x1000000};

	memset(&b, 0, sizeof(b));
	b_begin(&b, "");
	b_prop_cells(&b, "#address-cells", &two, 1);
	b_prop_cells(&b, "#size-cells", &one, 1);
	b_prop_str(&b, "model", "builder");
	b_begin(&b, "memory@80000000");
	b_prop_str(&b, "device_type", "memory");
	b_prop_cells(&b, "reg", mem, 3);
	b_end(&b);
	b_begin(&b, "chosen");
	b_prop_str(&b, "bootargs", "a b=c");
	b_end(&b);
	b_end(&b);
	return b_finish(&b, true);
}

static uint32_t get32(const uint8_t *p)
{
	return fdt_be32(p);
}

/* --- the QEMU virt trees --------------------------------------------------- */

static void test_virt(const char *file, int gic, enum dt_psci_method psci)
{
	struct blob b = load(file);
	struct fdt f;
	struct dt_platform p;

	printf("# %s\n", file);
	if (!CHECK(b.size > 0))
		return;
	CHECK_EQ(fdt_init(&f, b.data, b.size), 0);
	CHECK_EQ(dtb_parse(&f, &p), 0);
	CHECK(!strcmp(p.model, "linux,dummy-virt"));
	CHECK_EQ(p.nmem, 1);
	CHECK_EQ(p.mem[0].base, 0x40000000);
	CHECK_EQ(p.mem[0].size, 256u << 20); /* -m 256 */
	CHECK_EQ(p.uart.kind, DT_UART_PL011);
	CHECK_EQ(p.uart.base, 0x09000000);
	CHECK_EQ(p.uart.size, 0x1000);
	CHECK(p.uart.from_stdout_path);
	CHECK_EQ(p.gic.version, gic);
	CHECK_EQ(p.gic.dist_base, 0x08000000);
	CHECK_EQ(p.gic.dist_size, 0x10000);
	if (gic == 2) {
		CHECK_EQ(p.gic.cpu_base, 0x08010000);
		CHECK_EQ(p.gic.cpu_size, 0x10000);
	} else {
		CHECK_EQ(p.gic.redist_base, 0x080a0000);
		CHECK_EQ(p.gic.redist_size, 0xf60000);
		CHECK_EQ(p.gic.redist_regions, 1);
	}
	CHECK(p.timer.found);
	CHECK_EQ(p.timer.nirq, 4);
	CHECK_EQ(p.timer.intid[DT_TIMER_SEC_PHYS], 29);
	CHECK_EQ(p.timer.intid[DT_TIMER_PHYS], 30);
	CHECK_EQ(p.timer.intid[DT_TIMER_VIRT], 27);
	CHECK_EQ(p.timer.intid[DT_TIMER_HYP_PHYS], 26);
	CHECK_EQ(p.psci, psci);
	CHECK(p.has_bootargs);
	CHECK(!strncmp(p.bootargs, "ktest", 5));
	CHECK_EQ(p.ncpus, 1);
	CHECK_EQ(p.cpu[0].mpidr, 0);
	CHECK_EQ(p.cpu[0].method, DT_CPU_NONE); /* QEMU names none for one CPU */
	CHECK_EQ(p.nreserved, 0);
	CHECK_EQ(p.warnings, 0);

	/* The lower-level walkers on the same tree. */
	int uart = fdt_path(&f, "/pl011@9000000", 14);
	CHECK(uart > 0);
	CHECK_EQ(fdt_path(&f, "/pl011", 6), uart); /* no unit address */
	CHECK(fdt_path(&f, "/pl011@1", 8) < 0);
	CHECK(fdt_node_compatible(&f, uart, "arm,primecell"));
	int intc = fdt_find_compatible(&f, -1, gic == 2 ? "arm,cortex-a15-gic" : "arm,gic-v3");
	CHECK(intc > 0);
	uint32_t ph = 0;
	CHECK(fdt_getprop_u32(&f, intc, "phandle", &ph));
	CHECK_EQ(fdt_node_by_phandle(&f, ph), intc);
	CHECK_EQ(fdt_path(&f, "/", 1), fdt_root(&f));
	int depth = 0, nodes = 0, maxdepth = 0;
	for (int n = fdt_root(&f); n >= 0; n = fdt_next_node(&f, n, &depth)) {
		nodes++;
		if (depth > maxdepth)
			maxdepth = depth;
	}
	CHECK(nodes > 40);
	CHECK(maxdepth >= 2);
	/* Counting children with first_child/next_sibling agrees with the
	 * preorder walk for the root's direct children. */
	int kids = 0;
	for (int n = fdt_first_child(&f, fdt_root(&f)); n >= 0; n = fdt_next_sibling(&f, n))
		kids++;
	CHECK(kids > 10 && kids < nodes);

	/* The exact size is the limit: one byte less is refused. */
	CHECK_EQ(fdt_init(&f, b.data, b.size - 1), FDT_ERR_TRUNCATED);
	free(b.data);
}

static void test_rpi4_like(void)
{
	struct blob b = load("rpi4-like.dtb");
	struct fdt f;
	struct dt_platform p;

	printf("# rpi4-like.dtb\n");
	if (!CHECK(b.size > 0))
		return;
	CHECK_EQ(fdt_init(&f, b.data, b.size), 0);
	CHECK_EQ(f.nrsv, 1);
	CHECK_EQ(dtb_parse(&f, &p), 0);
	CHECK(!strncmp(p.model, "Raspberry Pi 4", 14));
	CHECK_EQ(p.nmem, 2); /* #size-cells = 1 at the root */
	CHECK_EQ(p.mem[0].base, 0);
	CHECK_EQ(p.mem[0].size, 0x3b400000);
	CHECK_EQ(p.mem[1].base, 0x40000000);
	CHECK_EQ(p.mem[1].size, 0xbc000000);
	CHECK_EQ(p.nreserved, 2); /* /memreserve/ and nvram; cma has no reg */
	CHECK_EQ(p.reserved[0].base, 0);
	CHECK_EQ(p.reserved[0].size, 0x1000);
	CHECK_EQ(p.reserved[1].base, 0x3b3f0000);
	CHECK_EQ(p.reserved[1].size, 0x10000);
	/* stdout-path "serial1:115200n8" -> alias -> /soc ranges */
	CHECK_EQ(p.uart.kind, DT_UART_PL011);
	CHECK_EQ(p.uart.base, 0xfe201000);
	CHECK_EQ(p.uart.size, 0x200);
	CHECK_EQ(p.uart.clock_hz, 48000000);
	CHECK(p.uart.from_stdout_path);
	CHECK_EQ(p.gic.version, 2);
	CHECK_EQ(p.gic.dist_base, 0xff841000);
	CHECK_EQ(p.gic.cpu_base, 0xff842000);
	CHECK_EQ(p.gic.cpu_size, 0x2000);
	CHECK_EQ(p.timer.nirq, 4);
	CHECK_EQ(p.timer.intid[DT_TIMER_VIRT], 27);
	CHECK_EQ(p.timer.intid[DT_TIMER_PHYS], 30);
	CHECK_EQ(p.psci, DT_PSCI_NONE);
	CHECK_EQ(p.ncpus, 4);
	for (unsigned i = 0; i < 4; i++) { /* the spin table at 0xd8 */
		CHECK_EQ(p.cpu[i].mpidr, i);
		CHECK_EQ(p.cpu[i].method, DT_CPU_SPIN_TABLE);
		CHECK_EQ(p.cpu[i].release_addr, 0xd8 + 8 * i);
	}
	CHECK(!strcmp(p.bootargs, "coherent_pool=1M ktest"));
	CHECK_EQ(p.warnings, 0);

	/* The same blob as a version 16 one (no size_dt_struct) still reads. */
	put32(b.data + 20, 16);
	put32(b.data + 36, 0xdeadbeef); /* not a v16 field: must be ignored */
	CHECK_EQ(fdt_init(&f, b.data, b.size), 0);
	CHECK_EQ(dtb_parse(&f, &p), 0);
	CHECK_EQ(p.uart.base, 0xfe201000);
	free(b.data);
}

/* Replace the first occurrence of from (with its NUL) by to, of the same
 * length. */
static bool patch_str(struct blob b, const char *from, const char *to)
{
	size_t n = strlen(from) + 1;

	if (strlen(to) + 1 != n)
		return false;
	for (size_t i = 0; i + n <= b.size; i++)
		if (!memcmp(b.data + i, from, n)) {
			memcpy(b.data + i, to, n);
			return true;
		}
	return false;
}

/* Shaped like Debian's bcm2711-rpi-4-b.dtb: the mini UART through the
 * serial1 alias, its AUX block, pins and baud; the PM watchdog; the
 * firmware's mailbox and how the VideoCore sees RAM. Then the PL011 by
 * serial0, and the fallbacks when stdout-path is of no use. */
static void test_rpi4_stock_like(void)
{
	struct blob b = load("rpi4-stock-like.dtb");
	struct fdt f;
	struct dt_platform p;

	printf("# rpi4-stock-like.dtb\n");
	if (!CHECK(b.size > 0))
		return;
	CHECK_EQ(fdt_init(&f, b.data, b.size), 0);
	CHECK_EQ(dtb_parse(&f, &p), 0);
	CHECK_EQ(p.uart.kind, DT_UART_BCM2835_AUX);
	CHECK(p.uart.from_stdout_path);
	CHECK(!p.uart.stdout_unusable);
	CHECK_EQ(p.uart.base, 0xfe215040);
	CHECK_EQ(p.uart.aux_base, 0xfe215000);
	CHECK_EQ(p.uart.intid, 32 + 93);
	CHECK_EQ(p.uart.baud, 115200);
	CHECK_EQ(p.uart.clock_hz, 0); /* cprman's rates are not in the tree */
	CHECK_EQ(p.uart.gpio_base, 0xfe200000);
	CHECK_EQ(p.uart.npins, 2);
	CHECK_EQ(p.uart.pins[0].pin, 14);
	CHECK_EQ(p.uart.pins[1].pin, 15);
	CHECK_EQ(p.uart.pins[0].function, 2); /* ALT5 */
	CHECK_EQ(p.uart.pins[1].function, 2);
	CHECK_EQ(p.pm_base, 0xfe100000);
	CHECK_EQ(p.fw_mbox.base, 0xfe00b880);
	CHECK_EQ(p.fw_mbox.dma_bus, 0xc0000000);
	CHECK_EQ(p.fw_mbox.dma_cpu, 0);
	CHECK_EQ(p.fw_mbox.dma_size, 0x40000000);
	CHECK_EQ(p.psci, DT_PSCI_NONE);
	CHECK(strstr(p.bootargs, "ktest") != NULL);
	CHECK_EQ(p.warnings, 0);

	/* serial0: the PL011, its two pin groups (one function each or for all) */
	CHECK(patch_str(b, "serial1:115200n8", "serial0:115200n8"));
	CHECK_EQ(fdt_init(&f, b.data, b.size), 0);
	CHECK_EQ(dtb_parse(&f, &p), 0);
	CHECK_EQ(p.uart.kind, DT_UART_PL011);
	CHECK_EQ(p.uart.base, 0xfe201000);
	CHECK_EQ(p.uart.aux_base, 0);
	CHECK_EQ(p.uart.baud, 115200);
	CHECK_EQ(p.uart.npins, 4);
	CHECK_EQ(p.uart.pins[0].pin, 30);
	CHECK_EQ(p.uart.pins[3].pin, 33);
	CHECK_EQ(p.uart.pins[3].function, 7); /* ALT3 */
	CHECK_EQ(p.warnings, 0);

	/* An alias that does not exist: the first UART we drive, baud unset */
	CHECK(patch_str(b, "serial0:115200n8", "serial9:115200n8"));
	CHECK_EQ(fdt_init(&f, b.data, b.size), 0);
	CHECK_EQ(dtb_parse(&f, &p), 0);
	CHECK_EQ(p.uart.kind, DT_UART_PL011);
	CHECK(!p.uart.from_stdout_path);
	CHECK(p.uart.stdout_unusable);
	CHECK_EQ(p.uart.baud, 0);

	/* A UART we cannot drive: the same fallback */
	CHECK(patch_str(b, "serial9:115200n8", "/soc/firmware:12"));
	CHECK_EQ(fdt_init(&f, b.data, b.size), 0);
	CHECK_EQ(dtb_parse(&f, &p), 0);
	CHECK_EQ(p.uart.kind, DT_UART_PL011);
	CHECK(p.uart.stdout_unusable);

	/* No stdout-path at all: the fallback, said as such */
	CHECK(patch_str(b, "stdout-path", "stdout-patX"));
	CHECK_EQ(fdt_init(&f, b.data, b.size), 0);
	CHECK_EQ(dtb_parse(&f, &p), 0);
	CHECK_EQ(p.uart.kind, DT_UART_PL011);
	CHECK(!p.uart.from_stdout_path);
	CHECK(!p.uart.stdout_unusable);
	free(b.data);
}

/* --- broken blobs ------------------------------------------------------------ */

/* Corrupt a copy of the good tree with fn; fdt_init must return want. */
static void expect_refused(const char *what, struct blob good, size_t limit_cut,
			   void (*fn)(uint8_t *d, size_t size), int want)
{
	uint8_t *d = malloc(good.size);
	struct fdt f;
	int err;

	memcpy(d, good.data, good.size);
	if (fn)
		fn(d, good.size);
	err = fdt_init(&f, d, good.size - limit_cut);
	printf("# %s: %s\n", what, fdt_strerror(err));
	CHECK_EQ(err, want);
	/* A refused blob leaves nothing to walk. */
	CHECK(fdt_root(&f) < 0);
	CHECK(fdt_first_child(&f, 0) < 0);
	free(d);
}

static size_t st_off(const uint8_t *d)
{
	return get32(d + 8);
}
static size_t strs_off(const uint8_t *d)
{
	return get32(d + 12);
}

static void bad_magic(uint8_t *d, size_t n)
{
	(void)n;
	d[0] ^= 1;
}
static void bad_version(uint8_t *d, size_t n)
{
	(void)n;
	put32(d + 20, 15);
}
static void bad_lastcomp(uint8_t *d, size_t n)
{
	(void)n;
	put32(d + 24, 18);
}
static void small_total(uint8_t *d, size_t n)
{
	(void)n;
	put32(d + 4, 20);
}
static void big_total(uint8_t *d, size_t n)
{
	put32(d + 4, (uint32_t)n + 1);
}
static void huge_total(uint8_t *d, size_t n)
{
	(void)n;
	put32(d + 4, 0xffffffffu);
}
static void struct_out(uint8_t *d, size_t n)
{
	put32(d + 8, (uint32_t)n);
}
static void struct_wrap(uint8_t *d, size_t n)
{
	(void)n;
	put32(d + 36, 0xfffffffcu);
}
static void strings_out(uint8_t *d, size_t n)
{
	put32(d + 32, (uint32_t)n);
}
static void strings_wrap(uint8_t *d, size_t n)
{
	(void)n;
	put32(d + 12, 0xffffff00u);
}
static void struct_misaligned(uint8_t *d, size_t n)
{
	(void)n;
	put32(d + 8, get32(d + 8) + 2);
}
static void struct_in_header(uint8_t *d, size_t n)
{
	(void)n;
	put32(d + 8, 8);
}
static void rsv_misaligned(uint8_t *d, size_t n)
{
	(void)n;
	put32(d + 16, 44);
}
static void rsv_unterminated(uint8_t *d, size_t n)
{
	/* point the map at the structure block, which never has 16 zero bytes
	 * before the end of the blob */
	(void)n;
	put32(d + 16, (uint32_t)st_off(d));
}
static void overlap_blocks(uint8_t *d, size_t n)
{
	(void)n;
	put32(d + 12, (uint32_t)st_off(d));
	put32(d + 32, 8);
}
static void bad_token(uint8_t *d, size_t n)
{
	(void)n;
	put32(d + st_off(d), 7);
}
static void prop_nameoff_out(uint8_t *d, size_t n)
{
	/* the first property of the root: token at st+8 ("" name padded) */
	(void)n;
	put32(d + st_off(d) + 8 + 8, 0x10000);
}
static void prop_len_out(uint8_t *d, size_t n)
{
	(void)n;
	put32(d + st_off(d) + 8 + 4, 0x7ffffff0);
}
static void strings_unterminated(uint8_t *d, size_t n)
{
	/* the last string loses its NUL; size_strings stops before it */
	(void)n;
	put32(d + 32, get32(d + 32) - 1);
}
static void name_unterminated(uint8_t *d, size_t n)
{
	/* fill the block after the root's BEGIN_NODE with non-NUL bytes */
	size_t s = st_off(d), len = get32(d + 36);
	(void)n;
	memset(d + s + 4, 'x', len - 4);
}
static void no_end(uint8_t *d, size_t n)
{
	/* the FDT_END token becomes a NOP: the walk runs off the block */
	(void)n;
	put32(d + st_off(d) + get32(d + 36) - 4, 4);
}
static void extra_end_node(uint8_t *d, size_t n)
{
	(void)n;
	put32(d + st_off(d) + get32(d + 36) - 4, 2);
}
static void first_is_prop(uint8_t *d, size_t n)
{
	(void)n;
	put32(d + st_off(d), 3);
}

static void test_broken(void)
{
	struct blob good = good_tree();
	struct fdt f;
	struct dt_platform p;

	CHECK_EQ(fdt_init(&f, good.data, good.size), 0);
	CHECK_EQ(dtb_parse(&f, &p), 0);
	CHECK_EQ(p.nmem, 1);
	CHECK_EQ(p.mem[0].base, 0x80000000u);
	CHECK(!strcmp(p.bootargs, "a b=c"));
	(void)strs_off;

	expect_refused("tiny limit", good, good.size - 10, NULL, FDT_ERR_TRUNCATED);
	expect_refused("truncated by the limit", good, 1, NULL, FDT_ERR_TRUNCATED);
	expect_refused("bad magic", good, 0, bad_magic, FDT_ERR_BADMAGIC);
	expect_refused("version 15", good, 0, bad_version, FDT_ERR_BADVERSION);
	expect_refused("last_comp_version 18", good, 0, bad_lastcomp, FDT_ERR_BADVERSION);
	expect_refused("totalsize below the header", good, 0, small_total, FDT_ERR_TRUNCATED);
	expect_refused("totalsize beyond the buffer", good, 0, big_total, FDT_ERR_TRUNCATED);
	expect_refused("totalsize 4 GiB", good, 0, huge_total, FDT_ERR_TRUNCATED);
	expect_refused("struct block outside", good, 0, struct_out, FDT_ERR_TRUNCATED);
	expect_refused("struct size wraps", good, 0, struct_wrap, FDT_ERR_TRUNCATED);
	expect_refused("strings block outside", good, 0, strings_out, FDT_ERR_TRUNCATED);
	expect_refused("strings offset wraps", good, 0, strings_wrap, FDT_ERR_TRUNCATED);
	expect_refused("struct misaligned", good, 0, struct_misaligned, FDT_ERR_BADLAYOUT);
	expect_refused("struct inside the header", good, 0, struct_in_header, FDT_ERR_BADLAYOUT);
	expect_refused("rsvmap misaligned", good, 0, rsv_misaligned, FDT_ERR_BADLAYOUT);
	expect_refused("rsvmap unterminated", good, 0, rsv_unterminated, FDT_ERR_BADRSV);
	expect_refused("blocks overlap", good, 0, overlap_blocks, FDT_ERR_BADLAYOUT);
	expect_refused("unknown token", good, 0, bad_token, FDT_ERR_BADSTRUCT);
	expect_refused("property name offset outside", good, 0, prop_nameoff_out,
		       FDT_ERR_BADSTRING);
	expect_refused("property length outside", good, 0, prop_len_out, FDT_ERR_BADSTRUCT);
	expect_refused("unterminated string", good, 0, strings_unterminated, FDT_ERR_BADSTRING);
	expect_refused("unterminated node name", good, 0, name_unterminated, FDT_ERR_BADSTRUCT);
	expect_refused("no FDT_END", good, 0, no_end, FDT_ERR_BADSTRUCT);
	expect_refused("unbalanced END_NODE", good, 0, extra_end_node, FDT_ERR_BADSTRUCT);
	expect_refused("property before the root", good, 0, first_is_prop, FDT_ERR_BADSTRUCT);
	free(good.data);

	/* Nesting one deeper than allowed is refused; the limit itself is not. */
	for (int extra = 0; extra <= 1; extra++) {
		static struct builder b;
		memset(&b, 0, sizeof(b));
		for (int i = 0; i < FDT_MAX_DEPTH + extra; i++)
			b_begin(&b, i ? "n" : "");
		for (int i = 0; i < FDT_MAX_DEPTH + extra; i++)
			b_end(&b);
		struct blob deep = b_finish(&b, true);
		int err = fdt_init(&f, deep.data, deep.size);
		printf("# depth %d: %s\n", FDT_MAX_DEPTH + extra, fdt_strerror(err));
		CHECK_EQ(err, extra ? FDT_ERR_DEPTH : 0);
		if (!extra)
			CHECK_EQ(dtb_parse(&f, &p), 0);
		free(deep.data);
	}

	/* Two roots. */
	{
		static struct builder b;
		memset(&b, 0, sizeof(b));
		b_begin(&b, "");
		b_end(&b);
		b_begin(&b, "");
		b_end(&b);
		struct blob two = b_finish(&b, true);
		CHECK_EQ(fdt_init(&f, two.data, two.size), FDT_ERR_BADSTRUCT);
		free(two.data);
	}
}

/* Malformed values inside a well-formed blob: skipped, counted, no guess. */
static void test_bad_values(void)
{
	static struct builder b;
	const uint32_t two = 2, one = 1, three = 3;
	const uint32_t shortreg[] = {0, 0x80000000u}; /* one cell short */
	const uint32_t uartreg[] = {0, 0x1000, 0, 0x1000};
	const uint32_t wrapreg[] = {0xffffffffu, 0xfffff000u, 0x10000};
	struct fdt f;
	struct dt_platform p;

	memset(&b, 0, sizeof(b));
	b_begin(&b, "");
	b_prop_cells(&b, "#address-cells", &two, 1);
	b_prop_cells(&b, "#size-cells", &one, 1);
	b_prop(&b, "model", "no-nul", 6); /* unterminated: copied bounded */
	b_begin(&b, "memory@80000000");
	b_prop_str(&b, "device_type", "memory");
	b_prop_cells(&b, "reg", shortreg, 2);
	b_end(&b);
	b_begin(&b, "memory@ffffffff");
	b_prop_str(&b, "device_type", "memory");
	b_prop_cells(&b, "reg", wrapreg, 3);
	b_end(&b);
	b_begin(&b, "chosen");
	b_prop(&b, "bootargs", "abc", 3); /* no NUL */
	b_prop_str(&b, "stdout-path", "/nowhere:115200");
	b_end(&b);
	b_begin(&b, "bus");
	b_prop_cells(&b, "#address-cells", &three, 1); /* PCI-like: not ours */
	b_prop_cells(&b, "#size-cells", &one, 1);
	b_prop(&b, "ranges", NULL, 0);
	b_begin(&b, "uart@1000");
	b_prop_str(&b, "compatible", "arm,pl011");
	b_prop_cells(&b, "reg", uartreg, 4);
	b_end(&b);
	b_end(&b);
	b_begin(&b, "uart@2000");
	b_prop(&b, "compatible", "arm,pl011", 9); /* unterminated list */
	b_end(&b);
	b_begin(&b, "psci");
	b_prop_str(&b, "compatible", "arm,psci-1.0");
	b_prop_str(&b, "method", "smcc");
	b_end(&b);
	b_end(&b);
	struct blob blob = b_finish(&b, true);

	CHECK_EQ(fdt_init(&f, blob.data, blob.size), 0);
	CHECK_EQ(dtb_parse(&f, &p), 0);
	CHECK(!strcmp(p.model, "no-nul"));
	CHECK_EQ(p.nmem, 0);
	CHECK(!p.has_bootargs);
	CHECK_EQ(p.uart.kind, DT_UART_NONE);
	CHECK_EQ(p.psci, DT_PSCI_NONE);
	CHECK(p.warnings >= 3);
	free(blob.data);
}

/* /cpus: two-cell reg (Aff3 in the high cell), each enable-method, a
 * spin table without its address, and more CPUs than are recorded. */
static void test_cpus(void)
{
	static struct builder b;
	const uint32_t two = 2, zero = 0, rel[] = {0x1, 0x2000};
	struct fdt f;
	struct dt_platform p;
	char name[16];

	memset(&b, 0, sizeof(b));
	b_begin(&b, "");
	b_begin(&b, "cpus");
	b_prop_cells(&b, "#address-cells", &two, 1);
	b_prop_cells(&b, "#size-cells", &zero, 1);
	for (uint32_t i = 0; i < DT_MAX_CPUS + 2; i++) {
		const uint32_t reg[] = {i == 1 ? 0x5 : 0, 0x100 * i};
		snprintf(name, sizeof(name), "cpu@%x", i);
		b_begin(&b, name);
		b_prop_str(&b, "device_type", "cpu");
		b_prop_cells(&b, "reg", reg, 2);
		b_prop_str(&b, "enable-method",
			   i == 2 || i == 4 ? "spin-table"
			   : i == 3	    ? "other"
					    : "psci");
		if (i == 2) /* 4 has none: it cannot be started */
			b_prop_cells(&b, "cpu-release-addr", rel, 2);
		b_end(&b);
	}
	b_begin(&b, "cpu-map"); /* not a CPU */
	b_end(&b);
	b_end(&b);
	b_end(&b);
	struct blob blob = b_finish(&b, true);

	CHECK_EQ(fdt_init(&f, blob.data, blob.size), 0);
	CHECK_EQ(dtb_parse(&f, &p), 0);
	CHECK_EQ(p.ncpus, DT_MAX_CPUS + 2);
	CHECK_EQ(p.cpu[0].mpidr, 0);
	CHECK_EQ(p.cpu[0].method, DT_CPU_PSCI);
	CHECK_EQ(p.cpu[1].mpidr, 0x500000100ull);
	CHECK_EQ(p.cpu[2].method, DT_CPU_SPIN_TABLE);
	CHECK_EQ(p.cpu[2].release_addr, 0x100002000ull);
	CHECK_EQ(p.cpu[3].method, DT_CPU_NONE);
	CHECK_EQ(p.cpu[4].method, DT_CPU_NONE);
	CHECK_EQ(p.cpu[DT_MAX_CPUS - 1].mpidr, 0x100 * (DT_MAX_CPUS - 1));
	CHECK_EQ(p.warnings, 1); /* cpu@4's; those past DT_MAX_CPUS are not read */
	free(blob.data);
}

/* Every truncation and a sweep of byte corruptions of a real tree: any
 * result is fine as long as nothing reads outside the buffer (ASan). */
static void test_robustness(void)
{
	struct blob b = load("virt-gicv3.dtb");
	struct fdt f;
	static struct dt_platform p;
	int ok = 0, refused = 0;

	if (!CHECK(b.size > 0))
		return;
	for (size_t cut = 1; cut <= b.size; cut++) {
		/* a fresh heap copy of exactly the limit so ASan sees overreads */
		size_t n = b.size - cut;
		uint8_t *d = malloc(n ? n : 1);
		memcpy(d, b.data, n);
		if (fdt_init(&f, d, n) == 0) {
			dtb_parse(&f, &p);
			ok++;
		} else {
			refused++;
		}
		free(d);
	}
	CHECK_EQ(ok, 0);
	CHECK_EQ(refused, b.size);

	uint8_t *d = malloc(b.size);
	unsigned seed = 12345;
	int parsed = 0;
	for (int i = 0; i < 20000; i++) {
		memcpy(d, b.data, b.size);
		for (int k = 0; k < 1 + i % 4; k++) {
			seed = seed * 1103515245u + 12345u;
			size_t at = (seed >> 8) % b.size;
			/* favour the header and lengths: offsets 0..63 often */
			if (i & 1)
				at %= 64;
			d[at] ^= (uint8_t)(seed >> 24 | 1);
		}
		if (fdt_init(&f, d, b.size) == 0 && dtb_parse(&f, &p) == 0)
			parsed++;
	}
	printf("# corruption sweep: %d of 20000 still parsed\n", parsed);
	CHECK(parsed > 0);
	free(d);
	free(b.data);
}

int main(int argc, char **argv)
{
	find_corpus(argc, argv);
	test_virt("virt-gicv2.dtb", 2, DT_PSCI_HVC);
	test_virt("virt-gicv3.dtb", 3, DT_PSCI_HVC);
	test_virt("virt-gicv3-el2.dtb", 3, DT_PSCI_SMC);
	test_rpi4_like();
	test_rpi4_stock_like();
	test_broken();
	test_bad_values();
	test_cpus();
	test_robustness();
	return ht_done();
}
