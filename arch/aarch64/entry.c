/*
 * First C code on aarch64 (called by head.S with the MMU on, running at the
 * linked address on the boot stack): read the DTB through the direct map,
 * bring up the console UART it names (a PL011, or the Raspberry Pi's mini
 * UART; pins, clock and baud rate as console_start() tells), turn what it
 * says into a struct boot_info (with the embedded boot image as the module
 * "boot.ifs") and call kmain(). Also the console and bring-up seam functions
 * (arch_console_write, arch_kernel_phys_range, arch_init_devices) and the
 * accessors for what was found (a64.h).
 */
#include <arch/console.h>
#include <arch/cpu.h>
#include <arch/init.h>
#include <kernel/boot.h>
#include <kernel/fmt.h>
#include <kernel/kprintf.h>
#include <kernel/panic.h>
#include <kernel/sections.h>
#include <kernel/string.h>
#include <kernel/vm.h>

#include "a64.h"
#include "bcm2835_aux.h"
#include "dtb.h"
#include "fdt.h"
#include "pl011.h"

static struct dt_platform platform;
static struct boot_info boot_info;
static uint64_t dtb_pa, dtb_size, kernel_pa_start, kernel_pa_end;
static unsigned entry_el;
static uintptr_t uart_va; /* 0 until the console is mapped */
static void (*uart_write)(uintptr_t base, const char *s, size_t n);

const struct dt_platform *a64_platform(void)
{
	return &platform;
}

uint64_t a64_dtb_pa(void)
{
	return dtb_pa;
}

uint64_t a64_dtb_size(void)
{
	return dtb_size;
}

unsigned a64_entry_el(void)
{
	return entry_el;
}

uintptr_t a64_console_base(void)
{
	return uart_va;
}

void arch_console_write(const char *s, size_t n)
{
	if (uart_va)
		uart_write(uart_va, s, n);
}

void *a64_ioremap(uint64_t pa, uint64_t size)
{
	void *va = ioremap(pa, size);

	/* New entries must reach the table walker before the first access. */
	dsb(ishst);
	isb();
	return va;
}

void arch_kernel_phys_range(uint64_t *start, uint64_t *end)
{
	*start = kernel_pa_start;
	*end = kernel_pa_end;
}

/* Validate the blob and fill platform; 0 or an FDT_ERR_* code. */
static int read_dtb(void)
{
	struct fdt f;
	const void *blob;
	uint32_t size;
	int err;

	/* head.S mapped the DTB only if x0 was 8-aligned and held the magic */
	if (!dtb_pa || (dtb_pa & 7))
		return FDT_ERR_BADMAGIC;
	blob = phys_to_virt(dtb_pa);
	int level;
	if (!pt_lookup(arch_kernel_root(), (uintptr_t)blob, &level))
		return FDT_ERR_BADMAGIC; /* head.S saw no magic there */
	size = fdt_header_size_hint(blob, 8);
	if (!size)
		return FDT_ERR_BADMAGIC;
	err = fdt_init(&f, blob, MIN(size, FDT_MAX_SIZE));
	if (err)
		return err;
	dtb_size = f.totalsize;
	return dtb_parse(&f, &platform);
}

/*
 * head.S direct-mapped only the kernel's and the DTB's 2 MiB blocks. The
 * generic code expects all RAM there before vm_init() (page metadata, the
 * new tables), so map the rest now into the live tables: whole GiBs that
 * head.S did not touch as 1 GiB blocks, everything else in pieces that do
 * not cross a 2 MiB boundary, so the walker never meets head.S's tables
 * where it wants a bigger block. Table pages come from a small pool here.
 */
#define RAM_POOL_PAGES 16

static uint8_t ram_pool[RAM_POOL_PAGES][PAGE_SIZE] ALIGNED(PAGE_SIZE);
static unsigned ram_pool_used;

static uint64_t ram_pool_alloc(void)
{
	if (ram_pool_used == RAM_POOL_PAGES)
		return 0;
	return kimage_to_phys(ram_pool[ram_pool_used++]);
}

/* Does [s, e) share a 1 GiB block with the 2 MiB-rounded range [rs, re)? */
static bool same_gib(uint64_t s, uint64_t e, uint64_t rs, uint64_t re)
{
	rs = ALIGN_DOWN(rs, GiB(1));
	re = ALIGN_UP(re, GiB(1));
	return s < re && rs < e;
}

static void map_ram(void)
{
	uint64_t root = arch_kernel_root();

	for (unsigned i = 0; i < platform.nmem; i++) {
		uint64_t s = ALIGN_UP(platform.mem[i].base, PAGE_SIZE);
		uint64_t e = ALIGN_DOWN(platform.mem[i].base + platform.mem[i].size, PAGE_SIZE);
		while (s < e) {
			uint64_t n = MIN(e, ALIGN_DOWN(s, MiB(2)) + MiB(2)) - s;
			if (!(s & (GiB(1) - 1)) && e - s >= GiB(1) &&
			    !same_gib(s, s + GiB(1), kernel_pa_start, kernel_pa_end) &&
			    !same_gib(s, s + GiB(1), dtb_pa, dtb_pa + dtb_size))
				n = GiB(1);
			if (pt_map(root, (uintptr_t)phys_to_virt(s), s, n, VM_READ | VM_WRITE,
				   ram_pool_alloc))
				panic("boot: cannot direct-map RAM at 0x%llx (%u table pages)",
				      (unsigned long long)s, RAM_POOL_PAGES);
			s += n;
		}
	}
	dsb(ishst);
	isb();
}

static void fill_boot_info(struct boot_info *bi)
{
	for (unsigned i = 0; i < platform.nmem; i++)
		boot_add_ram(bi, platform.mem[i].base, platform.mem[i].size);
	boot_add_reserved(bi, dtb_pa, dtb_size);
	for (unsigned i = 0; i < platform.nreserved; i++)
		boot_add_reserved(bi, platform.reserved[i].base, platform.reserved[i].size);
	if (platform.dropped_reserved)
		panic("dtb: %u reserved ranges did not fit (max %d)", platform.dropped_reserved,
		      DT_MAX_RESERVED);
	if (platform.dropped_mem)
		kprintf("dtb: %u memory ranges ignored (max %d)\n", platform.dropped_mem,
			DT_MAX_MEM);
	if (platform.has_bootargs)
		strlcpy(bi->cmdline, platform.bootargs, sizeof(bi->cmdline));
	/* The boot image is part of the kernel image (ifs.S), so already
	 * out of the allocator's reach. */
	uint64_t ifs_size = (uint64_t)((uintptr_t)a64_ifs_end - (uintptr_t)a64_ifs_start);
	if (ifs_size) {
		struct boot_module *m = &bi->modules[bi->nmodules++];
		m->base = kimage_to_phys(a64_ifs_start);
		m->size = ifs_size;
		strlcpy(m->name, "boot.ifs", sizeof(m->name));
	}
	fmt_snprintf(bi->loader, sizeof(bi->loader), "DTB: %s",
		     platform.model[0] ? platform.model : "(no model)");
}

/* The mini UART's clock when neither the tree nor the firmware gives it:
 * the Pi 4's default core clock, which config.txt's core_freq pins. */
#define AUX_DEFAULT_CLOCK_HZ 500000000u
#define DEFAULT_BAUD	     115200u

/*
 * The console the device tree chose, with its pins set to the functions
 * its pinctrl-0 gives where the firmware did not. The baud rate is
 * stdout-path's, divided from the UART's clock: the tree's rate, else the
 * firmware's answer. Without a rate and baud the PL011 keeps the loader's
 * line settings, and so does the mini UART if the firmware left it
 * running; one that is off starts at 115200 from a 500 MHz core clock.
 * how gets a line for the boot log.
 */
static void console_start(char *how, size_t size)
{
	typeof(platform.uart) *u = &platform.uart;
	unsigned pins = a64_rpi_console_pins(&platform);
	uint32_t clock = u->clock_hz, baud = u->baud;
	const char *from = "the device tree";
	char pinmsg[40] = "";

	if (pins)
		fmt_snprintf(pinmsg, sizeof(pinmsg), "; %u pin(s) set for it", pins);
	if (!clock && baud && (u->kind == DT_UART_PL011 || u->kind == DT_UART_BCM2835_AUX)) {
		clock = a64_rpi_firmware_clock(
		    &platform, u->kind == DT_UART_PL011 ? RPI_CLOCK_UART : RPI_CLOCK_CORE);
		from = "the firmware";
	}
	if (u->kind == DT_UART_PL011) {
		uart_write = pl011_write;
		uart_va = (uintptr_t)a64_ioremap(u->base, MAX(u->size, PAGE_SIZE));
		pl011_init(uart_va, baud ? clock : 0, baud);
	} else if (u->kind == DT_UART_BCM2835_AUX) {
		uintptr_t aux = (uintptr_t)a64_ioremap(u->aux_base, PAGE_SIZE);
		uintptr_t va = (uintptr_t)a64_ioremap(u->base, MAX(u->size, PAGE_SIZE));
		if (!(clock && baud) && bcm2835_aux_running(aux, va)) {
			baud = 0; /* the firmware's line settings stay */
		} else if (!(clock && baud)) {
			clock = AUX_DEFAULT_CLOCK_HZ;
			baud = baud ? baud : DEFAULT_BAUD;
			from = "an assumed core_freq=500";
		}
		if (baud)
			bcm2835_aux_init(aux, va, clock, baud);
		uart_write = bcm2835_aux_write;
		uart_va = va;
	} else {
		fmt_snprintf(how, size, "none");
		return;
	}
	if (baud && clock)
		fmt_snprintf(how, size, "%u baud from a %u Hz clock (%s)%s", baud, clock, from,
			     pinmsg);
	else
		fmt_snprintf(how, size, "line settings as the loader left them%s", pinmsg);
}

void a64_entry(uint64_t dtb, uint64_t el, uint64_t kernel_pa)
{
	int err;

	entry_el = (unsigned)el;
	dtb_pa = dtb;
	kernel_pa_start = kernel_pa;
	kernel_pa_end = kernel_pa + (uint64_t)(__kernel_end - __kernel_start);

	err = read_dtb();
	/* Without a DTB we know no UART to speak through: all we can do is
	 * stop. With one, the console comes first so everything after can
	 * be reported. */
	if (err)
		arch_halt();
	char how[96];
	console_start(how, sizeof(how));
	kprintf("dtb: %s at 0x%llx (%llu bytes), console %s at 0x%llx%s\n", platform.model,
		(unsigned long long)dtb_pa, (unsigned long long)dtb_size,
		dt_uart_kind_name(platform.uart.kind), (unsigned long long)platform.uart.base,
		platform.uart.from_stdout_path ? ""
		: platform.uart.stdout_unusable
		    ? " (stdout-path names nothing we can drive: the first UART we can)"
		    : " (no stdout-path: the first UART we can drive)");
	kprintf("console: %s\n", how);
	if (platform.warnings)
		kprintf("dtb: %u malformed entries ignored\n", platform.warnings);

	map_ram();
	fill_boot_info(&boot_info);
	kmain(&boot_info);
}

#define PSCI_VERSION 0x84000000u

void arch_init_devices(const struct boot_info *bi)
{
	(void)bi;
	a64_user_init();
	a64_irq_init(&platform);
	if (platform.psci != DT_PSCI_NONE) {
		uint64_t v = a64_psci_call(PSCI_VERSION, 0, 0, 0);
		if ((int64_t)v < 0) /* PSCI 0.1 has no VERSION call */
			kprintf("psci: v0.1 via %s\n", dt_psci_name(platform.psci));
		else
			kprintf("psci: v%u.%u via %s\n", (unsigned)(v >> 16) & 0x7fff,
				(unsigned)v & 0xffff, dt_psci_name(platform.psci));
	} else if (a64_rpi_pm_init(&platform)) {
		kprintf("power: no PSCI; power-off through the PM watchdog at 0x%llx\n",
			(unsigned long long)platform.pm_base);
	} else {
		kprintf("psci: none in the device tree; power-off will halt\n");
	}
	if (a64_semihosting_probe())
		kprintf("semihosting: yes; power-off gives the host the exit status\n");
	else
		kprintf("semihosting: no\n");
}
