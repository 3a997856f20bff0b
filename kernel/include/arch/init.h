/* The arch seam, bring-up part: steps kmain() asks the arch to take. */
#ifndef ARCH_INIT_H
#define ARCH_INIT_H

#include <kernel/boot.h>

/* Physical extent of the loaded kernel image (text to end of bss). */
void arch_kernel_phys_range(uint64_t *start, uint64_t *end);
/* After vm_init(): map devices through the new tables and start the
 * interrupt controller. Interrupts stay masked at the CPU. */
void arch_init_devices(const struct boot_info *bi);

#endif
