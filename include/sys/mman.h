/* Memory protection values and device-memory mapping, QNX's (sys/mman.h). */
#ifndef _SYS_MMAN_H_INCLUDED
#define _SYS_MMAN_H_INCLUDED

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

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
 * With an fd (a shared-memory object's), flags MAP_SHARED (| MAP_FIXED)
 * and off page-aligned: the fd's server maps [off, off+len) of the
 * object (_IO_MMAP, <sys/iomsg.h>); EACCES when prot is wider than the
 * fd's open mode or has PROT_EXEC (shared memory is never executable:
 * W^X across mappings), ENXIO past the object's end, ENOTSUP for
 * MAP_PRIVATE. munmap and mprotect work on either kind (mprotect:
 * EACCES beyond what the mapping was granted).
 * MAP_FAILED / -1 with errno EINVAL, ENOMEM, ENOTSUP, EBADF. */
void *mmap(void *addr, size_t len, int prot, int flags, int fd, long off);
int munmap(void *addr, size_t len);
int mprotect(void *addr, size_t len, int prot);

/* POSIX shared memory (libc/shm.c, served by shmmgr on /dev/shmem):
 * shm_open("/NAME", ...) is open("/dev/shmem/NAME", ...); NAME is 1 to
 * _SHM_NAME_MAX (<sys/shmmsg.h>) bytes with no '/' and not "." or ".."
 * (EINVAL; ENAMETOOLONG). oflag O_RDONLY or O_RDWR with O_CREAT,
 * O_EXCL, O_TRUNC; mode's owner bits say who may open it for reading
 * and writing (EACCES; every process counts as the owner: there are no
 * credentials yet). An object starts empty (ftruncate sizes it) and is
 * freed when its name, its last fd and its last mapping are gone.
 * SHM_ANON as the name: a new object with no name. */
#define SHM_ANON ((const char *)-1)
typedef uint64_t shm_handle_t;
int shm_open(const char *name, int oflag, ...);
int shm_unlink(const char *name);
/* A handle on fd's object that process pid (only) can open, once, with
 * shm_open_handle, with access flags (O_RDONLY or O_RDWR, no wider than
 * fd's: EACCES). options 0 (EINVAL otherwise). The handle lives until it
 * is used or the process that made it ends. 0 or -1 with errno. */
int shm_create_handle(int fd, pid_t pid, int flags, shm_handle_t *handle, unsigned options);
/* An fd for the object of a handle made for the caller: -1 with errno
 * EINVAL when it is not one (forged, another's, used), EACCES when flags
 * ask for more access than the handle gives. */
int shm_open_handle(shm_handle_t handle, int flags);

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
