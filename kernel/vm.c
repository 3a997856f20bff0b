/*
 * Kernel address space set-up. Entry points: vm_init (final kernel tables,
 * W^X), ioremap (device mappings), kimage_to_phys.
 *
 * Before vm_init the kernel runs on the arch's boot tables; ioremap then
 * takes table pages from a small pool inside the image and remembers each
 * mapping so vm_init can carry it into the final tables.
 */
#include <arch/init.h>
#include <arch/mmu.h>
#include <kernel/kprintf.h>
#include <kernel/panic.h>
#include <kernel/pmm.h>
#include <kernel/sections.h>
#include <kernel/vm.h>

#define EARLY_POOL_PAGES 16
#define MAX_EARLY_DEVICES 16

static uint8_t early_pool[EARLY_POOL_PAGES][PAGE_SIZE] ALIGNED(PAGE_SIZE);
static unsigned early_used;
static struct boot_range early_devices[MAX_EARLY_DEVICES];
static unsigned nearly_devices;
static bool vm_ready;

uint64_t kimage_to_phys(const void *va)
{
	uint64_t start, end;

	arch_kernel_phys_range(&start, &end);
	return (uintptr_t)va - (uintptr_t)__kernel_start + start;
}

static uint64_t early_alloc(void)
{
	if (early_used == EARLY_POOL_PAGES)
		return 0;
	return kimage_to_phys(early_pool[early_used++]);
}

static uint64_t table_alloc(void)
{
	return pmm_alloc(0);
}

static void map_or_panic(uint64_t root, uintptr_t va, uint64_t pa, uint64_t size,
			 unsigned prot, uint64_t (*alloc)(void))
{
	if (pt_map(root, va, pa, size, prot, alloc))
		panic("vm: cannot map 0x%lx -> 0x%llx (+0x%llx): out of tables or "
		      "a conflicting mapping", (unsigned long)va,
		      (unsigned long long)pa, (unsigned long long)size);
}

void *ioremap(uint64_t pa, uint64_t size)
{
	uint64_t s = ALIGN_DOWN(pa, PAGE_SIZE);
	uint64_t e = ALIGN_UP(pa + size, PAGE_SIZE);

	if (!vm_ready) {
		if (nearly_devices == MAX_EARLY_DEVICES)
			panic("vm: more than %d early device mappings", MAX_EARLY_DEVICES);
		early_devices[nearly_devices++] = (struct boot_range){s, e - s};
	}
	map_or_panic(arch_kernel_root(), (uintptr_t)phys_to_virt(s), s, e - s,
		     VM_READ | VM_WRITE | VM_DEVICE, vm_ready ? table_alloc : early_alloc);
	return phys_to_virt(pa);
}

/* Map [va, va+size) of the image at its physical place. */
static void map_image(uint64_t root, const char *start, const char *end, unsigned prot)
{
	map_or_panic(root, (uintptr_t)start, kimage_to_phys(start),
		     (uintptr_t)end - (uintptr_t)start, prot, table_alloc);
}

void vm_init(const struct boot_info *bi)
{
	uint64_t root = pmm_alloc(0);
	uint64_t kstart, kend, direct = 0;

	if (!root)
		panic("vm: no page for the kernel root table");
	arch_clear_page(phys_to_virt(root));
	arch_kernel_phys_range(&kstart, &kend);

	map_image(root, __kernel_start, __text_end, VM_READ | VM_EXEC);
	map_image(root, __rodata_start, __rodata_end, VM_READ);
	map_image(root, __data_start, __kernel_end, VM_READ | VM_WRITE);

	/* The direct map of RAM: never executable; the image's alias in it
	 * read-only so text cannot be patched through the back door. */
	for (unsigned i = 0; i < bi->nram; i++) {
		uint64_t s = ALIGN_UP(bi->ram[i].base, PAGE_SIZE);
		uint64_t e = ALIGN_DOWN(bi->ram[i].base + bi->ram[i].size, PAGE_SIZE);
		if (e <= s)
			continue;
		uint64_t ks = MAX(s, MIN(e, kstart)), ke = MAX(ks, MIN(e, kend));
		const unsigned rw = VM_READ | VM_WRITE, ro = VM_READ;
		if (ks > s)
			map_or_panic(root, (uintptr_t)phys_to_virt(s), s, ks - s, rw, table_alloc);
		if (ke > ks)
			map_or_panic(root, (uintptr_t)phys_to_virt(ks), ks, ke - ks, ro, table_alloc);
		if (e > ke)
			map_or_panic(root, (uintptr_t)phys_to_virt(ke), ke, e - ke, rw, table_alloc);
		direct += e - s;
	}
	for (unsigned i = 0; i < nearly_devices; i++)
		map_or_panic(root, (uintptr_t)phys_to_virt(early_devices[i].base),
			     early_devices[i].base, early_devices[i].size,
			     VM_READ | VM_WRITE | VM_DEVICE, table_alloc);

	arch_set_kernel_root(root);
	vm_ready = true;
	kprintf("vm: kernel text %lu KiB RX, rodata %lu KiB R, data+bss %lu KiB RW; "
		"direct map %llu MiB NX\n",
		(unsigned long)(__text_end - __kernel_start) >> 10,
		(unsigned long)(__rodata_end - __rodata_start) >> 10,
		(unsigned long)(__kernel_end - __data_start) >> 10,
		(unsigned long long)(direct >> 20));
}
