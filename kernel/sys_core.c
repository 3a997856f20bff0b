/*
 * Kernel calls of general use: early console output, KerInfo, process
 * exit, clocks, sleeping and yielding. Argument checking and copying only;
 * the work is in the objects' files.
 */
#include <arch/console.h>
#include <arch/irq.h>
#include <arch/mmu.h>
#include <arch/timer.h>
#include <kernel/boot.h>
#include <kernel/cpu.h>
#include <kernel/errno.h>
#include <kernel/event.h>
#include <kernel/interrupt.h>
#include <kernel/ipc.h>
#include <kernel/memobj.h>
#include <kernel/pmm.h>
#include <kernel/process.h>
#include <kernel/sched.h>
#include <kernel/string.h>
#include <kernel/sync.h>
#include <kernel/syscall.h>
#include <kernel/thread.h>
#include <kernel/timer.h>
#include <kernel/vm.h>
#include <kernel/wait.h>
#include <sys/kinfo.h>
#include <sys/ktypes.h>

#define CONSOLE_WRITE_MAX 4096


long sys_KerConsoleWrite(const uint64_t a[6])
{
	const char *ubuf = (const char *)(uintptr_t)a[0];
	size_t len = a[1], done = 0;
	char chunk[128];

	if (len > CONSOLE_WRITE_MAX)
		return -EINVAL;
	while (done < len) {
		size_t n = MIN(len - done, sizeof(chunk));
		if (copy_from_user(chunk, ubuf + done, n))
			return done ? (long)done : -EFAULT;
		arch_console_write(chunk, n);
		done += n;
	}
	return (long)done;
}

struct thread_list {
	struct ker_thread_info *ubuf; /* user buffer */
	size_t room;                  /* entries it holds */
	long total;                   /* threads seen */
	int err;
};

/* What blocked thread t waits for, as pidin shows it (kinfo.h): the
 * message states' from their channel (wait_obj, which the wait keeps:
 * the message path writes nothing more), JOIN's from blocked_on; the
 * others none (MUTEX's owner: below). */
static int blocked_on(const struct thread *t)
{
	const struct channel *ch = t->wait_obj;

	switch (t->state) {
	case STATE_SEND:
	case STATE_REPLY:
		return ch->owner->pid;
	case STATE_RECEIVE:
		return ch->chid;
	case STATE_JOIN:
		return t->blocked_on;
	default:
		return 0;
	}
}

static void list_threads(struct process *p, void *arg)
{
	struct thread_list *l = arg;

	list_for_each(it, &p->threads)
	{
		struct thread *t = list_entry(it, struct thread, proc_link);
		if ((size_t)l->total < l->room && !l->err) {
			struct ker_thread_info ti = {
			    .pid = p->pid,
			    .tid = t->tid,
			    .state = t->state,
			    .priority = t->priority,
			    .base_priority = t->base_priority,
			    .policy = t->policy,
			    .blocked_on = blocked_on(t),
			    .wake_ns = t->state == STATE_NANOSLEEP ? t->timer.deadline : 0,
			    .cpu = t->cpu,
			};
			if (t->state == STATE_MUTEX || t->state == STATE_CONDVAR ||
			    t->state == STATE_SEM)
				ti.sync_addr = t->sync_va;
			if (t->state == STATE_MUTEX) { /* the owner now, not at the wait's start */
				struct thread *o = sync_mutex_owner(t);
				ti.blocked_on = o ? o->tid : 0;
				ti.owner_pid = o ? o->proc->pid : 0;
			}
			strlcpy(ti.name, p->name, sizeof(ti.name));
			strlcpy(ti.thread_name, t->name, sizeof(ti.thread_name));
			l->err = copy_to_user(&l->ubuf[l->total], &ti, sizeof(ti));
		}
		l->total++;
	}
}

struct process_list {
	struct ker_process_info *ubuf;
	size_t room;
	long total;
	int err;
};

/* One resident user page into pi's counts, by what maps it. */
static void count_page(pte_t e, int level, void *arg)
{
	struct ker_process_info *pi = arg;

	unsigned prot = arch_pte_prot(e);

	(void)level; /* user leaves are pages */
	if ((e & PTE_SHARED) || (prot & VM_DEVICE))
		pi->shared_pages++;
	else if (prot & VM_EXEC) /* the boot image's text lent to it too */
		pi->code_pages++;
	else if (!pmm_page_allocated(arch_pte_addr(e))) /* the boot image, lent */
		pi->shared_pages++;
	else
		pi->data_pages++;
}

static void list_process(struct process *p, void *arg)
{
	struct process_list *l = arg;

	if ((size_t)l->total < l->room && !l->err) {
		struct ker_process_info pi = {
			.pid = p->pid,
			.parent = p->parent,
			.threads = p->nthreads,
			.charged_pages = p->pages,
		};
		strlcpy(pi.name, p->pid ? p->name : "kernel", sizeof(pi.name));
		if (p->root)
			pt_walk_user(p->root, count_page, &pi);
		l->err = copy_to_user(&l->ubuf[l->total], &pi, sizeof(pi));
	}
	l->total++;
}

long sys_KerInfo(const uint64_t a[6])
{
	int what = (int)a[0];
	void *ubuf = (void *)(uintptr_t)a[1];
	size_t len = a[2];

	switch (what) {
	case KER_INFO_COUNTS: {
		struct ker_info_counts c = {
			.free_pages = pmm_free_pages(),
			.total_pages = pmm_total_pages(),
			.threads = thread_count(),
			.processes = process_count(),
			.pulses = msg_pulse_count(),
			.channels = channel_count(),
			.connections = connection_count(),
			.pulses_dropped = msg_pulses_dropped(),
			.events = event_registered_count(),
			.timers = itimer_count(),
			.interrupts = interrupt_count(),
			.syncs = sync_count(),
			.cpus = cpu_count,
			.memobjs = memobj_count(),
			.boot_ns = arch_timer_ticks_to_ns(kernel_entry_ticks),
			.ipc_fast = ipc_fast_count(),
		};
		if (len < sizeof(c))
			return -EINVAL;
		return copy_to_user(ubuf, &c, sizeof(c)) ? -EFAULT : (long)sizeof(c);
	}
	case KER_INFO_THREADS: {
		struct thread_list l = {ubuf, len / sizeof(struct ker_thread_info), 0, 0};
		process_for_each(list_threads, &l);
		return l.err ? -EFAULT : l.total;
	}
	case KER_INFO_PROCESSES: {
		struct process_list l = {ubuf, len / sizeof(struct ker_process_info), 0, 0};
		process_for_each(list_process, &l);
		return l.err ? -EFAULT : l.total;
	}
	case KER_INFO_CPUS: {
		size_t n = len / sizeof(struct ker_cpu_info);
		for (unsigned i = 0; i < cpu_count && i < n; i++) {
			const struct cpu_stats *s = &cpus[i].stats;
			struct ker_cpu_info ci = {
			    .id = i,
			    .lock_taken = s->lock_taken,
			    .lock_wait_ns = arch_timer_ticks_to_ns(s->lock_wait),
			    .lock_hold_ns = arch_timer_ticks_to_ns(s->lock_hold),
			    .switches = s->switches + s->ipc_fast_switches,
			    .kicks = s->kicks,
			    .shootdowns = s->shootdowns,
			    .idle_ns = arch_timer_ticks_to_ns(s->idle),
			};
			if (copy_to_user((struct ker_cpu_info *)ubuf + i, &ci, sizeof(ci)))
				return -EFAULT;
		}
		return cpu_count;
	}
	case KER_INFO_DEVICES: {
		struct ker_info_devices d = {0};
		arch_irq_devices(&d);
		if (len < sizeof(d))
			return -EINVAL;
		return copy_to_user(ubuf, &d, sizeof(d)) ? -EFAULT : (long)sizeof(d);
	}
	default:
		return -EINVAL;
	}
}

long sys_KerProcExit(const uint64_t a[6])
{
	process_exit(WAIT_EXITED((int)a[0]));
}

long sys_ClockTime(const uint64_t a[6])
{
	int id = (int)a[0];
	const uint64_t *unew = (const uint64_t *)(uintptr_t)a[1];
	uint64_t *uold = (uint64_t *)(uintptr_t)a[2];
	uint64_t now = timer_now_ns(), set;

	if (id != CLOCK_REALTIME && id != CLOCK_MONOTONIC)
		return -EINVAL;
	if (uold) {
		uint64_t v = id == CLOCK_REALTIME ? now + timer_realtime_offset() : now;
		if (copy_to_user(uold, &v, sizeof(v)))
			return -EFAULT;
	}
	if (unew) {
		if (id == CLOCK_MONOTONIC)
			return -EINVAL; /* the monotonic clock cannot be set */
		if (!process_may(current_thread()->proc, PROCMGR_AID_CLOCKSET))
			return -EPERM;
		if (copy_from_user(&set, unew, sizeof(set)))
			return -EFAULT;
		uint64_t was = timer_realtime_offset();
		timer_set_realtime_offset(set - now);
		itimer_clock_set((int64_t)(set - now - was));
	}
	return 0;
}

long sys_ClockNanosleep(const uint64_t a[6])
{
	int id = (int)a[0];
	unsigned flags = (unsigned)a[1];
	const uint64_t *uns = (const uint64_t *)(uintptr_t)a[2];
	uint64_t ns, now = timer_now_ns();

	if (id != CLOCK_REALTIME && id != CLOCK_MONOTONIC)
		return -EINVAL;
	if (flags & ~TIMER_ABSTIME)
		return -EINVAL;
	if (copy_from_user(&ns, uns, sizeof(ns)))
		return -EFAULT;
	return thread_sleep_until(flags & TIMER_ABSTIME ? timer_monotonic_deadline(id, ns)
							: deadline_after(now, ns));
}

long sys_KerNop(const uint64_t a[6])
{
	(void)a;
	return 0;
}

long sys_SchedYield(const uint64_t a[6])
{
	(void)a;
	sched_relinquish();
	return 0;
}
