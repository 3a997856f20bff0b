/* Memory mappings (<sys/mman.h>): mmap_device_memory and
 * munmap_device_memory over the KerMapDevice and KerUnmapDevice kernel
 * calls; mmap, munmap and mprotect as requests to proc, but mmap of an
 * fd, which goes to the fd's server as _IO_MMAP. */
#include <errno.h>
#include <sys/iomsg.h>
#include <sys/kcall.h>
#include <sys/mman.h>
#include <sys/neutrino.h>
#include <sys/procmsg.h>
#include <unistd.h>

#include "libc.h"

void *mmap_device_memory(void *addr, size_t len, int prot, int flags, uint64_t physical)
{
	(void)addr; /* a hint: the kernel picks the address */
	if (flags & ~(MAP_SHARED | MAP_PRIVATE)) {
		errno = EINVAL;
		return MAP_FAILED;
	}
	long r = KerMapDevice_r(physical, len, prot);
	if (r < 0) {
		errno = (int)-r;
		return MAP_FAILED;
	}
	return (void *)r;
}

int munmap_device_memory(void *addr, size_t len)
{
	return KerUnmapDevice(addr, len);
}

/* mmap, munmap, mprotect: requests to proc (<sys/procmsg.h>) through the
 * connection every process has to it; proc itself, which serves them,
 * makes the kernel calls directly. */
static long mem_request(uint16_t type, void *addr, size_t len, int prot, int flags, int fd,
			long off, uint64_t *out)
{
	struct _mem_request r = {.type = type,
				 .prot = prot,
				 .flags = flags,
				 .fd = fd,
				 .addr = (uintptr_t)addr,
				 .len = len,
				 .offset = off};

	if (getpid() == SYSMGR_PID) {
		switch (type) {
		case _MEM_MAP:
			if (fd != -1 || off || !(flags & MAP_PRIVATE) ||
			    (flags & ~(MAP_PRIVATE | MAP_ANON | MAP_FIXED)))
				return -EINVAL;
			long va = KerMemMap_r(0, (uintptr_t)addr, len, prot, flags & MAP_FIXED);
			if (va >= 0)
				*out = (uint64_t)va;
			return va < 0 ? va : 0;
		case _MEM_UNMAP:
			return KerMemUnmap_r(0, (uintptr_t)addr, len);
		default:
			return KerMemProtect_r(0, (uintptr_t)addr, len, prot);
		}
	}
	return MsgSend_r(SYSMGR_COID, &r, sizeof(r), out, out ? sizeof(*out) : 0);
}

/* A request's result as POSIX returns it: 0, or -1 with errno (EBADF
 * from the send means there is no proc to ask: ENOSYS). */
static int posix_result(long r)
{
	if (r >= 0)
		return 0;
	errno = r == -EBADF ? ENOSYS : (int)-r;
	return -1;
}

/* An fd's object, mapped by its server (_IO_MMAP, <sys/iomsg.h>). */
static void *mmap_fd(void *addr, size_t len, int prot, int flags, int fd, long off)
{
	struct _io_mmap m = {.type = _IO_MMAP,
			     .prot = (uint32_t)prot,
			     .offset = (uint64_t)off,
			     .len = len,
			     .addr = (uintptr_t)addr,
			     .flags = (uint32_t)flags};
	uint64_t va = 0;

	if (fd < 0 || fd >= _NTO_SIDE_CHANNEL) {
		errno = EBADF;
		return MAP_FAILED;
	}
	if (off < 0 || (flags & MAP_ANON)) {
		errno = EINVAL;
		return MAP_FAILED;
	}
	long r = MsgSend_r(fd, &m, sizeof(m), &va, sizeof(va));
	if (r < 0) {
		/* ESRCH: its server has gone (ENXIO is the server's: past
		 * the object's end). */
		errno = r == -ESRCH ? EBADF : (int)-r;
		return MAP_FAILED;
	}
	return (void *)(uintptr_t)va;
}

void *mmap(void *addr, size_t len, int prot, int flags, int fd, long off)
{
	uint64_t va = 0;

	if (fd != -1)
		return mmap_fd(addr, len, prot, flags, fd, off);
	if (posix_result(mem_request(_MEM_MAP, addr, len, prot, flags, fd, off, &va)))
		return MAP_FAILED;
	return (void *)(uintptr_t)va;
}

int munmap(void *addr, size_t len)
{
	return posix_result(mem_request(_MEM_UNMAP, addr, len, 0, 0, -1, 0, NULL));
}

int mprotect(void *addr, size_t len, int prot)
{
	return posix_result(mem_request(_MEM_PROTECT, addr, len, prot, 0, -1, 0, NULL));
}
