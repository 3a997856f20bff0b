/* POSIX process, sleep, sysconf and fd I/O functions available so far. */
#ifndef _UNISTD_H_INCLUDED
#define _UNISTD_H_INCLUDED

#include <stddef.h>
#include <sys/types.h>

#define STDIN_FILENO  0
#define STDOUT_FILENO 1
#define STDERR_FILENO 2

#ifndef SEEK_SET
#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2
#endif

/* sysconf names (Muon's own numbering). */
#define _SC_ARG_MAX	       1
#define _SC_CHILD_MAX	       2
#define _SC_CLK_TCK	       3
#define _SC_OPEN_MAX	       5
#define _SC_VERSION	       8
#define _SC_PAGESIZE	       11
#define _SC_PAGE_SIZE	       _SC_PAGESIZE
#define _SC_STREAM_MAX	       13
#define _SC_NPROCESSORS_CONF   20
#define _SC_NPROCESSORS_ONLN   21
#define _SC_THREAD_THREADS_MAX 22
#define _SC_TIMER_MAX	       23
#define _SC_LINE_MAX	       24
#define _SC_HOST_NAME_MAX      25
#define _SC_ATEXIT_MAX	       26

/* A limit or option (libc/sysconf.c): its value; -1 with EINVAL for an
 * unknown name; -1 with errno untouched for "no limit". */
long sysconf(int name);

/* The environment, "NAME=value" strings, NULL-terminated (set by crt0). */
extern char **environ;

/* End the process now with status & 0xff: no atexit handlers, no flush. */
__attribute__((noreturn)) void _exit(int status);

/* The caller's process id (the loader tells it at start-up; a library
 * call, as in QNX). */
pid_t getpid(void);
/* The parent: who spawned us (proc, pid 1, once it has ended). */
pid_t getppid(void);

/* Process groups and sessions (proc keeps them; libc/pgrp.c). pid 0 is
 * the caller, pgid 0 the pid. */
int setpgid(pid_t pid, pid_t pgid);
pid_t getpgid(pid_t pid);
pid_t getpgrp(void);
pid_t setsid(void);
/* Whether fd is a terminal (1), else 0 with errno ENOTTY or EBADF. */
int isatty(int fd);
/* Sleep on CLOCK_MONOTONIC; sleep returns the seconds not slept (when
 * interrupted), usleep 0 or -1 with errno. */
unsigned sleep(unsigned seconds);
int usleep(useconds_t usec);

/* I/O on an fd that open() gave (libc/io.c): each is a message to its
 * resource manager. -1 with errno on failure (EBADF: not an fd). */
ssize_t read(int fd, void *buf, size_t n);
ssize_t write(int fd, const void *buf, size_t n);
off_t lseek(int fd, off_t offset, int whence);
int close(int fd);
/* libc/fd.c: a new fd for fd's open (QNX: a new connection to its server
 * and _IO_DUP; offset and flags shared, FD_CLOEXEC clear): dup at the
 * lowest free fd from 3, dup2 at fd2 (closed first if open). EBADF,
 * EMFILE. */
int dup(int fd);
int dup2(int fd, int fd2);
/* A pipe on the pipe manager (libc/pipe.c): fd[0] reads what fd[1]
 * writes. */
int pipe(int fd[2]);
/* fd's object is length bytes now (_IO_SPACE, <sys/iomsg.h>): 0, or -1
 * with errno (EBADF, EINVAL, ENOMEM, ENOSYS: its server cannot). */
int ftruncate(int fd, off_t length);
/* path's name goes (_IO_CONNECT_UNLINK to its resource manager): 0, or
 * -1 with errno (ENOENT, ENOSYS: its server cannot). */
int unlink(const char *path);

#endif
