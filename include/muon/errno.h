/*
 * Error numbers, with QNX Neutrino's values (System V numbering plus QNX's
 * own, e.g. ETIMEDOUT 260), shared by the kernel and libc. Kernel calls
 * return -E... on failure.
 */
#ifndef MUON_ERRNO_H
#define MUON_ERRNO_H

#define EOK 0
#define EPERM 1
#define ENOENT 2
#define ESRCH 3
#define EINTR 4
#define EIO 5
#define ENXIO 6
#define E2BIG 7
#define ENOEXEC 8
#define EBADF 9
#define ECHILD 10
#define EAGAIN 11
#define ENOMEM 12
#define EACCES 13
#define EFAULT 14
#define EBUSY 16
#define EEXIST 17
#define EINVAL 22
#define EMFILE 24
#define ENOSPC 28
#define ERANGE 34
#define EDEADLK 45
#define ECANCELED 47
#define ENOTSUP 48
#define ENAMETOOLONG 78
#define EOVERFLOW 79
#define ENOSYS 89
#define ETIMEDOUT 260

#endif
