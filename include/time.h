/*
 * Clocks and sleeping, over the kernel's ClockTime and ClockNanosleep
 * (libc/time.c). struct timespec, the CLOCK_* ids and TIMER_ABSTIME (QNX
 * values) come from <sys/ktypes.h>.
 */
#ifndef _TIME_H_INCLUDED
#define _TIME_H_INCLUDED

#include <stddef.h>
#include <stdint.h>
#include <sys/ktypes.h>
#include <sys/types.h>

int clock_gettime(clockid_t id, struct timespec *ts);
int clock_settime(clockid_t id, const struct timespec *ts);
/* Returns 0 or an error number (not -1/errno, as POSIX says); rem, when
 * not NULL, gets the time left of a relative sleep cut short by EINTR. */
int clock_nanosleep(clockid_t id, int flags, const struct timespec *req, struct timespec *rem);
/* Relative sleep on CLOCK_MONOTONIC; 0 or -1 with errno. */
int nanosleep(const struct timespec *req, struct timespec *rem);
/* Seconds since the Epoch (CLOCK_REALTIME); also stored in *t if t. */
time_t time(time_t *t);

/* POSIX timers over TimerCreate, TimerSettime, TimerInfo, TimerDestroy
 * (libc/timer.c): 0 or -1 with errno. evp NULL: SIGALRM to the process.
 * The QNX resolution is the clock's: the kernel is tickless and programs
 * the hardware timer for the next deadline (clock_getres gives 1 ns). */
struct itimerspec {
	struct timespec it_value;    /* first expiry (zero: disarm) */
	struct timespec it_interval; /* then every this often (zero: once) */
};
struct sigevent;
int timer_create(clockid_t id, struct sigevent *evp, timer_t *timerid);
int timer_settime(timer_t id, int flags, const struct itimerspec *value, struct itimerspec *ovalue);
int timer_gettime(timer_t id, struct itimerspec *value);
int timer_getoverrun(timer_t id);
int timer_delete(timer_t id);
int clock_getres(clockid_t id, struct timespec *res);

/* QNX helpers: timespec <-> nanoseconds. */
uint64_t timespec2nsec(const struct timespec *ts);
void nsec2timespec(struct timespec *ts, uint64_t nsec);

#endif
