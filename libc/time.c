/*
 * Clocks and sleeps over the kernel's ClockTime(id, new, old) (nanoseconds
 * in and out) and ClockNanosleep(id, flags, ns) (flags 0: relative,
 * TIMER_ABSTIME: absolute). Relative sleeps use CLOCK_MONOTONIC, as QNX's
 * nanosleep does.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/kcall.h>
#include <time.h>
#include <unistd.h>

#include "libc.h"

#define NS_PER_SEC 1000000000ull

uint64_t timespec2nsec(const struct timespec *ts)
{
	return (uint64_t)ts->tv_sec * NS_PER_SEC + (uint64_t)ts->tv_nsec;
}

void nsec2timespec(struct timespec *ts, uint64_t nsec)
{
	ts->tv_sec = (time_t)(nsec / NS_PER_SEC);
	ts->tv_nsec = (long)(nsec % NS_PER_SEC);
}

static int valid(const struct timespec *ts)
{
	return ts->tv_nsec >= 0 && (uint64_t)ts->tv_nsec < NS_PER_SEC;
}

/* A timespec as nanoseconds, negative times as 0, too large as the most. */
static uint64_t to_ns(const struct timespec *ts)
{
	if (ts->tv_sec < 0)
		return 0;
	if ((uint64_t)ts->tv_sec > (UINT64_MAX - (uint64_t)ts->tv_nsec) / NS_PER_SEC)
		return UINT64_MAX;
	return timespec2nsec(ts);
}

int clock_gettime(clockid_t id, struct timespec *ts)
{
	uint64_t ns;
	int r = ClockTime_r(id, NULL, &ns);

	if (r < 0) {
		errno = -r;
		return -1;
	}
	nsec2timespec(ts, ns);
	return 0;
}

int clock_settime(clockid_t id, const struct timespec *ts)
{
	if (!valid(ts) || ts->tv_sec < 0) {
		errno = EINVAL;
		return -1;
	}
	uint64_t ns = to_ns(ts);
	return ClockTime(id, &ns, NULL) < 0 ? -1 : 0;
}

int clock_nanosleep(clockid_t id, int flags, const struct timespec *req, struct timespec *rem)
{
	uint64_t ns, start = 0;

	if (!valid(req))
		return EINVAL;
	ns = to_ns(req);
	bool relative = !(flags & TIMER_ABSTIME);
	if (relative && rem && ClockTime_r(id, NULL, &start) < 0)
		rem = NULL;
	int r = ClockNanosleep_r(id, flags, &ns);
	if (r == -EINTR && relative && rem) {
		uint64_t now, slept;
		if (ClockTime_r(id, NULL, &now) == 0) {
			slept = now - start;
			nsec2timespec(rem, slept < ns ? ns - slept : 0);
		}
	}
	return r < 0 ? -r : 0;
}

int nanosleep(const struct timespec *req, struct timespec *rem)
{
	int r = clock_nanosleep(CLOCK_MONOTONIC, 0, req, rem);

	if (r) {
		errno = r;
		return -1;
	}
	return 0;
}

unsigned sleep(unsigned seconds)
{
	struct timespec req = {.tv_sec = seconds}, rem = {0, 0};

	if (nanosleep(&req, &rem) < 0 && errno == EINTR)
		return (unsigned)rem.tv_sec + (rem.tv_nsec > 0);
	return 0;
}

int usleep(useconds_t usec)
{
	struct timespec req;

	nsec2timespec(&req, (uint64_t)usec * 1000);
	return nanosleep(&req, NULL);
}

time_t time(time_t *t)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_REALTIME, &ts) < 0)
		return (time_t)-1;
	if (t)
		*t = ts.tv_sec;
	return ts.tv_sec;
}
