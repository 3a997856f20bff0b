/*
 * File descriptors as QNX has them: an fd is a connection (a coid below
 * _NTO_SIDE_CHANNEL) to the resource manager that serves the open, and
 * FD_CLOEXEC is that connection's _NTO_COF_CLOEXEC. dup, dup2 and
 * fcntl(F_DUPFD) make a new connection to the same server and send it
 * _IO_DUP so the server binds it to the same OCB. libc keeps, per fd,
 * whether it is a file (open, name_open, a dup, inherited: what spawn
 * passes on, rather than any connection a program made itself) and its
 * open flags (F_GETFL). At start-up a spawned process takes the fds
 * its parent granted it (__libc_fd_inherit).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <sys/auxv.h>
#include <sys/iomsg.h>
#include <sys/neutrino.h>
#include <sys/procmsg.h>
#include <unistd.h>

#include "libc.h"
#include "stdio_impl.h"

#define FD_FILE 0x80000000u /* fdtab: a file; the rest its open flags */

static uint32_t fdtab[__LIBC_FDS];

void __libc_fd_opened(int fd, int flags)
{
	if (fd >= 0 && fd < __LIBC_FDS)
		fdtab[fd] = FD_FILE | ((uint32_t)flags & ~(uint32_t)O_CLOEXEC);
}

void __libc_fd_closed(int fd)
{
	if (fd >= 0 && fd < __LIBC_FDS)
		fdtab[fd] = 0;
}

int __libc_fd_flags(int fd)
{
	if (fd < 0 || fd >= __LIBC_FDS || !(fdtab[fd] & FD_FILE))
		return -1;
	return (int)(fdtab[fd] & ~FD_FILE);
}

/* fd's server, or -EBADF. */
static int server_of(int fd, struct _server_info *si)
{
	if (fd < 0 || fd >= __LIBC_FDS || ConnectServerInfo_r(0, fd, si) != fd)
		return -EBADF;
	return si->pid ? 0 : -EBADF; /* its server has gone */
}

/* _IO_DUP on coid naming (pid, src): 0 or -errno. */
static int send_dup(int coid, pid_t pid, int src, uint32_t flags)
{
	struct _io_dup m = {.type = _IO_DUP, .flags = flags};

	m.info.pid = pid;
	m.info.coid = src;
	long r = MsgSend_r(coid, &m, sizeof(m), NULL, 0);
	return r < 0 ? -__libc_fd_errno(r) : 0;
}

int __libc_fd_grant(int fd, pid_t child, int child_fd)
{
	return send_dup(fd, child, child_fd, _IO_DUP_FLAG_GRANT);
}

/* A dup of fd at the lowest free fd >= from (exactly from when exact):
 * the new fd, or -1 with errno. */
static int dup_at(int fd, int from, int exact, int cloexec)
{
	struct _server_info si;
	int err = server_of(fd, &si);

	if (err) {
		errno = -err;
		return -1;
	}
	int nfd = ConnectAttach_r(ND_LOCAL_NODE, si.pid, si.chid, (unsigned)from,
				  cloexec ? _NTO_COF_CLOEXEC : 0);
	if (nfd < 0) {
		errno = __libc_fd_errno(nfd);
		return -1;
	}
	if (exact && nfd != from) { /* another thread took it meanwhile */
		ConnectDetach(nfd);
		errno = EBUSY;
		return -1;
	}
	err = nfd < __LIBC_FDS ? send_dup(nfd, getpid(), fd, 0) : -EMFILE;
	if (err) {
		ConnectDetach(nfd);
		errno = -err;
		return -1;
	}
	fdtab[nfd] = fdtab[fd] | FD_FILE;
	return nfd;
}

int dup(int fd)
{
	return dup_at(fd, 3, 0, 0);
}

int dup2(int fd, int fd2)
{
	struct _server_info si;

	if (server_of(fd, &si) < 0 || fd2 < 0 || fd2 >= __LIBC_FDS) {
		errno = EBADF;
		return -1;
	}
	if (fd == fd2)
		return fd2;
	/* POSIX: fd2 is closed first, its errors unreported; a connection
	 * that is no file may reach a server that speaks no I/O, so it is
	 * only let go. */
	if (ConnectServerInfo_r(0, fd2, &si) == fd2) {
		int e = errno;
		if (__libc_fd_flags(fd2) < 0)
			ConnectDetach(fd2);
		else
			close(fd2);
		errno = e;
	}
	return dup_at(fd, fd2, 1, 0);
}

int fcntl(int fd, int cmd, ...)
{
	va_list ap;
	va_start(ap, cmd);
	int arg = va_arg(ap, int);
	va_end(ap);
	struct _server_info si;
	int r;

	if (fd < 0 || fd >= __LIBC_FDS || ConnectServerInfo_r(0, fd, &si) != fd) {
		errno = EBADF;
		return -1;
	}
	switch (cmd) {
	case F_DUPFD:
		if (arg < 0 || arg >= __LIBC_FDS) {
			errno = EINVAL;
			return -1;
		}
		return dup_at(fd, arg < 3 ? 3 : arg, 0, 0);
	case F_GETFD:
		return si.flags & _NTO_COF_CLOEXEC ? FD_CLOEXEC : 0;
	case F_SETFD:
		r = ConnectFlags_r(0, fd, _NTO_COF_CLOEXEC,
				   arg & FD_CLOEXEC ? _NTO_COF_CLOEXEC : 0);
		if (r < 0) {
			errno = -r;
			return -1;
		}
		return 0;
	case F_GETFL:
		return (int)(fdtab[fd] & ~FD_FILE);
	case F_SETFL:
		fdtab[fd] = (fdtab[fd] & ~(uint32_t)(O_APPEND | O_NONBLOCK)) |
			    ((uint32_t)arg & (O_APPEND | O_NONBLOCK));
		return 0;
	default:
		errno = EINVAL;
		return -1;
	}
}

/* The standard streams' I/O: their fd when it is open (inherited from
 * the parent: the console server's, from proc's reopen), else the
 * kernel's console for output and end-of-file for input, as before the
 * console server (a process proc did not spawn, or one that closed the
 * fd). */
static ssize_t std_write(int fd, const void *buf, size_t n)
{
	if (__libc_fd_flags(fd) >= 0)
		return write(fd, buf, n);
	if (__libc_console_write(buf, n))
		return (ssize_t)n;
	errno = EIO;
	return -1;
}

static ssize_t std_read(int fd, void *buf, size_t n)
{
	if (__libc_fd_flags(fd) < 0)
		return 0;
	fflush(stdout); /* a prompt before the answer (stdout: line-buffered) */
	return read(fd, buf, n);
}

void __libc_fd_inherit(void)
{
	const struct _proc_spawn_fd *fds = (const void *)getauxval(AT_MUON_FDS);
	size_t n = getauxval(AT_MUON_NFDS);
	pid_t parent = (pid_t)getauxval(AT_MUON_FDS_PID);

	/* proc made the connections; each takes the OCB its parent granted
	 * or goes (its server refused or has gone: the fd is not open). */
	for (size_t i = 0; fds && i < n; i++) {
		if (fds[i].fd < 0 || fds[i].fd >= __LIBC_FDS)
			continue;
		if (send_dup(fds[i].fd, parent, fds[i].src, 0) == 0)
			fdtab[fds[i].fd] = FD_FILE | fds[i].flags;
		else
			ConnectDetach(fds[i].fd);
	}
	stdin->rd = std_read;
	stdout->wr = std_write;
	stderr->wr = std_write;
}
