/* Memory protection values and device-memory mapping, QNX's (sys/mman.h). */
#ifndef _SYS_MMAN_H_INCLUDED
#define _SYS_MMAN_H_INCLUDED

#include <stddef.h>
#include <stdint.h>

#define PROT_NONE 0x000
#define PROT_READ 0x100
#define PROT_WRITE 0x200
#define PROT_EXEC 0x400
#define PROT_NOCACHE 0x800

#define MAP_SHARED 0x0001
#define MAP_PRIVATE 0x0002
#define MAP_FAILED ((void *)-1)

/* Map len bytes of device registers at physical address physical
 * (page-aligned, not RAM) uncached; needs _NTO_ABILITY_MEM_PHYS. addr is
 * a hint Muon ignores (the kernel picks the address); flags 0,
 * MAP_SHARED or MAP_PRIVATE; prot PROT_READ with PROT_WRITE and
 * PROT_NOCACHE as wanted. MAP_FAILED with errno on error (EPERM, EINVAL,
 * ENOMEM). libc/mman.c, over KerMapDevice. */
void *mmap_device_memory(void *addr, size_t len, int prot, int flags, uint64_t physical);
/* Undo it: 0, or -1 with errno EINVAL (not a device mapping). */
int munmap_device_memory(void *addr, size_t len);

#endif
