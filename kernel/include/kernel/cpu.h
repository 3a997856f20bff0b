/*
 * Per-CPU state, reached through this_cpu() (the run queue is shared:
 * sched.c).
 */
#ifndef KERNEL_CPU_H
#define KERNEL_CPU_H

#include <arch/context.h>
#include <kernel/compiler.h>
#include <kernel/list.h>
#include <kernel/timer.h>

#define NPRIO 256
#define CPUS_MAX 8 /* CPUs the kernel will run on; more are left off */

/* What a CPU counts (KerInfo(KER_INFO_CPUS); the kernel lock's fields
 * only while it is on). Times in the clock's raw ticks (arch_timer_ticks:
 * a register read), converted when asked for. */
struct cpu_stats {
	uint64_t lock_taken, lock_wait, lock_hold;
	uint64_t lock_since; /* when this CPU got the lock */
	uint64_t switches, kicks, shootdowns, idle;
	uint64_t ipc_fast;	    /* kernel calls the IPC fast path took without a
				       switch of its own (ipc_fast_count) */
	uint64_t ipc_fast_switches; /* those that switched threads: each a
				       fast call and a switch (switch.h) */
	uint64_t idle_since; /* when the idle thread began its wait */
};

struct cpu {
	struct cpu *self;        /* first: the arch reads it with one load */
	/* The next two are used by arch code at fixed offsets. */
	uintptr_t kstack_top;    /* +8: kernel stack of the running user thread */
	uintptr_t scratch;       /* +16: the user sp while the entry switches stacks */
#ifdef ARCH_CPU_WORDS
	uint64_t arch[ARCH_CPU_WORDS]; /* +24: the arch's (arch-inline.h) */
#endif
	unsigned id;             /* 0: the boot CPU; then in bring-up order */
	bool online;             /* it has come up (smp.c) */
	struct thread *current;  /* the thread running here */
	struct thread *idle;     /* runs when nothing else is READY */
	/* The work at the end of a kernel call, tested as one (exit_work). */
	union {
		struct {
			bool need_resched; /* a switch is due at the next safe point */
			uint8_t deferred;  /* DEFER_*: what interrupts in a window
					      (in_window) left for the end of
					      the call */
		};
		uint16_t exit_work;
	};
	int claim;               /* the priority a kick promised it, or -1
				    (sched.c) */
	int rq_top;		 /* cpus[0]'s alone: the run queue's top
				    (sched.h's struct runqueue) */
	uint32_t kicks;          /* CPUs this one kicked, to tell by IPI */
	bool slice_expired;      /* the running thread used up its RR slice */
	struct ktimer slice;     /* ends the running thread's RR slice */
	struct thread *reap;     /* a detached thread that just died here */
	struct thread *held;	 /* one CPU: a READY thread not yet on the run
				    queue (sched.h's sched_hold) */
	uint16_t held_from;	 /* the lowest priority of a READY thread that
				    runs before it: its own (it goes behind its
				    equals) or, preempted (at their head), the
				    next */
	bool in_window;		 /* a kernel call has interrupts open for a
				    moment (long copies): timer work waits
				    until the call ends (deferred) */
	uint64_t vm_reg;	 /* several CPUs: the user address space
				    loaded here, its process's vm_reg (0:
				    none), for shootdowns */
	struct thread *fpu_holder; /* ARCH_FPU_LAZY: the thread whose FP/SIMD
				      state the registers hold (NULL: none) */
	bool fpu_off;		 /* ... and access to them is off */
	uint64_t tlb_reg;	 /* another CPU asks: drop what we cached of
				    this address space (smp_tlb_shootdown) */
	bool tlb_drop;           /* ... and stop using them: they go */
	struct cpu_stats stats;
};

/* Every CPU's state, cpus[0] the boot CPU's; cpu_count of them online
 * (smp.c). */
extern struct cpu cpus[CPUS_MAX];
extern unsigned cpu_count;

/* Bring up the other CPUs (at most the command line's "cpus=N" in all),
 * each printing a line as it comes up. */
void smp_init(const char *cmdline);
/* Wait up to ms for CPU c, being started by the arch, to say it is up
 * (smp_cpu_up); false if it has not. */
bool smp_came_up(struct cpu *c, uint64_t ms);
/* A new CPU, set up by its arch code, says it is here and becomes its
 * idle thread (smp.c). */
NORETURN void smp_cpu_up(struct cpu *c);
/* A CPU waiting for the kernel lock: answer what other CPUs ask of it
 * meanwhile (klock.c). */
void smp_poll(void);
/* The translations of the address space vm_reg (a process's) changed
 * (or, drop, its tables are about to be freed): every other CPU that has
 * it loaded flushes them (drop: loads none instead) before this returns.
 * The caller has flushed its own. */
void smp_tlb_shootdown(uint64_t vm_reg, bool drop);
/* A shootdown request came (the arch's IPI, or smp_poll): answer it. */
void smp_tlb_answer(void);

#define DEFER_TIMERS 1 /* the timer fired */
#define DEFER_INTR 2   /* a device line fired (interrupt.c) */

static inline struct cpu *this_cpu(void)
{
	return arch_this_cpu();
}

static inline struct thread *current_thread(void)
{
	return arch_this_cpu()->current;
}

#endif
