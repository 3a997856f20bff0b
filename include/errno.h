/*
 * errno and the error numbers (QNX values, from <muon/errno.h>).
 *
 * errno is per thread, as QNX has it: "#define errno (*__get_errno_ptr())",
 * backed by a thread-local variable in libc (libc/tls.c).
 */
#ifndef _ERRNO_H_INCLUDED
#define _ERRNO_H_INCLUDED

#include <muon/errno.h>

int *__get_errno_ptr(void);
#define errno (*__get_errno_ptr())

#endif
