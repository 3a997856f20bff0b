/*
 * The steps of a message's way that both paths take: msg.c's generic
 * path and fastpath.c's fast one (ipc.h has the objects, the entry
 * points and the copies' rules). Inline, the common cases' work in place
 * on both; only msg.c and fastpath.c include this file. fastpath.c is
 * built on its own (Makefile) so that its calls, which only the arch's
 * kernel-call entry makes, keep none of the caller's registers.
 */
#ifndef KERNEL_MSGPATH_H
#define KERNEL_MSGPATH_H

#include <arch/user.h>
#include <kernel/errno.h>
#include <kernel/ipc.h>
#include <kernel/process.h>
#include <kernel/sched.h>
#include <kernel/syscall.h>
#include <kernel/thread.h>
#include <kernel/wait.h>
#include <sys/ktypes.h>

/* rcvids are thread ids (thread.h: slot and generation, positive). */
_Static_assert(IPC_SHORT <= USER_SHORT, "a staged message takes user_range's short case");

/* msg.c's, out of line: the rare cases of the steps below. */
long msg_stage_out_parts(const struct uio *dst, const void *buf, size_t n);
int msg_put_info(struct process *p, uintptr_t uinfo, const struct thread *c, long msglen);
void msg_unqueue_pulse(struct channel *ch, struct pulse *p);
long msg_receive_woken(struct thread *t, long res, bool *again);
/* The wait cancel functions of SEND and RECEIVE (off the channel's
 * queue) and of REPLY. */
bool msg_cancel_queued(struct thread *t, int err);
bool msg_cancel_reply(struct thread *c, int err);

/* n staged bytes at buf out to dst: the bytes moved, or -EFAULT (dst's).
 * A staging buffer holds at most IPC_SHORT bytes (the range check's
 * short case, known). */
static inline __attribute__((always_inline)) long stage_out(const struct uio *dst, const void *buf,
							    size_t n)
{
	if (n > IPC_SHORT)
		__builtin_unreachable();
	if (dst->parts != UIO_ONE)
		return msg_stage_out_parts(dst, buf, n);
	n = MIN(n, dst->len);
	return copy_to_user((void *)dst->addr, buf, n) ? -EFAULT : (long)n;
}

/* t's rcvid. */
static inline int rcvid_of(const struct thread *t)
{
	return (int)t->id;
}

/* The thread a rcvid names (msg_rcvid_thread's, inline): none for 0
 * (slot 0 is no thread's) or a negative one (no id has bit 31). */
static inline struct thread *rcvid_thread(int rcvid)
{
	return thread_by_id((unsigned)rcvid);
}

/* The client a server thread's rcvid names: REPLY-blocked on a channel of
 * the server's process. */
static inline __attribute__((always_inline)) struct thread *client_of(struct thread *server,
								      int rcvid)
{
	struct thread *c = rcvid_thread(rcvid);

	if (!c || c->state != STATE_REPLY || c->ipc.chan->owner != server->proc)
		return NULL;
	return c;
}

/* The priority t runs at when it inherits prio (capped at 63 for a
 * process without the priority ability), or its own with prio 0. */
static inline unsigned inherited(const struct thread *t, unsigned prio)
{
	if (prio > PRIO_UNPRIVILEGED && !process_may(t->proc, PROCMGR_AID_PRIORITY))
		prio = MAX((unsigned)PRIO_UNPRIVILEGED, t->base_priority);
	return prio ? prio : t->base_priority;
}

/* Run t at p from now on (inherited() or serving_priority()'s). */
static inline void serve_at(struct thread *t, unsigned p)
{
	if (t->priority != p) /* most often it is already */
		sched_inherit(t, p);
}

/* Run t at prio (inheritance), or back at its own with prio 0. */
static inline void inherit(struct thread *t, unsigned prio)
{
	serve_at(t, inherited(t, prio));
}

/* The priority receiver r runs at to serve a message or pulse of
 * priority prio on ch: the inherited one, or on a fixed-priority channel
 * the one it has. */
static inline unsigned serving_priority(const struct thread *r, const struct channel *ch,
					unsigned prio)
{
	return ch->flags & _NTO_CHF_FIXED_PRIORITY ? r->priority : inherited(r, prio);
}

/* The end of client c's message to receiver r, whose buffer took n
 * bytes of it (or -EFAULT, r's): its info to uinfo in r's process, and
 * c's msglen. n, or -EFAULT (r's side). */
static inline __attribute__((always_inline)) long message_done(struct thread *c, struct thread *r,
							       uintptr_t uinfo, long n)
{
	if (n < 0 || (uinfo && msg_put_info(r->proc, uinfo, c, n)))
		return -EFAULT;
	c->ipc.msglen = n;
	return n;
}

static inline void pulse_fill(struct _pulse *out, int code, long value, int scoid)
{
	__builtin_memset(out, 0, sizeof(*out));
	out->code = (int8_t)code;
	out->value.sival_ptr = (void *)value;
	out->scoid = scoid;
}

/* Copy a pulse into the receive buffer of the receiver, which runs (its
 * address space is the one in use): 0, or EFAULT when it does not fit
 * (the pulse is lost). */
static inline long put_pulse(const struct uio *buf, const struct _pulse *p)
{
	if (buf->len < sizeof(*p) || stage_out(buf, p, sizeof(*p)) < 0)
		return -EFAULT;
	return 0;
}

/* p off its channel's queue, if it is queued (inline: the fast reply's
 * client may have an UNBLOCK pulse waiting, unqueue_unblock). */
static inline __attribute__((always_inline)) void withdraw_pulse(struct pulse *p)
{
	if (p->count)
		msg_unqueue_pulse(p->chan, p);
}

/* The UNBLOCK pulse c sent, if still queued, goes: c's wait is over. */
static inline __attribute__((always_inline)) void unqueue_unblock(struct thread *c)
{
	withdraw_pulse(&c->ipc.unblock);
}

/* MsgSendPulse's code is the user's range (negative ones are the
 * kernel's) and its priority one (-1: the sender's). */
static inline bool pulse_code_ok(int code)
{
	return code >= _PULSE_CODE_MINAVAIL && code <= _PULSE_CODE_MAXAVAIL;
}
static inline bool pulse_args_ok(int prio, int code)
{
	return pulse_code_ok(code) && prio >= -1 && prio <= PRIO_MAX;
}

/* Receiver r takes the pulse (it copies it out itself when it runs),
 * to run at rprio (serving_priority's); its caller ends r's wait with 0,
 * which says a pulse (a message's rcvid is positive, an error negative:
 * receive_woken, msg.c). */
static inline void pulse_to(struct thread *r, unsigned rprio, int code, long value, int scoid)
{
	list_unlink(&r->ipc_q.link);
	pulse_fill(&r->ipc.pulse, code, value, scoid);
	serve_at(r, rprio);
}

/* Client c's message on its ipc.chan has reached receiver r: r runs at
 * rprio (serving_priority's for c). Returns the rcvid. (r serves the
 * channel, its ipc.served: set when it entered its receive,
 * receive_enter, or by receive_queued.) The caller then blocks c in
 * REPLY (thread_block) or moves it there (thread_rewait). */
static inline __attribute__((always_inline)) int queue_reply(struct thread *c, struct thread *r,
							     unsigned rprio)
{
	serve_at(r, rprio);
	c->ipc.server = r->id;
	return rcvid_of(c);
}

/* Client t is back from a send that returns res: a short reply staged in
 * it goes out into its own address space now. */
static inline __attribute__((always_inline)) long reply_received(struct thread *t, long res)
{
	size_t n = t->ipc.reply_len;

	if (!n)
		return res;
	t->ipc.reply_len = 0;
	return stage_out(&t->ipc.rmsg, t->ipc.buf, n) < 0 ? -EFAULT : res;
}

/* t goes on ch's receivers, at its own priority (inherit(t, 0); the
 * priorities first, most often equal), to wait for the next message into
 * buf (the caller blocks it in RECEIVE; its ipc.pulse_only is false but
 * in MsgReceivePulse's wait: receive_block, msg.c). True when t's
 * priority changed: a switch may be due, which the block that follows
 * makes. */
static inline bool receive_enter(struct thread *t, struct channel *ch, const struct uio *buf,
				 uintptr_t uinfo)
{
	bool back = t->priority != t->base_priority && !(ch->flags & _NTO_CHF_FIXED_PRIORITY);

	if (back)
		sched_inherit(t, t->base_priority);
	t->ipc.chan = ch;
	t->ipc.served = ch;
	t->ipc.rmsg = *buf;
	t->ipc.uinfo = uinfo;
	list_add_tail(&ch->receivers, &t->ipc_q.link);
	return back;
}

/* The calls a fast path blocks in without keeping a kernel context
 * (block_hand_over), for call_end to end. RESUME_DONE: SchedYield,
 * MsgSendPulse, or a call whose end has work left. */
#define RESUME_SEND    1 /* MsgSend, in REPLY */
#define RESUME_RECEIVE 2 /* MsgReceive or MsgReplyReceive, in RECEIVE */
#define RESUME_DONE    3 /* done, the result in wait_result */
#define RESUME_AGAIN   4 /* a receive that starts over (its client failed) */

/* The end of t's call, which the fast path blocked in (t->resume says
 * which), as the call's own tail would have ended it: true and its result
 * in *res, or false when a receive starts over (msg_receive, which may
 * block: on t's own stack only). Nothing here blocks. */
static inline __attribute__((always_inline)) bool call_end(struct thread *t, long *res)
{
	unsigned how = t->resume;
	bool again = false;

	t->resume = 0;
	if (how == RESUME_SEND) /* (the likelier first) */
		*res = reply_received(t, t->wait_result);
	else if (how == RESUME_DONE)
		*res = t->wait_result;
	else if (how == RESUME_RECEIVE)
		*res = msg_receive_woken(t, t->wait_result, &again);
	else
		again = true; /* RESUME_AGAIN */
	return !again;
}

#endif
