/*
 * The dispatch layer (<sys/dispatch.h>): a dispatch_t is a channel and
 * two routing tables, message type ranges (message_attach) and pulse
 * codes (pulse_attach). dispatch_block() receives into a context,
 * dispatch_handler() calls what is attached: a message by its first
 * 16-bit type (none: MsgError ENOSYS), a pulse by its code (none:
 * dropped). The tables change under the dispatch's mutex; a handler is
 * called with the mutex released, from a copy of its entry.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/dispatch.h>
#include <unistd.h>

#include "libc.h"

#define DISPATCH_MAGIC 0x44495350u /* "DISP" */
#define CONTEXT_MAGIC  0x43545854u /* "CTXT" */
#define NCODES	       256	   /* every int8_t pulse code */

typedef int (*handler_fn)(message_context_t *ctp, int code, unsigned flags, void *handle);

struct msg_range {
	uint16_t low, high;
	unsigned flags;
	handler_fn func;
	void *handle;
};

struct pulse_slot {
	handler_fn func; /* NULL: nothing attached */
	unsigned flags;
	void *handle;
};

struct _dispatch {
	uint32_t magic;
	int chid;	  /* -1: made at the first attach */
	int own_chid;	  /* 1: made here, dispatch_destroy destroys it */
	int unblock_coid; /* side-channel coid to chid, -1 until dispatch_unblock */
	unsigned flags;	  /* DISPATCH_FLAG_* */
	pthread_mutex_t lock;
	struct msg_range *ranges; /* sorted by low, never overlapping */
	unsigned nranges, cap;
	struct msg_range deflt; /* MSG_FLAG_DEFAULT_FUNC (func NULL: none) */
	struct pulse_slot pulses[NCODES];
	unsigned msg_max_size, nparts_max;
	unsigned attached; /* ranges and pulse codes attached: contexts need one */
	unsigned contexts; /* live contexts: the sizes are fixed once there is one */
};

/* A context as allocated: the owner's check word, then what the user
 * sees, its extra iov parts, then the receive buffer. */
struct context {
	uint32_t magic;
	dispatch_t *owner; /* the dispatch it was allocated for */
	bool loop;	   /* in a thread pool's loop: dispatch_block comes
			      right after each handler */
	struct {	   /* a one-part reply held for that dispatch_block */
		int rcvid; /* 0: none */
		long status;
		const void *buf;
		size_t len;
	} held;
	dispatch_context_t pub; /* last: its iov array runs on past it */
};

/* The channel a dispatch makes for itself: a resource manager's needs
 * (QNX: "at least _NTO_CHF_UNBLOCK and _NTO_CHF_DISCONNECT"). */
#define DISPATCH_CHF (_NTO_CHF_UNBLOCK | _NTO_CHF_DISCONNECT)

static int valid(const dispatch_t *dpp)
{
	return dpp && dpp->magic == DISPATCH_MAGIC;
}

static void lock(dispatch_t *dpp)
{
	pthread_mutex_lock(&dpp->lock);
}

static void unlock(dispatch_t *dpp)
{
	pthread_mutex_unlock(&dpp->lock);
}

dispatch_t *dispatch_create_channel(int chid, unsigned flags)
{
	if (chid < -1 || (flags & ~(unsigned)DISPATCH_FLAG_NOLOCK)) {
		errno = EINVAL;
		return NULL;
	}
	dispatch_t *dpp = calloc(1, sizeof(*dpp));
	if (!dpp) {
		errno = ENOMEM;
		return NULL;
	}
	dpp->own_chid = chid == -1;
	dpp->magic = DISPATCH_MAGIC;
	dpp->chid = chid;
	dpp->unblock_coid = -1;
	dpp->flags = flags;
	dpp->msg_max_size = _DISPATCH_MSG_MAX_SIZE;
	dpp->nparts_max = 1;
	pthread_mutex_init(&dpp->lock, NULL);
	return dpp;
}

dispatch_t *dispatch_create(void)
{
	return dispatch_create_channel(-1, 0);
}

int dispatch_destroy(dispatch_t *dpp)
{
	if (!valid(dpp)) {
		errno = EINVAL;
		return -1;
	}
	lock(dpp);
	/* A context still names it: its thread would receive on a freed
	 * dispatch. */
	if (dpp->contexts) {
		unlock(dpp);
		errno = EBUSY;
		return -1;
	}
	dpp->magic = 0;
	unlock(dpp);
	if (dpp->unblock_coid >= 0)
		ConnectDetach(dpp->unblock_coid);
	if (dpp->own_chid && dpp->chid >= 0)
		ChannelDestroy(dpp->chid);
	pthread_mutex_destroy(&dpp->lock);
	free(dpp->ranges);
	free(dpp);
	return 0;
}

int __dispatch_chid(dispatch_t *dpp)
{
	if (!valid(dpp))
		return -1;
	lock(dpp);
	int chid = dpp->chid;
	unlock(dpp);
	return chid;
}

/* As QNX, a dispatch of its own makes its channel when the first thing
 * that will be received there is attached. Called with the lock held. */
static int need_channel(dispatch_t *dpp)
{
	if (dpp->chid >= 0)
		return 0;
	int chid = ChannelCreate_r(DISPATCH_CHF);
	if (chid < 0)
		return -chid;
	dpp->chid = chid;
	return 0;
}

/* The sizes an attach asks for: once a context exists they may not
 * grow (QNX 7: EINVAL), as its buffer is already made. */
static int take_sizes(dispatch_t *dpp, const message_attr_t *attr)
{
	if (!attr)
		return 0;
	unsigned size =
	    attr->msg_max_size > dpp->msg_max_size ? attr->msg_max_size : dpp->msg_max_size;
	unsigned parts = attr->nparts_max > dpp->nparts_max ? attr->nparts_max : dpp->nparts_max;
	if (dpp->contexts && (size != dpp->msg_max_size || parts != dpp->nparts_max))
		return EINVAL;
	/* Bounded so that a context's allocation cannot overflow. */
	if (size > (1u << 24) || parts > 1024)
		return EINVAL;
	dpp->msg_max_size = size;
	dpp->nparts_max = parts;
	return 0;
}

int message_attach(dispatch_t *dpp, message_attr_t *attr, int low, int high, handler_fn func,
		   void *handle)
{
	unsigned flags = attr ? attr->flags : 0;
	int deflt = (flags & MSG_FLAG_DEFAULT_FUNC) != 0;

	if (!valid(dpp) || !func || (flags & ~(MSG_FLAG_CROSS_ENDIAN | MSG_FLAG_DEFAULT_FUNC)) ||
	    (!deflt && (low < 0 || high > 0xffff || low > high))) {
		errno = EINVAL;
		return -1;
	}
	lock(dpp);
	int err = 0;
	unsigned at = 0;
	if (deflt) {
		err = dpp->deflt.func ? EINVAL : 0;
	} else {
		/* The first range that ends at or after low must start after high. */
		while (at < dpp->nranges && dpp->ranges[at].high < low)
			at++;
		if (at < dpp->nranges && dpp->ranges[at].low <= high)
			err = EINVAL;
	}
	if (!err && !deflt && dpp->nranges == dpp->cap) {
		unsigned cap = dpp->cap ? 2 * dpp->cap : 4;
		struct msg_range *r = realloc(dpp->ranges, cap * sizeof(*r));
		if (r) {
			dpp->ranges = r;
			dpp->cap = cap;
		} else {
			err = ENOMEM;
		}
	}
	if (!err)
		err = take_sizes(dpp, attr);
	if (!err)
		err = need_channel(dpp);
	if (!err) {
		dpp->attached++;
		struct msg_range m = {(uint16_t)low, (uint16_t)high, flags, func, handle};
		if (deflt) {
			dpp->deflt = m;
		} else {
			memmove(&dpp->ranges[at + 1], &dpp->ranges[at],
				(dpp->nranges - at) * sizeof(m));
			dpp->ranges[at] = m;
			dpp->nranges++;
		}
	}
	unlock(dpp);
	if (err) {
		errno = err;
		return -1;
	}
	return 0;
}

int message_detach(dispatch_t *dpp, int low, int high, int flags)
{
	if (!valid(dpp) || (flags & ~MSG_FLAG_DEFAULT_FUNC)) {
		errno = EINVAL;
		return -1;
	}
	lock(dpp);
	int err = EINVAL;
	if (flags & MSG_FLAG_DEFAULT_FUNC) {
		if (dpp->deflt.func) {
			dpp->deflt.func = NULL;
			dpp->attached--;
			err = 0;
		}
	} else {
		/* Exactly a range that was attached. */
		for (unsigned i = 0; i < dpp->nranges; i++) {
			if (dpp->ranges[i].low == low && dpp->ranges[i].high == high) {
				memmove(&dpp->ranges[i], &dpp->ranges[i + 1],
					(dpp->nranges - i - 1) * sizeof(dpp->ranges[0]));
				dpp->nranges--;
				dpp->attached--;
				err = 0;
				break;
			}
		}
	}
	unlock(dpp);
	if (err) {
		errno = err;
		return -1;
	}
	return 0;
}

int pulse_attach(dispatch_t *dpp, int flags, int code, handler_fn func, void *handle)
{
	if (!valid(dpp) || !func || (flags & ~MSG_FLAG_ALLOC_PULSE) ||
	    (!(flags & MSG_FLAG_ALLOC_PULSE) && (code < INT8_MIN || code > INT8_MAX))) {
		errno = EINVAL;
		return -1;
	}
	lock(dpp);
	int err = 0;
	if (flags & MSG_FLAG_ALLOC_PULSE) {
		for (code = _PULSE_CODE_MINAVAIL; code <= _PULSE_CODE_MAXAVAIL; code++)
			if (!dpp->pulses[(uint8_t)code].func)
				break;
		if (code > _PULSE_CODE_MAXAVAIL)
			err = EAGAIN;
	} else if (dpp->pulses[(uint8_t)code].func) {
		err = EINVAL; /* one handler per code, as ranges do not overlap */
	}
	if (!err)
		err = need_channel(dpp);
	if (!err) {
		dpp->pulses[(uint8_t)code] = (struct pulse_slot){func, (unsigned)flags, handle};
		dpp->attached++;
	}
	unlock(dpp);
	if (err) {
		errno = err;
		return -1;
	}
	return code;
}

int pulse_detach(dispatch_t *dpp, int code, int flags)
{
	if (!valid(dpp) || flags || code < INT8_MIN || code > INT8_MAX) {
		errno = EINVAL;
		return -1;
	}
	lock(dpp);
	int err = dpp->pulses[(uint8_t)code].func ? 0 : EINVAL;
	if (!err)
		dpp->attached--;
	dpp->pulses[(uint8_t)code].func = NULL;
	unlock(dpp);
	if (err) {
		errno = err;
		return -1;
	}
	return 0;
}

dispatch_context_t *dispatch_context_alloc(dispatch_t *dpp)
{
	if (!valid(dpp)) {
		errno = EINVAL;
		return NULL;
	}
	lock(dpp);
	/* Nothing attached: no size to make the buffer, nothing to wait for. */
	if (!dpp->attached) {
		unlock(dpp);
		errno = EINVAL;
		return NULL;
	}
	size_t head = sizeof(struct context) + (dpp->nparts_max - 1) * sizeof(iov_t);
	head = (head + 15) & ~(size_t)15; /* the buffer aligned for any message */
	size_t size = dpp->msg_max_size;
	struct context *c = malloc(head + size);
	if (c)
		dpp->contexts++;
	unlock(dpp);
	if (!c) {
		errno = ENOMEM;
		return NULL;
	}
	memset(c, 0, head);
	c->magic = CONTEXT_MAGIC;
	c->owner = dpp;
	message_context_t *m = &c->pub.message_context;
	m->dpp = dpp;
	m->id = -1;
	m->msg = (resmgr_iomsgs_t *)((char *)c + head);
	m->msg_max_size = (unsigned)size;
	return &c->pub;
}

static struct context *context_of(dispatch_context_t *ctp)
{
	if (!ctp)
		return NULL;
	struct context *c = (struct context *)((char *)ctp - offsetof(struct context, pub));
	return c->magic == CONTEXT_MAGIC ? c : NULL;
}

void dispatch_context_free(dispatch_context_t *ctp)
{
	struct context *c = context_of(ctp);
	if (!c)
		return;
	dispatch_t *dpp = c->owner;
	c->magic = 0;
	lock(dpp);
	dpp->contexts--;
	unlock(dpp);
	free(c);
}

void __libc_dispatch_loop(dispatch_context_t *ctp)
{
	struct context *c = context_of(ctp);

	if (c)
		c->loop = true;
}

bool __libc_dispatch_hold_reply(dispatch_context_t *ctp, int rcvid, long status, const void *buf,
				size_t len)
{
	struct context *c = context_of(ctp);

	if (!c || !c->loop || c->held.rcvid)
		return false;
	c->held.rcvid = rcvid;
	c->held.status = status;
	c->held.buf = buf;
	c->held.len = len;
	return true;
}

void __libc_dispatch_flush(dispatch_context_t *ctp)
{
	struct context *c = context_of(ctp);

	if (c && c->held.rcvid) {
		MsgReply(c->held.rcvid, c->held.status, c->held.buf, c->held.len);
		c->held.rcvid = 0;
	}
}

dispatch_context_t *dispatch_block(dispatch_context_t *ctp)
{
	struct context *c = context_of(ctp);
	message_context_t *m = &ctp->message_context;

	/* A context receives for the dispatch it was made for, whose size
	 * its buffer has. */
	if (!c || m->dpp != c->owner || !valid(m->dpp)) {
		errno = EINVAL;
		return NULL;
	}
	int rcvid;
	if (c->held.rcvid) { /* the held reply and the next receive in one call */
		int to = c->held.rcvid;
		c->held.rcvid = 0;
		rcvid = MsgReplyReceive(m->dpp->chid, to, c->held.status, c->held.buf, c->held.len,
					m->msg, m->msg_max_size, &m->info);
		/* EFAULT: the reply's buffer, nothing received; a failed
		 * reply went unreported before too: receive. */
		if (rcvid < 0 && errno == EFAULT)
			rcvid = MsgReceive(m->dpp->chid, m->msg, m->msg_max_size, &m->info);
	} else {
		rcvid = MsgReceive(m->dpp->chid, m->msg, m->msg_max_size, &m->info);
	}
	if (rcvid < 0)
		return NULL;
	m->rcvid = rcvid;
	m->offset = 0;
	m->status = 0;
	m->size = rcvid ? (int)m->info.msglen : (int)sizeof(struct _pulse);
	return ctp;
}

/* dispatch_unblock's pulse: a code any user may send, told apart by its
 * value, the dispatch itself. */
#define UNBLOCK_CODE _PULSE_CODE_MAXAVAIL

void dispatch_unblock(dispatch_context_t *ctp)
{
	struct context *c = context_of(ctp);
	if (!c || ctp->message_context.dpp != c->owner || !valid(c->owner))
		return;
	dispatch_t *dpp = ctp->message_context.dpp;
	lock(dpp);
	if (dpp->unblock_coid < 0)
		dpp->unblock_coid = ConnectAttach(0, getpid(), dpp->chid, _NTO_SIDE_CHANNEL, 0);
	int coid = dpp->unblock_coid;
	unlock(dpp);
	if (coid < 0)
		return;
	/* One pulse wakes one thread blocked on the channel, or the next
	 * to block there: no wake-up is lost to a thread not yet blocked. */
	MsgSendPulsePtr(coid, -1, UNBLOCK_CODE, dpp);
}

int dispatch_handler(dispatch_context_t *ctp)
{
	struct context *c = context_of(ctp);
	message_context_t *m = &ctp->message_context;

	if (!c || m->dpp != c->owner || !valid(m->dpp)) {
		errno = EINVAL;
		return -1;
	}
	dispatch_t *dpp = m->dpp;
	int nolock = (dpp->flags & DISPATCH_FLAG_NOLOCK) != 0;
	handler_fn func = NULL;
	unsigned flags = 0;
	void *handle = NULL;
	int code;

	if (m->rcvid == 0) {
		code = m->msg->pulse.code;
		if (code == UNBLOCK_CODE && m->msg->pulse.value.sival_ptr == dpp)
			return 0;
		if (!nolock)
			lock(dpp);
		struct pulse_slot *s = &dpp->pulses[(uint8_t)code];
		func = s->func;
		flags = s->flags;
		handle = s->handle;
		if (!nolock)
			unlock(dpp);
		if (!func)
			return -1; /* no handler: dropped, no one waits for a reply */
		func(m, code, flags, handle);
		return 0;
	}
	code = m->size >= (int)sizeof(uint16_t) ? m->msg->type : -1;
	if (!nolock)
		lock(dpp);
	/* Binary search of the sorted ranges. */
	unsigned lo = 0, hi = dpp->nranges;
	while (code >= 0 && lo < hi) {
		unsigned mid = (lo + hi) / 2;
		struct msg_range *r = &dpp->ranges[mid];
		if (code < r->low) {
			hi = mid;
		} else if (code > r->high) {
			lo = mid + 1;
		} else {
			func = r->func;
			flags = r->flags;
			handle = r->handle;
			break;
		}
	}
	if (!func && code >= 0 && dpp->deflt.func) {
		func = dpp->deflt.func;
		flags = dpp->deflt.flags;
		handle = dpp->deflt.handle;
	}
	if (!nolock)
		unlock(dpp);
	if (!func) {
		MsgError(m->rcvid, ENOSYS);
		return -1;
	}
	func(m, code, flags, handle);
	return 0;
}
