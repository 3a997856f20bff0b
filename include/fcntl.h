/* open() and its flags (libc/io.c), fcntl() (libc/fd.c), with QNX's
 * values. */
#ifndef _FCNTL_H_INCLUDED
#define _FCNTL_H_INCLUDED

#include <sys/types.h>

#define O_RDONLY   0x0000
#define O_WRONLY   0x0001
#define O_RDWR	   0x0002
#define O_ACCMODE  0x0003
#define O_APPEND   0x0008
#define O_NONBLOCK 0x0080
#define O_CREAT	   0x0100
#define O_TRUNC	   0x0200
#define O_EXCL	   0x0400
#define O_CLOEXEC  0x00020000

/* fcntl commands and the fd flag. */
#define F_DUPFD	   0
#define F_GETFD	   1
#define F_SETFD	   2
#define F_GETFL	   3
#define F_SETFL	   4
#define FD_CLOEXEC 1
/* _IO_SPACE subtypes (<sys/iomsg.h>), SysV's values. */
#define F_ALLOCSP 10
#define F_FREESP  11

/* Opens path through its resource manager (the longest prefix namesrv
 * knows): an fd, or -1 with errno (ENOENT: nobody serves it). The mode
 * (with O_CREAT) goes to the resource manager as it is. */
int open(const char *path, int flags, ...);
/*
 * F_DUPFD: a dup of fd at the lowest free fd >= the argument (and >= 3,
 * as open: 0-2 are the console's), sharing its open (offset, flags);
 * F_GETFD/F_SETFD: FD_CLOEXEC, this fd's alone (the connection's
 * _NTO_COF_CLOEXEC); F_GETFL: the open's flags; F_SETFL: O_APPEND and
 * O_NONBLOCK of them, as libc keeps them for this fd (no server is told:
 * its OCB keeps the flags of the open). -1 with errno: EBADF, EINVAL
 * (a bad command or argument), EMFILE.
 */
int fcntl(int fd, int cmd, ...);

#endif
