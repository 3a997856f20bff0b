/*
 * Waiting for children (POSIX; QNX's status layout): wait and waitpid
 * (libc/spawn.c) ask proc (_PROC_WAIT) for a child that ended.
 */
#ifndef _SYS_WAIT_H_INCLUDED
#define _SYS_WAIT_H_INCLUDED

#include <sys/types.h>

#define WNOHANG 0x0040

/* A status: the exit code in bits 8..15, or the signal in bits 0..6. */
#define WIFEXITED(s) (((s) & 0x7f) == 0)
#define WEXITSTATUS(s) (((s) >> 8) & 0xff)
#define WIFSIGNALED(s) (((s) & 0x7f) != 0 && ((s) & 0x7f) != 0x7f)
#define WTERMSIG(s) ((s) & 0x7f)
#define WIFSTOPPED(s) (((s) & 0xff) == 0x7f)
#define WSTOPSIG(s) WEXITSTATUS(s)

pid_t wait(int *status);
pid_t waitpid(pid_t pid, int *status, int options);

#endif
