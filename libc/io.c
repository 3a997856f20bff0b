/*
 * The client side of the pathname space: open, unlink, read, write,
 * lseek, fstat and close (<fcntl.h>, <unistd.h>, <sys/stat.h>). open() asks
 * namesrv which resource manager holds the path (the longest prefix),
 * connects to its channel and sends _IO_CONNECT with the rest of the
 * path; the connection is the fd (a coid below _NTO_SIDE_CHANNEL). The
 * other calls are one I/O message each on it (<sys/iomsg.h>).
 */
#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <string.h>
#include <sys/iomsg.h>
#include <sys/namemsg.h>
#include <sys/neutrino.h>
#include <sys/resmgr.h>
#include <sys/stat.h>
#include <unistd.h>

#include "libc.h"

/* fds 0-2 stay for stdin, stdout and stderr (the console server's, to
 * come): open() starts above them. */
#define FIRST_FD 3

static int bad_fd(int fd)
{
	return fd < 0 || fd >= _NTO_SIDE_CHANNEL;
}

int __libc_fd_errno(long r)
{
	return r == -ESRCH || r == -ENXIO ? EBADF : (int)-r;
}

long __libc_fd_send(int fd, const void *msg, size_t len, void *reply, size_t rlen)
{
	if (bad_fd(fd)) {
		errno = EBADF;
		return -1;
	}
	long r = MsgSend_r(fd, msg, len, reply, rlen);
	if (r < 0) {
		errno = __libc_fd_errno(r);
		return -1;
	}
	return r;
}

int __libc_path_attach(const char *path, int flags, struct _name_resolved *where)
{
	struct _name_path_resolve_req q = {.type = _NAME_PATH_RESOLVE};

	if (!path) {
		errno = EINVAL;
		return -1;
	}
	size_t len = strnlen(path, _NAME_PATH_MAX + 1);
	if (len > _NAME_PATH_MAX) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(q.path, path, len + 1);
	if (__libc_namesrv(&q, sizeof(q), where, sizeof(*where)) < 0)
		return -1;
	int fd = ConnectAttach_r(ND_LOCAL_NODE, where->pid, where->chid, FIRST_FD,
				 flags & O_CLOEXEC ? _NTO_COF_CLOEXEC : 0);
	if (fd < 0) {
		/* Its server ended before namesrv heard of it. */
		errno = fd == -ESRCH || fd == -ENXIO ? ENOENT : -fd;
		return -1;
	}
	return fd;
}

int __libc_path_request(int fd, const iov_t *iov, int parts)
{
	long r = MsgSendv_r(fd, iov, (size_t)parts, NULL, 0);

	if (r >= 0)
		return fd;
	ConnectDetach(fd);
	errno = r == -ESRCH || r == -EBADF || r == -ENXIO ? ENOENT : (int)-r;
	return -1;
}

/* A connection to path's resource manager that has sent it the
 * _IO_CONNECT of subtype: the coid, or -1 with errno. */
static int connect_path(const char *path, uint16_t subtype, int flags, mode_t mode)
{
	struct _name_resolved where;
	int fd = __libc_path_attach(path, flags, &where);

	if (fd < 0)
		return -1;
	/* The rest after the prefix, without the '/' between: "" for the
	 * prefix itself. */
	size_t len = strlen(path);
	const char *rest = path + (where.prefix_len < len ? where.prefix_len : len);
	while (*rest == '/')
		rest++;
	size_t plen = strlen(rest) + 1;
	struct _io_connect c = {
	    .type = _IO_CONNECT,
	    .subtype = subtype,
	    .file_type = _FTYPE_ANY,
	    .handle = (uint32_t)where.handle,
	    .ioflag = (uint32_t)((flags & ~O_ACCMODE) | ((flags & O_ACCMODE) + 1)),
	    .mode = mode,
	    .path_len = (uint16_t)plen,
	};
	iov_t iov[2];
	SETIOV(&iov[0], &c, offsetof(struct _io_connect, path));
	SETIOV(&iov[1], (void *)rest, plen);
	return __libc_path_request(fd, iov, 2);
}

int open(const char *path, int flags, ...)
{
	mode_t mode = 0;

	if ((flags & O_ACCMODE) == O_ACCMODE) {
		errno = EINVAL;
		return -1;
	}
	if (flags & O_CREAT) {
		va_list ap;
		va_start(ap, flags);
		mode = va_arg(ap, mode_t);
		va_end(ap);
	}
	int fd = connect_path(path, _IO_CONNECT_OPEN, flags, mode);
	if (fd >= 0)
		__libc_fd_opened(fd, flags);
	return fd;
}

int unlink(const char *path)
{
	/* The connection only carries the request. */
	int coid = connect_path(path, _IO_CONNECT_UNLINK, O_CLOEXEC, 0);

	if (coid < 0)
		return -1;
	ConnectDetach(coid);
	return 0;
}

ssize_t read(int fd, void *buf, size_t n)
{
	if (n > INT32_MAX)
		n = INT32_MAX;
	struct _io_read m = {.type = _IO_READ, .nbytes = (int32_t)n, .xtype = _IO_XTYPE_NONE};
	long r = __libc_fd_send(fd, &m, sizeof(m), buf, n);
	return r > (long)n ? (ssize_t)n : r;
}

ssize_t write(int fd, const void *buf, size_t n)
{
	if (bad_fd(fd)) {
		errno = EBADF;
		return -1;
	}
	if (n > INT32_MAX)
		n = INT32_MAX;
	struct _io_write m = {.type = _IO_WRITE, .nbytes = (int32_t)n, .xtype = _IO_XTYPE_NONE};
	iov_t iov[2];
	SETIOV(&iov[0], &m, sizeof(m));
	SETIOV(&iov[1], (void *)buf, n);
	long r = MsgSendv_r(fd, iov, 2, NULL, 0);
	if (r < 0) {
		errno = __libc_fd_errno(r);
		/* POSIX: a write with no reader left also raises SIGPIPE. */
		if (errno == EPIPE)
			raise(SIGPIPE);
		return -1;
	}
	return r > (long)n ? (ssize_t)n : r;
}

off_t lseek(int fd, off_t offset, int whence)
{
	struct _io_lseek m = {
	    .type = _IO_LSEEK, .whence = (int16_t)whence, .offset = (uint64_t)offset};
	uint64_t at = 0;

	return __libc_fd_send(fd, &m, sizeof(m), &at, sizeof(at)) < 0 ? -1 : (off_t)at;
}

int fstat(int fd, struct stat *st)
{
	struct _io_stat m = {.type = _IO_STAT};

	return __libc_fd_send(fd, &m, sizeof(m), st, sizeof(*st)) < 0 ? -1 : 0;
}

int ftruncate(int fd, off_t length)
{
	if (bad_fd(fd)) {
		errno = EBADF;
		return -1;
	}
	if (length < 0) {
		errno = EINVAL;
		return -1;
	}
	struct _io_space m = {
	    .type = _IO_SPACE, .subtype = F_FREESP, .whence = SEEK_SET, .start = (uint64_t)length};
	return __libc_fd_send(fd, &m, sizeof(m), NULL, 0) < 0 ? -1 : 0;
}

int close(int fd)
{
	if (bad_fd(fd)) {
		errno = EBADF;
		return -1;
	}
	struct _io_close m = {.type = _IO_CLOSE};
	long r = MsgSend_r(fd, &m, sizeof(m), NULL, 0);
	/* The fd goes whatever the server said (POSIX), and with a server
	 * that has gone there is nothing more to tell. */
	__libc_fd_closed(fd);
	if (ConnectDetach_r(fd) < 0) {
		errno = EBADF;
		return -1;
	}
	if (r < 0 && __libc_fd_errno(r) != EBADF) {
		errno = (int)-r;
		return -1;
	}
	return 0;
}
