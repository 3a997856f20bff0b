/*
 * Timers a process creates (QNX's TimerCreate, TimerSettime, TimerInfo,
 * TimerDestroy; libc's POSIX timer_* are over them). Each is a kernel
 * timer (timer.h: tickless, the hardware programmed for the earliest
 * deadline) that delivers its event when it expires, from the timer
 * interrupt or at the end of the kernel call it was deferred to.
 *
 * Nothing is allocated when a timer fires: its pulse is its own
 * (struct itimer.pulse), and a pulse still queued when the timer fires
 * again is received once more instead of growing a queue (QNX: the
 * pulse's count goes up); the expiries it stood for count as overruns.
 * A periodic timer keeps its phase: the next expiry is the last one plus
 * the interval, and periods missed entirely are overruns too.
 *
 * Ids are 1..TIMERS_PER_PROCESS, per process. Entry points: the kernel
 * calls below, itimer_process_exit, itimer_clock_set, itimer_count
 * (event.h).
 */
#include <kernel/cpu.h>
#include <kernel/errno.h>
#include <kernel/event.h>
#include <kernel/process.h>
#include <kernel/signal.h>
#include <kernel/slab.h>
#include <kernel/syscall.h>
#include <kernel/thread.h>
#include <kernel/timer.h>
#include <kernel/wait.h>
#include <sys/signo.h>

struct itimer {
	struct ktimer k; /* armed while the timer is active */
	struct process *owner;
	int id;
	int tid; /* the creator: the thread its event is for */
	clockid_t clock;
	struct sigevent ev;
	struct pulse pulse; /* its pulse (SIGEV_PULSE), never allocated */
	uint64_t interval;  /* ns between expiries; 0: one-shot */
	uint32_t overruns;  /* expiries while its pulse was still queued */
	unsigned flags;	    /* _NTO_TI_ACTIVE, _ABSOLUTE, _EXPIRED */
};

static SLAB_CACHE(itimer_cache, struct itimer);

uint64_t itimer_count(void)
{
	return itimer_cache.in_use;
}

/* The thread the event goes to: the creator, or (it ended) any live
 * thread of the process, unless the event names the thread. */
static struct thread *event_thread(struct itimer *it)
{
	struct thread *any = NULL;

	list_for_each(pos, &it->owner->threads)
	{
		struct thread *t = list_entry(pos, struct thread, proc_link);
		if (t->state == STATE_DEAD)
			continue;
		if (t->tid == it->tid)
			return t;
		if (!any)
			any = t;
	}
	return SIGEV_GET_TYPE(&it->ev) == SIGEV_SIGNAL_THREAD ? NULL : any;
}

static void expired(struct ktimer *k)
{
	struct itimer *it = container_of(k, struct itimer, k);
	struct thread *t;

	if (it->interval) {
		uint64_t now = timer_now_ns(), next = k->deadline + it->interval;
		if (next <= now) { /* whole periods missed */
			uint64_t missed = (now - next) / it->interval + 1;
			it->overruns += (uint32_t)MIN(missed, (uint64_t)UINT32_MAX - it->overruns);
			next += missed * it->interval;
		}
		ktimer_arm(k, next, expired);
	} else {
		it->flags = (it->flags & ~_NTO_TI_ACTIVE) | _NTO_TI_EXPIRED;
	}
	if (it->pulse.count && it->overruns < UINT32_MAX)
		it->overruns++; /* its last pulse still unreceived */
	if ((t = event_thread(it)))
		event_deliver(t, &it->ev, &it->pulse, SI_TIMER, it->owner->pid);
}

static void destroy(struct itimer *it)
{
	ktimer_cancel(&it->k);
	msg_pulse_withdraw(&it->pulse);
	it->owner->timers[it->id - 1] = NULL;
	slab_free(&itimer_cache, it);
}

/* CLOCK_REALTIME moved by delta ns: timers set for a time of day follow
 * it (POSIX: an absolute CLOCK_REALTIME timer expires when the clock
 * reaches its time, however the clock got there). */
static void follow_clock(struct process *p, void *arg)
{
	int64_t delta = *(int64_t *)arg;

	for (int i = 0; i < TIMERS_PER_PROCESS; i++) {
		struct itimer *it = p->timers[i];
		if (!it || !(it->flags & _NTO_TI_TOD_BASED) || !it->k.armed)
			continue;
		uint64_t d = it->k.deadline;
		d = delta > 0 ? (d > (uint64_t)delta ? d - (uint64_t)delta : 1)
			      : deadline_after(d, (uint64_t)-delta);
		ktimer_arm(&it->k, d, expired);
	}
}

void itimer_clock_set(int64_t delta)
{
	process_for_each(follow_clock, &delta);
}

void itimer_process_exit(struct process *p)
{
	for (int i = 0; i < TIMERS_PER_PROCESS; i++)
		if (p->timers[i])
			destroy(p->timers[i]);
}

static struct itimer *lookup(struct process *p, int id)
{
	return id >= 1 && id <= TIMERS_PER_PROCESS ? p->timers[id - 1] : NULL;
}

long sys_TimerCreate(const uint64_t a[6])
{
	struct thread *self = current_thread();
	struct process *p = self->proc;
	clockid_t clock = (clockid_t)a[0];
	const struct sigevent *uev = (const struct sigevent *)(uintptr_t)a[1];
	struct sigevent ev;
	struct itimer *it;
	int i, err;

	if (clock != CLOCK_REALTIME && clock != CLOCK_MONOTONIC)
		return -EINVAL;
	if (!uev) {
		/* POSIX: NULL means SIGALRM, with the timer's id as value. */
		SIGEV_SIGNAL_VALUE_INIT(&ev, SIGALRM, 0);
	} else {
		if (copy_from_user(&ev, uev, sizeof(ev)))
			return -EFAULT;
		if ((err = event_check(&ev)))
			return err;
	}
	for (i = 0; i < TIMERS_PER_PROCESS && p->timers[i]; i++)
		;
	if (i == TIMERS_PER_PROCESS || !(it = slab_alloc(&itimer_cache)))
		return -EAGAIN;
	it->owner = p;
	it->id = i + 1;
	if (!uev)
		ev.sigev_value.sival_int = it->id;
	it->tid = self->tid;
	it->clock = clock;
	it->ev = ev;
	p->timers[i] = it;
	return it->id;
}

long sys_TimerDestroy(const uint64_t a[6])
{
	struct itimer *it = lookup(current_thread()->proc, (int)a[0]);

	if (!it)
		return -EINVAL;
	destroy(it);
	return 0;
}

/* The time to it's next expiry, and its interval. */
static struct _itimer left(const struct itimer *it, uint64_t now)
{
	struct _itimer v = {0, it->interval};

	if (it->flags & _NTO_TI_ACTIVE)
		v.nsec = it->k.deadline > now ? it->k.deadline - now : 1;
	return v;
}

long sys_TimerSettime(const uint64_t a[6])
{
	struct itimer *it = lookup(current_thread()->proc, (int)a[0]);
	int flags = (int)a[1];
	const struct _itimer *unew = (const struct _itimer *)(uintptr_t)a[2];
	struct _itimer *uold = (struct _itimer *)(uintptr_t)a[3], v = {0}, old;
	uint64_t now = timer_now_ns(), deadline;

	if (!it)
		return -EINVAL;
	if (flags & ~TIMER_ABSTIME)
		return -EINVAL;
	if (unew && copy_from_user(&v, unew, sizeof(v)))
		return -EFAULT;
	old = left(it, now);
	if (uold && copy_to_user(uold, &old, sizeof(old)))
		return -EFAULT;
	if (!unew)
		return 0;
	ktimer_cancel(&it->k);
	it->flags = 0;
	it->interval = v.interval_nsec;
	if (!v.nsec)
		return 0; /* disarmed */
	if (flags & TIMER_ABSTIME) {
		deadline = timer_monotonic_deadline(it->clock, v.nsec);
		it->flags |= _NTO_TI_ABSOLUTE | (it->clock == CLOCK_REALTIME ? _NTO_TI_TOD_BASED : 0);
	} else {
		deadline = deadline_after(now, v.nsec);
	}
	it->flags |= _NTO_TI_ACTIVE;
	it->overruns = 0;
	ktimer_arm(&it->k, deadline, expired);
	return 0;
}

long sys_TimerInfo(const uint64_t a[6])
{
	struct thread *self = current_thread();
	int pid = (int)a[0], id = (int)a[1], flags = (int)a[2];
	struct _timer_info *uinfo = (struct _timer_info *)(uintptr_t)a[3], info;
	struct process *p = pid == 0 ? self->proc : process_find(pid);
	struct itimer *it = NULL;

	if (!p || (p != self->proc && !process_may(self->proc, PROCMGR_AID_XPROCESS_QUERY)))
		return -ESRCH;
	if (flags & ~(_NTO_TIMER_SEARCH | _NTO_TIMER_RESET_OVERRUNS))
		return -EINVAL;
	if (flags & _NTO_TIMER_SEARCH)
		for (; id <= TIMERS_PER_PROCESS && !it; id++)
			it = lookup(p, MAX(id, 1));
	else
		it = lookup(p, id);
	if (!it)
		return -EINVAL;
	uint64_t now = timer_now_ns();
	info = (struct _timer_info){
	    .otime = left(it, now),
	    .flags = it->flags,
	    .tid = it->tid,
	    .notify = it->ev.sigev_notify,
	    .clockid = it->clock,
	    .overruns = it->overruns,
	    .event = it->ev,
	};
	info.itime.interval_nsec = it->interval;
	if (it->flags & _NTO_TI_ACTIVE)
		info.itime.nsec =
		    it->k.deadline + (it->clock == CLOCK_REALTIME ? timer_realtime_offset() : 0);
	if (uinfo && copy_to_user(uinfo, &info, sizeof(info)))
		return -EFAULT;
	if (flags & _NTO_TIMER_RESET_OVERRUNS)
		it->overruns = 0;
	return it->id;
}
