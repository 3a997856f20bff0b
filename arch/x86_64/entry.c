/*
 * x86-64 C entry, called from boot.S on the boot tables: console, CPU
 * tables, then the multiboot2 information turned into a struct boot_info
 * for kmain(). Also the bring-up steps of the arch seam (arch/init.h).
 */
#include "multiboot2.h"
#include "trampoline.h"
#include "x86.h"

#include <arch/init.h>
#include <kernel/boot.h>
#include <kernel/kprintf.h>
#include <kernel/panic.h>
#include <kernel/sections.h>
#include <kernel/string.h>
#include <kernel/vm.h>

static struct boot_info boot_info;
static struct mb2_info mb2;

void arch_kernel_phys_range(uint64_t *start, uint64_t *end)
{
	/* Linked at KERNEL_IMAGE_BASE + physical load address. */
	*start = (uintptr_t)__kernel_start - KERNEL_IMAGE_BASE;
	*end = (uintptr_t)__kernel_end - KERNEL_IMAGE_BASE;
}

void arch_init_devices(const struct boot_info *bi)
{
	(void)bi;
	x86_lapic_init();
	x86_ioapic_init();
	x86_user_init();
}

static void fill_boot_info(struct boot_info *bi, uint32_t info_pa)
{
	/* The boot tables map the first 4 GiB; GRUB puts the information
	 * below that. Only what lies inside that window may be read. */
	const uint64_t window = GiB(4);
	if (info_pa >= window - 8)
		panic("multiboot2: information at 0x%x is out of reach", info_pa);
	int err = mb2_parse(phys_to_virt(info_pa), window - info_pa, &mb2);
	if (err)
		panic("multiboot2: bad boot information at 0x%x: %s", info_pa,
		      mb2_strerror(err));

	boot_add_reserved(bi, info_pa, mb2.total_size);
	boot_add_reserved(bi, X86_TRAMPOLINE_PA, PAGE_SIZE); /* smp.c */
	for (unsigned i = 0; i < mb2.nmmap; i++)
		if (mb2.mmap[i].type == MB2_MEMORY_AVAILABLE)
			boot_add_ram(bi, mb2.mmap[i].base, mb2.mmap[i].len);
	if (!mb2.nmmap && mb2.have_meminfo) {
		/* No map: the basic lower and upper memory sizes. */
		boot_add_ram(bi, 0, (uint64_t)mb2.mem_lower_kib << 10);
		boot_add_ram(bi, MiB(1), (uint64_t)mb2.mem_upper_kib << 10);
	}
	if (!bi->nram)
		panic("multiboot2: the loader reported no usable memory");
	if (mb2.mmap_dropped)
		kprintf("multiboot2: %u memory map entries ignored\n", mb2.mmap_dropped);
	for (unsigned i = 0; i < mb2.nmodules; i++) {
		struct boot_module *m = &bi->modules[bi->nmodules++];
		m->base = mb2.modules[i].start;
		m->size = mb2.modules[i].end - mb2.modules[i].start;
		strlcpy(m->name, mb2.modules[i].name, sizeof(m->name));
		boot_add_reserved(bi, m->base, m->size);
	}
	if (mb2.modules_dropped)
		panic("multiboot2: more than %d modules", MB2_MAX_MODULES);
	strlcpy(bi->cmdline, mb2.cmdline ? mb2.cmdline : "", sizeof(bi->cmdline));
	strlcpy(bi->loader, mb2.loader ? mb2.loader : "multiboot2 loader",
		sizeof(bi->loader));
}

NORETURN void x86_entry(uint32_t magic, uint32_t info_pa);

void x86_entry(uint32_t magic, uint32_t info_pa)
{
	x86_serial_init();
	x86_cpu_init();
	x86_smap_patch(); /* while the boot tables leave the text writable */
	x86_gdt_init(0, NULL);
	x86_idt_init();
	if (magic != MB2_BOOTLOADER_MAGIC)
		panic("not started by a multiboot2 loader (eax 0x%x, want 0x%x)",
		      magic, MB2_BOOTLOADER_MAGIC);
	fill_boot_info(&boot_info, info_pa);
	x86_acpi_init(mb2.rsdp, mb2.rsdp_len); /* now: the boot tables map it all */
	kmain(&boot_info);
}
