/*
 * The QNX Neutrino kernel interface: every kernel call as Name() and
 * Name_r() (generated from <sys/syscalls.def> by <sys/kcall.h>), and the
 * types and constants they take (<sys/ktypes.h>: struct _thread_attr,
 * struct sched_param, SCHED_*, CLOCK_*, PTHREAD_* attribute flags). QNX
 * code that includes <sys/neutrino.h> sees ThreadCreate, SchedGet,
 * ClockTime, ... as it expects.
 * The kernel may include it too (for the types and constants; it defines
 * none of the functions declared here), or just <sys/ktypes.h>.
 */
#ifndef _SYS_NEUTRINO_H_INCLUDED
#define _SYS_NEUTRINO_H_INCLUDED

#include <sched.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/kcall.h>
#include <sys/ktypes.h>
#include <sys/types.h>
#include <time.h>

#endif
