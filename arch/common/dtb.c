/*
 * Platform discovery from the device tree (see dtb.h). Entry point:
 * dtb_parse(). One preorder walk keeps the chain of ancestors of the
 * current node, which is what reg decoding needs: a node's reg is read
 * with its parent's #address-cells/#size-cells and translated to a CPU
 * address through the ranges of every bus above it.
 */
#include "dtb.h"

#include <kernel/string.h>

/* Value of a #...-cells property, dflt when absent, BAD_CELLS if malformed. */
#define BAD_CELLS 0xffffffffu

static uint32_t cells_of(const struct fdt *f, int node, const char *name, uint32_t dflt)
{
	uint32_t len, v;
	const void *p = fdt_getprop(f, node, name, &len);

	if (!p)
		return dflt;
	if (len != 4)
		return BAD_CELLS;
	v = fdt_be32(p);
	return v > 4 ? BAD_CELLS : v;
}

static uint32_t addr_cells(const struct fdt *f, int node)
{
	return cells_of(f, node, "#address-cells", 2);
}

static uint32_t size_cells(const struct fdt *f, int node)
{
	return cells_of(f, node, "#size-cells", 1);
}

/* Copy a property string of len bytes into dst, truncated, terminated. */
static void copy_str(char *dst, size_t size, const char *src, uint32_t len)
{
	size_t n = strnlen(src, len);

	if (n > size - 1)
		n = size - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/*
 * Translate a bus address of the node anc[depth] (an address in the space of
 * anc[depth-1]) up to the root. An empty ranges is the identity; a bus
 * without ranges, or an address no range covers, is not reachable.
 */
static bool translate(const struct fdt *f, const int *anc, int depth, uint64_t *addr)
{
	for (int d = depth - 1; d >= 1; d--) {
		int bus = anc[d];
		uint32_t len;
		const void *r = fdt_getprop(f, bus, "ranges", &len);
		if (!r)
			return false;
		if (!len)
			continue;
		uint32_t ac = addr_cells(f, bus), sc = size_cells(f, bus);
		uint32_t pac = addr_cells(f, anc[d - 1]);
		if (ac > 2 || sc > 2 || pac > 2 || !ac || !pac)
			return false; /* 3-cell (PCI) buses are not for us */
		uint32_t entry = (ac + pac + sc) * 4;
		if (len % entry)
			return false;
		bool found = false;
		for (uint32_t pos = 0; pos < len && !found;) {
			uint64_t cb, pb, sz;
			if (!fdt_read_cells(r, len, &pos, ac, &cb) ||
			    !fdt_read_cells(r, len, &pos, pac, &pb) ||
			    !fdt_read_cells(r, len, &pos, sc, &sz))
				return false;
			if (*addr >= cb && *addr - cb < sz) {
				*addr = pb + (*addr - cb);
				found = true;
			}
		}
		if (!found)
			return false;
	}
	return true;
}

/* Number of reg entries of anc[depth], or -1 if reg is malformed/absent. */
static int reg_count(const struct fdt *f, const int *anc, int depth)
{
	uint32_t len;
	const void *reg;

	if (depth < 1 || !(reg = fdt_getprop(f, anc[depth], "reg", &len)))
		return -1;
	uint32_t ac = addr_cells(f, anc[depth - 1]), sc = size_cells(f, anc[depth - 1]);
	if (ac > 2 || sc > 2 || !ac)
		return -1;
	uint32_t entry = (ac + sc) * 4;
	return len % entry ? -1 : (int)(len / entry);
}

/* Entry idx of anc[depth]'s reg, as a CPU physical range. */
static bool reg_entry(const struct fdt *f, const int *anc, int depth, int idx, uint64_t *base,
		      uint64_t *size)
{
	uint32_t len, pos;
	int n = reg_count(f, anc, depth);
	const void *reg = fdt_getprop(f, anc[depth], "reg", &len);

	if (n < 0 || idx < 0 || idx >= n)
		return false;
	uint32_t ac = addr_cells(f, anc[depth - 1]), sc = size_cells(f, anc[depth - 1]);
	pos = (uint32_t)idx * (ac + sc) * 4;
	if (!fdt_read_cells(reg, len, &pos, ac, base) || !fdt_read_cells(reg, len, &pos, sc, size))
		return false;
	if (*base + *size < *base)
		return false; /* wraps around */
	return translate(f, anc, depth, base);
}

/* Fill anc[0..*depth] with the chain root..node; false if not found. */
static bool ancestors(const struct fdt *f, int node, int *anc, int *depth)
{
	int d = 0;

	for (int n = fdt_root(f); n >= 0; n = fdt_next_node(f, n, &d)) {
		if (d < 0 || d > FDT_MAX_DEPTH)
			return false;
		anc[d] = n;
		if (n == node) {
			*depth = d;
			return true;
		}
	}
	return false;
}

static void add_range(struct dt_range *a, unsigned *n, unsigned max, unsigned *dropped,
		      uint64_t base, uint64_t size)
{
	if (!size)
		return;
	if (*n == max) {
		(*dropped)++;
		return;
	}
	a[(*n)++] = (struct dt_range){base, size};
}

static void add_reserved(struct dt_platform *p, uint64_t base, uint64_t size)
{
	add_range(p->reserved, &p->nreserved, DT_MAX_RESERVED, &p->dropped_reserved, base, size);
}

/* Name without unit address equals want? */
static bool base_name_is(const char *name, const char *want)
{
	size_t n = strlen(want);

	return name && !strncmp(name, want, n) && (name[n] == '\0' || name[n] == '@');
}

static bool is_gic_v2(const struct fdt *f, int n)
{
	static const char *const compat[] = {
	    "arm,gic-400",	 "arm,cortex-a15-gic", "arm,cortex-a9-gic",
	    "arm,cortex-a7-gic", "arm,arm11mp-gic",    "arm,pl390",
	};
	for (size_t i = 0; i < sizeof(compat) / sizeof(compat[0]); i++)
		if (fdt_node_compatible(f, n, compat[i]))
			return true;
	return false;
}

static bool is_gic(const struct fdt *f, int n)
{
	return is_gic_v2(f, n) || fdt_node_compatible(f, n, "arm,gic-v3");
}

static void found_gic(const struct fdt *f, struct dt_platform *p, const int *anc, int depth)
{
	int n = anc[depth];
	uint64_t b0, s0, b1, s1;

	if (!reg_entry(f, anc, depth, 0, &b0, &s0) || !reg_entry(f, anc, depth, 1, &b1, &s1)) {
		p->warnings++;
		return;
	}
	p->gic.dist_base = b0;
	p->gic.dist_size = s0;
	if (fdt_node_compatible(f, n, "arm,gic-v3")) {
		uint32_t regions = 1;
		fdt_getprop_u32(f, n, "#redistributor-regions", &regions);
		p->gic.version = 3;
		p->gic.redist_base = b1;
		p->gic.redist_size = s1;
		p->gic.redist_regions = regions;
	} else {
		p->gic.version = 2;
		p->gic.cpu_base = b1;
		p->gic.cpu_size = s1;
	}
}

static void found_psci(const struct fdt *f, struct dt_platform *p, int n)
{
	const char *m = fdt_getprop_str(f, n, "method");

	if (m && !strcmp(m, "hvc"))
		p->psci = DT_PSCI_HVC;
	else if (m && !strcmp(m, "smc"))
		p->psci = DT_PSCI_SMC;
	else
		p->warnings++;
}

/* A /cpus child: its MPIDR affinity (reg, in /cpus' #address-cells: Aff3
 * in a second cell's low byte) and how to start it. */
static void found_cpu(const struct fdt *f, struct dt_platform *p, int cpus, int n)
{
	uint32_t len, rlen, pos = 0;
	const void *reg = fdt_getprop(f, n, "reg", &len);
	const void *rel = fdt_getprop(f, n, "cpu-release-addr", &rlen);
	const char *method = fdt_getprop_str(f, n, "enable-method");
	uint32_t ac = addr_cells(f, cpus);

	if (p->ncpus++ >= DT_MAX_CPUS)
		return;
	struct dt_cpu *c = &p->cpu[p->ncpus - 1];
	if (!reg || !fdt_read_cells(reg, len, &pos, ac, &c->mpidr))
		p->warnings++;
	if (method && !strcmp(method, "psci")) {
		c->method = DT_CPU_PSCI;
	} else if (method && !strcmp(method, "spin-table")) {
		/* two cells by the binding; one in some old trees */
		pos = 0;
		if (rel && fdt_read_cells(rel, rlen, &pos, rlen == 4 ? 1 : 2, &c->release_addr) &&
		    c->release_addr)
			c->method = DT_CPU_SPIN_TABLE;
		else
			p->warnings++;
	}
}

/* The interrupt controller serving node: interrupt-parent on it or the
 * nearest ancestor that has one. */
static int interrupt_parent(const struct fdt *f, const int *anc, int depth)
{
	for (int d = depth; d >= 0; d--) {
		uint32_t ph;
		if (fdt_getprop_u32(f, anc[d], "interrupt-parent", &ph))
			return fdt_node_by_phandle(f, ph);
	}
	return FDT_ERR_NOTFOUND;
}

/* The GIC INTIDs of node anc[depth]'s "interrupts" (GIC 3- or 4-cell
 * form: type 0 = SPI, INTID 32 + n; 1 = PPI, INTID 16 + n), at most max
 * of them into intid; how many, or -1 if the node has none we can read
 * (no interrupts, not wired to a GIC we know, malformed). */
static int node_intids(const struct fdt *f, const int *anc, int depth, uint32_t *intid,
		       unsigned max)
{
	int n = anc[depth], ic = interrupt_parent(f, anc, depth);
	uint32_t len, icells;
	const uint8_t *v = fdt_getprop(f, n, "interrupts", &len);
	unsigned i;

	if (!v || ic < 0 || !is_gic(f, ic))
		return -1;
	icells = cells_of(f, ic, "#interrupt-cells", BAD_CELLS);
	if (icells < 3 || icells > 4 || len % (icells * 4))
		return -1;
	for (i = 0; i < len / (icells * 4) && i < max; i++) {
		uint32_t type = fdt_be32(v + i * icells * 4);
		uint32_t num = fdt_be32(v + i * icells * 4 + 4);
		if (type > 1 || num > (type ? 15u : 987u))
			return -1;
		intid[i] = num + (type ? 16 : 32);
	}
	return (int)i;
}

static void found_timer(const struct fdt *f, struct dt_platform *p, const int *anc, int depth)
{
	int n = node_intids(f, anc, depth, p->timer.intid, DT_TIMER_NIRQ);

	p->timer.found = true;
	fdt_getprop_u32(f, anc[depth], "clock-frequency", &p->timer.clock_frequency);
	if (n < 0)
		p->warnings++; /* not wired to a GIC we know */
	else
		p->timer.nirq = (unsigned)n;
}

/* The PL031 real-time clock: a device the kernel leaves alone, whose
 * interrupt a test can raise (KerInfo KER_INFO_DEVICES). */
static void found_rtc(const struct fdt *f, struct dt_platform *p, const int *anc, int depth)
{
	uint32_t intid;

	if (reg_entry(f, anc, depth, 0, &p->rtc.base, &p->rtc.size) &&
	    node_intids(f, anc, depth, &intid, 1) == 1)
		p->rtc.intid = intid;
	else
		p->rtc.base = p->rtc.size = 0;
}

static enum dt_uart_kind uart_kind(const struct fdt *f, int n)
{
	if (fdt_node_compatible(f, n, "arm,pl011"))
		return DT_UART_PL011;
	if (fdt_node_compatible(f, n, "ns16550a") || fdt_node_compatible(f, n, "ns16550") ||
	    fdt_node_compatible(f, n, "snps,dw-apb-uart"))
		return DT_UART_NS16550;
	if (fdt_node_compatible(f, n, "brcm,bcm2835-aux-uart"))
		return DT_UART_BCM2835_AUX;
	return DT_UART_OTHER;
}

/* Entry idx of node's reg as a CPU physical range, found by its path. */
static bool node_reg(const struct fdt *f, int node, int idx, uint64_t *base, uint64_t *size)
{
	int anc[FDT_MAX_DEPTH + 1], depth;

	return ancestors(f, node, anc, &depth) && reg_entry(f, anc, depth, idx, base, size);
}

/* The parent of node, or a negative FDT_ERR_* code. */
static int parent_of(const struct fdt *f, int node)
{
	int anc[FDT_MAX_DEPTH + 1], depth;

	if (!ancestors(f, node, anc, &depth) || depth < 1)
		return FDT_ERR_NOTFOUND;
	return anc[depth - 1];
}

/* The node a phandle-valued property's cell idx names. */
static int phandle_at(const struct fdt *f, int node, const char *name, uint32_t idx)
{
	uint32_t len;
	const uint8_t *v = fdt_getprop(f, node, name, &len);

	if (!v || len < (idx + 1) * 4)
		return FDT_ERR_NOTFOUND;
	return fdt_node_by_phandle(f, fdt_be32(v + idx * 4));
}

/* Rate of the clock a UART's first "clocks" entry names, when the tree
 * says it: a fixed-clock's clock-frequency. */
static uint32_t fixed_clock_rate(const struct fdt *f, int node)
{
	uint32_t hz = 0;
	int clk = phandle_at(f, node, "clocks", 0);

	if (clk >= 0 && fdt_node_compatible(f, clk, "fixed-clock"))
		fdt_getprop_u32(f, clk, "clock-frequency", &hz);
	return hz;
}

static bool is_brcm_gpio(const struct fdt *f, int n)
{
	return fdt_node_compatible(f, n, "brcm,bcm2835-gpio") ||
	       fdt_node_compatible(f, n, "brcm,bcm2711-gpio");
}

/* The pins the UART's pinctrl-0 groups give it, on a Broadcom GPIO
 * controller (brcm,pins with one brcm,function for all or one each). A
 * group we cannot read counts as a warning: the firmware may have set
 * the pins anyway. */
static void uart_pins(const struct fdt *f, struct dt_platform *p, int node)
{
	uint32_t len;
	const void *list = fdt_getprop(f, node, "pinctrl-0", &len);

	for (uint32_t g = 0; list && g < len / 4; g++) {
		int grp = fdt_node_by_phandle(f, fdt_be32((const uint8_t *)list + g * 4));
		int ctl = grp >= 0 ? parent_of(f, grp) : grp;
		uint32_t plen = 0, flen = 0;
		const uint8_t *pins = ctl >= 0 ? fdt_getprop(f, grp, "brcm,pins", &plen) : NULL;
		const uint8_t *fn = ctl >= 0 ? fdt_getprop(f, grp, "brcm,function", &flen) : NULL;
		uint64_t base, size;
		if (ctl < 0 || !is_brcm_gpio(f, ctl) || !pins || !fn || !plen || plen % 4 ||
		    (flen != 4 && flen != plen) || !node_reg(f, ctl, 0, &base, &size) ||
		    (p->uart.gpio_base && p->uart.gpio_base != base)) {
			p->warnings++;
			continue;
		}
		p->uart.gpio_base = base;
		for (uint32_t i = 0; i < plen / 4; i++) {
			uint32_t pin = fdt_be32(pins + i * 4);
			uint32_t func = fdt_be32(fn + (flen == 4 ? 0 : i * 4));
			if (pin > 63 || func > 7 || p->uart.npins == DT_MAX_PINS) {
				p->warnings++;
				continue;
			}
			p->uart.pins[p->uart.npins].pin = (uint8_t)pin;
			p->uart.pins[p->uart.npins++].function = (uint8_t)func;
		}
	}
}

static bool set_uart(const struct fdt *f, struct dt_platform *p, int node, bool from_stdout)
{
	int anc[FDT_MAX_DEPTH + 1], depth;
	uint64_t base, size;

	if (!ancestors(f, node, anc, &depth) || !reg_entry(f, anc, depth, 0, &base, &size))
		return false;
	p->uart.kind = uart_kind(f, node);
	p->uart.base = base;
	p->uart.size = size;
	p->uart.from_stdout_path = from_stdout;
	p->uart.clock_hz = 0;
	if (!fdt_getprop_u32(f, node, "clock-frequency", &p->uart.clock_hz))
		p->uart.clock_hz = fixed_clock_rate(f, node);
	if (node_intids(f, anc, depth, &p->uart.intid, 1) != 1)
		p->uart.intid = 0;
	if (p->uart.kind == DT_UART_BCM2835_AUX) {
		/* The mini UART answers only once the AUX block enables it. */
		int aux = fdt_find_compatible(f, -1, "brcm,bcm2835-aux");
		if (aux < 0 || !node_reg(f, aux, 0, &p->uart.aux_base, &size))
			return false;
	}
	uart_pins(f, p, node);
	return true;
}

/* stdout-path: "/path[:options]" or "alias[/rest][:options]"; options
 * start with the baud rate ("115200n8"), which goes to *baud. */
static int stdout_node(const struct fdt *f, int chosen, uint32_t *baud)
{
	const char *sp = fdt_getprop_str(f, chosen, "stdout-path");
	size_t len, alen;

	if (!sp)
		sp = fdt_getprop_str(f, chosen, "linux,stdout-path");
	if (!sp)
		return FDT_ERR_NOTFOUND;
	for (len = 0; sp[len] && sp[len] != ':'; len++)
		;
	*baud = 0;
	for (size_t i = len + 1; sp[len] && sp[i] >= '0' && sp[i] <= '9' && *baud < 100000000; i++)
		*baud = *baud * 10 + (uint32_t)(sp[i] - '0');
	if (sp[0] == '/')
		return fdt_path(f, sp, len);

	int aliases = fdt_subnode(f, fdt_root(f), "aliases", 7);
	for (alen = 0; alen < len && sp[alen] != '/'; alen++)
		;
	if (aliases < 0)
		return FDT_ERR_NOTFOUND;
	/* Find the alias by exact name; its value is an absolute path. */
	for (int pr = fdt_first_prop(f, aliases); pr >= 0; pr = fdt_next_prop(f, pr)) {
		const char *name;
		const void *val;
		uint32_t vlen;
		if (fdt_prop_at(f, pr, &name, &val, &vlen))
			break;
		if (strlen(name) != alen || memcmp(name, sp, alen))
			continue;
		const char *path = val;
		if (!vlen || strnlen(path, vlen) == vlen || path[0] != '/')
			return FDT_ERR_BADVALUE;
		int n = fdt_path(f, path, strlen(path));
		/* an alias may be followed by a path relative to it */
		for (size_t i = alen; n >= 0 && i < len;) {
			while (i < len && sp[i] == '/')
				i++;
			size_t j = i;
			while (j < len && sp[j] != '/')
				j++;
			if (j > i)
				n = fdt_subnode(f, n, sp + i, j - i);
			i = j;
		}
		return n;
	}
	return FDT_ERR_NOTFOUND;
}

static void parse_chosen(const struct fdt *f, struct dt_platform *p, int chosen)
{
	uint32_t len;
	const char *args = fdt_getprop(f, chosen, "bootargs", &len);
	const void *s, *e;
	uint32_t slen, elen;

	if (args && len && strnlen(args, len) < len) {
		copy_str(p->bootargs, sizeof(p->bootargs), args, len);
		p->has_bootargs = true;
	} else if (args && len) {
		p->warnings++; /* unterminated: ignore rather than guess */
	}

	/* initrd bounds are one or two cells each */
	s = fdt_getprop(f, chosen, "linux,initrd-start", &slen);
	e = fdt_getprop(f, chosen, "linux,initrd-end", &elen);
	if (s && e && (slen == 4 || slen == 8) && (elen == 4 || elen == 8)) {
		uint64_t start = slen == 8 ? fdt_be64(s) : fdt_be32(s);
		uint64_t end = elen == 8 ? fdt_be64(e) : fdt_be32(e);
		if (end > start) {
			p->initrd_start = start;
			p->initrd_end = end;
			add_reserved(p, start, end - start);
		} else {
			p->warnings++;
		}
	}

	uint32_t baud = 0;
	int n = stdout_node(f, chosen, &baud);
	if (n != FDT_ERR_NOTFOUND || fdt_getprop(f, chosen, "stdout-path", &len) ||
	    fdt_getprop(f, chosen, "linux,stdout-path", &len)) {
		/* named but missing, not ours to drive (aarch64 has no ns16550
		 * console) or malformed: dtb_parse falls back */
		enum dt_uart_kind k = n >= 0 ? uart_kind(f, n) : DT_UART_OTHER;
		bool drivable = k == DT_UART_PL011 || k == DT_UART_BCM2835_AUX;
		if (!drivable || !set_uart(f, p, n, true)) {
			if (drivable)
				p->warnings++;
			memset(&p->uart, 0, sizeof(p->uart));
			p->uart.stdout_unusable = true;
		}
	}
	p->uart.baud = baud;
}

/* The firmware's mailbox (raspberrypi,bcm2835-firmware's mboxes) and how
 * the VideoCore sees RAM: the dma-ranges of the mailbox's bus. */
static void found_firmware(const struct fdt *f, struct dt_platform *p, int fw)
{
	int mbox = phandle_at(f, fw, "mboxes", 0);
	int bus = mbox >= 0 ? parent_of(f, mbox) : mbox;
	uint64_t size;
	uint32_t len, pos = 0;

	if (bus < 0 || !node_reg(f, mbox, 0, &p->fw_mbox.base, &size)) {
		p->fw_mbox.base = 0;
		p->warnings++;
		return;
	}
	const void *dr = fdt_getprop(f, bus, "dma-ranges", &len);
	int grand = parent_of(f, bus);
	if (!dr || !len || grand < 0)
		return;
	uint32_t ac = addr_cells(f, bus), sc = size_cells(f, bus), pac = addr_cells(f, grand);
	if (!fdt_read_cells(dr, len, &pos, ac, &p->fw_mbox.dma_bus) ||
	    !fdt_read_cells(dr, len, &pos, pac, &p->fw_mbox.dma_cpu) ||
	    !fdt_read_cells(dr, len, &pos, sc, &p->fw_mbox.dma_size)) {
		p->fw_mbox.dma_size = 0;
		p->warnings++;
	}
}

/* Everything decided by looking at one node in the walk. */
static void visit(const struct fdt *f, struct dt_platform *p, const int *anc, int depth,
		  int *chosen, int *resmem, int *first_uart, int *firmware)
{
	int n = anc[depth];
	const char *name = fdt_node_name(f, n);
	uint64_t base, size;

	if (depth == 1) {
		const char *dt = fdt_getprop_str(f, n, "device_type");
		if ((base_name_is(name, "memory") || (dt && !strcmp(dt, "memory"))) &&
		    fdt_node_enabled(f, n)) {
			int cnt = reg_count(f, anc, depth);
			if (cnt < 0)
				p->warnings++;
			for (int i = 0; i < cnt; i++) {
				if (reg_entry(f, anc, depth, i, &base, &size))
					add_range(p->mem, &p->nmem, DT_MAX_MEM, &p->dropped_mem,
						  base, size);
				else
					p->warnings++;
			}
		}
		if (name && !strcmp(name, "chosen"))
			*chosen = n;
		if (name && !strcmp(name, "reserved-memory"))
			*resmem = n;
	}
	if (depth == 2 && anc[1] == *resmem && fdt_node_enabled(f, n)) {
		/* children without reg are allocated by the OS: nothing to keep */
		int cnt = reg_count(f, anc, depth);
		for (int i = 0; i < cnt; i++) {
			if (reg_entry(f, anc, depth, i, &base, &size))
				add_reserved(p, base, size);
			else
				p->warnings++;
		}
	}
	if (depth == 2 && base_name_is(fdt_node_name(f, anc[1]), "cpus")) {
		const char *dt = fdt_getprop_str(f, n, "device_type");
		if (dt && !strcmp(dt, "cpu") && fdt_node_enabled(f, n))
			found_cpu(f, p, anc[1], n);
	}
	if (!fdt_node_enabled(f, n))
		return;
	if (!p->gic.version && is_gic(f, n))
		found_gic(f, p, anc, depth);
	if (!p->timer.found && (fdt_node_compatible(f, n, "arm,armv8-timer") ||
				fdt_node_compatible(f, n, "arm,armv7-timer")))
		found_timer(f, p, anc, depth);
	if (p->psci == DT_PSCI_NONE &&
	    (fdt_node_compatible(f, n, "arm,psci") || fdt_node_compatible(f, n, "arm,psci-0.2") ||
	     fdt_node_compatible(f, n, "arm,psci-1.0")))
		found_psci(f, p, n);
	if (!p->rtc.base && fdt_node_compatible(f, n, "arm,pl031"))
		found_rtc(f, p, anc, depth);
	if (*first_uart < 0 && (fdt_node_compatible(f, n, "arm,pl011") ||
				fdt_node_compatible(f, n, "brcm,bcm2835-aux-uart")))
		*first_uart = n;
	if (!p->pm_base && fdt_node_compatible(f, n, "brcm,bcm2835-pm-wdt") &&
	    !reg_entry(f, anc, depth, 0, &p->pm_base, &base))
		p->warnings++;
	if (*firmware < 0 && fdt_node_compatible(f, n, "raspberrypi,bcm2835-firmware"))
		*firmware = n;
}

int dtb_parse(const struct fdt *f, struct dt_platform *p)
{
	int anc[FDT_MAX_DEPTH + 1];
	int depth = 0, n, chosen = -1, resmem = -1, first_uart = -1, firmware = -1;
	int root = fdt_root(f);
	const char *model;
	uint32_t len;

	memset(p, 0, sizeof(*p));
	if (root < 0)
		return root;
	model = fdt_getprop(f, root, "model", &len);
	if (model && len)
		copy_str(p->model, sizeof(p->model), model, len);

	for (uint32_t i = 0; i < f->nrsv; i++) {
		uint64_t a, s;
		if (fdt_rsv(f, i, &a, &s))
			add_reserved(p, a, s);
	}

	for (n = root; n >= 0; n = fdt_next_node(f, n, &depth)) {
		if (depth < 0 || depth > FDT_MAX_DEPTH)
			return FDT_ERR_DEPTH;
		anc[depth] = n;
		visit(f, p, anc, depth, &chosen, &resmem, &first_uart, &firmware);
	}
	if (n != FDT_ERR_NOTFOUND)
		return n;

	if (chosen >= 0)
		parse_chosen(f, p, chosen);
	if (firmware >= 0)
		found_firmware(f, p, firmware);
	/* No usable stdout-path: the first UART we can drive is the best
	 * guess (the baud rate stays the loader's). */
	if (p->uart.kind == DT_UART_NONE && first_uart >= 0) {
		bool unusable = p->uart.stdout_unusable;
		memset(&p->uart, 0, sizeof(p->uart));
		if (!set_uart(f, p, first_uart, false)) {
			memset(&p->uart, 0, sizeof(p->uart));
			p->warnings++;
		}
		p->uart.stdout_unusable = unusable;
	}
	return 0;
}

const char *dt_uart_kind_name(enum dt_uart_kind k)
{
	switch (k) {
	case DT_UART_NONE:
		return "none";
	case DT_UART_PL011:
		return "pl011";
	case DT_UART_NS16550:
		return "ns16550";
	case DT_UART_BCM2835_AUX:
		return "bcm2835-aux";
	case DT_UART_OTHER:
		return "unsupported";
	}
	return "?";
}

const char *dt_psci_name(enum dt_psci_method m)
{
	switch (m) {
	case DT_PSCI_NONE:
		return "none";
	case DT_PSCI_HVC:
		return "hvc";
	case DT_PSCI_SMC:
		return "smc";
	}
	return "?";
}
