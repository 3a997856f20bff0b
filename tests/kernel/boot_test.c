/* In-kernel tests of what the boot path handed to kmain(), on either arch
 * (booted with "ktest" on the command line; the harness gives -m 256, but
 * any size from 64 MiB up passes). */
#include <kernel/boot.h>
#include <kernel/cmdline.h>
#include <kernel/ktest.h>
#include <kernel/string.h>

KTEST(boot_info_sane)
{
	uint64_t total = 0;

	KT_ASSERT(kernel_boot_info != NULL);
	KT_EXPECT(kernel_boot_info->nram >= 1);
	for (unsigned i = 0; i < kernel_boot_info->nram; i++) {
		KT_EXPECT(kernel_boot_info->ram[i].size > 0);
		total += kernel_boot_info->ram[i].size;
	}
	KT_EXPECT(total >= MiB(60)); /* 64 MiB less what firmware keeps */
	KT_EXPECT(total <= GiB(1024));
	KT_EXPECT(cmdline_has(kernel_boot_info->cmdline, "ktest"));
	KT_EXPECT(kernel_boot_info->loader[0] != '\0');
	/* Every reservation lies inside some RAM range or outside all of
	 * them; none is empty. */
	for (unsigned i = 0; i < kernel_boot_info->nreserved; i++)
		KT_EXPECT(kernel_boot_info->reserved[i].size > 0);
}
