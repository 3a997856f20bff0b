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
 * The direct switch: a client sending to a channel with a receiver
 * waiting hands the CPU straight to it (sched_switch_to); the receiver,
 * running at once and before anything else can, copies the staged
 * message in and returns the rcvid. A short reply is staged in the
 * client, which copies it out when it runs. A pulse for a waiting
 * receiver is left in it. The IPC fast path (fastpath.c) takes the
 * common cases of all this before the kernel call reaches here, with the
 * same steps (msgpath.h).
 *
 * Priorities (QNX's rules): a receiver takes the priority of the message
 * or pulse it receives (unless the channel is _NTO_CHF_FIXED_PRIORITY)
 * and keeps it after replying, until its next MsgReceive; a client
 * sending to a channel with no receiver boosts the channel's busy server
 * threads to its priority. A boost above 63 is capped at 63 for a server
 * without the priority ability. A server serving a client that is
 * destroyed goes back to its own priority.
 *
 * Blocking: every wait goes through wait.h (SEND, RECEIVE and REPLY each
 * have a cancel function here); a client whose message is received moves
 * from SEND to REPLY with thread_rewait, so its TimerTimeout applies to
 * whichever state it is in.
 *
 * Long copies open an interrupt window every COPY_WINDOW bytes (see
 * copy_window), so interrupts are never held off for longer than that
 * takes.
 */
#include <arch/cpu.h>
#include <arch/mmu.h>
#include <arch/user.h>
#include <kernel/cpu.h>
#include <kernel/errno.h>
#include <kernel/ipc.h>
#include <kernel/klock.h>
#include <kernel/msgpath.h>
#include <kernel/panic.h>
#include <kernel/process.h>
#include <kernel/sched.h>
#include <kernel/slab.h>
#include <kernel/string.h>
#include <kernel/syscall.h>
#include <kernel/thread.h>
#include <kernel/timer.h>
#include <kernel/vm.h>
#include <kernel/wait.h>
#include <sys/ktypes.h>

#define IOV_MAX	    1024
#define IPC_SLOW    INT64_MIN	/* a value no call returns: "not done here" */
#define COPY_WINDOW (64 * 1024) /* bytes copied between interrupt windows */

static SLAB_CACHE(pulse_cache, struct pulse);

/* --- copies --------------------------------------------------------------- */

/* raw_copy's failures: which side's memory did not take the copy. */
#define FAULT_SRC 1
#define FAULT_DST 2

/* One side of a copy through the page tables: the last-level table of
 * the 2 MiB it looked in last, so that a run of pages there costs a load
 * each, not a walk. Nothing frees a table while a kernel call copies
 * (the copy's interrupt windows defer all but interrupts' own work). */
struct walk {
	uintptr_t region;  /* va >> 21 of the table below */
	const pte_t *leaf; /* NULL: none yet */
	pte_t last;	   /* the leaf of the page found last */
};
#define REGION_SHIFT (PAGE_SHIFT + 9)

/* The kernel address of user va in p for access (VM_READ or VM_WRITE), or
 * NULL; *room gets the bytes left in its page. */
static inline __attribute__((always_inline)) uint8_t *
user_page(struct process *p, uintptr_t va, unsigned access, size_t *room, struct walk *w)
{
	size_t i = (va >> PAGE_SHIFT) & (PT_ENTRIES - 1);
	pte_t e = 0;

	if (va < USER_BASE || va >= USER_TOP)
		return NULL;
	if (w->leaf && w->region == va >> REGION_SHIFT)
		e = w->leaf[i];
	if (!arch_pte_valid(e)) {
		const pte_t *slot = pt_leaf_find(p->root, va);
		if ((!slot || !arch_pte_valid(*slot)) && process_fault(p, va, access))
			slot = pt_leaf_find(p->root, va); /* anonymous memory, first touch */
		if (!slot || !arch_pte_valid(e = *slot))
			return NULL; /* a hole, or a bigger leaf than a page */
		w->leaf = slot - i;
		w->region = va >> REGION_SHIFT;
	}
	if (!arch_pte_user_may(e, access))
		return NULL;
	w->last = e;
	*room = PAGE_SIZE - (va & (PAGE_SIZE - 1));
	return (uint8_t *)phys_to_virt(arch_pte_addr(e)) + (va & (PAGE_SIZE - 1));
}

/* Where byte va of p (or of the kernel, p NULL) is, for n bytes at most. */
static inline __attribute__((always_inline)) uint8_t *
span(struct process *p, uintptr_t va, unsigned access, size_t *n, struct walk *w)
{
	size_t room;

	if (!p)
		return (uint8_t *)va;
	uint8_t *k = user_page(p, va, access, &room, w);
	if (k && room < *n)
		*n = room;
	return k;
}

/* A moment with interrupts open in a long copy: interrupts are taken, but
 * what they would change waits for the end of the kernel call, so nothing
 * the copy works on moves under it: timer expiries are deferred
 * (timer_interrupt), and a switch already due is held aside so the
 * interrupt's exit finds none to make (timer work deferred, nothing else
 * an interrupt does makes one due). */
static void copy_window(void)
{
	struct cpu *c = this_cpu();
	unsigned long irq = arch_irq_save();
	bool due = c->need_resched;

	c->need_resched = false;
	c->in_window = true;
	arch_irq_window();
	c->in_window = false;
	c->need_resched |= due;
	arch_irq_restore(irq);
}

/* Copies through the page tables of SIMD_COPY_MIN bytes or more use the
 * SIMD registers where the arch allows it (ARCH_COPY_SIMD: memcpy's own
 * loop built with them, as user programs have it), the calling thread's
 * FP/SIMD state saved around (returned: its save area, or NULL when the
 * copy is the plain one). Interrupt windows in between are safe: the
 * kernel's interrupt work never uses those registers, and no switch is
 * made in a window. */
#define SIMD_COPY_MIN 1024
#if defined(ARCH_COPY_SIMD) && defined(ARCH_FPU_LAZY)
#error "lazily switched, the registers may hold another thread's state"
#endif
static inline void *simd_begin(size_t n)
{
#ifdef ARCH_COPY_SIMD
	void *fpu = current_thread()->fpu;

	if (fpu && n >= SIMD_COPY_MIN) {
		arch_fpu_save(fpu);
		return fpu;
	}
#else
	(void)n;
#endif
	return NULL;
}

static inline void simd_end(void *fpu)
{
#ifdef ARCH_COPY_SIMD
	if (fpu)
		arch_fpu_restore(fpu);
#else
	(void)fpu;
#endif
}

/* The copy of a run of pages raw_copy found (the SIMD registers' own
 * loop when simd says so). */
static inline void copy_run(uint8_t *d, const uint8_t *s, size_t n, void *simd)
{
#ifdef ARCH_COPY_SIMD
	if (simd) {
		memcpy_simd(d, s, n);
		return;
	}
#endif
	(void)simd;
	memcpy(d, s, n);
}

/* The run of bytes raw_copy has found and not yet copied: where it
 * starts on each side, and its length. */
struct run {
	uint8_t *s, *d;
	size_t n;
};

/* The run is copied, and empty again. */
static inline void run_flush(struct run *r, void *simd)
{
	if (r->n)
		copy_run(r->d, r->s, r->n, simd);
	r->n = 0;
}

/* n bytes at s go to d: they join the run when they go on where it
 * ends on both sides, else the run is copied and they start the next. */
static inline __attribute__((always_inline)) void run_add(struct run *r, uint8_t *s, uint8_t *d,
							  size_t n, void *simd)
{
	if (r->n && (s != r->s + r->n || d != r->d + r->n))
		run_flush(r, simd);
	if (!r->n)
		r->s = s, r->d = d;
	r->n += n;
}

/* How many of the max leaves at s and d go on from sl and dl: each the
 * same as the one before but for the next physical page, on both sides
 * (a tight loop of its own: the run of a long copy). */
static __attribute__((noinline)) size_t next_pages(const pte_t *s, const pte_t *d, pte_t sl,
						   pte_t dl, size_t max)
{
	size_t k = 0;

	while (k < max && s[k] == (sl += PAGE_SIZE) && d[k] == (dl += PAGE_SIZE))
		k++;
	return k;
}

/* Pages from page-aligned sva and dva (at most max bytes: whole pages,
 * and the start of the last one when max ends there) that both walks
 * find in the leaf tables they looked in last, mapped as the last pages
 * they found were (the same bits but the address, and those the CPU
 * sets): added to the run, a load and a compare a side a page. The bytes
 * added. */
static inline __attribute__((always_inline)) size_t follow(struct walk *sw, struct walk *dw,
							   uintptr_t sva, uintptr_t dva, size_t max,
							   struct run *r, void *simd)
{
	const uintptr_t region = 1ul << REGION_SHIFT;
	const pte_t kind = ~(arch_pte_addr(~0ull) | ARCH_PTE_USED_BITS);

	if ((sva | dva) & (PAGE_SIZE - 1) || sva >> REGION_SHIFT != sw->region ||
	    dva >> REGION_SHIFT != dw->region)
		return 0;
	size_t most = MIN(max, MIN(region - (sva & (region - 1)), region - (dva & (region - 1))));
	const pte_t *s = &sw->leaf[(sva >> PAGE_SHIFT) & (PT_ENTRIES - 1)];
	const pte_t *d = &dw->leaf[(dva >> PAGE_SHIFT) & (PT_ENTRIES - 1)];
	size_t n = 0;

	pte_t sl = sw->last, dl = dw->last;
	for (;;) {
		/* (the run, not empty, ends at sl's and dl's pages) */
		size_t k = next_pages(s, d, sl, dl, (most - n) >> PAGE_SHIFT);
		r->n += k << PAGE_SHIFT;
		n += k << PAGE_SHIFT;
		s += k;
		d += k;
		sl += k << PAGE_SHIFT;
		dl += k << PAGE_SHIFT;
		if (n >= most)
			break;
		pte_t se = *s, de = *d;
		if (((se ^ sl) | (de ^ dl)) & kind)
			break;
		size_t part = MIN(PAGE_SIZE, most - n); /* (less: max's last page) */
		run_add(r, phys_to_virt(arch_pte_addr(se)), phys_to_virt(arch_pte_addr(de)), part,
			simd);
		sl = se;
		dl = de;
		n += part;
		s++;
		d++;
	}
	sw->last = sl;
	dw->last = dl;
	return n;
}

/* Copy n bytes from (sp, sva) to (dp, dva); a process NULL is the kernel.
 * 0, FAULT_SRC or FAULT_DST: the side whose page failed (what comes
 * before it is copied). Pages that go on where the last ones ended on
 * both sides (pages faulted in one after another often are physically
 * contiguous) make one run, copied at once when the next does not
 * follow, a page fails, or a window is due. */
static int raw_copy(struct process *dp, uintptr_t dva, struct process *sp, uintptr_t sva, size_t n)
{
	struct process *self = current_thread()->proc;
	struct walk sw = {0, NULL, 0}, dw = {0, NULL, 0};
	struct run run = {NULL, NULL, 0};
	size_t since_window = 0;
	int fault = 0;

	/* Between the kernel and the address space in use: no walk. */
	if (self && !sp && dp == self)
		return copy_to_user((void *)dva, (const void *)sva, n) ? FAULT_DST : 0;
	if (self && !dp && sp == self)
		return copy_from_user((void *)dva, (const void *)sva, n) ? FAULT_SRC : 0;
	void *simd = simd_begin(n);
	while (n) {
		size_t chunk = n;
		uint8_t *s = span(sp, sva, VM_READ, &chunk, &sw);
		uint8_t *d = span(dp, dva, VM_WRITE, &chunk, &dw);
		if (!s || !d) {
			fault = !s ? FAULT_SRC : FAULT_DST;
			break;
		}
		run_add(&run, s, d, chunk, simd);
		/* Whole pages next on both sides, mapped alike: at once. */
		if (sp && dp && n - chunk >= PAGE_SIZE && since_window + chunk < COPY_WINDOW)
			chunk +=
			    follow(&sw, &dw, sva + chunk, dva + chunk,
				   MIN(n - chunk, COPY_WINDOW - since_window - chunk), &run, simd);
		dva += chunk;
		sva += chunk;
		n -= chunk;
		if ((since_window += chunk) >= COPY_WINDOW && n) {
			run_flush(&run, simd);
			copy_window();
			since_window = 0;
		}
	}
	run_flush(&run, simd);
	simd_end(simd);
	return fault;
}

/* Part i of a stream: its base and length. 0, 1 past the last part (the
 * stream's owner may have rewritten its iov_t array since its length was
 * taken: the count it gave is all the kernel reads), or -EFAULT. */
static int part(const struct uio *u, long i, uintptr_t *base, size_t *len)
{
	iov_t iov;

	if (u->parts == UIO_ONE) {
		if (i > 0)
			return 1;
		*base = u->addr;
		*len = u->len;
		return 0;
	}
	if (i >= u->parts)
		return 1;
	if (raw_copy(NULL, (uintptr_t)&iov, u->proc, u->addr + (uintptr_t)i * sizeof(iov),
		     sizeof(iov)))
		return -EFAULT;
	*base = (uintptr_t)iov.iov_base;
	*len = iov.iov_len;
	return 0;
}

/* The total length of an iov_t array (parts > 0), or -EFAULT,
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
 * common case, inline (its length known: uio_one). */
static inline long uio_length(struct uio *u)
{
	if (u->parts > 0)
		return iov_length(u);
	if (u->parts < 0)
		return -EINVAL; /* a part count -n of no length n */
	return (long)u->len;
}

/* Copy up to max bytes from src (from offset soff) into dst (at doff).
 * Returns the bytes copied (fewer when a side's parts end early), or
 * -EFAULT with *bad_src telling which side's memory failed. */
static long xfer(const struct uio *dst, size_t doff, const struct uio *src, size_t soff, size_t max,
		 bool *bad_src)
{
	size_t want = 0, done = 0;
	long di = 0, si = 0;
	uintptr_t db = 0, sb = 0;
	size_t dl = 0, sl = 0;
	int r;

	if (soff < src->len && doff < dst->len)
		want = MIN(max, MIN(src->len - soff, dst->len - doff));
	*bad_src = false;
	/* One buffer on each side, the common case: one copy. */
	if (dst->parts == UIO_ONE && src->parts == UIO_ONE && want) {
		r = raw_copy(dst->proc, dst->addr + doff, src->proc, src->addr + soff, want);
		*bad_src = r == FAULT_SRC;
		return r ? -EFAULT : (long)want;
	}
	while (done < want) {
		/* Advance to the parts holding the offsets (empty parts skipped). */
		while (dl <= doff) {
			doff -= dl;
			if ((r = part(dst, di++, &db, &dl)))
				return r > 0 ? (long)done : -EFAULT;
		}
		while (sl <= soff) {
			soff -= sl;
			if ((r = part(src, si++, &sb, &sl))) {
				*bad_src = r < 0;
				return r > 0 ? (long)done : -EFAULT;
			}
		}
		size_t n = MIN(want - done, MIN(dl - doff, sl - soff));
		if ((r = raw_copy(dst->proc, db + doff, src->proc, sb + soff, n))) {
			*bad_src = r == FAULT_SRC;
			return -EFAULT;
		}
		doff += n;
		soff += n;
		done += n;
	}
	return (long)done;
}

static struct uio kernel_uio(const void *buf, size_t len)
{
	return uio_one(NULL, (uintptr_t)buf, len);
}

/* Staging, between a thread's buffer (struct ipc_wait.buf) and a stream
 * of the address space in use: one buffer, the common case, is one user
 * copy; an iov_t array goes through xfer. */
static __attribute__((noinline)) long stage_in_parts(void *buf, const struct uio *src, size_t n)
{
	struct uio k = kernel_uio(buf, n);
	bool bad_src;

	return xfer(&k, 0, src, 0, n, &bad_src);
}

/* n bytes (at most src's length) of src into buf: n, or -EFAULT (src's:
 * the kernel's side cannot fail). */
static inline __attribute__((always_inline)) long stage_in(void *buf, const struct uio *src,
							   size_t n)
{
	if (src->parts != UIO_ONE)
		return stage_in_parts(buf, src, n);
	return copy_from_user(buf, (const void *)src->addr, n) ? -EFAULT : (long)n;
}

__attribute__((noinline)) long msg_stage_out_parts(const struct uio *dst, const void *buf, size_t n)
{
	struct uio k = kernel_uio(buf, n);
	bool bad_src;

	return xfer(dst, 0, &k, 0, SIZE_MAX, &bad_src);
}

/* --- queues, ids, priorities ---------------------------------------------- */

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

struct thread *msg_rcvid_thread(int rcvid)
{
	return rcvid_thread(rcvid);
}

/* (__builtin_memset: a few stores in place, padding included, where
 * -ffreestanding would call memset.) */
static void fill_info(struct _msg_info *mi, const struct thread *c, long msglen)
{
	__builtin_memset(mi, 0, sizeof(*mi));
	mi->pid = c->proc->pid;
	mi->tid = c->tid;
	mi->chid = c->ipc.chan->chid;
	mi->scoid = c->ipc.conn ? c->ipc.conn->scoid : 0;
	mi->coid = c->ipc.conn ? c->ipc.conn->coid : -1;
	mi->priority = c->ipc_q.priority;
	mi->msglen = msglen;
	mi->srcmsglen = (ssize_t)c->ipc.smsg.len;
	mi->dstmsglen = (ssize_t)c->ipc.rmsg.len;
	if (c->ipc.unblock_err)
		mi->flags |= _NTO_MI_UNBLOCK_REQ;
}

int msg_put_info(struct process *p, uintptr_t uinfo, const struct thread *c, long msglen)
{
	struct _msg_info mi;

	if (!uinfo)
		return 0;
	fill_info(&mi, c, msglen);
	return raw_copy(p, uinfo, NULL, (uintptr_t)&mi, sizeof(mi));
}

/* Copy client c's message into receiver r's buffer rbuf and its info to
 * uinfo in r's process; either may be the current thread. The bytes
 * copied, or -EFAULT: *bad_src says whether the client's side was at
 * fault. */
static inline __attribute__((always_inline)) long copy_message(struct thread *c, struct thread *r,
							       const struct uio *rbuf,
							       uintptr_t uinfo, bool *bad_src)
{
	size_t len = c->ipc.smsg.len;
	long n;

	if (len <= IPC_SHORT && rbuf->proc == current_thread()->proc) {
		n = stage_out(rbuf, c->ipc.buf, len);
	} else {
		/* Into another process (from the staging buffer), or long
		 * (straight from the client): through the page tables. */
		struct uio staged = kernel_uio(c->ipc.buf, len);
		n = xfer(rbuf, 0, len <= IPC_SHORT ? &staged : &c->ipc.smsg, 0, SIZE_MAX, bad_src);
		if (n < 0)
			return n;
	}
	*bad_src = false;
	return message_done(c, r, uinfo, n);
}

/* Take a queued pulse off ch's queue, uncounted. */
void msg_unqueue_pulse(struct channel *ch, struct pulse *p)
{
	list_remove(&p->q.link);
	if (p->conn) {
		p->conn->pulses--;
		ch->user_pulses--;
	} else {
		ch->kernel_pulses--;
	}
	p->count = 0;
	if (!p->embedded)
		slab_free(&pulse_cache, p);
}

static void queue_pulse(struct channel *ch, struct pulse *p)
{
	p->chan = ch;
	p->count = 1;
	if (p->conn) {
		p->conn->pulses++;
		ch->user_pulses++;
	} else {
		ch->kernel_pulses++;
	}
	queue_by_priority(&ch->send_queue, &p->q);
}

/* A waiting receiver of ch takes the pulse at once; false when none
 * waits. */
static bool hand_pulse(struct channel *ch, int prio, int code, long value, int scoid)
{
	if (list_empty(&ch->receivers))
		return false;
	struct thread *r = container_of(ch->receivers.next, struct thread, ipc_q.link);
	pulse_to(r, serving_priority(r, ch, (unsigned)prio), code, value, scoid);
	thread_unblock(r, 0);
	return true;
}

/* --- waits: SEND, RECEIVE, REPLY ------------------------------------------ */

/* SEND and RECEIVE: off the channel's queue, whatever the reason. */
bool msg_cancel_queued(struct thread *t, int err)
{
	(void)err;
	list_remove(&t->ipc_q.link);
	return true;
}

/* A REPLY-blocked client wants out. On an _NTO_CHF_UNBLOCK channel it
 * asks the server (UNBLOCK pulse, rcvid as value, the error kept for
 * MsgError(rcvid, -1)) and stays; else it leaves, and a later reply to it
 * finds no one (ESRCH). Destroyed (err 0), it always leaves, and the
 * server thread running at its priority goes back to its own. */
bool msg_cancel_reply(struct thread *c, int err)
{
	struct channel *ch = c->ipc.chan;

	if (err && (ch->flags & _NTO_CHF_UNBLOCK)) {
		if (!c->ipc.unblock_err) {
			struct pulse *p = &c->ipc.unblock;
			c->ipc.unblock_err = err;
			p->q.priority = c->ipc_q.priority;
			p->q.pulse = true;
			p->embedded = true; /* c's own: never freed */
			p->code = _PULSE_CODE_UNBLOCK;
			p->value = rcvid_of(c);
			p->scoid = c->ipc.conn ? c->ipc.conn->scoid : 0;
			if (!hand_pulse(ch, p->q.priority, p->code, p->value, p->scoid))
				queue_pulse(ch, p);
		}
		return false;
	}
	unqueue_unblock(c);
	if (!err && !(ch->flags & _NTO_CHF_FIXED_PRIORITY)) {
		struct thread *s = thread_by_id(c->ipc.server);
		if (s && s->priority == c->ipc_q.priority && s->priority != s->base_priority)
			inherit(s, 0);
	}
	return true;
}

/* Client c (blocked) goes back in the send queue as SEND-blocked: a
 * receiver could not take its message. */
static void requeue_sender(struct thread *c)
{
	queue_by_priority(&c->ipc.chan->send_queue, &c->ipc_q);
	thread_rewait(c, STATE_SEND, c->ipc.chan, msg_cancel_queued);
}

/* --- the calls ---------------------------------------------------------------- */

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
	if (t->ipc.smsg.len <= IPC_SHORT && stage_in(t->ipc.buf, &t->ipc.smsg, t->ipc.smsg.len) < 0)
		return -EFAULT;
	t->ipc.chan = ch;
	t->ipc.conn = c;
	t->ipc_q.priority = t->priority;
	t->ipc.unblock_err = 0;

	/* A receiver waiting for messages takes it at once. */
	list_for_each(it, &ch->receivers)
	{
		struct thread *r = container_of(it, struct thread, ipc_q.link);
		if (r->ipc.pulse_only)
			continue;
		if (!timeout_at_once(t, STATE_REPLY)) {
			/* The fast path: r runs now and copies the message in. */
			list_unlink(&r->ipc_q.link);
			r->ipc.sender = t;
			thread_wake_direct(r,
					   queue_reply(t, r, serving_priority(r, ch, t->priority)));
			return reply_received(
			    t, thread_block_switch(STATE_REPLY, ch, msg_cancel_reply, 0, r));
		}
		/* We leave REPLY at once: the message is copied before. */
		long n = copy_message(t, r, &r->ipc.rmsg, r->ipc.uinfo, &bad_src);
		if (n < 0 && bad_src)
			return -EFAULT; /* our own buffer: nothing happened */
		list_unlink(&r->ipc_q.link);
		if (n < 0) {
			thread_unblock(r, n); /* its buffer: it gets EFAULT, we queue */
			break;
		}
		thread_unblock(r, queue_reply(t, r, serving_priority(r, ch, t->priority)));
		return reply_received(t, thread_block(STATE_REPLY, ch, msg_cancel_reply, 0));
	}
	queue_by_priority(&ch->send_queue, &t->ipc_q);
	/* A busy server is boosted to the priority of who waits for it. */
	if (!(ch->flags & _NTO_CHF_FIXED_PRIORITY))
		list_for_each(it, &ch->owner->threads)
		{
			struct thread *s2 = list_entry(it, struct thread, proc_link);
			if (s2->state != STATE_RECEIVE && s2->state != STATE_DEAD &&
			    s2->ipc.served == ch && s2->priority < t->priority)
				inherit(s2, t->priority);
		}
	return reply_received(t, thread_block(STATE_SEND, ch, msg_cancel_queued, 0));
}

/* What ch's queue holds for receiver t, taken: a pulse, or a client's
 * message (the client moves on to REPLY); its result, or IPC_SLOW when
 * there is nothing (clients whose buffers fail are sent away with
 * EFAULT on the way). */
static long receive_queued(struct thread *t, struct channel *ch, const struct uio *buf,
			   uintptr_t uinfo, bool pulse_only)
{
	bool bad_src;

	list_for_each_safe(it, tmp, &ch->send_queue)
	{
		struct qitem *q = list_entry(it, struct qitem, link);
		if (q->pulse) {
			struct pulse *p = container_of(q, struct pulse, q);
			struct _pulse out;
			pulse_fill(&out, p->code, p->value, p->scoid);
			if (!(ch->flags & _NTO_CHF_FIXED_PRIORITY))
				inherit(t, p->q.priority);
			if (p->count > 1)
				p->count--; /* coalesced: the rest stay queued */
			else
				msg_unqueue_pulse(ch, p);
			return put_pulse(buf, &out);
		}
		if (pulse_only)
			continue;
		struct thread *c = container_of(q, struct thread, ipc_q);
		list_remove(&c->ipc_q.link);
		long n = copy_message(c, t, buf, uinfo, &bad_src);
		if (n < 0) {
			if (!bad_src) { /* our buffer: the client waits on */
				queue_by_priority(&ch->send_queue, &c->ipc_q);
				return n;
			}
			thread_unblock(c, -EFAULT); /* the client's buffer */
			continue;
		}
		t->ipc.served = ch; /* the channel it serves, for boosting */
		int rcvid = queue_reply(c, t, serving_priority(t, ch, c->ipc_q.priority));
		thread_rewait(c, STATE_REPLY, ch, msg_cancel_reply);
		return rcvid;
	}
	return IPC_SLOW;
}

/* Nothing waiting: t waits in RECEIVE on ch until the next message;
 * what ended the wait. */
static long receive_block(struct thread *t, struct channel *ch, const struct uio *buf,
			  uintptr_t uinfo, bool pulse_only)
{
	receive_enter(t, ch, buf, uinfo);
	t->ipc.pulse_only = pulse_only;
	long res = thread_block(STATE_RECEIVE, ch, msg_cancel_queued, 0);
	t->ipc.pulse_only = false; /* (so the fast receive need not write it) */
	return res;
}

/* The end of t's RECEIVE wait, which ended with res: a pulse (res 0) or
 * a client handed over by a direct switch (nothing has run since) is
 * copied in.
 * *again: the client's buffer failed, it was sent away, and the receive
 * starts over. */
static inline __attribute__((always_inline)) long receive_woken(struct thread *t, long res,
								bool *again)
{
	struct channel *ch = t->ipc.chan;
	bool bad_src;

	*again = false;
	if (!res) /* a pulse (pulse_to's: a message ends it with its rcvid) */
		return put_pulse(&t->ipc.rmsg, &t->ipc.pulse);
	struct thread *c = t->ipc.sender;
	if (!c)
		return res;
	t->ipc.sender = NULL;
	long n = copy_message(c, t, &t->ipc.rmsg, t->ipc.uinfo, &bad_src);
	if (n >= 0)
		return res;
	if (!bad_src) {
		/* Our buffer: the client waits on, we report the fault. */
		requeue_sender(c);
		if (!(ch->flags & _NTO_CHF_FIXED_PRIORITY))
			inherit(t, 0);
		return n;
	}
	thread_unblock(c, -EFAULT); /* the client's buffer */
	*again = true;
	return 0;
}

long msg_receive_woken(struct thread *t, long res, bool *again)
{
	return receive_woken(t, res, again);
}

long msg_receive(struct thread *t, struct channel *ch, const struct uio *r, uintptr_t uinfo,
		 bool pulse_only)
{
	struct uio buf = *r;
	bool again = true;
	long res;

	if ((res = uio_length(&buf)) < 0)
		return res;
	while (again) {
		res = receive_queued(t, ch, &buf, uinfo, pulse_only);
		if (res != IPC_SLOW)
			return res;
		res = receive_woken(t, receive_block(t, ch, &buf, uinfo, pulse_only), &again);
	}
	return res;
}

int msg_reply(struct thread *t, int rcvid, long status, const struct uio *r, bool error)
{
	struct thread *c = client_of(t, rcvid);
	struct uio reply = *r;
	bool bad_src;
	long err, result;

	if (!c)
		return -ESRCH;
	if (error && status == -1) {
		/* The error of the client's unblock request (QNX 7.0.1). */
		if (!c->ipc.unblock_err)
			return -EINVAL;
		result = -c->ipc.unblock_err;
	} else if (error) {
		result = status == EOK ? 0 : -status;
	} else {
		if ((err = uio_length(&reply)) < 0)
			return (int)err;
		size_t moved = MIN(reply.len, c->ipc.rmsg.len);
		if (moved <= IPC_SHORT) {
			/* Staged in the client, which copies it out itself. */
			if (stage_in(c->ipc.buf, &reply, moved) < 0)
				return -EFAULT; /* our reply buffer: the client waits on */
			c->ipc.reply_len = moved; /* (0: nothing to copy out) */
			result = status;
		} else {
			long n = xfer(&c->ipc.rmsg, 0, &reply, 0, SIZE_MAX, &bad_src);
			if (n < 0 && bad_src)
				return -EFAULT; /* our reply buffer: the client waits on */
			result = n < 0 ? -EFAULT : status;
		}
	}
	unqueue_unblock(c);
	/* We keep the client's priority until our next MsgReceive (QNX). */
	thread_unblock(c, result);
	return 0;
}

/* --- the end of a call the fast path (fastpath.c) blocked in -------------- */

long ipc_resume(void)
{
	struct thread *t = current_thread();

	if (this_cpu()->reap) /* what a switch's far side does first */
		thread_finish_switch();
	long res;

	return call_end(t, &res) ? res
				 : msg_receive(t, t->ipc.chan, &t->ipc.rmsg, t->ipc.uinfo, false);
}

uint64_t ipc_fast_count(void)
{
	uint64_t n = 0; /* (each CPU counts its own at a fast call's point of no return) */

	for (unsigned i = 0; i < cpu_count; i++)
		n += cpus[i].stats.ipc_fast + cpus[i].stats.ipc_fast_switches;
	return n;
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
	return msg_put_info(t->proc, uinfo, c, c->ipc.msglen) ? -EFAULT : 0;
}

static uint64_t dropped;

uint64_t msg_pulses_dropped(void)
{
	return dropped;
}

uint64_t msg_pulse_count(void)
{
	return pulse_cache.in_use;
}

/* A pulse from the pool, filled; NULL when out of memory. */
static struct pulse *new_pulse(int prio, int code, long value, int scoid, struct connection *c)
{
	struct pulse *p = slab_alloc(&pulse_cache);

	if (!p)
		return NULL;
	p->q.priority = (uint8_t)prio;
	p->q.pulse = true;
	p->code = (int8_t)code;
	p->value = value;
	p->scoid = scoid;
	p->conn = c;
	return p;
}

bool msg_kernel_pulse(struct channel *ch, int prio, int code, long value, int scoid)
{
	struct pulse *p;

	if (prio < 0)
		prio = PRIO_DEFAULT; /* the kernel's own pulses */
	if (hand_pulse(ch, prio, code, value, scoid))
		return true;
	if (ch->kernel_pulses >= KERNEL_PULSES_PER_CHANNEL ||
	    !(p = new_pulse(prio, code, value, scoid, NULL))) {
		dropped++;
		return false;
	}
	queue_pulse(ch, p);
	return true;
}

int msg_send_pulse(struct thread *t, struct connection *c, int prio, int code, long value)
{
	struct channel *ch = c->chan;
	struct pulse *p;

	if (!pulse_args_ok(prio, code))
		return -EINVAL;
	if (!ch || ch->dead)
		return -EBADF;
	if (prio == -1)
		prio = t->priority;
	if (hand_pulse(ch, prio, code, value, c->scoid))
		return 0;
	if (c->pulses >= PULSES_PER_CONNECTION || ch->user_pulses >= PULSES_PER_CHANNEL)
		return -EAGAIN;
	if (!(p = new_pulse(prio, code, value, c->scoid, c)))
		return -EAGAIN;
	queue_pulse(ch, p);
	return 0;
}

int msg_event_pulse(struct connection *c, int prio, int code, long value, struct pulse *pre)
{
	struct channel *ch = c->chan;

	if (!ch || ch->dead)
		return -EBADF;
	if (pre && pre->count) {
		if (pre->count < UINT32_MAX)
			pre->count++;
		return 0;
	}
	if (hand_pulse(ch, prio, code, value, c->scoid))
		return 0;
	if (pre) {
		pre->q.priority = (uint8_t)prio;
		pre->q.pulse = true;
		pre->embedded = true;
		pre->code = (int8_t)code;
		pre->value = value;
		pre->scoid = c->scoid;
		pre->conn = NULL; /* bounded by its owner, not the connection */
		queue_pulse(ch, pre);
		return 0;
	}
	if (c->pulses >= PULSES_PER_CONNECTION || ch->user_pulses >= PULSES_PER_CHANNEL ||
	    !(pre = new_pulse(prio, code, value, c->scoid, c)))
		return -EAGAIN;
	queue_pulse(ch, pre);
	return 0;
}

void msg_pulse_withdraw(struct pulse *p)
{
	withdraw_pulse(p);
}

void msg_connection_gone(struct connection *c)
{
	if (!c->pulses)
		return;
	list_for_each(it, &c->chan->send_queue)
	{
		struct qitem *q = list_entry(it, struct qitem, link);
		struct pulse *p = container_of(q, struct pulse, q);
		if (q->pulse && p->conn == c) {
			p->conn = NULL; /* counted as the kernel's from now on */
			c->chan->user_pulses--;
			c->chan->kernel_pulses++;
		}
	}
	c->pulses = 0;
}

/* A channel gone (msg_channel_gone): its REPLY-blocked clients, which
 * are in no list, fail with err (process_for_each's, per process). */
struct gone {
	struct channel *ch;
	int err;
};

static void repliers_gone(struct process *p, void *arg)
{
	const struct gone *g = arg;

	list_for_each(it, &p->threads)
	{
		struct thread *t = list_entry(it, struct thread, proc_link);
		if (t->state == STATE_REPLY && t->ipc.chan == g->ch) {
			unqueue_unblock(t);
			thread_unblock(t, -g->err);
		}
	}
}

void msg_channel_gone(struct channel *ch, int err)
{
	struct list *lists[] = {&ch->send_queue, &ch->receivers};

	for (unsigned i = 0; i < ARRAY_SIZE(lists); i++)
		list_for_each_safe(it, tmp, lists[i])
		{
			struct qitem *q = list_entry(it, struct qitem, link);
			if (q->pulse) {
				msg_unqueue_pulse(ch, container_of(q, struct pulse, q));
				continue;
			}
			list_remove(&q->link);
			thread_unblock(container_of(q, struct thread, ipc_q), -err);
		}
	/* Its repliers are in no list, nor counted (a message's way stays
	 * cheaper): each thread's state says, in a look at every thread. */
	process_for_each(repliers_gone, &(struct gone){ch, err});
}
