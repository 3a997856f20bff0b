/*
 * The structures and constants kernel calls take, with QNX Neutrino's
 * names, values and layout: declarations only, no functions, so the kernel
 * can include this too (kernel/sys_*.c reading a struct _thread_attr or a
 * struct sched_param). Programs get it through <time.h>, <sched.h> and
 * <sys/neutrino.h>.
 */
#ifndef _SYS_KTYPES_H_INCLUDED
#define _SYS_KTYPES_H_INCLUDED

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* --- time ------------------------------------------------------------------ */

struct timespec {
	time_t tv_sec; /* seconds */
	long tv_nsec;  /* nanoseconds, 0..999999999 */
};

/* Clock ids (ClockTime, ClockNanosleep, clock_gettime, ...). */
#define CLOCK_REALTIME		 0
#define CLOCK_SOFTTIME		 1
#define CLOCK_MONOTONIC		 2
#define CLOCK_PROCESS_CPUTIME_ID 3
#define CLOCK_THREAD_CPUTIME_ID	 4

/* ClockNanosleep / clock_nanosleep flag: the time is absolute. */
#define TIMER_ABSTIME 0x80000000

/* --- scheduling ------------------------------------------------------------ */

/* Policies. Priorities run 0..255: 0 is the idle thread's, 1..255 are
 * for threads. */
#define SCHED_NOCHANGE	0 /* SchedSet: keep the policy */
#define SCHED_FIFO	1
#define SCHED_RR	2
#define SCHED_OTHER	3 /* the default; round-robin, as QNX does it */
#define SCHED_SPORADIC	4
#define SCHED_ADJTOHEAD 5
#define SCHED_ADJTOTAIL 6
#define SCHED_MAXPOLICY 7

struct sched_param {
	int32_t sched_priority;	   /* the priority asked for */
	int32_t sched_curpriority; /* SchedGet: the priority running now
				      (may be boosted by inheritance) */
	union {
		int32_t reserved[8];
		struct {
			int32_t __ss_low_priority;
			int32_t __ss_max_repl;
			struct timespec __ss_repl_period;
			struct timespec __ss_init_budget;
		} __ss; /* SCHED_SPORADIC parameters */
	} __ss_un;
};
#define sched_ss_low_priority __ss_un.__ss.__ss_low_priority
#define sched_ss_max_repl     __ss_un.__ss.__ss_max_repl
#define sched_ss_repl_period  __ss_un.__ss.__ss_repl_period
#define sched_ss_init_budget  __ss_un.__ss.__ss_init_budget

/* --- threads --------------------------------------------------------------- */

/*
 * Thread creation attributes (QNX's pthread_attr_t), as ThreadCreate()
 * reads them (kernel/sys_thread.c):
 *   __flags      PTHREAD_CREATE_DETACHED (no join; reaped at exit) and
 *                PTHREAD_EXPLICIT_SCHED (use __policy and __param, else
 *                inherit the creator's); other bits are ignored for now
 *   __stackaddr  lowest address of the new thread's stack, which is
 *                __stacksize bytes; the thread starts with its stack
 *                pointer at the top, aligned down to 16. NULL: the kernel
 *                maps a stack of __stacksize bytes (0: its default) and
 *                frees it with the thread
 *   __exitfunc   where func returns to, as in QNX: the thread starts as
 *                if called from there (x86-64: the address pushed, rsp +
 *                8 16-aligned; aarch64: in x30), so "return v" from func
 *                lands in __exitfunc (the value in x0 on aarch64, but in
 *                rax, not the argument register, on x86-64). NULL: libc's
 *                ThreadCreate supplies its own, which ends the thread
 *                with ThreadDestroy(0, -1, v), for a thread in the
 *                caller's process; in another process the thread gets
 *                none and starts with its stack pointer at the top (the
 *                process-entry layout proc's loader uses): a return faults
 *   __policy     SCHED_FIFO, SCHED_RR or SCHED_OTHER
 *   __param      sched_priority only
 * The other fields are for libc's pthreads. A NULL attr means: joinable,
 * inherited scheduling, a kernel-mapped stack of the default size.
 */
struct _thread_attr {
	int __flags;
	size_t __stacksize;
	void *__stackaddr;
	void (*__exitfunc)(void *__status);
	int __policy;
	struct sched_param __param;
	unsigned __guardsize;
	unsigned __prealloc;
	int __spare[2];
};

/* __flags values (QNX's; <pthread.h> will define them too). */
#define PTHREAD_DETACHSTATE_MASK     0x01
#define PTHREAD_CREATE_JOINABLE	     0x00
#define PTHREAD_CREATE_DETACHED	     0x01
#define PTHREAD_INHERITSCHED_MASK    0x02
#define PTHREAD_INHERIT_SCHED	     0x00
#define PTHREAD_EXPLICIT_SCHED	     0x02
#define PTHREAD_CONTENTIONSCOPE_MASK 0x04
#define PTHREAD_SCOPE_SYSTEM	     0x00
#define PTHREAD_SCOPE_PROCESS	     0x04
#define PTHREAD_MULTISIG_MASK	     0x08
#define PTHREAD_MULTISIG_ALLOW	     0x00
#define PTHREAD_MULTISIG_DISALLOW    0x08
#define PTHREAD_NOTLAZYSTACK_MASK    0x80
#define PTHREAD_STACK_LAZY	     0x00
#define PTHREAD_STACK_NOTLAZY	     0x80

/* --- Synchronisation objects (kernel/sync.c, libc/pthread.c) ------------- */

/*
 * QNX's sync_t: the user-memory word pair every mutex, condition variable
 * and semaphore is. The uncontended cases are atomic operations on it in
 * user space; the kernel (Sync* calls) is entered only to wait or wake,
 * and finds its object by the physical address of the sync_t, so one
 * sync_t mapped into two processes is one object.
 *   mutex:    __owner 0 (free) or the owner's sync id (KerThreadSelf) |
 *             _NTO_SYNC_WAITING while threads wait; __count: type flags
 *             (_NTO_SYNC_NONRECURSIVE, ...) and the recursion count
 *   condvar:  __owner _NTO_SYNC_COND; __count: waiters (low 24 bits, the
 *             kernel's) | clock id << 24
 *   semaphore: __owner _NTO_SYNC_SEM; __count: value |
 *             _NTO_SYNC_SEM_WAITING while threads wait
 * Values of the special owners are Muon's (QNX keeps them private).
 */
typedef struct _sync {
	int __count;
	unsigned __owner;
} sync_t;

struct _sync_attr {
	int __protocol;	   /* PTHREAD_PRIO_INHERIT (default) or PTHREAD_PRIO_NONE */
	int __flags;	   /* _NTO_SYNC_ATTR_ROBUST */
	int __prioceiling; /* unused */
	int __clockid;	   /* condvars: CLOCK_REALTIME or CLOCK_MONOTONIC */
	int __spare[4];
};
#define _NTO_SYNC_ATTR_ROBUST 0x1

/* __count flags of a mutex (QNX's names). */
#define _NTO_SYNC_NONRECURSIVE 0x80000000u /* relock: EDEADLK or deadlock */
#define _NTO_SYNC_NOERRORCHECK 0x40000000u /* relock deadlocks; no owner checks */
#define _NTO_SYNC_PRIO_CEILING 0x20000000u
#define _NTO_SYNC_PRIO_NONE    0x10000000u /* no priority inheritance */
#define _NTO_SYNC_KERNEL       0x08000000u /* Muon: robust, or has a SyncMutexEvent:
					      lock and unlock always in the kernel */
#define _NTO_SYNC_COUNTMASK    0x07ffffffu /* recursion count */
/* __owner values. */
#define _NTO_SYNC_MUTEX_FREE   0x00000000u
#define _NTO_SYNC_WAITING      0x80000000u
#define _NTO_SYNC_OWNER_MASK   0x7fffffffu
#define _NTO_SYNC_INITIALIZER  0xffffffffu /* static initializer: a free mutex */
#define _NTO_SYNC_DESTROYED    0xfffffffeu
#define _NTO_SYNC_COND	       0xfffffffdu
#define _NTO_SYNC_SEM	       0xfffffffcu
#define _NTO_SYNC_DEAD	       0xffffff00u /* owner died; SyncMutexRevive */
#define _NTO_SYNC_SEM_WAITING  0x80000000u /* semaphore __count */
#define _NTO_SYNC_SEM_VALUE    0x7fffffffu
#define _NTO_SYNC_COND_WAITERS 0x00ffffffu

/* Mutex protocols (<pthread.h>). */
#define PTHREAD_PRIO_INHERIT 0
#define PTHREAD_PRIO_NONE    1
#define PTHREAD_PRIO_PROTECT 2

/* --- Message passing (QNX Neutrino 7.x, 64-bit layouts) ------------------ */

/* One part of a message: IOV parts are one logical byte stream. */
typedef struct iovec {
	void *iov_base;
	size_t iov_len;
} iov_t;
#define SETIOV(_iov, _addr, _len)                                                                  \
	((_iov)->iov_base = (void *)(_addr), (_iov)->iov_len = (size_t)(_len))
#define GETIOVBASE(_iov) ((_iov)->iov_base)
#define GETIOVLEN(_iov) ((_iov)->iov_len)

union sigval {
	int sival_int;
	void *sival_ptr;
};

/* ChannelCreate flags */
#define _NTO_CHF_FIXED_PRIORITY 0x0001
#define _NTO_CHF_UNBLOCK 0x0002
#define _NTO_CHF_THREAD_DEATH 0x0004
#define _NTO_CHF_DISCONNECT 0x0008
#define _NTO_CHF_NET_MSG 0x0010
#define _NTO_CHF_SENDER_LEN 0x0020
#define _NTO_CHF_COID_DISCONNECT 0x0040
#define _NTO_CHF_REPLY_LEN 0x0080
#define _NTO_CHF_PRIVATE 0x1000

/* ConnectAttach */
#define _NTO_SIDE_CHANNEL 0x40000000 /* index: side-channel coids start here */
#define _NTO_COF_CLOEXEC 0x0001
#define _NTO_COF_NOEVENT 0x0800	   /* servers may deliver us no event through it */
#define _NTO_COF_REG_EVENTS 0x2000 /* only events we registered (MsgRegisterEvent) */
#define ND_LOCAL_NODE 0
/* proc, the process manager: its pid, its channel, and the side-channel
 * connection to it every process has from its first instruction. */
#define SYSMGR_PID 1
#define SYSMGR_CHID 1
#define SYSMGR_COID _NTO_SIDE_CHANNEL
/* namesrv (name_attach, name_open: <sys/namemsg.h>): the side-channel
 * connection to it proc gives every process it spawns once namesrv
 * runs (ProcConnectAttach); absent in a process started otherwise. */
#define NAMESRV_COID (_NTO_SIDE_CHANNEL + 1)

/* KerMsgReceivev flags: take only pulses (MsgReceivePulse). */
#define KER_MSG_PULSE_ONLY 1

/* What MsgReceive*() and MsgInfo() report about a message's sender. */
struct _msg_info {
	uint32_t nd;       /* node of the receiver (0: local) */
	uint32_t srcnd;    /* node of the sender as the receiver names it */
	pid_t pid;         /* sender's process */
	int32_t tid;       /* sender's thread */
	int32_t chid;      /* channel it arrived on */
	int32_t scoid;     /* server connection id */
	int32_t coid;      /* the sender's connection id */
	int32_t priority;  /* sender's priority */
	int32_t flags;     /* _NTO_MI_* */
	ssize_t msglen;    /* bytes received */
	ssize_t srcmsglen; /* bytes the sender sent */
	ssize_t dstmsglen; /* bytes the sender can take in the reply */
};
#define _NTO_MI_ENDIAN_BIG 0x0001
#define _NTO_MI_ENDIAN_DIFF 0x0002
#define _NTO_MI_UNBLOCK_REQ 0x0100

/* A pulse as MsgReceive*() delivers it (rcvid 0). */
struct _pulse {
	uint16_t type;
	uint16_t subtype;
	int8_t code;
	uint8_t zero[3];
	union sigval value;
	int32_t scoid;
};
#define _PULSE_TYPE 0
#define _PULSE_SUBTYPE 0
#define _PULSE_CODE_UNBLOCK (-32)     /* value: the rcvid */
#define _PULSE_CODE_DISCONNECT (-33)  /* scoid: the client's */
#define _PULSE_CODE_THREADDEATH (-34) /* value: the tid */
#define _PULSE_CODE_COIDDEATH (-35)   /* value: the coid */
/* Muon: to proc's channel (KerProcManager), a process proc made ended
 * (value: its pid); ProcWait collects it. */
#define _PULSE_CODE_PROCDEATH (-64)
/* Muon: to proc's channel, a process proc made stopped (value: its pid
 * | the stopping signal << 16) or was continued by SIGCONT (value: its
 * pid). */
#define _PULSE_CODE_PROCSTOP (-65)
#define _PULSE_CODE_PROCCONT (-66)
#define _PULSE_CODE_MINAVAIL 0
#define _PULSE_CODE_MAXAVAIL 127

/* ConnectClientInfo */
struct _cred_info {
	uint32_t ruid, euid, suid, rgid, egid, sgid;
	uint32_t ngroups;
	uint32_t grouplist[8];
};
struct _client_info {
	uint32_t nd;
	pid_t pid;
	pid_t sid;
	uint32_t flags;
	struct _cred_info cred;
};

/* ConnectServerInfo: what a connection reaches (QNX's layout). pid 0 and
 * chid -1 once its channel is gone; flags are the connection's _NTO_COF_*. */
struct _server_info {
	uint32_t nd;
	uint32_t srcnd;
	pid_t pid;
	int32_t tid;
	int32_t chid;
	int32_t scoid;
	int32_t coid;
	int32_t msglen;
	int32_t srcmsglen;
	int32_t dstmsglen;
	int16_t priority;
	int16_t flags;
	uint32_t reserved;
};

/* --- Abilities ---------------------------------------------------------------- */

/* What a process may do beyond the ordinary: a set of QNX's ability ids
 * (procmgr_ability(), <sys/procmgr.h>), bit n of the set being id n. The
 * first process has them all; the processes proc spawns inherit their
 * spawner's (or those it names), and any process may drop its own. The
 * ids Muon checks: */
#define PROCMGR_AID_MEM_PHYS 16u	   /* map device memory (KerMapDevice) */
#define PROCMGR_AID_MEM_PEER 19u	   /* other processes' memory (KerMem*, ProcMem*) */
#define PROCMGR_AID_SPAWN 21u		   /* spawn processes (proc's _PROC_SPAWN) */
#define PROCMGR_AID_CLOCKSET 27u	   /* set CLOCK_REALTIME */
#define PROCMGR_AID_INTERRUPT 29u	   /* attach, mask and unmask interrupts */
#define PROCMGR_AID_IO 31u		   /* I/O privilege (ThreadCtl _NTO_TCTL_IO) */
#define PROCMGR_AID_PRIORITY 33u	   /* priorities above 63 */
#define PROCMGR_AID_SCHEDULE 35u	   /* SchedSet on another process's threads */
#define PROCMGR_AID_SIGNAL 36u		   /* signal processes other than our children */
#define PROCMGR_AID_PUBLIC_CHANNEL 44u	   /* ChannelCreate without _NTO_CHF_PRIVATE */
#define PROCMGR_AID_XPROCESS_QUERY 50u	   /* read another process's state */
/* Muon's own: the kernel's process-manager calls (ProcCreate, ProcWait,
 * ProcDestroy, KerProcManager, setting another's abilities), si_code
 * above 0, and room beyond the per-process limits. Only the first
 * process has it; proc never passes it on. */
#define PROCMGR_AID_PROCMGR 63u

#define _NTO_ABILITY(aid) ((uint64_t)1 << (aid))
#define _NTO_ABILITY_MEM_PHYS _NTO_ABILITY(PROCMGR_AID_MEM_PHYS)
#define _NTO_ABILITY_MEM_PEER _NTO_ABILITY(PROCMGR_AID_MEM_PEER)
#define _NTO_ABILITY_SPAWN _NTO_ABILITY(PROCMGR_AID_SPAWN)
#define _NTO_ABILITY_CLOCKSET _NTO_ABILITY(PROCMGR_AID_CLOCKSET)
#define _NTO_ABILITY_INTERRUPT _NTO_ABILITY(PROCMGR_AID_INTERRUPT)
#define _NTO_ABILITY_IO _NTO_ABILITY(PROCMGR_AID_IO)
#define _NTO_ABILITY_PRIORITY _NTO_ABILITY(PROCMGR_AID_PRIORITY)
#define _NTO_ABILITY_SCHEDULE _NTO_ABILITY(PROCMGR_AID_SCHEDULE)
#define _NTO_ABILITY_SIGNAL _NTO_ABILITY(PROCMGR_AID_SIGNAL)
#define _NTO_ABILITY_PUBLIC_CHANNEL _NTO_ABILITY(PROCMGR_AID_PUBLIC_CHANNEL)
#define _NTO_ABILITY_XPROCESS_QUERY _NTO_ABILITY(PROCMGR_AID_XPROCESS_QUERY)
#define _NTO_ABILITY_PROCMGR _NTO_ABILITY(PROCMGR_AID_PROCMGR)
#define _NTO_ABILITY_ALL (~(uint64_t)0)

/* --- Interrupts and thread control ----------------------------------------- */

/* InterruptAttachEvent flags (QNX's values). */
#define _NTO_INTR_FLAGS_END 0x01       /* deliver after the line's other events */
#define _NTO_INTR_FLAGS_NO_UNMASK 0x02 /* the attachment starts masked once */
#define _NTO_INTR_FLAGS_PROCESS 0x04   /* owned by the process (always so here) */
#define _NTO_INTR_FLAGS_TRK_MSK 0x08   /* mask counts per attachment (always so here) */

/* ThreadCtl commands (QNX's values). Runmasks: bit n is CPU n. */
#define _NTO_TCTL_RUNMASK 4 /* data: the calling thread's runmask itself */
#define _NTO_TCTL_RUNMASK_GET_AND_SET 6 /* data: unsigned *, in: the new mask
					   (0: no change), out: the old */
#define _NTO_TCTL_RUNMASK_GET_AND_SET_INHERIT 10 /* data: struct
					   _thread_runmask (0 masks: no change) */
#define _NTO_TCTL_NAME 11 /* data: struct _thread_name */
#define _NTO_TCTL_IO 14 /* I/O privilege for the calling thread */

/* _NTO_TCTL_NAME's data: name_buf_len bytes of buffer follow the two
 * counts. new_name_len > 0: the thread's name becomes that many bytes of
 * name_buf; 0: it loses its name; -1: it keeps it. Either way the name it
 * had comes back in name_buf, NUL-terminated and cut to name_buf_len. */
#define _NTO_THREAD_NAME_MAX 100
struct _thread_name {
	int new_name_len;
	int name_buf_len;
	char name_buf[1];
};

/* _NTO_TCTL_RUNMASK_GET_AND_SET_INHERIT's data: size words of runmask,
 * then size words of inherit mask (the runmask of threads the caller
 * creates); Muon's CPUs fit in one word, so size is 1 (RMSK_SIZE). */
#define RMSK_SIZE(ncpus) (((ncpus) + 31) / 32)
struct _thread_runmask {
	int size;
	unsigned runmask[1];
	unsigned inherit_mask[1];
};

/* --- Events and kernel timeouts ---------------------------------------------- */

struct sigevent {
	int sigev_notify; /* SIGEV_* type in the low byte, SIGEV_FLAG_* above */
	union {
		int __sigev_signo;
		int __sigev_coid;
		int __sigev_id;
		void (*__sigev_notify_function)(union sigval);
		unsigned __sigev_handle; /* SIGEV_FLAG_HANDLE: MsgRegisterEvent's */
	} __sigev_un1;
	union sigval sigev_value;
	union {
		struct {
			short __sigev_code;
			short __sigev_priority;
		} __st;
		void *__sigev_notify_attributes;
	} __sigev_un2;
};
#define sigev_signo __sigev_un1.__sigev_signo
#define sigev_coid __sigev_un1.__sigev_coid
#define sigev_id __sigev_un1.__sigev_id
#define sigev_notify_function __sigev_un1.__sigev_notify_function
#define sigev_handle __sigev_un1.__sigev_handle
#define sigev_code __sigev_un2.__st.__sigev_code
#define sigev_priority __sigev_un2.__st.__sigev_priority
#define sigev_notify_attributes __sigev_un2.__sigev_notify_attributes

#define SIGEV_NONE 0
#define SIGEV_SIGNAL 1
#define SIGEV_SIGNAL_CODE 2
#define SIGEV_SIGNAL_THREAD 3
#define SIGEV_PULSE 4
#define SIGEV_UNBLOCK 5
#define SIGEV_INTR 6
#define SIGEV_THREAD 7
#define SIGEV_TYPE_MASK 0x000000ff
#define SIGEV_FLAG_UPDATEABLE 0x00000400 /* the server may set the value */
#define SIGEV_FLAG_HANDLE 0x00002000     /* a registered event's handle */
#define SIGEV_INVALID_HANDLE 0xffffffffu
#define SIGEV_PULSE_PRIO_INHERIT (-1)
#define SIGEV_GET_TYPE(__e) ((__e)->sigev_notify & SIGEV_TYPE_MASK)
#define SIGEV_NONE_INIT(__e) ((__e)->sigev_notify = SIGEV_NONE)
#define SIGEV_UNBLOCK_INIT(__e) ((__e)->sigev_notify = SIGEV_UNBLOCK)
#define SIGEV_INTR_INIT(__e) ((__e)->sigev_notify = SIGEV_INTR)
#define SIGEV_PULSE_INIT(__e, __coid, __prio, __code, __val)                                      \
	((__e)->sigev_notify = SIGEV_PULSE, (__e)->sigev_coid = (__coid),                          \
	 (__e)->sigev_priority = (short)(__prio), (__e)->sigev_code = (short)(__code),              \
	 (__e)->sigev_value.sival_ptr = (void *)(intptr_t)(__val))
#define SIGEV_SIGNAL_INIT(__e, __signo)                                                            \
	((__e)->sigev_notify = SIGEV_SIGNAL, (__e)->sigev_signo = (__signo))
#define SIGEV_SIGNAL_VALUE_INIT(__e, __signo, __val)                                               \
	((__e)->sigev_notify = SIGEV_SIGNAL, (__e)->sigev_signo = (__signo),                       \
	 (__e)->sigev_value.sival_ptr = (void *)(intptr_t)(__val))
#define SIGEV_SIGNAL_CODE_INIT(__e, __signo, __val, __code)                                       \
	((__e)->sigev_notify = SIGEV_SIGNAL_CODE, (__e)->sigev_signo = (__signo),                  \
	 (__e)->sigev_value.sival_ptr = (void *)(intptr_t)(__val), (__e)->sigev_code = (short)(__code))
#define SIGEV_SIGNAL_THREAD_INIT(__e, __signo, __val, __code)                                     \
	((__e)->sigev_notify = SIGEV_SIGNAL_THREAD, (__e)->sigev_signo = (__signo),                \
	 (__e)->sigev_value.sival_ptr = (void *)(intptr_t)(__val), (__e)->sigev_code = (short)(__code))
#define SIGEV_MAKE_UPDATEABLE(__e) ((__e)->sigev_notify |= SIGEV_FLAG_UPDATEABLE)

/* KerMemObjMap's request: map [offset, offset+len) of one of the
 * caller's memory objects into process pid (0: the caller) at addr
 * (with MAP_FIXED) or where the kernel picks (flags 0), with prot
 * (PROT_*), which must be within maxprot (EACCES); mprotect can never
 * make the mapping writable or executable beyond maxprot either. */
struct _memobj_map {
	uint64_t offset; /* page-aligned */
	uint64_t len;	 /* rounded up to pages */
	uint64_t addr;	 /* MAP_FIXED only: page-aligned */
	int32_t pid;
	int32_t prot;
	int32_t maxprot;
	int32_t flags; /* 0 or MAP_FIXED */
};

/* Timers (TimerCreate, TimerSettime, TimerInfo): times in nanoseconds. */
struct _itimer {
	uint64_t nsec;		/* first expiry (0 in TimerSettime: disarm) */
	uint64_t interval_nsec; /* then every this often (0: once) */
};
struct _timer_info {
	struct _itimer itime; /* the next expiry (absolute, on its clock), interval */
	struct _itimer otime; /* time left to it, interval */
	uint32_t flags;       /* _NTO_TI_* */
	int32_t tid;	      /* the thread that created it */
	int32_t notify;	      /* its event's sigev_notify */
	clockid_t clockid;
	uint32_t overruns;    /* expiries while its last event was pending */
	struct sigevent event;
};
#define _NTO_TI_ACTIVE 0x0001
#define _NTO_TI_ABSOLUTE 0x0002
#define _NTO_TI_EXPIRED 0x0004
#define _NTO_TI_TOD_BASED 0x0008
/* TimerInfo flags */
#define _NTO_TIMER_SEARCH 0x0001	 /* the first timer with an id >= the one given */
#define _NTO_TIMER_RESET_OVERRUNS 0x0002 /* and zero its overrun count */

/* TimerTimeout flags: 1 << the state the timeout applies to (pidin's
 * numbering), every blocking state QNX lists. */
#define _NTO_TIMEOUT_SEND (1 << 4)
#define _NTO_TIMEOUT_RECEIVE (1 << 5)
#define _NTO_TIMEOUT_REPLY (1 << 6)
#define _NTO_TIMEOUT_SIGSUSPEND (1 << 10)
#define _NTO_TIMEOUT_SIGWAITINFO (1 << 11)
#define _NTO_TIMEOUT_NANOSLEEP (1 << 12)
#define _NTO_TIMEOUT_MUTEX (1 << 13)
#define _NTO_TIMEOUT_CONDVAR (1 << 14)
#define _NTO_TIMEOUT_JOIN (1 << 15)
#define _NTO_TIMEOUT_INTR (1 << 16)
#define _NTO_TIMEOUT_SEM (1 << 17)

#endif
