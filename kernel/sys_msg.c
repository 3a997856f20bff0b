/*
 * Message-passing kernel calls: argument checking, then channel.c and
 * msg.c do the work. The common forms take one buffer of a byte count
 * (above LONG_MAX: EOVERFLOW); the others part counts: n >= 0 is an iov_t
 * array of n parts, n < 0 one buffer of -n bytes (syscalls.def).
 */
#include <kernel/cpu.h>
#include <kernel/errno.h>
#include <kernel/ipc.h>
#include <kernel/process.h>
#include <kernel/syscall.h>
#include <kernel/thread.h>
#include <kernel/timer.h>
#include <kernel/wait.h>
#include <sys/ktypes.h>

/* A part count's stream (an iov_t array's length is msg.c's to find:
 * uio_length). n < 0: one buffer of -n bytes (INT64_MIN, no length
 * negated, stays negative: EINVAL); an array of no parts is one buffer
 * of none. */
static struct uio uio_of(uint64_t addr, uint64_t parts)
{
	struct process *p = current_thread()->proc;

	if ((int64_t)parts <= 0 && (int64_t)parts != INT64_MIN)
		return uio_one(p, (uintptr_t)addr, -parts);
	return (struct uio){p, (uintptr_t)addr, (long)parts, 0};
}

/* One buffer of len bytes (at most LONG_MAX: the caller checked). */
static struct uio uio_buf(uint64_t addr, uint64_t len)
{
	return uio_one(current_thread()->proc, (uintptr_t)addr, (size_t)len);
}

long sys_ChannelCreate(const uint64_t a[6])
{
	return channel_create(current_thread()->proc, (unsigned)a[0]);
}

long sys_ChannelDestroy(const uint64_t a[6])
{
	return channel_destroy(current_thread()->proc, (int)a[0]);
}

long sys_ConnectAttach(const uint64_t a[6])
{
	if ((uint32_t)a[0] != ND_LOCAL_NODE)
		return -ESRCH; /* no network manager yet: only the local node */
	return connect_attach(current_thread()->proc, (int)a[1], (int)a[2], (unsigned)a[3], (int)a[4]);
}

long sys_ConnectDetach(const uint64_t a[6])
{
	return connect_detach(current_thread()->proc, (int)a[0]);
}

long sys_ConnectClientInfo(const uint64_t a[6])
{
	struct process *self = current_thread()->proc;
	int scoid = (int)a[0];
	struct _client_info ci = {0};

	if (!(ci.pid = ipc_scoid_pid(self, scoid)))
		return -ESRCH;
	if (a[1] && copy_to_user((void *)(uintptr_t)a[1], &ci, sizeof(ci)))
		return -EFAULT;
	return 0;
}

long sys_ConnectServerInfo(const uint64_t a[6])
{
	struct process *self = current_thread()->proc;
	struct process *p = (int)a[0] == 0 ? self : process_find((int)a[0]);
	struct _server_info si = {0};

	if (p != self && !process_may(self, PROCMGR_AID_XPROCESS_QUERY))
		return -EPERM;
	if (!p || p->zombie)
		return -ESRCH;
	int coid = connect_server_info(p, (int)a[1], &si);
	if (coid >= 0 && a[2] && copy_to_user((void *)(uintptr_t)a[2], &si, sizeof(si)))
		return -EFAULT;
	return coid;
}

long sys_ConnectFlags(const uint64_t a[6])
{
	struct process *self = current_thread()->proc;

	if ((int)a[0] != 0 && (int)a[0] != self->pid)
		return -EPERM;
	if ((unsigned)a[2] & ~_NTO_COF_CLOEXEC)
		return -EINVAL;
	return connect_flags(self, (int)a[1], (unsigned)a[2], (unsigned)a[3]);
}

static long send(struct uio *s, struct uio *r, int coid)
{
	struct thread *t = current_thread();
	struct connection *c = connect_lookup(t->proc, coid);

	if (!c)
		return -EBADF;
	return msg_send(t, c, s, r);
}

long sys_KerMsgSend(const uint64_t a[6])
{
	if (uio_too_big(a[2] | a[4]))
		return -EOVERFLOW;
	struct uio s = uio_buf(a[1], a[2]), r = uio_buf(a[3], a[4]);

	return send(&s, &r, (int)a[0]);
}

long sys_KerMsgSendv(const uint64_t a[6])
{
	struct uio s = uio_of(a[1], a[2]), r = uio_of(a[3], a[4]);

	return send(&s, &r, (int)a[0]);
}

static long receive(struct uio *r, int chid, uint64_t info, uint64_t flags)
{
	struct thread *t = current_thread();
	struct channel *ch = channel_lookup(t->proc, chid);

	if (!ch)
		return -ESRCH;
	if (flags & ~(uint64_t)KER_MSG_PULSE_ONLY)
		return -EINVAL;
	return msg_receive(t, ch, r, (uintptr_t)info, flags & KER_MSG_PULSE_ONLY);
}

long sys_KerMsgReceive(const uint64_t a[6])
{
	if (uio_too_big(a[2]))
		return -EOVERFLOW;
	struct uio r = uio_buf(a[1], a[2]);

	return receive(&r, (int)a[0], a[3], 0);
}

long sys_KerMsgReceivev(const uint64_t a[6])
{
	struct uio r = uio_of(a[1], a[2]);

	return receive(&r, (int)a[0], a[3], a[4]);
}

long sys_KerMsgReply(const uint64_t a[6])
{
	if (uio_too_big(a[3]))
		return -EOVERFLOW;
	struct uio r = uio_buf(a[2], a[3]);

	return msg_reply(current_thread(), (int)a[0], (long)a[1], &r, false);
}

long sys_KerMsgReplyv(const uint64_t a[6])
{
	struct uio r = uio_of(a[2], a[3]);

	return msg_reply(current_thread(), (int)a[0], (long)a[1], &r, false);
}

long sys_KerMsgReplyReceive(const uint64_t a[6])
{ /* ids, info, status, smsg, sizes, rmsg */
	struct thread *t = current_thread();
	struct channel *ch = channel_lookup(t->proc, (int)(a[0] >> 32));
	struct uio s = uio_buf(a[3], (uint32_t)a[4]), r = uio_buf(a[5], a[4] >> 32);

	if (!ch)
		return -ESRCH;
	int err = msg_reply(t, (int)(uint32_t)a[0], (long)a[2], &s, false);
	if (err < 0 && err != -ESRCH)
		return err;
	return msg_receive(t, ch, &r, (uintptr_t)a[1], false);
}

long sys_MsgError(const uint64_t a[6])
{
	struct uio none = uio_of(0, 0);

	return msg_reply(current_thread(), (int)a[0], (int)a[1], &none, true);
}

long sys_KerMsgRead(const uint64_t a[6])
{
	struct uio d = uio_of(a[1], a[2]);

	return msg_read(current_thread(), (int)a[0], &d, (size_t)a[3]);
}

long sys_KerMsgWrite(const uint64_t a[6])
{
	struct uio s = uio_of(a[1], a[2]);

	return msg_write(current_thread(), (int)a[0], &s, (size_t)a[3]);
}

long sys_MsgInfo(const uint64_t a[6])
{
	return msg_info(current_thread(), (int)a[0], (uintptr_t)a[1]);
}

long sys_KerMsgSendPulse(const uint64_t a[6])
{
	struct thread *t = current_thread();
	struct connection *c = connect_lookup(t->proc, (int)a[0]);

	if (!c)
		return -EBADF;
	return msg_send_pulse(t, c, (int)a[1], (int)a[2], (long)a[3]);
}

#define TIMEOUT_STATES                                                                             \
	(_NTO_TIMEOUT_SEND | _NTO_TIMEOUT_RECEIVE | _NTO_TIMEOUT_REPLY | _NTO_TIMEOUT_SIGSUSPEND |    \
	 _NTO_TIMEOUT_SIGWAITINFO | _NTO_TIMEOUT_NANOSLEEP | _NTO_TIMEOUT_MUTEX |                      \
	 _NTO_TIMEOUT_CONDVAR | _NTO_TIMEOUT_JOIN | _NTO_TIMEOUT_INTR | _NTO_TIMEOUT_SEM)

long sys_TimerTimeout(const uint64_t a[6])
{
	struct thread *t = current_thread();
	int id = (int)a[0];
	unsigned flags = (unsigned)a[1];
	const struct sigevent *uev = (const void *)(uintptr_t)a[2];
	const uint64_t *untime = (const void *)(uintptr_t)a[3];
	uint64_t *uotime = (void *)(uintptr_t)a[4];
	uint64_t now = timer_now_ns(), ns = 0;
	struct sigevent ev;

	if (id != CLOCK_REALTIME && id != CLOCK_MONOTONIC)
		return -EINVAL;
	if (flags & ~(TIMEOUT_STATES | TIMER_ABSTIME))
		return -EINVAL;
	if (uev) {
		if (copy_from_user(&ev, uev, sizeof(ev)))
			return -EFAULT;
		if (ev.sigev_notify != SIGEV_UNBLOCK)
			return -EINVAL; /* other notifications come with events */
	}
	if (untime && copy_from_user(&ns, untime, sizeof(ns)))
		return -EFAULT;
	if (uotime) {
		uint64_t left = t->timeout_deadline > now ? t->timeout_deadline - now : 0;
		if (copy_to_user(uotime, &left, sizeof(left)))
			return -EFAULT;
	}
	long old = t->timeout_flags;
	t->timeout_flags = flags & TIMEOUT_STATES;
	/* A deadline already past (NULL: the non-blocking form) ends the
	 * wait at once; one that overflows never comes. */
	if (!untime)
		t->timeout_deadline = 1;
	else if (flags & TIMER_ABSTIME)
		t->timeout_deadline = timer_monotonic_deadline(id, ns);
	else
		t->timeout_deadline = deadline_after(now, ns);
	t->timeout_fresh = true;
	return old;
}
