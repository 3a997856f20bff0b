/* POSIX process and sleep functions available so far. */
#ifndef _UNISTD_H_INCLUDED
#define _UNISTD_H_INCLUDED

#include <stddef.h>
#include <sys/types.h>

#define STDIN_FILENO  0
#define STDOUT_FILENO 1
#define STDERR_FILENO 2

/* The environment, "NAME=value" strings, NULL-terminated (set by crt0). */
extern char **environ;

/* End the process now with status & 0xff: no atexit handlers, no flush. */
__attribute__((noreturn)) void _exit(int status);

/* The caller's process id (the loader tells it at start-up; a library
 * call, as in QNX). */
pid_t getpid(void);
/* The parent: who spawned us (proc, pid 1, once it has ended). */
pid_t getppid(void);

/* Sleep on CLOCK_MONOTONIC; sleep returns the seconds not slept (when
 * interrupted), usleep 0 or -1 with errno. */
unsigned sleep(unsigned seconds);
int usleep(useconds_t usec);

#endif
