/* open() and its flags (libc/io.c), with QNX's values. */
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

/* _IO_SPACE subtypes (<sys/iomsg.h>), SysV's values. */
#define F_ALLOCSP 10
#define F_FREESP  11

/* Opens path through its resource manager (the longest prefix namesrv
 * knows): an fd, or -1 with errno (ENOENT: nobody serves it). The mode
 * (with O_CREAT) goes to the resource manager as it is. */
int open(const char *path, int flags, ...);

#endif
