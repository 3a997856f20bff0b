/*
 * The message path: MsgSend, MsgReceive, MsgReply/MsgError, MsgRead,
 * MsgWrite, MsgInfo, pulses, and the copy between address spaces. Entry
 * points in ipc.h. Everything runs inside a kernel call, interrupts off.
 *
 * Copies: a message of up to IPC_SHORT bytes, or a reply that moves no
 * more (the smaller of the reply and the client's room), is staged in the
 * waiting thread's buffer (struct ipc_wait): copied in by the sender from
 * its own address space and out by the receiver into its own, with the
 * user-copy routines and no page-table walk. Longer ones reach the other
 * side through its page tables and the direct map, so data moves once,
 * straight from one address space to the other (no bounce buffer), and a
 * hole or a read-only page there is caught before anything is touched
 * (EFAULT) rather than by a fault.
 *
 * The fast path: a client sending to a channel with a receiver waiting
 * hands the CPU straight to it (sched_switch_to); the receiver, running
 * at once and before anything else can, copies the staged message in and
 * returns the rcvid. A short reply is staged in the client, which copies
 * it out when it runs. A pulse for a waiting receiver is left in it.
 *
 * Priorities: a receiver takes the priority of the message it receives
 * (unless the channel is _NTO_CHF_FIXED_PRIORITY) and goes back to its own
 * when it replies; a client sending to a channel with no receiver boosts
 * the channel's busy server threads to its priority.
 */
#include <arch/mmu.h>
#include <arch/user.h>
#include <kernel/cpu.h>
#include <kernel/errno.h>
#include <kernel/ipc.h>
#include <kernel/process.h>
#include <kernel/sched.h>
#include <kernel/slab.h>
#include <kernel/string.h>
#include <kernel/syscall.h>
#include <kernel/thread.h>
#include <kernel/timer.h>
#include <kernel/vm.h>
#include <sys/ktypes.h>

#define IOV_MAX 1024

static SLAB_CACHE(pulse_cache, struct pulse);

/* --- copies --------------------------------------------------------------- */

/* The kernel address of user va in p for access (VM_READ or VM_WRITE), or
 * NULL; *room gets the bytes left in its page. */
static uint8_t *user_page(struct process *p, uintptr_t va, unsigned access, size_t *room)
{
	int level;

	if (va < USER_BASE || va >= USER_TOP)
		return NULL;
	pte_t e = pt_lookup(p->root, va & ~(PAGE_SIZE - 1), &level);
	if (!e || level != 0)
		return NULL;
	unsigned prot = arch_pte_prot(e);
	if (!(prot & VM_USER) || (prot & access) != access)
		return NULL;
	*room = PAGE_SIZE - (va & (PAGE_SIZE - 1));
	return (uint8_t *)phys_to_virt(arch_pte_addr(e)) + (va & (PAGE_SIZE - 1));
}

/* Where byte va of p (or of the kernel, p NULL) is, for n bytes at most. */
static uint8_t *span(struct process *p, uintptr_t va, unsigned access, size_t *n)
{
	size_t room;

	if (!p)
		return (uint8_t *)va;
	uint8_t *k = user_page(p, va, access, &room);
	if (k && room < *n)
		*n = room;
	return k;
}

/* Copy n bytes from (sp, sva) to (dp, dva); a process NULL is the kernel. */
static int raw_copy(struct process *dp, uintptr_t dva, struct process *sp, uintptr_t sva, size_t n)
{
	struct process *self = current_thread()->proc;

	/* Between the kernel and the address space in use: no walk. */
	if (self && !sp && dp == self)
		return copy_to_user((void *)dva, (const void *)sva, n) ? -EFAULT : 0;
	if (self && !dp && sp == self)
		return copy_from_user((void *)dva, (const void *)sva, n) ? -EFAULT : 0;
	while (n) {
		size_t chunk = n;
		uint8_t *d = span(dp, dva, VM_WRITE, &chunk);
		uint8_t *s = span(sp, sva, VM_READ, &chunk);
		if (!d || !s)
			return -EFAULT;
		memcpy(d, s, chunk);
		dva += chunk;
		sva += chunk;
		n -= chunk;
	}
	return 0;
}

/* Part i of a stream: its base and length. */
static int part(const struct uio *u, long i, uintptr_t *base, size_t *len)
{
	iov_t iov;

	if (u->parts < 0) {
		*base = u->addr;
		*len = (size_t)-u->parts;
		return 0;
	}
	if (raw_copy(NULL, (uintptr_t)&iov, u->proc, u->addr + (uintptr_t)i * sizeof(iov),
		     sizeof(iov)))
		return -EFAULT;
	*base = (uintptr_t)iov.iov_base;
	*len = iov.iov_len;
	return 0;
}

/* The total length of an iov_t array (parts >= 0), or -EFAULT,
 * -EINVAL (too many parts), -EOVERFLOW. */
static long iov_length(struct uio *u)
{
	size_t total = 0;

	if (u->parts > IOV_MAX)
		return -EINVAL;
	for (long i = 0; i < u->parts; i++) {
		uintptr_t base;
		size_t len;
		if (part(u, i, &base, &len))
			return -EFAULT;
		if (len > (size_t)INT64_MAX - total)
			return -EOVERFLOW;
		total += len;
	}
	u->len = total;
	return (long)total;
}

/* Total length of a stream (set in u->len), or -errno; one buffer, the
 * common case, inline. */
static inline long uio_length(struct uio *u)
{
	if (u->parts >= 0)
		return iov_length(u);
	if (u->parts == INT64_MIN)
		return -EINVAL; /* -parts would not be a length */
	u->len = (size_t)-u->parts;
	return (long)u->len;
}

/* A copy of n bytes from sva in src failed: whose fault? Sets *bad_src if
 * the source alone does not read. -EFAULT. */
static long blame(const struct uio *src, uintptr_t sva, size_t n, bool *bad_src)
{
	uint8_t probe;

	*bad_src = raw_copy(NULL, (uintptr_t)&probe, src->proc, sva, 1) != 0 ||
		   (n > 1 && raw_copy(NULL, (uintptr_t)&probe, src->proc, sva + n - 1, 1));
	return -EFAULT;
}

/* Copy up to max bytes from src (from offset soff) into dst (at doff).
 * Returns the bytes copied, or -EFAULT with *bad_src telling which side. */
static long xfer(const struct uio *dst, size_t doff, const struct uio *src, size_t soff, size_t max,
		 bool *bad_src)
{
	size_t want = 0, done = 0;
	long di = 0, si = 0;
	uintptr_t db = 0, sb = 0;
	size_t dl = 0, sl = 0;

	if (soff < src->len && doff < dst->len)
		want = MIN(max, MIN(src->len - soff, dst->len - doff));
	*bad_src = false;
	/* One buffer on each side, the common case: one copy. */
	if (dst->parts < 0 && src->parts < 0 && want) {
		if (raw_copy(dst->proc, dst->addr + doff, src->proc, src->addr + soff, want))
			return blame(src, src->addr + soff, want, bad_src);
		return (long)want;
	}
	while (done < want) {
		/* Advance to the parts holding the offsets (empty parts skipped). */
		while (dl <= doff) {
			doff -= dl;
			if (part(dst, di++, &db, &dl))
				return -EFAULT;
		}
		while (sl <= soff) {
			soff -= sl;
			if (part(src, si++, &sb, &sl)) {
				*bad_src = true;
				return -EFAULT;
			}
		}
		size_t n = MIN(want - done, MIN(dl - doff, sl - soff));
		if (raw_copy(dst->proc, db + doff, src->proc, sb + soff, n))
			return blame(src, sb + soff, n, bad_src);
		doff += n;
		soff += n;
		done += n;
	}
	return (long)done;
}

static struct uio kernel_uio(const void *buf, size_t len)
{
	return (struct uio){NULL, (uintptr_t)buf, -(long)len, len};
}

/* xfer of a whole stream, in one user copy when one side is a kernel
 * buffer and the other one buffer of the current process (staging). */
static long stage(const struct uio *dst, const struct uio *src, bool *bad_src)
{
	struct process *self = current_thread()->proc;
	size_t n = MIN(dst->len, src->len);

	if (self && dst->parts < 0 && src->parts < 0) {
		*bad_src = false;
		if (!src->proc && dst->proc == self)
			return copy_to_user((void *)dst->addr, (const void *)src->addr, n)
				   ? -EFAULT
				   : (long)n;
		if (!dst->proc && src->proc == self) {
			if (copy_from_user((void *)dst->addr, (const void *)src->addr, n))
				return *bad_src = true, -EFAULT;
			return (long)n;
		}
	}
	return xfer(dst, 0, src, 0, SIZE_MAX, bad_src);
}

/* --- queues and ids --------------------------------------------------------- */

static void queue_by_priority(struct list *q, struct qitem *it)
{
	struct list *pos = q;

	/* After the last item of at least our priority: priority, then arrival. */
	for (struct list *l = q->prev; l != q; l = l->prev) {
		if (list_entry(l, struct qitem, link)->priority >= it->priority) {
			pos = l->next;
			break;
		}
		pos = l;
	}
	list_insert_before(pos, &it->link);
}

static int rcvid_of(const struct thread *t)
{
	return (int)(t->slot_gen << 12 | t->slot);
}

/* The client a server thread's rcvid names: REPLY-blocked on a channel of
 * the server's process. */
static struct thread *client_of(struct thread *server, int rcvid)
{
	struct thread *c;

	if (rcvid <= 0)
		return NULL;
	c = thread_by_slot((unsigned)rcvid & (THREAD_SLOTS - 1), (unsigned)rcvid >> 12);
	if (!c || c->state != STATE_REPLY || c->ipc.chan->owner != server->proc)
		return NULL;
	return c;
}

/* Run t at prio (inheritance), or back at its own with prio 0. */
static void inherit(struct thread *t, unsigned prio)
{
	sched_inherit(t, prio ? prio : t->base_priority);
}

static void fill_info(struct _msg_info *mi, const struct thread *c, long msglen)
{
	memset(mi, 0, sizeof(*mi));
	mi->pid = c->proc->pid;
	mi->tid = c->tid;
	mi->chid = c->ipc.chan->chid;
	mi->scoid = c->ipc.conn ? c->ipc.conn->scoid : 0;
	mi->coid = c->ipc.conn ? c->ipc.conn->coid : -1;
	mi->priority = c->ipc.q.priority;
	mi->msglen = msglen;
	mi->srcmsglen = (ssize_t)c->ipc.smsg.len;
	mi->dstmsglen = (ssize_t)c->ipc.rmsg.len;
}

static int put_info(struct process *p, uintptr_t uinfo, const struct thread *c, long msglen)
{
	struct _msg_info mi;

	if (!uinfo)
		return 0;
	fill_info(&mi, c, msglen);
	if (c->unblock_pending)
		mi.flags |= _NTO_MI_UNBLOCK_REQ;
	return raw_copy(p, uinfo, NULL, (uintptr_t)&mi, sizeof(mi));
}

/* Copy client c's message into receiver r's buffer rbuf and its info to
 * uinfo in r's process; either may be the current thread. The bytes
 * copied, or -EFAULT: *bad_src says whether the client's side was at
 * fault. */
static long copy_message(struct thread *c, struct thread *r, const struct uio *rbuf,
			 uintptr_t uinfo, bool *bad_src)
{
	struct uio staged = kernel_uio(c->ipc.buf, c->ipc.smsg.len);
	long n = stage(rbuf, c->ipc.smsg.len <= IPC_SHORT ? &staged : &c->ipc.smsg, bad_src);

	if (n < 0)
		return n;
	if (put_info(r->proc, uinfo, c, n)) {
		*bad_src = false;
		return -EFAULT;
	}
	c->ipc.msglen = n;
	return n;
}

/* Client c's message has reached receiver r: c waits for the reply, and r
 * runs at c's priority. Returns the rcvid. */
static int await_reply(struct thread *c, struct thread *r)
{
	c->state = STATE_REPLY;
	c->blocked_on = c->ipc.chan->owner->pid;
	list_add_tail(&c->ipc.chan->repliers, &c->ipc.q.link);
	if (!(c->ipc.chan->flags & _NTO_CHF_FIXED_PRIORITY))
		inherit(r, c->ipc.q.priority);
	r->ipc.served = c->ipc.chan; /* the channel it serves, for boosting */
	return rcvid_of(c);
}

/* Put client c, whose message a receiver could not take, back in the send
 * queue as SEND-blocked (it may time out there). */
static void requeue_sender(struct thread *c)
{
	c->state = STATE_SEND;
	c->blocked_on = c->ipc.chan->owner->pid;
	queue_by_priority(&c->ipc.chan->send_queue, &c->ipc.q);
	if (!ipc_arm_timeout(c)) {
		list_remove(&c->ipc.q.link);
		c->ipc.result = -ETIMEDOUT;
		c->blocked_on = 0;
		sched_ready(c);
	}
}

/* Does t's TimerTimeout end state at once (no blocking in it at all)? */
static bool at_once(const struct thread *t, unsigned state)
{
	return (t->timeout_flags & (1u << state)) && !t->timeout_deadline;
}

static void pulse_fill(struct _pulse *out, int code, long value, int scoid)
{
	memset(out, 0, sizeof(*out));
	out->code = (int8_t)code;
	out->value.sival_ptr = (void *)value;
	out->scoid = scoid;
}

/* Copy a pulse into a receive buffer: 0, or EFAULT when it does not fit
 * (the pulse is lost). */
static long put_pulse(const struct uio *buf, const struct _pulse *p)
{
	struct uio k = kernel_uio(p, sizeof(*p));
	bool bad;

	if (buf->len < sizeof(*p) || xfer(buf, 0, &k, 0, sizeof(*p), &bad) < 0)
		return -EFAULT;
	return 0;
}

/* --- kernel timeouts (TimerTimeout) ------------------------------------------ */

/* The timeout of a REPLY-blocked client: on an _NTO_CHF_UNBLOCK channel it
 * asks the server (UNBLOCK pulse, rcvid as value) and stays blocked; else
 * it leaves at once and a later reply to it finds no one (ESRCH). */
static void reply_timeout(struct thread *c)
{
	if (c->ipc.chan->flags & _NTO_CHF_UNBLOCK) {
		if (!c->unblock_pending) {
			c->unblock_pending = true;
			msg_pulse(c->ipc.chan, c->ipc.q.priority, _PULSE_CODE_UNBLOCK, rcvid_of(c),
				  c->ipc.conn ? c->ipc.conn->scoid : 0);
		}
		return;
	}
	list_remove(&c->ipc.q.link);
	c->ipc.result = -ETIMEDOUT;
	c->blocked_on = 0;
	sched_ready(c);
}

static void timeout_fired(struct ktimer *k)
{
	struct thread *t = container_of(k, struct thread, timer);

	if (!(t->timeout_flags & (1u << t->state)))
		return; /* moved on to a state the timeout does not cover */
	if (t->state == STATE_REPLY) {
		reply_timeout(t);
		return;
	}
	if (t->state == STATE_SEND || t->state == STATE_RECEIVE) {
		list_remove(&t->ipc.q.link);
		t->ipc.result = -ETIMEDOUT;
		t->blocked_on = 0;
		sched_ready(t);
	}
}

bool ipc_arm_timeout(struct thread *t)
{
	if (!(t->timeout_flags & (1u << t->state)))
		return true;
	if (!t->timeout_deadline)
		return false;
	ktimer_arm(&t->timer, t->timeout_deadline, timeout_fired);
	return true;
}

/* Block t (state set, queued), running next if not NULL (a receiver
 * handed t's message); returns what the call returns. An "at once"
 * timeout undoes the queueing instead (never with next: see msg_send). */
static long ipc_block(struct thread *t, struct thread *next)
{
	if (!ipc_arm_timeout(t)) {
		if (t->state == STATE_REPLY && (t->ipc.chan->flags & _NTO_CHF_UNBLOCK)) {
			reply_timeout(t); /* asks the server; we stay blocked */
		} else {
			list_remove(&t->ipc.q.link);
			t->state = STATE_RUNNING;
			t->blocked_on = 0;
			return -ETIMEDOUT;
		}
	}
	if (next)
		sched_switch_to(next);
	else
		sched_block();
	if (t->timer.armed)
		ktimer_cancel(&t->timer);
	t->unblock_pending = false;
	t->blocked_on = 0;
	return t->ipc.result;
}

/* --- the calls ---------------------------------------------------------------- */

/* Client t is back from a send that returns res: a short reply staged in
 * it goes out into its own address space now. */
static long reply_received(struct thread *t, long res)
{
	bool bad_src;

	if (!t->ipc.reply_staged)
		return res;
	struct uio k = kernel_uio(t->ipc.buf, t->ipc.reply_len);
	t->ipc.reply_staged = false;
	return stage(&t->ipc.rmsg, &k, &bad_src) < 0 ? -EFAULT : res;
}

long msg_send(struct thread *t, struct connection *c, const struct uio *s, const struct uio *r)
{
	struct channel *ch = c->chan;
	bool bad_src;
	long err;

	if (!ch || ch->dead)
		return -EBADF;
	t->ipc.smsg = *s;
	t->ipc.rmsg = *r;
	if ((err = uio_length(&t->ipc.smsg)) < 0 || (err = uio_length(&t->ipc.rmsg)) < 0)
		return err;
	/* A short message is staged now, from our own address space. */
	if (t->ipc.smsg.len <= IPC_SHORT) {
		struct uio k = kernel_uio(t->ipc.buf, t->ipc.smsg.len);
		if (stage(&k, &t->ipc.smsg, &bad_src) < 0)
			return -EFAULT;
	}
	t->ipc.chan = ch;
	t->ipc.conn = c;
	t->ipc.q.priority = t->priority;
	t->ipc.q.pulse = false;

	/* A receiver waiting for messages takes it at once. */
	list_for_each(it, &ch->receivers)
	{
		struct thread *r = container_of(it, struct thread, ipc.q.link);
		if (r->ipc.pulse_only)
			continue;
		if (!at_once(t, STATE_REPLY)) {
			/* The fast path: r runs now and copies the message in. */
			list_remove(&r->ipc.q.link);
			r->blocked_on = 0;
			r->ipc.sender = t;
			r->ipc.result = await_reply(t, r);
			return reply_received(t, ipc_block(t, r));
		}
		/* We leave REPLY at once: the message is copied before. */
		long n = copy_message(t, r, &r->ipc.rmsg, r->ipc.uinfo, &bad_src);
		if (n < 0 && bad_src)
			return -EFAULT; /* our own buffer: nothing happened */
		list_remove(&r->ipc.q.link);
		r->ipc.result = n < 0 ? n : await_reply(t, r); /* or its buffer's EFAULT */
		r->blocked_on = 0;
		sched_ready(r);
		if (n >= 0)
			return reply_received(t, ipc_block(t, NULL));
		break; /* that receiver is gone with EFAULT: queue instead */
	}
	t->state = STATE_SEND;
	t->blocked_on = ch->owner->pid;
	queue_by_priority(&ch->send_queue, &t->ipc.q);
	/* A busy server is boosted to the priority of who waits for it. */
	if (!(ch->flags & _NTO_CHF_FIXED_PRIORITY))
		list_for_each(it, &ch->owner->threads)
		{
			struct thread *s2 = list_entry(it, struct thread, proc_link);
			if (s2->state != STATE_RECEIVE && s2->ipc.served == ch &&
			    s2->priority < t->priority)
				inherit(s2, t->priority);
		}
	return reply_received(t, ipc_block(t, NULL));
}

long msg_receive(struct thread *t, struct channel *ch, const struct uio *r, uintptr_t uinfo,
		 bool pulse_only)
{
	struct uio buf = *r;
	bool bad_src;
	long err;

	if ((err = uio_length(&buf)) < 0)
		return err;
again:
	list_for_each_safe(it, tmp, &ch->send_queue)
	{
		struct qitem *q = list_entry(it, struct qitem, link);
		if (q->pulse) {
			struct pulse *p = container_of(q, struct pulse, q);
			struct _pulse out;
			list_remove(&p->q.link);
			pulse_fill(&out, p->code, p->value, p->scoid);
			if (!(ch->flags & _NTO_CHF_FIXED_PRIORITY))
				inherit(t, p->q.priority);
			slab_free(&pulse_cache, p);
			return put_pulse(&buf, &out);
		}
		if (pulse_only)
			continue;
		struct thread *c = container_of(q, struct thread, ipc.q);
		list_remove(&c->ipc.q.link);
		long n = copy_message(c, t, &buf, uinfo, &bad_src);
		if (n < 0) {
			if (!bad_src) { /* our buffer: the client waits on */
				queue_by_priority(&ch->send_queue, &c->ipc.q);
				return n;
			}
			c->ipc.result = -EFAULT; /* the client's buffer */
			c->blocked_on = 0;
			sched_ready(c);
			continue;
		}
		return await_reply(c, t);
	}
	if (!(ch->flags & _NTO_CHF_FIXED_PRIORITY))
		inherit(t, 0); /* idle again: our own priority */
	t->state = STATE_RECEIVE;
	t->blocked_on = ch->chid;
	t->ipc.chan = ch;
	t->ipc.served = ch;
	t->ipc.rmsg = buf;
	t->ipc.uinfo = uinfo;
	t->ipc.pulse_only = pulse_only;
	list_add_tail(&ch->receivers, &t->ipc.q.link);
	long res = ipc_block(t, NULL);

	if (t->ipc.pulse_pending) {
		t->ipc.pulse_pending = false;
		return put_pulse(&buf, &t->ipc.pulse);
	}
	struct thread *c = t->ipc.sender;
	if (!c)
		return res;
	/* Handed a client by a direct switch: nothing has run since. */
	t->ipc.sender = NULL;
	long n = copy_message(c, t, &buf, uinfo, &bad_src);
	if (n >= 0)
		return res;
	list_remove(&c->ipc.q.link); /* off the repliers again */
	if (!bad_src) {
		/* Our buffer: the client waits on, we report the fault. */
		requeue_sender(c);
		if (!(ch->flags & _NTO_CHF_FIXED_PRIORITY))
			inherit(t, 0);
		return n;
	}
	c->ipc.result = -EFAULT; /* the client's buffer */
	c->blocked_on = 0;
	sched_ready(c);
	goto again;
}

int msg_reply(struct thread *t, int rcvid, long status, const struct uio *r, bool error)
{
	struct thread *c = client_of(t, rcvid);
	struct uio reply = *r;
	bool bad_src;
	long err;

	if (!c)
		return -ESRCH;
	if (error) {
		c->ipc.result = status == EOK ? 0 : -status;
	} else {
		if ((err = uio_length(&reply)) < 0)
			return (int)err;
		size_t moved = MIN(reply.len, c->ipc.rmsg.len);
		if (moved <= IPC_SHORT) {
			/* Staged in the client, which copies it out itself. */
			struct uio k = kernel_uio(c->ipc.buf, moved);
			if (stage(&k, &reply, &bad_src) < 0)
				return -EFAULT; /* our reply buffer: the client waits on */
			c->ipc.reply_staged = true;
			c->ipc.reply_len = moved;
			c->ipc.result = status;
		} else {
			long n = xfer(&c->ipc.rmsg, 0, &reply, 0, SIZE_MAX, &bad_src);
			if (n < 0 && bad_src)
				return -EFAULT; /* our reply buffer: the client waits on */
			c->ipc.result = n < 0 ? -EFAULT : status;
		}
	}
	list_remove(&c->ipc.q.link);
	c->blocked_on = 0;
	sched_ready(c);
	if (t->priority != t->base_priority && !(c->ipc.chan->flags & _NTO_CHF_FIXED_PRIORITY))
		inherit(t, 0);
	return 0;
}

long msg_read(struct thread *t, int rcvid, const struct uio *dst, size_t offset)
{
	struct thread *c = client_of(t, rcvid);
	struct uio d = *dst;
	bool bad_src;
	long err;

	if (!c)
		return -ESRCH;
	if ((err = uio_length(&d)) < 0)
		return err;
	return xfer(&d, 0, &c->ipc.smsg, offset, SIZE_MAX, &bad_src);
}

long msg_write(struct thread *t, int rcvid, const struct uio *src, size_t offset)
{
	struct thread *c = client_of(t, rcvid);
	struct uio s = *src;
	bool bad_src;
	long err;

	if (!c)
		return -ESRCH;
	if ((err = uio_length(&s)) < 0)
		return err;
	return xfer(&c->ipc.rmsg, offset, &s, 0, SIZE_MAX, &bad_src);
}

int msg_info(struct thread *t, int rcvid, uintptr_t uinfo)
{
	struct thread *c = client_of(t, rcvid);

	if (!c)
		return -ESRCH;
	return put_info(t->proc, uinfo, c, c->ipc.msglen) ? -EFAULT : 0;
}

int msg_pulse(struct channel *ch, int prio, int code, long value, int scoid)
{
	if (prio < 0)
		prio = 10; /* the kernel's own pulses: proc's default priority */
	/* A receiver waiting for a message or a pulse takes it at once; it
	 * copies the pulse out itself when it runs. */
	if (!list_empty(&ch->receivers)) {
		struct thread *r = container_of(ch->receivers.next, struct thread, ipc.q.link);
		list_remove(&r->ipc.q.link);
		pulse_fill(&r->ipc.pulse, code, value, scoid);
		r->ipc.pulse_pending = true;
		r->ipc.result = 0;
		if (!(ch->flags & _NTO_CHF_FIXED_PRIORITY))
			inherit(r, (unsigned)prio);
		r->blocked_on = 0;
		sched_ready(r);
		return 0;
	}
	struct pulse *p = slab_alloc(&pulse_cache);
	if (!p)
		return -EAGAIN;
	p->q.priority = (uint8_t)prio;
	p->q.pulse = true;
	p->code = (int8_t)code;
	p->value = value;
	p->scoid = scoid;
	queue_by_priority(&ch->send_queue, &p->q);
	return 0;
}

int msg_send_pulse(struct thread *t, struct connection *c, int prio, int code, long value)
{
	struct channel *ch = c->chan;

	if (!ch || ch->dead)
		return -EBADF;
	return msg_pulse(ch, prio == -1 ? t->priority : prio, code, value, c->scoid);
}

void ipc_thread_cancel(struct thread *t)
{
	if (t->state == STATE_SEND || t->state == STATE_REPLY || t->state == STATE_RECEIVE)
		list_remove(&t->ipc.q.link);
	t->ipc.conn = NULL;
}

void msg_channel_gone(struct channel *ch, int err)
{
	struct list *lists[] = {&ch->send_queue, &ch->repliers, &ch->receivers};

	for (unsigned i = 0; i < ARRAY_SIZE(lists); i++)
		list_for_each_safe(it, tmp, lists[i])
		{
			struct qitem *q = list_entry(it, struct qitem, link);
			list_remove(&q->link);
			if (q->pulse) {
				slab_free(&pulse_cache, container_of(q, struct pulse, q));
				continue;
			}
			struct thread *t = container_of(q, struct thread, ipc.q);
			t->ipc.result = -err;
			t->blocked_on = 0;
			sched_ready(t);
		}
}
