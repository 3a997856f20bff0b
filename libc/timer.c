/*
 * POSIX timers over the kernel's timers (kernel/itimer.c): timer_create,
 * timer_settime, timer_gettime, timer_getoverrun, timer_delete, and
 * clock_getres. A timer_t is the kernel's timer id (1..64). SIGEV_THREAD
 * runs the function in a thread of the timer's own, fed by pulses.
 */
#include <errno.h>
#include <sys/neutrino.h>
#include <pthread.h>
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

/* SIGEV_THREAD (POSIX): the kernel knows no such event, so the timer
 * sends pulses to a channel of its own, where a thread of ours calls the
 * function with the value at each expiry. By timer id. */
#define NOTIFY_CODE 1
#define QUIT_CODE 2
static struct notifier {
	int chid, coid;
	pthread_t thread;
	void (*fn)(union sigval);
} notifiers[65];

static void *notify_loop(void *arg)
{
	struct notifier *n = arg;
	struct _pulse p;

	while (MsgReceivePulse(n->chid, &p, sizeof(p), NULL) == 0 && p.code != QUIT_CODE)
		if (p.code == NOTIFY_CODE)
			n->fn(p.value);
	return NULL;
}

static void notifier_end(struct notifier *n)
{
	MsgSendPulse(n->coid, -1, QUIT_CODE, 0);
	pthread_join(n->thread, NULL);
	ConnectDetach(n->coid);
	ChannelDestroy(n->chid);
	n->fn = NULL;
}

int timer_create(clockid_t id, struct sigevent *evp, timer_t *timerid)
{
	struct notifier n = {0};
	struct sigevent pulse;
	int r, err;

	if (evp && SIGEV_GET_TYPE(evp) == SIGEV_THREAD) {
		if (!evp->sigev_notify_function)
			return fail(-EINVAL);
		n.fn = evp->sigev_notify_function;
		if ((n.chid = ChannelCreate_r(_NTO_CHF_PRIVATE)) < 0)
			return fail(n.chid);
		n.coid = ConnectAttach_r(0, 0, n.chid, _NTO_SIDE_CHANNEL, 0);
		SIGEV_PULSE_INIT(&pulse, n.coid, SIGEV_PULSE_PRIO_INHERIT, NOTIFY_CODE,
				 evp->sigev_value.sival_ptr);
		r = n.coid < 0 ? n.coid : TimerCreate_r(id, &pulse);
	} else {
		r = TimerCreate_r(id, evp);
	}
	if (r >= 0 && n.fn) {
		notifiers[r] = n;
		err = pthread_create(&notifiers[r].thread, evp->sigev_notify_attributes,
				     notify_loop, &notifiers[r]);
		if (err) {
			TimerDestroy_r(r);
			notifiers[r].fn = NULL;
			r = -err;
		}
	}
	if (r < 0) {
		if (n.fn) {
			ConnectDetach_r(n.coid);
			ChannelDestroy_r(n.chid);
		}
		return fail(r);
	}
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

	if (r < 0)
		return fail(r);
	if (id > 0 && id < (timer_t)(sizeof(notifiers) / sizeof(notifiers[0])) &&
	    notifiers[id].fn)
		notifier_end(&notifiers[id]);
	return 0;
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
