/*
 * Threads. States and their numbers are QNX's (pidin prints them). A
 * thread's kernel stack holds its saved context while it is not running.
 */
#ifndef KERNEL_THREAD_H
#define KERNEL_THREAD_H

#include <kernel/compiler.h>
#include <kernel/ipc.h>
#include <kernel/list.h>
#include <kernel/signal.h>
#include <kernel/timer.h>
#include <kernel/vm.h>

struct thread;
/* Unlink t from whatever its wait put it on, to end the wait with -err
 * (ETIMEDOUT, EINTR), or for good with err 0 (t is being destroyed: it
 * must then always succeed). false: the wait stays (a REPLY-blocked
 * client of an _NTO_CHF_UNBLOCK channel asks its server instead). */
typedef bool (*wait_cancel_fn)(struct thread *t, int err);

enum thread_state {
	STATE_DEAD = 0,
	STATE_RUNNING = 1,
	STATE_READY = 2,
	STATE_STOPPED = 3,
	STATE_SEND = 4,
	STATE_RECEIVE = 5,
	STATE_REPLY = 6,
	STATE_STACK = 7,
	STATE_WAITTHREAD = 8,
	STATE_WAITPAGE = 9,
	STATE_SIGSUSPEND = 10,
	STATE_SIGWAITINFO = 11,
	STATE_NANOSLEEP = 12,
	STATE_MUTEX = 13,
	STATE_CONDVAR = 14,
	STATE_JOIN = 15,
	STATE_INTR = 16,
	STATE_SEM = 17,
};

/* Scheduling policies (SCHED_*) are QNX's, from <sys/ktypes.h>. */
#define PRIO_IDLE 0
#define PRIO_MAX 255
#define PRIO_DEFAULT 10       /* QNX's default priority */
#define PRIO_UNPRIVILEGED 63 /* the highest without the priority ability */

#define KSTACK_ORDER 2 /* 16 KiB kernel stacks */
#define KSTACK_SIZE (PAGE_SIZE << KSTACK_ORDER)

struct process;

struct thread {
	struct qitem ipc_q;	/* IPC (ipc_wait's): in a channel's send_queue
				   or receivers; in no list in REPLY (never a
				   pulse: ipc_q.pulse stays false). First: a
				   queue's thread is its link, no offset */
	uintptr_t ksp;          /* saved kernel sp while not running */
	struct process *proc;   /* the process it belongs to */
	struct list proc_link;  /* in proc->threads */
	void *fpu;		/* user threads: FP/SIMD save area (slab) */
	uint8_t fpu_recent;	/* ARCH_FPU_LAZY: switch-ins left on which the
				   registers it holds open at once (it used
				   them lately: switch.h's fpu_switch); 0 but
				   for a CPU's fpu_holder */
	uintptr_t kstack_top;	/* the top of its kernel stack (KSTACK_ORDER pages,
				   direct-mapped), which each switch loads */
	int tid;
	uint8_t state;          /* enum thread_state */
	uint8_t resume;		/* blocked with no kernel context: the call
				   msgpath.h's call_end ends (RESUME_*), else
				   0 (beside state: a block stores both at once) */
	uint8_t priority;       /* effective priority (may be boosted) */
	uint8_t base_priority;  /* priority set by create or SchedSet */
	uint8_t policy;         /* SCHED_FIFO, SCHED_RR or SCHED_OTHER */
	uint8_t sliced;		/* 1: it runs on round-robin slices (not
				   SCHED_FIFO; never the idle thread), for
				   switch.h's start_slice: thread_set_policy */
	bool detached;          /* nobody may join; freed at exit */
	bool preempted;         /* was READY-ed by preemption: queue at head */
	bool doomed;            /* ended while running on another CPU: it
				   ends itself at its next kernel entry */
	uint8_t cpu;            /* the CPU it runs or last ran on (cpus[]) */
	uint32_t runmask;       /* the CPUs it may run on, bit n for cpus[n];
				   0: any (QNX's _NTO_TCTL_RUNMASK) */
	uint32_t inherit_mask;  /* the runmask of the threads it creates */
	struct list run_link;   /* in a ready queue while READY */
	uint64_t slice_end;     /* round-robin: when this slice runs out */
	struct ktimer timer;    /* the deadline of the wait it is in */
	void (*entry)(void *);  /* kernel threads: what to run */
	void *arg;
	uintptr_t user_pc;      /* user threads: where to start, */
	uintptr_t user_sp;      /* on which stack, */
	uintptr_t user_arg;     /* with which argument, */
	uintptr_t user_ret;     /* returning where (0: nowhere) */
	uintptr_t user_tp;      /* its user thread pointer (TLS): x86-64 FS base,
				   loaded at switches; aarch64: the first one
				   only (trap frames keep TPIDR_EL0) */
	uintptr_t ustack;       /* a user stack the kernel mapped for it, */
	uint64_t ustack_size;   /* freed with the thread */
	void *exit_value;       /* for the joiner */
	struct thread *joiner;  /* JOIN-blocked on us */
	/* The wait it is blocked in (wait.h): one way in, one way out. */
	int blocked_on;		/* JOIN: the tid or pid it waits for, as pidin
				   shows it (KerInfo finds the other states'
				   from wait_obj); only in a blocked state */
	void *wait_obj;         /* the object it waits on, for its cancel */
	wait_cancel_fn wait_cancel; /* unlinks it from its wait (NULL: running) */
	long wait_result;       /* what the blocking call returns */
	int wait_timeout_err;   /* its deadline's error: ETIMEDOUT, or 0 for
				   a sleep's own end */
	unsigned id;		/* its global slot | the slot's generation << 12
				   (bumped each time the slot is reused): its
				   rcvid and sync id */
	struct ipc_wait ipc;    /* what it waits for in message passing */
	struct list sync_link;  /* MUTEX/CONDVAR/SEM: in the object's waiters */
	uintptr_t sync_va;      /* MUTEX/CONDVAR/SEM: the sync_t's address, for
				   KerInfo */
	struct list sync_held;  /* mutex objects it owns that the kernel knows of */
	uint8_t sync_boost;     /* the priority a mutex's waiters gave it (0: none) */
	/* What keeps a kernel call off the IPC fast path, tested as one
	 * word (call_checks: the rest of it stays zero). */
	union {
		struct {
			uint32_t timeout_flags; /* TimerTimeout: 1 << states the next
						   call times out in */
			bool timeout_fresh;	/* set by the current call: keep it
						   for the next */
			bool sig_check;		/* look at signals on the way out to
						   user mode (signal.c) */
		};
		uint64_t call_checks;
	};
	uint64_t timeout_deadline; /* its deadline (monotonic ns; in the past: at once) */
	unsigned intr_pending;  /* SIGEV_INTR firings since its last InterruptWait */
	/* Signals (signal.c). */
	bool sig_suspended;     /* in or just out of SignalSuspend: sig_saved
				   is the mask to go back to */
	uint64_t sig_blocked;   /* its mask: bit signo - 1 */
	uint64_t sig_pending;   /* signals posted to this thread */
	uint64_t sig_saved;
	bool sig_tls_wait;      /* started at libc's entry: every signal held
				   back until it has its own thread pointer
				   (KerThreadSelf), then sig_tls_mask */
	uint64_t sig_tls_mask;
	uint64_t sig_wait;      /* SIGWAITINFO: the set it waits for */
	char name[_NTO_THREAD_NAME_MAX + 1]; /* _NTO_TCTL_NAME; "" unnamed */
	/* Last: a new thread's are not zeroed (thread.c); each is written
	 * when its signal becomes pending and read only while it is. */
	struct sig_slot sig_info[_SIGMAX]; /* what each pending one carries */
};

/* t's scheduling policy (SCHED_FIFO, SCHED_RR, SCHED_OTHER), and with it
 * whether it runs on round-robin slices. */
static inline void thread_set_policy(struct thread *t, unsigned policy)
{
	t->policy = (uint8_t)policy;
	t->sliced = policy != SCHED_FIFO;
}

#define THREAD_SLOT_BITS 12
#define THREAD_SLOTS	 (1u << THREAD_SLOT_BITS)
_Static_assert(THREAD_SLOT_BITS + 15 < 32, "ids (rcvids) must stay positive");
/* A thread's sync id: what sync_t.__owner holds while it owns a mutex
 * (< 2^27, never 0): its slot and the slot's generation. */
static inline unsigned thread_sync_id(const struct thread *t)
{
	return t->id;
}
/* The global slot an id (thread->id) names. */
static inline unsigned thread_id_slot(unsigned id)
{
	return id & (THREAD_SLOTS - 1);
}
/* The thread whose id (thread->id: its global slot, 1..THREAD_SLOTS-1,
 * and the slot's generation) is id, else NULL (inline: every rcvid is
 * looked up with it). Slot 0 is no thread's (thread.c hands out slots
 * from 1): its entry stays NULL and needs no test of its own. */
extern struct thread *thread_slots[THREAD_SLOTS];
static inline struct thread *thread_by_id(unsigned id)
{
	struct thread *t = thread_slots[thread_id_slot(id)];

	return t && t->id == id ? t : NULL;
}

/* A kernel thread at priority prio and policy; READY at once. NULL when
 * memory is exhausted. */
struct thread *kthread_create(void (*entry)(void *), void *arg, unsigned prio, unsigned policy);
/* A user thread of p starting at pc with stack sp, argument arg and user
 * thread pointer tp; READY at once. NULL when memory is exhausted. */
struct thread *uthread_create(struct process *p, uintptr_t pc, uintptr_t sp, uintptr_t arg,
			      uintptr_t ret, uintptr_t tp, unsigned prio, unsigned policy);
/* End t (another thread, not running) with value: like its own exit, it
 * waits to be joined unless detached. */
void thread_terminate(struct thread *t, void *value);
/* Make t detached; one already dead is freed. 0 or -EINVAL. */
int thread_detach(struct thread *t);
/* Remove t, not running, for good: off its queue or timer; it is freed
 * (process teardown). */
void thread_kill(struct thread *t);
/* The top of t's kernel stack (traps from user mode build their frame
 * there). */
static inline uintptr_t thread_kstack_top(const struct thread *t)
{
	return t->kstack_top;
}
/* End the calling thread with value for its joiner. */
NORETURN void thread_exit(void *value);
/* At a kernel entry from user mode: a thread another CPU ended while it
 * ran (thread_kill, thread_terminate) ends now, before doing anything. */
static inline void thread_check_doomed(struct thread *t)
{
	if (__builtin_expect(t->doomed, 0))
		thread_exit(t->exit_value);
}
/* Wait for t to end and take its exit value; t is freed. The QNX errors:
 * EINVAL detached, EBUSY already joined, EDEADLK self. */
int thread_join(struct thread *t, void **value);
/* Block until the monotonic deadline (state NANOSLEEP): 0, or
 * -ETIMEDOUT when a TimerTimeout ended it first. */
long thread_sleep_until(uint64_t deadline);
/* Live threads, for the counts tests check. */
uint64_t thread_count(void);
/* Run by every thread right after it is switched in: frees a detached
 * thread that died on this CPU (it could not free its own stack). */
void thread_finish_switch(void);
/* Turn the boot context into the boot CPU's idle thread. */
void thread_init_boot(void);
/* For another CPU: a thread structure (the boot CPU takes it for the CPU
 * it starts), then, on that CPU, holding the kernel lock, make its boot
 * context that idle thread t. */
struct thread *thread_idle_alloc(void);
struct cpu;
void thread_init_idle(struct cpu *c, struct thread *t);

#endif
