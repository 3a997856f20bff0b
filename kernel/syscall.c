/*
 * The kernel-call table, generated from include/sys/syscalls.def: entry
 * nr calls sys_Name(args), each sys_*() (kernel/sys_*.c) taking the six raw
 * argument registers and unpacking what it needs. User pointers stay
 * integers in the kernel; only copy_from_user/copy_to_user touch them.
 * Entry points: syscall_dispatch, user_fault (the checked copies are
 * inline in syscall.h).
 */
#include <arch/user.h>
#include <kernel/cpu.h>
#include <kernel/errno.h>
#include <kernel/interrupt.h>
#include <kernel/kprintf.h>
#include <kernel/process.h>
#include <kernel/sched.h>
#include <kernel/signal.h>
#include <kernel/syscall.h>
#include <kernel/thread.h>

#define KCALL0(nr, rt, name) long sys_##name(const uint64_t a[6]);
#define KCALL1(nr, rt, name, ...) KCALL0(nr, rt, name)
#define KCALL2 KCALL1
#define KCALL3 KCALL1
#define KCALL4 KCALL1
#define KCALL5 KCALL1
#define KCALL6 KCALL1
#include <sys/syscalls.def>
#undef KCALL0

#define KCALL0(nr, rt, name) [nr] = sys_##name,
static long (*const table[])(const uint64_t a[6]) = {
#include <sys/syscalls.def>
};

/* Timers and device lines that fired in the call's interrupt windows:
 * their work runs now (out of line: the common call has none). */
static __attribute__((noinline)) void run_deferred(struct cpu *c)
{
	unsigned d = c->deferred;

	c->deferred = 0;
	if (d & DEFER_TIMERS)
		timer_interrupt();
	if (d & DEFER_INTR)
		interrupt_run_deferred();
}

long syscall_dispatch(unsigned long nr, const uint64_t args[6])
{
	long r = nr < ARRAY_SIZE(table) && table[nr] ? table[nr](args) : -ENOSYS;
	struct thread *t = current_thread();

	/* A TimerTimeout lasts for the one kernel call after it. */
	if (t->timeout_fresh)
		t->timeout_fresh = false;
	else
		t->timeout_flags = 0;

	if (this_cpu()->deferred)
		run_deferred(this_cpu());
	/* The end of a kernel call is a switch point. */
	sched_preempt_point();
	return r;
}

void syscall_exit_work(void)
{
	struct cpu *c = this_cpu();

	sched_settle(); /* a client the fast reply held: what follows may pick */
	if (c->deferred)
		run_deferred(c);
	if (c->need_resched)
		sched_preempt_point();
	if (current_thread()->sig_check)
		signal_deliver();
}

void user_fault(int signo, int code, const char *what, uintptr_t pc, uintptr_t addr)
{
	struct thread *t = current_thread();

	if (signal_fault(t, signo, code, addr))
		return;
	user_kill(signo, what, pc, addr);
}

void user_kill(int signo, const char *what, uintptr_t pc, uintptr_t addr)
{
	struct thread *t = current_thread();

	kprintf("pid %d (%s) tid %d: %s at ip 0x%lx, address 0x%lx: killed (signal %d)\n",
		t->proc->pid, t->proc->name, t->tid, what, (unsigned long)pc, (unsigned long)addr,
		signo);
	process_exit(WAIT_SIGNALED(signo));
}
