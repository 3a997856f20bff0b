/*
 * POSIX scheduling calls (libc/sched.c). The SCHED_* policies and struct
 * sched_param (QNX values and layout) come from <sys/ktypes.h>.
 */
#ifndef _SCHED_H_INCLUDED
#define _SCHED_H_INCLUDED

#include <sys/ktypes.h>
#include <sys/types.h>
#include <time.h>

/* Give the CPU to the next ready thread of the same priority. */
int sched_yield(void);
/* Priority range of SCHED_FIFO, SCHED_RR, SCHED_OTHER (1..255), or -1
 * with EINVAL. */
int sched_get_priority_min(int policy);
int sched_get_priority_max(int policy);

#endif
