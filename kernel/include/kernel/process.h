/*
 * Processes: an address space and the threads that run in it. The kernel's
 * own threads belong to kernel_process (pid 0, no user address space);
 * proc, the first user process, is pid 1 as in QNX (SYSMGR_PID).
 */
#ifndef KERNEL_PROCESS_H
#define KERNEL_PROCESS_H

#include <arch/user.h>
#include <kernel/cpu.h>
#include <kernel/event.h>
#include <kernel/ipc.h>
#include <kernel/list.h>
#include <kernel/signal.h>
#include <sys/ktypes.h>

#define PROCESS_NAME_MAX 32
#define PID_MAX 4096 /* pids are 1..PID_MAX-1, handed out round robin */

/* Limits on what one process may take of the kernel (README, "Limits").
 * A process with _NTO_ABILITY_PROCMGR (proc) is held only by the machine, and the last
 * PAGES_RESERVED free pages and THREADS_RESERVED thread slots are its
 * alone, so it can always spawn and kill. */
#define THREADS_PER_PROCESS 256 /* QNX's RLIMIT_NTHR: threads, dead unjoined ones too */
#define PAGES_RESERVED 512	/* 2 MiB */
#define THREADS_RESERVED 64
/* Pages one process may hold (user memory, kernel stacks, FP/SIMD areas,
 * IPC tables): this fraction of all pages. */
#define PAGES_PER_PROCESS_DIV 2

struct process {
	int pid;
	char name[PROCESS_NAME_MAX];
	uint64_t root;         /* user translation root; 0 for the kernel */
	unsigned asid;         /* its TLB tag (0: untagged) */
	unsigned shared_tag;   /* asid when other processes may have it too
				  (process_activate checks it), else 0 */
	uint64_t vm_reg;       /* arch_vmspace_reg(root, asid): what a switch
				  to it loads (0 once root is gone) */
	struct list threads;   /* live threads, by thread->proc_link */
	unsigned nthreads;     /* threads not yet freed (dead ones waiting
				  to be joined too) */
	unsigned nlive;        /* threads not DEAD */
	int next_tid;          /* QNX tids count from 1 in each process */
	int exit_status;
	bool exiting;          /* no new threads; the last one out frees it */
	uint64_t abilities;    /* _NTO_ABILITY_* (<sys/ktypes.h>) */
	uint64_t pages;        /* pages charged to it (process_charge) */
	int parent;            /* pid that created it with ProcCreate, or 0 */
	bool zombie;           /* ended; kept until the parent's ProcWait */
	struct thread *child_waiter; /* one of ours blocked in ProcWait */
	struct list zombie_link; /* in the zombie list while a zombie */
	uintptr_t map_cursor;  /* process_map_anywhere hands out below this */
	struct {
		uintptr_t va;
		uint64_t size;
	} map_free[16];        /* ranges it handed out and got back, for reuse */
	unsigned nmap_free;
	unsigned nsyncs;       /* kernel sync objects it made (sync.c) */
	uint64_t user_pages;   /* pages mapped in the user half */
	struct ipc_tables *ipc;	    /* channels and connections: ipc_none's, empty,
				       until the first (a lookup needs no test) */
	struct connection **side;   /* ipc->side (process_set_ipc): a
				       side-channel lookup indexes it with no
				       offset */
	struct event_table *events; /* registered events (on first use) */
	struct itimer *timers[TIMERS_PER_PROCESS]; /* by id - 1 */
	struct list memobjs;   /* memory objects it owns (memobj.c) */
	int next_memobj;       /* the id the next one gets */
	/* Signals (signal.c). */
	bool stopped;          /* SIGSTOP/SIGTSTP: its threads stop on their
				  way out to user mode until SIGCONT */
	bool continued;        /* SIGCONT ended a stop: the first of its threads
				  to run tells the manager */
	uintptr_t sig_stub;    /* libc's trampoline handlers return to */
	uint64_t sig_pending;  /* signals posted to the process */
	struct sig_action sig_act[_SIGMAX];
	struct sig_slot sig_info[_SIGMAX];
};

extern struct process kernel_process;

/* Whether p holds ability id aid (PROCMGR_AID_*). */
static inline bool process_may(const struct process *p, unsigned aid)
{
	return p->abilities >> aid & 1;
}

/* A new process with an empty address space. NULL when out of memory,
 * pids or tags. */
struct process *process_create(const char *name);
/* Whether process_charge(p, n) would succeed now. */
bool process_may_charge(struct process *p, uint64_t n);
/* Charge p for n more pages of kernel or user memory: 0, or -EAGAIN at
 * its limit or the reserve. process_uncharge gives them back. */
int process_charge(struct process *p, uint64_t n);
void process_uncharge(struct process *p, uint64_t n);
/* Map size bytes of zeroed memory at va (page-aligned) with prot
 * (VM_READ/WRITE/EXEC; 0: no user access); 0, -EINVAL (bad range) or
 * -ENOMEM. The pages are charged now and made at first touch
 * (process_fault). */
int process_map(struct process *p, uintptr_t va, uint64_t size, unsigned prot);
/* Map size bytes (page multiple) of zeroed memory at an address the kernel
 * chooses, below a guard page; 0 when out of memory or address space. */
uintptr_t process_map_anywhere(struct process *p, uint64_t size, unsigned prot);
/* Map size bytes (page multiple) of device memory at physical pa,
 * uncached, at an address the kernel chooses (as process_map_anywhere);
 * 0 when out of memory or address space. Unmapping leaves the pages
 * alone: they are not the pmm's. */
uintptr_t process_map_device(struct process *p, uint64_t pa, uint64_t size, unsigned prot);
/* p touched va, which has no page (access: VM_READ, VM_WRITE, VM_EXEC):
 * if it is anonymous memory not made yet and prot allows the access, a
 * zero page is put there (true); false for a real fault. */
bool process_fault(struct process *p, uintptr_t va, unsigned access);
/* Change the protection of [va, va+size) (page-aligned, all of it
 * mapped: else -ENOMEM) to prot (VM_READ/WRITE/EXEC; 0: no access);
 * -EACCES for write or execute access to a memory object's page mapped
 * without it at most (process_map_shared's max). */
int process_protect(struct process *p, uintptr_t va, uint64_t size, unsigned prot);
/* Unmap [va, va+size) and free its pages (those the pmm handed out). */
void process_unmap(struct process *p, uintptr_t va, uint64_t size);
/* The same, and the page tables left with nothing in them go too, so
 * mapping and unmapping ever new addresses (mmap's) leaves nothing
 * behind (munmap). */
void process_munmap(struct process *p, uintptr_t va, uint64_t size);
/* Map the n pages (physical addresses, pmm_alloc_shared's) at va
 * (page-aligned, nothing mapped there; 0: an address the kernel picks,
 * as process_map_anywhere) with prot (VM_*; 0: no user access), each
 * taking a reference (pmm_get) that unmapping drops. max: the VM_WRITE
 * and VM_EXEC process_protect may ever give them (else -EACCES). Returns
 * the address, or -ENOMEM (out of tables or address space, or something
 * mapped in the way). */
long process_map_shared(struct process *p, uintptr_t va, const uint64_t *pages, uint64_t n,
			unsigned prot, unsigned max);
/* Give back a range process_map_anywhere handed out: unmapped, and kept
 * for the next request of the same size (so its page tables serve again
 * instead of new ones being made further down). */
void process_unmap_anywhere(struct process *p, uintptr_t va, uint64_t size);
/* Copy n bytes into p's memory at va, which must be mapped (the loader
 * writes segments and the initial stack this way). 0 or -EFAULT. */
int process_write(struct process *p, uintptr_t va, const void *src, uint64_t n);
/* End the calling thread's process with status: its other threads die at
 * once, then the caller. */
NORETURN void process_exit(int status);
/* End p (not the caller's process) with status: its threads die at once
 * and it is released like any ended process. */
void process_kill(struct process *p, int status);
/* p (proc) is the process manager, serving on chid: each process made
 * from then on starts connected to it (ProcCreate), and its children's
 * ends reach it as _PULSE_CODE_PROCDEATH pulses there. */
void process_set_manager(struct process *p, int chid);
/* The manager's channel (0: none yet), its pid in *pid. */
int process_manager(int *pid);
/* The manager hears of what happens to the processes it made (their
 * end, stop, continuation) by a kernel pulse on its channel: code and
 * value (_PULSE_CODE_PROC* in <sys/ktypes.h>). Nothing when p's parent is
 * not the manager. */
void process_tell_manager(struct process *p, int code, long value);
/* Called when p's last thread is gone: free its memory and tag; a process
 * with a parent stays a zombie (pid and status) until waited for. */
void process_release(struct process *p);
/* The parent's side: take a zombie child (pid -1: any), blocking while
 * the parent has live children but none has ended. Returns its pid and
 * sets *status, or -ECHILD. */
int process_wait(struct process *parent, int pid, int *status);
/* The root each shared address-space tag last ran (one CPU's view), and
 * a tag another root used last made p's (its stale translations
 * dropped). process_tag_limit: process.c's tag_assign. */
extern uint64_t process_tag_root[];
extern unsigned process_tag_limit;
void process_retag(struct process *p);
/* Load p's address space on CPU c (at a switch to one of its threads):
 * inline, every switch between processes makes it. one: c is the only
 * CPU there will be (cpu_count is final before any process runs), whose
 * vm_reg only other CPUs' shootdowns read: not kept. */
static inline __attribute__((always_inline)) void process_activate(struct cpu *c, struct process *p,
								   bool one)
{
	if (p->shared_tag && process_tag_root[p->shared_tag] != p->root)
		process_retag(p);
	if (!one)
		c->vm_reg = p->vm_reg; /* (before the load's memory clobber) */
	arch_vmspace_load(p->vm_reg);
}
/* p's channel chid, or NULL (inline: every message call looks one up).
 * The lookups index with the unsigned value they tested: no widening. */
static inline struct channel *channel_lookup(const struct process *p, int chid)
{
	if ((unsigned)chid >= CHANNELS_MAX) /* (chan[0] is no channel's) */
		return NULL;
	return p->ipc->chan[(unsigned)chid];
}
/* p's IPC tables from now on (and its own pointer to their side
 * channels). */
static inline void process_set_ipc(struct process *p, struct ipc_tables *ipc)
{
	p->ipc = ipc;
	p->side = ipc->side;
}
/* Where p keeps its connection coid (side channels or fd range), or
 * NULL. connect_lookup reads the same slot by the same tests, not through
 * this pointer, which the compiler would test again. */
static inline struct connection **connect_slot(const struct process *p, int coid)
{
	if ((unsigned)coid - COID_SIDE < SIDE_CONNECTIONS_MAX)
		return &p->ipc->side[coid - COID_SIDE];
	if ((unsigned)coid < CONNECTIONS_MAX)
		return &p->ipc->conn[coid];
	return NULL;
}
/* p's connection coid, or NULL (side channels first: name_open's and
 * QNX's advice for ConnectAttach, a message-passing client's usual
 * kind; each range one test). */
static inline struct connection *connect_lookup(const struct process *p, int coid)
{
	/* (COID_SIDE a bit of its own: the side index by XOR, which aarch64
	 * has as one instruction, not a move and an add) */
	_Static_assert(!(COID_SIDE & (COID_SIDE - 1)) && SIDE_CONNECTIONS_MAX <= COID_SIDE,
		       "COID_SIDE ^ coid is coid - COID_SIDE for a side coid");
	if (__builtin_expect(((unsigned)coid ^ COID_SIDE) < SIDE_CONNECTIONS_MAX, 1))
		return p->side[(unsigned)coid ^ COID_SIDE];
	if ((unsigned)coid < CONNECTIONS_MAX)
		return p->ipc->conn[(unsigned)coid];
	return NULL;
}
struct process *process_find(int pid);
uint64_t process_count(void);
/* Call fn for the kernel process and every live user process, in pid order. */
void process_for_each(void (*fn)(struct process *p, void *arg), void *arg);
/* Told (by process_release) that a process ended; pid 1 ending stops the
 * system (kernel/main.c). */
void init_exited(int pid, int status);

#endif
