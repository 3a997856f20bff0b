/*
 * Basic system types with QNX Neutrino's definitions (64-bit targets).
 * Freestanding: only the compiler's <stddef.h> and <stdint.h> underneath.
 */
#ifndef _SYS_TYPES_H_INCLUDED
#define _SYS_TYPES_H_INCLUDED

#include <stddef.h>
#include <stdint.h>

typedef int32_t pid_t; /* process id */
typedef int32_t id_t;  /* any of pid_t, uid_t, gid_t */
typedef int32_t uid_t;
typedef int32_t gid_t;
typedef uint32_t mode_t;
typedef uint32_t dev_t;
typedef uint32_t nlink_t;
typedef int64_t off_t;
typedef uint64_t ino_t;
typedef long ssize_t;
typedef int64_t time_t; /* seconds since the Epoch */
typedef int clockid_t;	/* CLOCK_* in <time.h> */
typedef int timer_t;
typedef uint32_t useconds_t;
typedef int32_t suseconds_t;
typedef int32_t pthread_t; /* a thread id (tid) */

#endif
