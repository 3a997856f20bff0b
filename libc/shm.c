/*
 * POSIX shared memory (<sys/mman.h>): shm_open and shm_unlink as open and
 * unlink of /dev/shmem/NAME (shmmgr's prefix), shm_create_handle as an
 * _IO_MSG on the fd, shm_open_handle as shmmgr's _SHM_OPEN_HANDLE on a
 * new connection to its channel (<sys/shmmsg.h>).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/namemsg.h>
#include <sys/neutrino.h>
#include <sys/shmmsg.h>
#include <unistd.h>

#include "libc.h"

#define SHM_PREFIX "/dev/shmem"

/* "/NAME" as shmmgr's path in buf, or -1 with errno. */
static int shm_path(const char *name, char *buf)
{
	if (!name || name[0] != '/') {
		errno = EINVAL;
		return -1;
	}
	size_t len = strnlen(name + 1, _SHM_NAME_MAX + 1);
	if (len > _SHM_NAME_MAX) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if (!len || memchr(name + 1, '/', len) || !strcmp(name, "/.") || !strcmp(name, "/..")) {
		errno = EINVAL;
		return -1;
	}
	memcpy(buf, SHM_PREFIX, sizeof(SHM_PREFIX) - 1);
	memcpy(buf + sizeof(SHM_PREFIX) - 1, name, len + 2);
	return 0;
}

int shm_open(const char *name, int oflag, ...)
{
	char path[sizeof(SHM_PREFIX) + _SHM_NAME_MAX + 1];
	mode_t mode = 0;

	if ((oflag & O_ACCMODE) == O_WRONLY || (oflag & O_ACCMODE) == O_ACCMODE) {
		errno = EINVAL; /* POSIX: read-only or read-write */
		return -1;
	}
	if (oflag & O_CREAT) {
		va_list ap;
		va_start(ap, oflag);
		mode = va_arg(ap, mode_t);
		va_end(ap);
	}
	if (name == SHM_ANON) /* the prefix itself, created: an unnamed object */
		return open(SHM_PREFIX, oflag | O_CREAT | O_EXCL, mode);
	if (shm_path(name, path) < 0)
		return -1;
	return open(path, oflag, mode);
}

int shm_unlink(const char *name)
{
	char path[sizeof(SHM_PREFIX) + _SHM_NAME_MAX + 1];

	return shm_path(name, path) < 0 ? -1 : unlink(path);
}

/* The access mode as _io_connect's ioflag bits; -1 for flags that are
 * not exactly O_RDONLY or O_RDWR (O_CLOEXEC aside: always set). */
static int access_bits(int flags)
{
	int acc = flags & O_ACCMODE;

	if ((flags & ~(O_ACCMODE | O_CLOEXEC)) || (acc != O_RDONLY && acc != O_RDWR))
		return -1;
	return acc + 1;
}

int shm_create_handle(int fd, pid_t pid, int flags, shm_handle_t *handle, unsigned options)
{
	int acc = access_bits(flags);

	if (acc < 0 || options || !handle || pid <= 0) {
		errno = EINVAL;
		return -1;
	}
	struct _shm_create_handle m = {
	    .hdr = {.type = _IO_MSG, .mgrid = _IOMGR_SHMEM, .subtype = _SHM_CREATE_HANDLE},
	    .pid = pid,
	    .ioflag = (uint32_t)acc,
	};
	return __libc_fd_send(fd, &m, sizeof(m), handle, sizeof(*handle)) < 0 ? -1 : 0;
}

int shm_open_handle(shm_handle_t handle, int flags)
{
	struct _name_resolved where;
	int acc = access_bits(flags);

	if (acc < 0) {
		errno = EINVAL;
		return -1;
	}
	int fd = __libc_path_attach(SHM_PREFIX, O_CLOEXEC, &where);
	if (fd < 0)
		return -1;
	struct _shm_open_handle m = {
	    .type = _SHM_OPEN_HANDLE, .ioflag = (uint32_t)acc, .handle = handle};
	iov_t iov;
	SETIOV(&iov, &m, sizeof(m));
	return __libc_path_request(fd, &iov, 1);
}
