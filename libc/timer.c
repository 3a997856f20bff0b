/*
 * POSIX timers over the kernel's timers (kernel/itimer.c): timer_create,
 * timer_settime, timer_gettime, timer_getoverrun, timer_delete, and
 * clock_getres. A timer_t is the kernel's timer id.
 */
#include <errno.h>
#include <sys/kcall.h>
#include <sys/ktypes.h>
#include <time.h>

#include "libc.h"

#define NS_PER_SEC 1000000000ull

static int fail(int r)
{
	errno = -r;
	return -1;
}

static int valid(const struct timespec *ts)
{
	return ts->tv_sec >= 0 && ts->tv_nsec >= 0 && (uint64_t)ts->tv_nsec < NS_PER_SEC;
}

int timer_create(clockid_t id, struct sigevent *evp, timer_t *timerid)
{
	int r = TimerCreate_r(id, evp);

	if (r < 0)
		return fail(r);
	*timerid = r;
	return 0;
}

static void to_itimerspec(struct itimerspec *v, const struct _itimer *t)
{
	nsec2timespec(&v->it_value, t->nsec);
	nsec2timespec(&v->it_interval, t->interval_nsec);
}

int timer_settime(timer_t id, int flags, const struct itimerspec *value, struct itimerspec *ovalue)
{
	struct _itimer t, old;

	if (!valid(&value->it_value) || !valid(&value->it_interval))
		return fail(-EINVAL);
	t.nsec = timespec2nsec(&value->it_value);
	t.interval_nsec = timespec2nsec(&value->it_interval);
	int r = TimerSettime_r(id, flags, &t, ovalue ? &old : NULL);
	if (r < 0)
		return fail(r);
	if (ovalue)
		to_itimerspec(ovalue, &old);
	return 0;
}

int timer_gettime(timer_t id, struct itimerspec *value)
{
	struct _itimer old;
	int r = TimerSettime_r(id, 0, NULL, &old);

	if (r < 0)
		return fail(r);
	to_itimerspec(value, &old);
	return 0;
}

int timer_getoverrun(timer_t id)
{
	struct _timer_info info;
	int r = TimerInfo_r(0, id, _NTO_TIMER_RESET_OVERRUNS, &info);

	return r < 0 ? fail(r) : (int)info.overruns;
}

int timer_delete(timer_t id)
{
	int r = TimerDestroy_r(id);

	return r < 0 ? fail(r) : 0;
}

int clock_getres(clockid_t id, struct timespec *res)
{
	uint64_t now;
	int r = ClockTime_r(id, NULL, &now);

	if (r < 0)
		return fail(r);
	if (res)
		nsec2timespec(res, 1);
	return 0;
}
