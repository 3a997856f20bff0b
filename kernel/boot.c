/* Filling struct boot_info: bounded appends shared by both arches' entries. */
#include <kernel/boot.h>
#include <kernel/kprintf.h>
#include <kernel/panic.h>

const struct boot_info *kernel_boot_info;

void boot_add_ram(struct boot_info *bi, uint64_t base, uint64_t size)
{
	if (!size)
		return;
	if (bi->nram == BOOT_MAX_RANGES) {
		/* Losing RAM only shrinks the pool. */
		kprintf("boot: too many RAM ranges, ignoring 0x%llx+0x%llx\n",
			(unsigned long long)base, (unsigned long long)size);
		return;
	}
	bi->ram[bi->nram++] = (struct boot_range){base, size};
}

void boot_add_reserved(struct boot_info *bi, uint64_t base, uint64_t size)
{
	if (!size)
		return;
	/* Losing a reservation would hand out memory someone else owns. */
	if (bi->nreserved == BOOT_MAX_RANGES)
		panic("boot: more than %d reserved ranges", BOOT_MAX_RANGES);
	bi->reserved[bi->nreserved++] = (struct boot_range){base, size};
}
