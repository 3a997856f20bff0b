/* mmap_device_memory and munmap_device_memory (<sys/mman.h>) over the
 * KerMapDevice and KerUnmapDevice kernel calls. */
#include <errno.h>
#include <sys/kcall.h>
#include <sys/mman.h>

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
