/*
 * Events (see event.h): checking and delivering a struct sigevent, and
 * the registered ("secure") events of QNX 7.1: MsgRegisterEvent keeps a
 * copy of a process's event in its table and gives back a handle event
 * (SIGEV_FLAG_HANDLE, the handle in sigev_handle) to hand to servers;
 * a server's MsgDeliverEvent of a handle delivers the copy, if that
 * server is the one the registration names (or any, coid -1). Only the
 * value of an SIGEV_FLAG_UPDATEABLE event is the server's to change.
 *
 * Who may deliver what (MsgDeliverEvent, MsgVerifyEvent): a server to a
 * client process that connected to it and whose scoid it still holds;
 * an unregistered event is refused (EACCES) when the client connected
 * with _NTO_COF_REG_EVENTS, and every event when with _NTO_COF_NOEVENT.
 * Entry points: event.h, and the kernel calls below.
 */
#include <kernel/cpu.h>
#include <kernel/errno.h>
#include <kernel/event.h>
#include <kernel/process.h>
#include <kernel/signal.h>
#include <kernel/slab.h>
#include <kernel/syscall.h>
#include <kernel/thread.h>
#include <kernel/wait.h>
#include <sys/signo.h>

/* One process's registered events. */
struct event_table {
	struct registered {
		struct sigevent ev;
		int server;   /* pid that may deliver it; -1 any */
		uint16_t gen; /* bumped at each use of the slot */
		bool used;
	} reg[EVENTS_PER_PROCESS];
};

static SLAB_CACHE(event_table_cache, struct event_table);
static uint64_t registered_count;

#define HANDLE(i, gen) ((unsigned)(gen) << 16 | (unsigned)(i))

int event_check(const struct sigevent *ev)
{
	if (ev->sigev_notify & ~(SIGEV_TYPE_MASK | SIGEV_FLAG_UPDATEABLE))
		return -EINVAL;
	switch (SIGEV_GET_TYPE(ev)) {
	case SIGEV_NONE:
	case SIGEV_UNBLOCK:
		return 0;
	case SIGEV_SIGNAL_CODE:
	case SIGEV_SIGNAL_THREAD:
		if (ev->sigev_code < SI_MINAVAIL || ev->sigev_code > SI_MAXAVAIL)
			return -EINVAL;
		/* fall through */
	case SIGEV_SIGNAL:
		return ev->sigev_signo >= 1 && ev->sigev_signo < NSIG ? 0 : -EINVAL;
	case SIGEV_PULSE:
		if (ev->sigev_code < _PULSE_CODE_MINAVAIL || ev->sigev_code > _PULSE_CODE_MAXAVAIL)
			return -EINVAL;
		if (ev->sigev_priority != SIGEV_PULSE_PRIO_INHERIT &&
		    (ev->sigev_priority < 0 || ev->sigev_priority > PRIO_MAX))
			return -EINVAL;
		return 0;
	default: /* SIGEV_INTR is an interrupt attachment's; SIGEV_THREAD
		    is libc's (timer_create: a thread fed by pulses) */
		return -EINVAL;
	}
}

int event_deliver(struct thread *t, const struct sigevent *ev, struct pulse *pre, int code,
		  int from_pid)
{
	long value = (long)ev->sigev_value.sival_ptr;
	struct connection *c;
	int prio;

	switch (SIGEV_GET_TYPE(ev)) {
	case SIGEV_NONE:
		return 0;
	case SIGEV_SIGNAL:
		signal_post(t->proc, NULL, ev->sigev_signo, code, value, from_pid);
		return 0;
	case SIGEV_SIGNAL_CODE:
		signal_post(t->proc, NULL, ev->sigev_signo, ev->sigev_code, value, from_pid);
		return 0;
	case SIGEV_SIGNAL_THREAD:
		signal_post(t->proc, t, ev->sigev_signo, ev->sigev_code, value, from_pid);
		return 0;
	case SIGEV_UNBLOCK:
		thread_cancel(t, ETIMEDOUT);
		return 0;
	case SIGEV_PULSE:
		if (!(c = connect_lookup(t->proc, ev->sigev_coid)))
			return -EBADF;
		/* Inherit: the priority of the thread the event is for. */
		prio = ev->sigev_priority == SIGEV_PULSE_PRIO_INHERIT ? t->priority
								      : ev->sigev_priority;
		return msg_event_pulse(c, prio, ev->sigev_code, value, pre);
	default:
		return -EINVAL;
	}
}

/* --- registered events ------------------------------------------------------ */

static struct registered *lookup_handle(struct process *p, unsigned handle)
{
	unsigned i = handle & 0xffff;

	if (!p->events || i >= EVENTS_PER_PROCESS || !p->events->reg[i].used ||
	    p->events->reg[i].gen != handle >> 16)
		return NULL;
	return &p->events->reg[i];
}

void event_process_exit(struct process *p)
{
	if (!p->events)
		return;
	for (unsigned i = 0; i < EVENTS_PER_PROCESS; i++)
		registered_count -= p->events->reg[i].used;
	slab_free(&event_table_cache, p->events);
	p->events = NULL;
}

uint64_t event_registered_count(void)
{
	return registered_count;
}

long sys_MsgRegisterEvent(const uint64_t a[6])
{
	struct process *p = current_thread()->proc;
	struct sigevent *uev = (struct sigevent *)(uintptr_t)a[0], ev;
	int coid = (int)a[1], server = -1, err;
	struct connection *c;
	unsigned i;

	if (copy_from_user(&ev, uev, sizeof(ev)))
		return -EFAULT;
	if ((err = event_check(&ev)))
		return err;
	if (coid != -1) {
		/* (a dead channel's owner may be gone: no server to name) */
		if (!(c = connect_lookup(p, coid)) || c->chan->dead)
			return -EBADF;
		server = c->chan->owner->pid;
	}
	if (!p->events && !(p->events = slab_alloc(&event_table_cache)))
		return -EAGAIN;
	for (i = 0; i < EVENTS_PER_PROCESS && p->events->reg[i].used; i++)
		;
	if (i == EVENTS_PER_PROCESS)
		return -EAGAIN;
	struct registered *r = &p->events->reg[i];
	struct sigevent handle = ev;
	r->gen = (uint16_t)(r->gen + 1);
	handle.sigev_notify |= SIGEV_FLAG_HANDLE;
	handle.sigev_handle = HANDLE(i, r->gen);
	if (copy_to_user(uev, &handle, sizeof(handle)))
		return -EFAULT;
	r->ev = ev;
	r->server = server;
	r->used = true;
	registered_count++;
	return 0;
}

long sys_MsgUnregisterEvent(const uint64_t a[6])
{
	struct process *p = current_thread()->proc;
	struct sigevent ev;
	struct registered *r;

	if (copy_from_user(&ev, (const void *)(uintptr_t)a[0], sizeof(ev)))
		return -EFAULT;
	if (!(ev.sigev_notify & SIGEV_FLAG_HANDLE) || !(r = lookup_handle(p, ev.sigev_handle)))
		return -ESRCH;
	r->used = false;
	registered_count--;
	return 0;
}

/* What server may deliver to t (rcvid 0: to itself): the event to set in
 * *out (a handle resolved), or -errno. */
static int resolve(struct process *server, struct thread *t, const struct sigevent *ev,
		   struct sigevent *out)
{
	struct process *client = t->proc;
	unsigned flags = client == server ? 0 : ipc_connection_flags(client, server);

	if (flags & _NTO_COF_NOEVENT)
		return -EACCES;
	if (ev->sigev_notify & SIGEV_FLAG_HANDLE) {
		struct registered *r = lookup_handle(client, ev->sigev_handle);
		if (!r)
			return -EINVAL;
		if (r->server != -1 && r->server != server->pid)
			return -EACCES;
		*out = r->ev;
		if (r->ev.sigev_notify & SIGEV_FLAG_UPDATEABLE)
			out->sigev_value = ev->sigev_value;
		return 0;
	}
	if (flags & _NTO_COF_REG_EVENTS)
		return -EACCES;
	*out = *ev;
	return event_check(out);
}

/* The thread rcvid names for the calling server: a client thread, alive,
 * of a process that connected to us (rcvid 0: the caller). */
static struct thread *target(int rcvid)
{
	struct thread *self = current_thread(), *t;

	if (rcvid == 0)
		return self;
	t = msg_rcvid_thread(rcvid);
	if (!t || t->state == STATE_DEAD || t->proc->exiting ||
	    (t->proc != self->proc && !ipc_knows_client(self->proc, t->proc->pid)))
		return NULL;
	return t;
}

/* MsgDeliverEvent and MsgVerifyEvent: the same checks. */
static long deliver_or_verify(const uint64_t a[6], bool deliver)
{
	struct sigevent ev, real;
	struct thread *t;
	int err;

	if (copy_from_user(&ev, (const void *)(uintptr_t)a[1], sizeof(ev)))
		return -EFAULT;
	if (!(t = target((int)a[0])))
		return -ESRCH;
	if ((err = resolve(current_thread()->proc, t, &ev, &real)))
		return err;
	if (SIGEV_GET_TYPE(&real) == SIGEV_PULSE) {
		struct connection *c = connect_lookup(t->proc, real.sigev_coid);
		if (!c)
			return -ESRCH; /* QNX: the connection for the pulse */
		if (c->chan->dead)
			return -EBADF; /* and its channel */
	}
	return deliver ? event_deliver(t, &real, NULL, SI_USER, current_thread()->proc->pid) : 0;
}

long sys_MsgDeliverEvent(const uint64_t a[6])
{
	return deliver_or_verify(a, true);
}

long sys_MsgVerifyEvent(const uint64_t a[6])
{
	return deliver_or_verify(a, false);
}
