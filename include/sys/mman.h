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
#define MAP_FIXED 0x0010
#define MAP_ANON 0x00080000
#define MAP_ANONYMOUS MAP_ANON
#define MAP_FAILED ((void *)-1)

/* Anonymous private memory, zero-filled on first touch (POSIX; QNX's
 * values): requests to proc, the process manager (libc/mman.c). prot is
 * PROT_NONE or PROT_READ with PROT_WRITE or PROT_EXEC, never both of
 * those; flags MAP_PRIVATE | MAP_ANON (| MAP_FIXED), fd -1, off 0.
 * MAP_FAILED / -1 with errno EINVAL, ENOMEM, ENOTSUP. */
void *mmap(void *addr, size_t len, int prot, int flags, int fd, long off);
int munmap(void *addr, size_t len);
int mprotect(void *addr, size_t len, int prot);

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
