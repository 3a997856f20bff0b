/*
 * Interrupt attachments (see interrupt.h): the table of attachments, the
 * per-line mask counts, and the delivery of an attachment's event when
 * its line fires. Entry points: interrupt_attach, interrupt_detach,
 * interrupt_mask, interrupt_wait, interrupt_process_exit,
 * interrupt_line_fired (the arch's IRQ handler), interrupt_run_deferred.
 *
 * Masking: every attachment counts its own masks (QNX's
 * _NTO_INTR_FLAGS_TRK_MSK, always on), the line keeps their sum, and the
 * line is open at the controller only while it has attachments and the
 * sum is 0. A firing masks the line once for each attachment on it, so
 * each driver unmasks once; an attachment that goes (detach, process
 * exit) takes its masks with it and cannot leave the line shut.
 *
 * Everything runs with interrupts off: kernel calls and the IRQ handler.
 * An IRQ taken in a kernel call's interrupt window (a long copy, msg.c)
 * only masks its line and marks it; the delivery waits for the end of
 * the call, as the timer's expiries do, so no half-written object is
 * touched. Nothing here allocates: an attachment's pulse is its own.
 */
#include <arch/irq.h>
#include <kernel/cpu.h>
#include <kernel/errno.h>
#include <kernel/event.h>
#include <kernel/interrupt.h>
#include <kernel/process.h>
#include <kernel/signal.h>
#include <kernel/string.h>
#include <kernel/thread.h>
#include <kernel/wait.h>

/* What InterruptAttachEvent accepts: END (the attachment's event comes
 * after those already on the line), NO_UNMASK (it starts with one mask),
 * PROCESS and TRK_MSK (what every attachment is here anyway). */
#define FLAGS_OK                                                                                   \
	(_NTO_INTR_FLAGS_END | _NTO_INTR_FLAGS_NO_UNMASK | _NTO_INTR_FLAGS_PROCESS |               \
	 _NTO_INTR_FLAGS_TRK_MSK)

struct attachment {
	int id;                 /* index + 1; 0: free */
	unsigned line;
	unsigned masks;         /* this attachment's mask count */
	struct process *proc;   /* owner: it goes when the process does */
	unsigned thread;	/* the attaching thread (its id), whom events go to */
	struct sigevent ev;
	struct pulse pulse;     /* SIGEV_PULSE's, preallocated */
	struct list line_link;  /* in its line's list */
};

struct line {
	struct list attached;   /* attachments, in delivery order */
	unsigned masks;         /* sum of their mask counts */
	bool open;              /* unmasked at the controller */
};

static struct attachment table[INTR_ATTACH_MAX];
static struct line lines[INTR_LINE_MAX];
static uint64_t deferred[INTR_LINE_MAX / 64]; /* fired in a window */
static unsigned nattached;

static struct line *line_of(unsigned line)
{
	struct line *l = &lines[line];

	if (!l->attached.next)
		list_init(&l->attached);
	return l;
}

/* Open the line at the controller exactly when someone listens and
 * nobody holds it masked. */
static void update(unsigned line)
{
	struct line *l = &lines[line];
	bool open = !list_empty(&l->attached) && !l->masks;

	if (open == l->open)
		return;
	l->open = open;
	if (open)
		arch_irq_line_unmask(line);
	else
		arch_irq_line_mask(line);
}

static bool usable(int line)
{
	return line >= 0 && (unsigned)line < MIN(arch_irq_line_count(), INTR_LINE_MAX) &&
	       arch_irq_line_usable((unsigned)line);
}

int interrupt_attach(unsigned line, const struct sigevent *ev, unsigned flags)
{
	struct thread *self = current_thread();
	struct attachment *a = NULL;
	unsigned mine = 0;

	if (!usable((int)line) || (flags & ~FLAGS_OK))
		return -EINVAL;
	for (unsigned i = 0; i < INTR_ATTACH_MAX; i++) {
		if (!table[i].id && !a)
			a = &table[i];
		else if (table[i].id && table[i].proc == self->proc)
			mine++;
	}
	if (!a || mine >= INTR_PER_PROCESS)
		return -EAGAIN;

	struct line *l = line_of(line);
	memset(a, 0, sizeof(*a));
	a->id = (int)(a - table) + 1;
	a->line = line;
	a->proc = self->proc;
	a->thread = self->id;
	a->ev = *ev;
	a->masks = flags & _NTO_INTR_FLAGS_NO_UNMASK ? 1 : 0;
	l->masks += a->masks;
	if (flags & _NTO_INTR_FLAGS_END)
		list_add_tail(&l->attached, &a->line_link);
	else
		list_add_head(&l->attached, &a->line_link);
	nattached++;
	update(line);
	return a->id;
}

static void release(struct attachment *a)
{
	struct line *l = &lines[a->line];

	list_remove(&a->line_link);
	msg_pulse_withdraw(&a->pulse); /* if still queued */
	l->masks -= a->masks;
	update(a->line);
	a->id = 0;
	nattached--;
}

/* The caller's attachment id: NULL with *err -ESRCH (no such id) or
 * -EPERM (another process's). */
static struct attachment *lookup(int id, int *err)
{
	struct attachment *a = id >= 1 && id <= INTR_ATTACH_MAX ? &table[id - 1] : NULL;

	if (!a || !a->id) {
		*err = -ESRCH;
		return NULL;
	}
	if (a->proc != current_thread()->proc) {
		*err = -EPERM;
		return NULL;
	}
	return a;
}

int interrupt_detach(int id)
{
	int err;
	struct attachment *a = lookup(id, &err);

	if (!a)
		return err;
	release(a);
	return 0;
}

int interrupt_mask(unsigned line, int id, int delta)
{
	struct attachment *a = NULL;
	int err = -ESRCH;

	if (!usable((int)line))
		return -EINVAL;
	if (id == -1) {
		/* No id: the caller's first attachment on the line. */
		struct process *p = current_thread()->proc;
		list_for_each(it, &line_of(line)->attached)
		{
			struct attachment *b = list_entry(it, struct attachment, line_link);
			if (b->proc == p) {
				a = b;
				break;
			}
		}
	} else {
		a = lookup(id, &err);
		if (a && a->line != line)
			return -EINVAL;
	}
	if (!a)
		return err;
	if (delta > 0) {
		a->masks++;
		lines[line].masks++;
	} else if (a->masks) {
		a->masks--;
		lines[line].masks--;
	}
	update(line);
	return (int)a->masks;
}

/* STATE_INTR puts the thread on no queue: nothing to unlink. */
static bool intr_cancel(struct thread *t, int err)
{
	(void)t;
	(void)err;
	return true;
}

long interrupt_wait(void)
{
	struct thread *self = current_thread();

	if (self->intr_pending) {
		self->intr_pending = 0;
		return 0;
	}
	return thread_block(STATE_INTR, NULL, intr_cancel, 0);
}

void interrupt_process_exit(struct process *p)
{
	for (unsigned i = 0; i < INTR_ATTACH_MAX; i++)
		if (table[i].id && table[i].proc == p)
			release(&table[i]);
}

uint64_t interrupt_count(void)
{
	return nattached;
}

/* The line fired: the attachment is masked once more and its event goes
 * to the thread that attached it (if that thread is gone, to nobody:
 * the line stays masked until the process unmasks or detaches). A
 * SIGEV_PULSE still queued from the last firing coalesces (its count
 * goes up). */
static void deliver(struct attachment *a)
{
	struct thread *t = thread_by_id(a->thread);

	a->masks++;
	lines[a->line].masks++;
	if (!t || t->state == STATE_DEAD)
		return;
	if (SIGEV_GET_TYPE(&a->ev) != SIGEV_INTR)
		/* its own pulse: no allocation */
		event_deliver(t, &a->ev, &a->pulse, SI_IRQ, 0);
	else if (t->state == STATE_INTR)
		thread_unblock(t, 0);
	else
		t->intr_pending++;
}

static void fire(unsigned line)
{
	list_for_each(it, &line_of(line)->attached)
		deliver(list_entry(it, struct attachment, line_link));
	update(line);
}

void interrupt_line_fired(unsigned line)
{
	if (line >= INTR_LINE_MAX) {
		arch_irq_line_mask(line);
		return;
	}
	if (this_cpu()->in_window) {
		/* Held at the controller until the call ends. */
		arch_irq_line_mask(line);
		lines[line].open = false;
		deferred[line / 64] |= 1ull << (line % 64);
		this_cpu()->deferred |= DEFER_INTR;
		return;
	}
	fire(line);
}

void interrupt_run_deferred(void)
{
	for (unsigned w = 0; w < ARRAY_SIZE(deferred); w++)
		while (deferred[w]) {
			unsigned bit = (unsigned)__builtin_ctzll(deferred[w]);
			deferred[w] &= deferred[w] - 1;
			fire(w * 64 + bit);
		}
}
