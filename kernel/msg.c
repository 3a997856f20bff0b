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
#include <kernel/process.h>
#include <kernel/sched.h>
#include <kernel/slab.h>
#include <kernel/string.h>
#include <kernel/switch.h>
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

	if (u->parts < 0) {
		if (i > 0)
			return 1;
		*base = u->addr;
		*len = (size_t)-u->parts;
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
	if (dst->parts < 0 && src->parts < 0 && want) {
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
	return (struct uio){NULL, (uintptr_t)buf, -(long)len, len};
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
	if (src->parts >= 0)
		return stage_in_parts(buf, src, n);
	return copy_from_user(buf, (const void *)src->addr, n) ? -EFAULT : (long)n;
}

static __attribute__((noinline)) long stage_out_parts(const struct uio *dst, const void *buf,
						      size_t n)
{
	struct uio k = kernel_uio(buf, n);
	bool bad_src;

	return xfer(dst, 0, &k, 0, SIZE_MAX, &bad_src);
}

/* n staged bytes at buf out to dst: the bytes moved, or -EFAULT (dst's).
 * A staging buffer holds at most IPC_SHORT bytes (the range check's
 * short case, known). */
static inline __attribute__((always_inline)) long stage_out(const struct uio *dst, const void *buf,
							    size_t n)
{
	if (n > IPC_SHORT)
		__builtin_unreachable();
	if (dst->parts >= 0)
		return stage_out_parts(dst, buf, n);
	n = MIN(n, dst->len);
	return copy_to_user((void *)dst->addr, buf, n) ? -EFAULT : (long)n;
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

/* rcvids: a thread's global slot in the low bits, its slot's generation
 * above them (positive: generations are 15 bits). */
#define RCVID_SLOT_BITS __builtin_ctz(THREAD_SLOTS)
_Static_assert((THREAD_SLOTS & (THREAD_SLOTS - 1)) == 0, "slots: a power of two");
_Static_assert(RCVID_SLOT_BITS + 15 < 32, "rcvids must stay positive");
_Static_assert(IPC_SHORT <= USER_SHORT, "a staged message takes user_range's short case");

static int rcvid_of(const struct thread *t)
{
	return (int)(t->slot_gen << RCVID_SLOT_BITS | t->slot);
}

struct thread *msg_rcvid_thread(int rcvid)
{
	if (rcvid <= 0)
		return NULL;
	return thread_by_slot((unsigned)rcvid & (THREAD_SLOTS - 1),
			      (unsigned)rcvid >> RCVID_SLOT_BITS);
}

/* The client a server thread's rcvid names: REPLY-blocked on a channel of
 * the server's process. */
static inline __attribute__((always_inline)) struct thread *client_of(struct thread *server,
								      int rcvid)
{
	struct thread *c = msg_rcvid_thread(rcvid);

	if (!c || c->state != STATE_REPLY || c->ipc.chan->owner != server->proc)
		return NULL;
	return c;
}

/* The priority t runs at when it inherits prio (capped at 63 for a
 * process without the priority ability), or its own with prio 0. */
static unsigned inherited(const struct thread *t, unsigned prio)
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
	mi->priority = c->ipc.q.priority;
	mi->msglen = msglen;
	mi->srcmsglen = (ssize_t)c->ipc.smsg.len;
	mi->dstmsglen = (ssize_t)c->ipc.rmsg.len;
	if (c->ipc.unblock_err)
		mi->flags |= _NTO_MI_UNBLOCK_REQ;
}

static int put_info(struct process *p, uintptr_t uinfo, const struct thread *c, long msglen)
{
	struct _msg_info mi;

	if (!uinfo)
		return 0;
	fill_info(&mi, c, msglen);
	return raw_copy(p, uinfo, NULL, (uintptr_t)&mi, sizeof(mi));
}

/* The end of client c's message to receiver r, whose buffer took n
 * bytes of it (or -EFAULT, r's): its info to uinfo in r's process, and
 * c's msglen. n, or -EFAULT (r's side). */
static inline __attribute__((always_inline)) long message_done(struct thread *c, struct thread *r,
							       uintptr_t uinfo, long n)
{
	if (n < 0 || put_info(r->proc, uinfo, c, n))
		return -EFAULT;
	c->ipc.msglen = n;
	return n;
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

static void pulse_fill(struct _pulse *out, int code, long value, int scoid)
{
	__builtin_memset(out, 0, sizeof(*out));
	out->code = (int8_t)code;
	out->value.sival_ptr = (void *)value;
	out->scoid = scoid;
}

/* Copy a pulse into the receive buffer of the receiver, which runs (its
 * address space is the one in use): 0, or EFAULT when it does not fit
 * (the pulse is lost). */
static long put_pulse(const struct uio *buf, const struct _pulse *p)
{
	if (buf->len < sizeof(*p) || stage_out(buf, p, sizeof(*p)) < 0)
		return -EFAULT;
	return 0;
}

/* Take a queued pulse off ch's queue, uncounted. */
static void unqueue_pulse(struct channel *ch, struct pulse *p)
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

/* p off its channel's queue, if it is queued (inline: the fast reply's
 * client may have an UNBLOCK pulse waiting, unqueue_unblock). */
static inline __attribute__((always_inline)) void withdraw_pulse(struct pulse *p)
{
	if (p->count)
		unqueue_pulse(p->chan, p);
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

/* MsgSendPulse's code is the user's range (negative ones are the
 * kernel's) and its priority one (-1: the sender's). */
static inline bool pulse_args_ok(int prio, int code)
{
	return code >= _PULSE_CODE_MINAVAIL && code <= _PULSE_CODE_MAXAVAIL && prio >= -1 &&
	       prio <= PRIO_MAX;
}

/* Receiver r takes the pulse (it copies it out itself when it runs),
 * to run at rprio (serving_priority's); its caller ends r's wait. */
static inline void pulse_to(struct thread *r, unsigned rprio, int code, long value, int scoid)
{
	list_remove(&r->ipc.q.link);
	pulse_fill(&r->ipc.pulse, code, value, scoid);
	r->ipc.pulse_pending = true;
	serve_at(r, rprio);
}

/* A waiting receiver of ch takes the pulse at once; false when none
 * waits. */
static bool hand_pulse(struct channel *ch, int prio, int code, long value, int scoid)
{
	if (list_empty(&ch->receivers))
		return false;
	struct thread *r = container_of(ch->receivers.next, struct thread, ipc.q.link);
	pulse_to(r, serving_priority(r, ch, (unsigned)prio), code, value, scoid);
	thread_unblock(r, 0);
	return true;
}

/* --- waits: SEND, RECEIVE, REPLY ------------------------------------------ */

/* SEND and RECEIVE: off the channel's queue, whatever the reason. */
static bool cancel_queued(struct thread *t, int err)
{
	(void)err;
	list_remove(&t->ipc.q.link);
	return true;
}

/* The UNBLOCK pulse c sent, if still queued, goes: c's wait is over. */
static inline __attribute__((always_inline)) void unqueue_unblock(struct thread *c)
{
	withdraw_pulse(&c->ipc.unblock);
}

/* A REPLY-blocked client wants out. On an _NTO_CHF_UNBLOCK channel it
 * asks the server (UNBLOCK pulse, rcvid as value, the error kept for
 * MsgError(rcvid, -1)) and stays; else it leaves, and a later reply to it
 * finds no one (ESRCH). Destroyed (err 0), it always leaves, and the
 * server thread running at its priority goes back to its own. */
static bool cancel_reply(struct thread *c, int err)
{
	struct channel *ch = c->ipc.chan;

	if (err && (ch->flags & _NTO_CHF_UNBLOCK)) {
		if (!c->ipc.unblock_err) {
			struct pulse *p = &c->ipc.unblock;
			c->ipc.unblock_err = err;
			p->q.priority = c->ipc.q.priority;
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
	list_remove(&c->ipc.q.link);
	unqueue_unblock(c);
	if (!err && !(ch->flags & _NTO_CHF_FIXED_PRIORITY)) {
		struct thread *s = thread_by_slot(c->ipc.server_slot, c->ipc.server_gen);
		if (s && s->priority == c->ipc.q.priority && s->priority != s->base_priority)
			inherit(s, 0);
	}
	return true;
}

/* Client c's message has reached receiver r: c goes on the repliers
 * list, r runs at rprio (serving_priority's for c). Returns the rcvid.
 * The caller then blocks c in REPLY (thread_block) or moves it there
 * (thread_rewait). */
static inline __attribute__((always_inline)) int queue_reply(struct thread *c, struct thread *r,
							     unsigned rprio)
{
	list_add_tail(&c->ipc.chan->repliers, &c->ipc.q.link);
	serve_at(r, rprio);
	r->ipc.served = c->ipc.chan; /* the channel it serves, for boosting */
	c->ipc.server_slot = r->slot;
	c->ipc.server_gen = r->slot_gen;
	return rcvid_of(c);
}

/* Client c (blocked) goes back in the send queue as SEND-blocked: a
 * receiver could not take its message. */
static void requeue_sender(struct thread *c)
{
	queue_by_priority(&c->ipc.chan->send_queue, &c->ipc.q);
	thread_rewait(c, STATE_SEND, c->ipc.chan->owner->pid, c->ipc.chan, cancel_queued);
}

/* --- the calls ---------------------------------------------------------------- */

/* Client t is back from a send that returns res: a short reply staged in
 * it goes out into its own address space now. */
static inline __attribute__((always_inline)) long reply_received(struct thread *t, long res)
{
	if (!t->ipc.reply_staged)
		return res;
	t->ipc.reply_staged = false;
	return stage_out(&t->ipc.rmsg, t->ipc.buf, t->ipc.reply_len) < 0 ? -EFAULT : res;
}

long msg_send(struct thread *t, struct connection *c, const struct uio *s, const struct uio *r)
{
	struct channel *ch = c->chan;
	bool bad_src;
	long err;

	if (!ch || ch->dead)
		return -EBADF;
	int server = ch->owner->pid;
	t->ipc.smsg = *s;
	t->ipc.rmsg = *r;
	if ((err = uio_length(&t->ipc.smsg)) < 0 || (err = uio_length(&t->ipc.rmsg)) < 0)
		return err;
	/* A short message is staged now, from our own address space. */
	if (t->ipc.smsg.len <= IPC_SHORT && stage_in(t->ipc.buf, &t->ipc.smsg, t->ipc.smsg.len) < 0)
		return -EFAULT;
	t->ipc.chan = ch;
	t->ipc.conn = c;
	t->ipc.q.priority = t->priority;
	t->ipc.unblock_err = 0;

	/* A receiver waiting for messages takes it at once. */
	list_for_each(it, &ch->receivers)
	{
		struct thread *r = container_of(it, struct thread, ipc.q.link);
		if (r->ipc.pulse_only)
			continue;
		if (!timeout_at_once(t, STATE_REPLY)) {
			/* The fast path: r runs now and copies the message in. */
			list_remove(&r->ipc.q.link);
			r->ipc.sender = t;
			thread_wake_direct(r,
					   queue_reply(t, r, serving_priority(r, ch, t->priority)));
			return reply_received(
			    t, thread_block_switch(STATE_REPLY, server, ch, cancel_reply, 0, r));
		}
		/* We leave REPLY at once: the message is copied before. */
		long n = copy_message(t, r, &r->ipc.rmsg, r->ipc.uinfo, &bad_src);
		if (n < 0 && bad_src)
			return -EFAULT; /* our own buffer: nothing happened */
		list_remove(&r->ipc.q.link);
		if (n < 0) {
			thread_unblock(r, n); /* its buffer: it gets EFAULT, we queue */
			break;
		}
		thread_unblock(r, queue_reply(t, r, serving_priority(r, ch, t->priority)));
		return reply_received(t, thread_block(STATE_REPLY, server, ch, cancel_reply, 0));
	}
	queue_by_priority(&ch->send_queue, &t->ipc.q);
	/* A busy server is boosted to the priority of who waits for it. */
	if (!(ch->flags & _NTO_CHF_FIXED_PRIORITY))
		list_for_each(it, &ch->owner->threads)
		{
			struct thread *s2 = list_entry(it, struct thread, proc_link);
			if (s2->state != STATE_RECEIVE && s2->state != STATE_DEAD &&
			    s2->ipc.served == ch && s2->priority < t->priority)
				inherit(s2, t->priority);
		}
	return reply_received(t, thread_block(STATE_SEND, server, ch, cancel_queued, 0));
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
				unqueue_pulse(ch, p);
			return put_pulse(buf, &out);
		}
		if (pulse_only)
			continue;
		struct thread *c = container_of(q, struct thread, ipc.q);
		list_remove(&c->ipc.q.link);
		long n = copy_message(c, t, buf, uinfo, &bad_src);
		if (n < 0) {
			if (!bad_src) { /* our buffer: the client waits on */
				queue_by_priority(&ch->send_queue, &c->ipc.q);
				return n;
			}
			thread_unblock(c, -EFAULT); /* the client's buffer */
			continue;
		}
		int rcvid = queue_reply(c, t, serving_priority(t, ch, c->ipc.q.priority));
		thread_rewait(c, STATE_REPLY, ch->owner->pid, ch, cancel_reply);
		return rcvid;
	}
	return IPC_SLOW;
}

/* t goes on ch's receivers, at its own priority, to wait for the next
 * message into buf (the caller blocks it in RECEIVE). */
static inline void receive_enter(struct thread *t, struct channel *ch, const struct uio *buf,
				 uintptr_t uinfo, bool pulse_only)
{
	if (!(ch->flags & _NTO_CHF_FIXED_PRIORITY))
		inherit(t, 0);
	t->ipc.chan = ch;
	t->ipc.served = ch;
	t->ipc.rmsg = *buf;
	t->ipc.uinfo = uinfo;
	t->ipc.pulse_only = pulse_only;
	list_add_tail(&ch->receivers, &t->ipc.q.link);
}

/* Nothing waiting: t waits in RECEIVE on ch until the next message;
 * what ended the wait. */
static long receive_block(struct thread *t, struct channel *ch, const struct uio *buf,
			  uintptr_t uinfo, bool pulse_only)
{
	receive_enter(t, ch, buf, uinfo, pulse_only);
	return thread_block(STATE_RECEIVE, ch->chid, ch, cancel_queued, 0);
}

/* The end of t's RECEIVE wait, which ended with res: a pulse or a client
 * handed over by a direct switch (nothing has run since) is copied in.
 * *again: the client's buffer failed, it was sent away, and the receive
 * starts over. */
static inline __attribute__((always_inline)) long receive_woken(struct thread *t, long res,
								bool *again)
{
	struct channel *ch = t->ipc.chan;
	bool bad_src;

	*again = false;
	if (t->ipc.pulse_pending) {
		t->ipc.pulse_pending = false;
		return put_pulse(&t->ipc.rmsg, &t->ipc.pulse);
	}
	struct thread *c = t->ipc.sender;
	if (!c)
		return res;
	t->ipc.sender = NULL;
	long n = copy_message(c, t, &t->ipc.rmsg, t->ipc.uinfo, &bad_src);
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
	thread_unblock(c, -EFAULT); /* the client's buffer */
	*again = true;
	return 0;
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
			c->ipc.reply_staged = moved != 0; /* (none: nothing to copy out) */
			c->ipc.reply_len = moved;
			result = status;
		} else {
			long n = xfer(&c->ipc.rmsg, 0, &reply, 0, SIZE_MAX, &bad_src);
			if (n < 0 && bad_src)
				return -EFAULT; /* our reply buffer: the client waits on */
			result = n < 0 ? -EFAULT : status;
		}
	}
	list_remove(&c->ipc.q.link);
	unqueue_unblock(c);
	/* We keep the client's priority until our next MsgReceive (QNX). */
	thread_unblock(c, result);
	return 0;
}

/* --- the fast path ---------------------------------------------------------- */

/*
 * The common cases of MsgSend, MsgReceive, MsgReply and MsgReplyReceive
 * (and of MsgSendPulse and SchedYield, which switch too), which the
 * arch's kernel-call entry tries before the generic path (seL4's
 * fastpath.c is the model): each is a list of cheap checks, any of which
 * sends the call to the generic path with nothing changed (it returns),
 * then a point of no return after which it leaves every object as the
 * generic path would have, through the same queue, wait and scheduler
 * functions, so whatever comes next (a signal, a timeout, a kill, pidin)
 * finds nothing different. What it skips: the generic dispatch and its
 * argument unpacking, streams of parts, lengths past IPC_SHORT, and the
 * rare states, each of which the checks send to the generic path:
 *   - TimerTimeout for the call, or a signal to look at (the call's end
 *     is the generic path's);
 *   - an iov_t array on either side (its length takes reading it);
 *   - a reply longer than IPC_SHORT (copied once, between address
 *     spaces, not staged; a message that long is the fast path's, and
 *     the receiver copies it as the generic path's would, on its own
 *     stack, since a long copy opens interrupt windows);
 *   - MsgSend: no receiver waiting, or one in MsgReceivePulse, or one
 *     that may not run here or that something READY outranks (the
 *     switch would not be direct);
 *   - MsgReceive: anything queued (a pulse, a client), or flags;
 *   - MsgReplyReceive: the same, and a client that cannot take the CPU
 *     directly.
 * A fault on the caller's own buffer is not a check: it goes to the
 * generic path, which finds the same fault and reports it. A call the
 * fast path takes never returns to the entry: its result goes straight
 * to user mode (finish). One that blocks (or leaves its thread READY)
 * keeps no kernel context: it ends when the thread runs again, in the
 * fast path that switches to it (run_next) or in ipc_resume() when the
 * scheduler does (arch/context.h).
 */
uint8_t ipc_fast_mode = IPC_FAST_ONE; /* (smp.c, main.c) */
static uint64_t fast_calls; /* counted at each call's point of no return */

/* The calls a fast path blocks in without keeping a kernel context
 * (block_hand_over), for call_end to end. RESUME_DONE: SchedYield,
 * MsgSendPulse, or a call whose end has work left. */
#define RESUME_SEND    1 /* MsgSend, in REPLY */
#define RESUME_RECEIVE 2 /* MsgReceive or MsgReplyReceive, in RECEIVE */
#define RESUME_DONE    3 /* done, the result in wait_result */
#define RESUME_AGAIN   4 /* a receive that starts over (its client failed) */

/* The end of t's call, which the fast path blocked in (t->ipc.resume says
 * which), as the call's own tail would have ended it: true and its result
 * in *res, or false when a receive starts over (msg_receive, which may
 * block: on t's own stack only). Nothing here blocks. */
static inline __attribute__((always_inline)) bool call_end(struct thread *t, long *res)
{
	unsigned how = t->ipc.resume;
	bool again = false;

	t->ipc.resume = 0;
	if (how == RESUME_SEND)
		*res = reply_received(t, t->wait_result);
	else if (how == RESUME_RECEIVE)
		*res = receive_woken(t, t->wait_result, &again);
	else if (how == RESUME_DONE)
		*res = t->wait_result;
	else
		again = true; /* RESUME_AGAIN */
	return !again;
}

/* The fast path ends current thread t's call with res, on whatever stack
 * it runs (after a switch, the one of the thread it left): back to user
 * mode from t's frame, unless there is work at the end of the call (a
 * switch due, signals, deferred work), which takes t's own stack:
 * arch_resume_ctx's entry, where ipc_resume finds the result
 * (RESUME_DONE) and syscall_fast_exit does the work. (No dead thread
 * waits to be reaped: the caller's own start reaped any, and a fast
 * path's switch is from a live thread.) smp: the kernel lock is let go
 * there, or on t's stack on the way out: not before the stack in use is
 * left, which another CPU may give to the thread that blocked. */
static inline __attribute__((always_inline)) NORETURN void
finish(const struct cpu *c, struct thread *t, long res, bool smp)
{
	if (__builtin_expect(syscall_exit_due(c, t), 0)) {
		t->wait_result = res;
		t->ipc.resume = RESUME_DONE;
		arch_context_load((uintptr_t)arch_resume_ctx);
	}
	if (smp)
		arch_syscall_return_unlock(res);
	arch_syscall_return(res);
}

/* May t's call take the fast path at all: no TimerTimeout for it, no
 * signal to look at (the call's end is the generic path's)? */
static inline bool fast_ok(const struct thread *t)
{
	return !t->call_checks;
}

/* The calling thread, as a fast call other than the receive starts on
 * CPU c (the one it ends on: a fast call's switch stays on its CPU): on
 * one CPU, a thread the last fast reply held goes on the run queue
 * first (sched_ready_held), since the call may read it. */
static inline __attribute__((always_inline)) struct thread *fast_begin(const struct cpu *c,
								       bool smp)
{
	if (!smp && __builtin_expect(c->held != NULL, 0))
		sched_queue_held();
	return c->current;
}

/* The fast path has made t current: t's call ends here when the fast
 * path blocked it (call_end), else (a thread the generic path blocked,
 * or a receive that starts over) on t's own stack, from its context. */
static inline __attribute__((always_inline)) NORETURN void run_next(const struct cpu *c,
								    struct thread *t, bool smp)
{
	long res;

	if (t->ipc.resume) {
		if (call_end(t, &res))
			finish(c, t, res, smp);
		t->ipc.resume = RESUME_AGAIN;
	}
	arch_context_load(t->ksp);
}

/* The fast path's block of the current thread t: no deadline (no
 * TimerTimeout for the call), no kernel context kept: the call ends,
 * when the wait does, in ipc_resume() or the fast path that switches
 * back to it, with the result in wait_result. The CPU goes to next
 * (sched_hand_over_to), or with next NULL to the scheduler's pick
 * (sched_hand_over_next); the new current thread is returned, and the
 * caller, still on t's stack, leaves it by ending that thread's call or
 * loading its context. */
static inline __attribute__((always_inline)) struct thread *
block_hand_over(struct cpu *c, struct thread *t, unsigned state, int blocked_on, void *obj,
		wait_cancel_fn cancel, struct thread *next, bool smp)
{
	wait_enter(t, state, blocked_on, obj, cancel);
	if (!next)
		return sched_hand_over_next(c, t, smp);
	sched_hand_over_to(c, t, next, smp);
	return next;
}

/* One buffer of -parts bytes, as the generic path takes it (parts in
 * INT64_MIN + 1 .. 0, so parts - 1 is negative); false for an iov_t
 * array. one_buffers: both are, in one test. */
static inline bool one_buffer(long parts)
{
	return (long)((uint64_t)parts - 1) < 0;
}
static inline bool one_buffers(long a, long b)
{
	return (long)(((uint64_t)a - 1) & ((uint64_t)b - 1)) < 0;
}

/* The fast calls' arguments: the kernel call's six, raw (a call uses
 * those it has). */
#define FAST_ARGS                                                                                  \
	UNUSED uint64_t a0, UNUSED uint64_t a1, UNUSED uint64_t a2, UNUSED uint64_t a3,            \
	    UNUSED uint64_t a4, UNUSED uint64_t a5
/* Each fast call is built twice from one body (an always_inline
 * name(FAST_ARGS, bool smp)): name_one for one CPU, and name_smp for
 * several, which holds the kernel lock while it looks and lets go of it
 * when it goes to the generic path (whose entry takes it again) or on
 * its way out (finish). */
#define FAST_CALL(name)                                                                            \
	static void name##_one(FAST_ARGS)                                                          \
	{                                                                                          \
		name(a0, a1, a2, a3, a4, a5, false);                                               \
	}                                                                                          \
	static void name##_smp(FAST_ARGS)                                                          \
	{                                                                                          \
		klock_acquire();                                                                   \
		name(a0, a1, a2, a3, a4, a5, true);                                                \
		klock_release();                                                                   \
	}

/* The common end of a receive the fast path blocked r in, switched to by
 * a fast send from c (receive_woken's first case and copy_message's
 * staged one, known: no pulse, the message staged, r's buffer in the
 * address space in use): the message and its info go out, and r's call
 * ends with its rcvid. Returns only when a copy faults, for
 * receive_woken to sort out. */
static inline __attribute__((always_inline)) void
receive_staged(const struct cpu *cpu, struct thread *r, struct thread *c, bool smp)
{
	long n = stage_out(&r->ipc.rmsg, c->ipc.buf, c->ipc.smsg.len);

	if (message_done(c, r, r->ipc.uinfo, n) < 0)
		return;
	r->ipc.resume = 0;
	finish(cpu, r, r->wait_result, smp);
}

static inline __attribute__((always_inline)) void fast_send(FAST_ARGS, bool smp)
{
	struct cpu *cpu = this_cpu();
	struct thread *t = fast_begin(cpu, smp);
	struct connection *c = connect_lookup(t->proc, (int)a0);
	struct channel *ch = c ? c->chan : NULL;
	uintptr_t smsg = a1, rmsg = a3;
	long sparts = (long)a2, rparts = (long)a4;

	if (!fast_ok(t) || !ch || ch->dead || list_empty(&ch->receivers) ||
	    !one_buffers(sparts, rparts))
		return;
	struct thread *r = container_of(ch->receivers.next, struct thread, ipc.q.link);
	unsigned prio = serving_priority(r, ch, t->priority);
	bool staged = (size_t)-sparts <= IPC_SHORT; /* else the receiver copies it */
	if (r->ipc.pulse_only || !sched_can_switch_to(cpu, r, prio) ||
	    (staged && copy_from_user(t->ipc.buf, (const void *)smsg, (size_t)-sparts)))
		return; /* (one buffer: stage_in's common case) */

	/* No return: msg_send's direct branch. */
	fast_calls++;
	t->ipc.smsg = (struct uio){t->proc, smsg, sparts, (size_t)-sparts};
	t->ipc.rmsg = (struct uio){t->proc, rmsg, rparts, (size_t)-rparts};
	t->ipc.chan = ch;
	t->ipc.conn = c;
	t->ipc.q.priority = t->priority;
	t->ipc.unblock_err = 0;
	list_remove(&r->ipc.q.link);
	thread_wake_direct(r, queue_reply(t, r, prio));
	t->ipc.resume = RESUME_SEND;
	block_hand_over(cpu, t, STATE_REPLY, ch->owner->pid, ch, cancel_reply, r, smp);
	if (r->ipc.resume == RESUME_RECEIVE && staged)
		receive_staged(cpu, r, t, smp);
	r->ipc.sender = t; /* receive_woken's, wherever r's receive ends */
	if (!staged)	   /* the long copy opens interrupt windows: on r's own stack */
		arch_context_load(r->ksp);
	run_next(cpu, r, smp);
}
FAST_CALL(fast_send)

/* t waits in RECEIVE on ch (nothing is queued), handing the CPU to next
 * (NULL: whatever the scheduler picks), which is returned: the caller
 * ends its call (block_hand_over). */
static inline __attribute__((always_inline)) struct thread *
fast_receive_wait(struct cpu *c, struct thread *t, struct channel *ch, uintptr_t rmsg, long rparts,
		  uintptr_t uinfo, struct thread *next, bool smp)
{
	struct uio buf = {t->proc, rmsg, rparts, (size_t)-rparts};

	receive_enter(t, ch, &buf, uinfo, false);
	t->ipc.resume = RESUME_RECEIVE;
	return block_hand_over(c, t, STATE_RECEIVE, ch->chid, ch, cancel_queued, next, smp);
}

long ipc_resume(void)
{
	struct thread *t = current_thread();

	if (this_cpu()->reap) /* what a switch's far side does first */
		thread_finish_switch();
	long res;

	return call_end(t, &res) ? res
				 : msg_receive(t, t->ipc.chan, &t->ipc.rmsg, t->ipc.uinfo, false);
}

static inline __attribute__((always_inline)) void fast_receive(FAST_ARGS, bool smp)
{ /* chid, rmsg, rparts, uinfo, flags */
	struct cpu *cpu = this_cpu();
	struct thread *t = cpu->current;
	struct channel *ch = channel_lookup(t->proc, (int)a0);

	if (!fast_ok(t) || !ch || a4 || !list_empty(&ch->send_queue) ||
	    !one_buffer((long)a2))
		return;
	fast_calls++;
	run_next(cpu, fast_receive_wait(cpu, t, ch, a1, (long)a2, a3, NULL, smp), smp);
}
FAST_CALL(fast_receive)

/* Stage a short reply to c (REPLY-blocked on one of t's channels) from
 * one buffer (sparts: the caller checked, one_buffer) and take c off the
 * repliers, as msg_reply does (its caller ends c's wait); false (nothing
 * done) when the reply does not stage, or our buffer faults. */
static inline __attribute__((always_inline)) bool fast_reply_to(struct thread *c, uintptr_t smsg,
								long sparts)
{
	size_t moved = MIN((size_t)-sparts, c->ipc.rmsg.len);
	if (moved > IPC_SHORT || copy_from_user(c->ipc.buf, (const void *)smsg, moved))
		return false; /* (one buffer: stage_in's common case) */
	c->ipc.reply_staged = moved != 0; /* (none: nothing to copy out) */
	c->ipc.reply_len = moved;
	list_remove(&c->ipc.q.link);
	unqueue_unblock(c);
	return true;
}

static inline __attribute__((always_inline)) void fast_reply(FAST_ARGS, bool smp)
{ /* rcvid, status, smsg, sparts */
	struct cpu *cpu = this_cpu();
	struct thread *t = fast_begin(cpu, smp);
	struct thread *c = client_of(t, (int)a0);

	if (!fast_ok(t) || !c || !one_buffer((long)a3) || !fast_reply_to(c, a2, (long)a3))
		return;
	fast_calls++;
	wait_leave(c, (long)a1); /* thread_unblock's, and its sched_ready: */
	if (smp)
		sched_ready(c);
	else
		sched_ready_held(cpu, c);
	finish(cpu, t, 0, smp);
}
FAST_CALL(fast_reply)

/* MsgReplyReceive: the reply's client takes the CPU straight away, and
 * we wait for the next message; the generic path (two calls' work in
 * one) when the client cannot, or something is queued already. */
static inline __attribute__((always_inline)) void fast_reply_receive(uint64_t ids, uint64_t status,
								     uint64_t smsg, uint64_t parts,
								     uint64_t rmsg, uint64_t uinfo,
								     bool smp)
{
	struct cpu *cpu = this_cpu();
	struct thread *t = fast_begin(cpu, smp);
	struct channel *ch = channel_lookup(t->proc, (int)(ids >> 32));
	struct thread *c = client_of(t, (int)(uint32_t)ids);
	long rparts = (int32_t)(parts >> 32);

	if (!fast_ok(t) || !ch || !c || !list_empty(&ch->send_queue) ||
	    !one_buffers(rparts, (int32_t)parts) || !sched_can_switch_to(cpu, c, c->priority) ||
	    !fast_reply_to(c, smsg, (int32_t)parts))
		return;
	fast_calls++;
	thread_wake_direct(c, (long)status);
	fast_receive_wait(cpu, t, ch, rmsg, rparts, uinfo, c, smp);
	if (c->ipc.resume == RESUME_SEND) { /* call_end's, known */
		c->ipc.resume = 0;
		finish(cpu, c, reply_received(c, c->wait_result), smp);
	}
	run_next(cpu, c, smp);
}
FAST_CALL(fast_reply_receive)

uint64_t ipc_fast_count(void)
{
	return fast_calls;
}

/* A fast MsgSendPulse or SchedYield commits: t's call is done (0) and t
 * waits READY while next runs (sched_preempt_hand_over); its end returns
 * the 0. The caller ends next's call (block_hand_over's way). */
static inline __attribute__((always_inline)) void
done_for(struct cpu *c, struct thread *t, struct thread *next, bool yield, bool smp)
{
	fast_calls++;
	t->wait_result = 0;
	t->ipc.resume = RESUME_DONE;
	sched_preempt_hand_over(c, t, next, yield, smp);
	if (smp) /* reschedule's: we may outrank what another CPU runs */
		sched_kick(t);
}

/* MsgSendPulse to a channel whose first receiver, given the pulse's
 * priority, outranks us: it takes the pulse and the CPU, and we wait
 * READY at the head of our queue (a preemption), our call done. When it
 * would not run at once, hand_pulse's thread_unblock and the generic
 * exit do the same work the same way: no gain to take it here. On
 * several CPUs only when the scheduler's kick would send the receiver to
 * this CPU: else it runs on another (an idle one first) while we go on,
 * the generic path's way. */
static inline __attribute__((always_inline)) void fast_pulse(FAST_ARGS, bool smp)
{ /* coid, prio, code, value */
	struct cpu *cpu = this_cpu();
	struct thread *t = fast_begin(cpu, smp);
	struct connection *c = connect_lookup(t->proc, (int)a0);
	struct channel *ch = c ? c->chan : NULL;
	int prio = (int)a1, code = (int)a2;
	long value = (long)a3;

	if (!fast_ok(t) || !ch || ch->dead || list_empty(&ch->receivers) ||
	    !pulse_args_ok(prio, code))
		return; /* (and the errors: msg_send_pulse's) */
	if (prio == -1)
		prio = t->priority;
	struct thread *r = container_of(ch->receivers.next, struct thread, ipc.q.link);
	unsigned rprio = serving_priority(r, ch, (unsigned)prio);
	if (rprio <= t->priority || !sched_can_switch_to(cpu, r, rprio) ||
	    (smp && !sched_kick_here(r, rprio)))
		return;
	pulse_to(r, rprio, code, value, c->scoid);
	thread_wake_direct(r, 0);
	done_for(cpu, t, r, false, smp);
	if (r->ipc.resume == RESUME_RECEIVE) { /* call_end's, known: the pulse */
		r->ipc.resume = 0;
		r->ipc.pulse_pending = false;
		finish(cpu, r, put_pulse(&r->ipc.rmsg, &r->ipc.pulse), smp);
	}
	run_next(cpu, r, smp);
}
FAST_CALL(fast_pulse)

/* SchedYield with a READY thread of our priority to go to. */
static inline __attribute__((always_inline)) void fast_yield(bool smp)
{
	struct cpu *cpu = this_cpu();
	struct thread *t = fast_begin(cpu, smp);
	struct thread *next = fast_ok(t) ? sched_yield_peer(cpu, t) : NULL;

	if (!next)
		return; /* (reschedule restarts our slice) */
	done_for(cpu, t, next, true, smp);
	if (next->ipc.resume == RESUME_DONE) { /* call_end's, known: it yielded too */
		next->ipc.resume = 0;
		finish(cpu, next, next->wait_result, smp);
	}
	run_next(cpu, next, smp);
}

void ipc_fast_yield(void)
{
	fast_yield(false);
}

void ipc_fast_yield_smp(void)
{
	klock_acquire();
	fast_yield(true);
	klock_release();
}

/* The message calls the fast path does not take. */
static void fast_none(FAST_ARGS)
{
}

/* The entries' table, for one CPU (one) or several (smp). */
#define FAST_TABLE(kind)                                                                           \
	{                                                                                          \
		[__KER_KerMsgReplyReceive -                                                        \
		    IPC_FAST_FIRST] = fast_reply_receive_##kind,                                   \
		    [__KER_KerMsgSend - IPC_FAST_FIRST] = fast_send_##kind,                        \
		    [__KER_KerMsgReceive - IPC_FAST_FIRST] = fast_receive_##kind,                  \
		    [__KER_KerMsgReply - IPC_FAST_FIRST] = fast_reply_##kind,                      \
		    [__KER_MsgError - IPC_FAST_FIRST] = fast_none,                                 \
		    [__KER_KerMsgRead - IPC_FAST_FIRST] = fast_none,                               \
		    [__KER_KerMsgWrite - IPC_FAST_FIRST] = fast_none,                              \
		    [__KER_MsgInfo - IPC_FAST_FIRST] = fast_none,                                  \
		    [__KER_KerMsgSendPulse - IPC_FAST_FIRST] = fast_pulse_##kind,                  \
	}
const ipc_fast_fn ipc_fast_calls[] = FAST_TABLE(one);
const ipc_fast_fn ipc_fast_calls_smp[] = FAST_TABLE(smp);

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

void msg_channel_gone(struct channel *ch, int err)
{
	struct list *lists[] = {&ch->send_queue, &ch->repliers, &ch->receivers};

	for (unsigned i = 0; i < ARRAY_SIZE(lists); i++)
		list_for_each_safe(it, tmp, lists[i])
		{
			struct qitem *q = list_entry(it, struct qitem, link);
			if (q->pulse) {
				unqueue_pulse(ch, container_of(q, struct pulse, q));
				continue;
			}
			struct thread *t = container_of(q, struct thread, ipc.q);
			list_remove(&q->link);
			if (t->state == STATE_REPLY)
				unqueue_unblock(t);
			thread_unblock(t, -err);
		}
}
