/*
 * errno and the error numbers (QNX values, from <muon/errno.h>).
 *
 * errno is a plain global for now: processes are single-threaded until
 * user threads land in libc. It then becomes per-thread, as QNX has it,
 * through "#define errno (*__get_errno_ptr())" backed by the thread's TLS
 * block; __get_errno_ptr() already exists so code may use that form.
 */
#ifndef _ERRNO_H_INCLUDED
#define _ERRNO_H_INCLUDED

#include <muon/errno.h>

extern int errno;
int *__get_errno_ptr(void);

#endif
