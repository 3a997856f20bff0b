/*
 * devctl(): a device-control command on an fd, QNX's way (libc/devctl.c
 * sends _IO_DEVCTL to the fd's resource manager). A command (dcmd)
 * carries its class, number, data size and the direction the data goes
 * in its bits, built with the __DIO* macros below (QNX's encoding).
 */
#ifndef _DEVCTL_H_INCLUDED
#define _DEVCTL_H_INCLUDED

#include <stddef.h>

/* Which way a command's data goes (the top two bits). */
#define _POSIX_DEVDIR_NONE   0
#define _POSIX_DEVDIR_TO     0x80000000u /* client to driver */
#define _POSIX_DEVDIR_FROM   0x40000000u /* driver to client */
#define _POSIX_DEVDIR_TOFROM (_POSIX_DEVDIR_TO | _POSIX_DEVDIR_FROM)
#define DEVDIR_NONE	     _POSIX_DEVDIR_NONE
#define DEVDIR_TO	     _POSIX_DEVDIR_TO
#define DEVDIR_FROM	     _POSIX_DEVDIR_FROM
#define DEVDIR_TOFROM	     _POSIX_DEVDIR_TOFROM
#define DEVDIR_CMD_MASK	     0x0000ffffu

/* Command classes (QNX's). */
#define _DCMD_ALL  0x01
#define _DCMD_FSYS 0x02
#define _DCMD_CHR  0x03
#define _DCMD_NET  0x04
#define _DCMD_MISC 0x05

/* cmd in class, with data of a type's size going nowhere, to the driver,
 * from it, or both ways; the size sits in bits 16-29. */
#define __DIOT_SIZE(data)  ((unsigned)(sizeof(data) & 0x3fff) << 16)
#define __DION(class, cmd) ((int)(((class) << 8) + (cmd) + _POSIX_DEVDIR_NONE))
#define __DIOT(class, cmd, data)                                                                   \
	((int)(__DIOT_SIZE(data) + ((class) << 8) + (cmd) + _POSIX_DEVDIR_TO))
#define __DIOF(class, cmd, data)                                                                   \
	((int)(__DIOT_SIZE(data) + ((class) << 8) + (cmd) + _POSIX_DEVDIR_FROM))
#define __DIOTF(class, cmd, data)                                                                  \
	((int)(__DIOT_SIZE(data) + ((class) << 8) + (cmd) + _POSIX_DEVDIR_TOFROM))

/* A command's data size, as its bits say. */
#define _DEVCTL_SIZE(dcmd) (((unsigned)(dcmd) >> 16) & 0x3fff)

/*
 * Run dcmd on fd: nbytes of data go to the driver (DEVDIR_TO), come
 * back into data (DEVDIR_FROM), or both; *info (may be NULL) gets the
 * driver's extra result. Returns EOK (0) or an errno value (errno is
 * not set), as QNX's: EBADF not an fd, ENOTTY a command the driver does
 * not know, EINVAL bad data.
 */
int devctl(int fd, int dcmd, void *data, size_t nbytes, int *info);

#endif
