/*
 * KerInfo(what, buf, len): what the kernel tells about itself. Shared by
 * the kernel, libc, pidin and the tests.
 */
#ifndef SYS_KINFO_H
#define SYS_KINFO_H

#include <stdint.h>
#include <sys/ktypes.h>

#define KER_INFO_COUNTS 1  /* struct ker_info_counts */
#define KER_INFO_THREADS 2 /* struct ker_thread_info[]: what pidin prints */
#define KER_INFO_DEVICES 3 /* struct ker_info_devices */
#define KER_INFO_CPUS 4    /* struct ker_cpu_info[]: one per CPU running */
#define KER_INFO_PROCESSES 5 /* struct ker_process_info[]: pidin mem */

/* Object and page counts, for tests that check a workload leaks nothing. */
struct ker_info_counts {
	uint64_t free_pages;  /* pages the page allocator can hand out now */
	uint64_t total_pages; /* pages it manages */
	uint64_t threads;     /* live threads, kernel and user */
	uint64_t processes;   /* live user processes */
	uint64_t pulses;      /* pulses queued on channels */
	uint64_t channels;    /* channels, destroyed ones still named by a
				 connection too */
	uint64_t connections; /* connections */
	uint64_t pulses_dropped; /* kernel pulses dropped at a channel's
				    allowance, since boot */
	uint64_t events;      /* registered events (MsgRegisterEvent) */
	uint64_t timers;      /* timers (TimerCreate) */
	uint64_t interrupts;  /* interrupt attachments */
	uint64_t syncs;       /* kernel sync objects (waited on, robust, with an event) */
	uint64_t cpus;        /* CPUs running */
	uint64_t memobjs;     /* memory objects (KerMemObjCreate) */
	uint64_t boot_ns;     /* CLOCK_MONOTONIC when the kernel was entered
				 (the clock counts from the machine's reset) */
	uint64_t ipc_fast;    /* kernel calls the IPC fast path took, since
				 boot (0: it is off, "ipc.slow" or several CPUs) */
};

/* Devices a user driver (or a test) can reach and the interrupt lines
 * they raise (InterruptAttachEvent's intr), from the kernel's own view of
 * the board (ACPI MADT, device tree), so nothing hard-codes a board. */
struct ker_info_devices {
	uint32_t lines;	      /* interrupt lines are numbered below this */
	uint32_t uart_line;   /* the console UART's line */
	uint64_t uart_base;   /* its registers: x86-64 I/O port (COM1 0x3f8),
				 aarch64 physical address (PL011) */
	uint32_t timer_line;  /* a timer device the kernel leaves alone:
				 x86-64 the PIT (ISA IRQ 0's GSI), aarch64
				 the PL031 RTC; ~0u when there is none */
	uint32_t uart_kind;   /* KER_UART_*: which driver it takes */
	uint64_t timer_base;  /* its registers: I/O port 0x40 / physical */
};

/* ker_info_devices.uart_kind */
#define KER_UART_NONE	     0 /* none, or one user code has no driver for */
#define KER_UART_16550	     1 /* x86-64: at an I/O port */
#define KER_UART_PL011	     2
#define KER_UART_BCM2835_AUX 3 /* the Raspberry Pi's mini UART */

/* One CPU's counts since boot. KerInfo(KER_INFO_CPUS, buf, len) fills as
 * many as fit and returns how many CPUs run. The kernel lock's counts
 * stay 0 while one CPU runs: it takes no lock then. */
struct ker_cpu_info {
	uint32_t id;		/* 0: the boot CPU; then in bring-up order */
	uint32_t reserved;
	uint64_t lock_taken;	/* kernel entries that took the kernel lock */
	uint64_t lock_wait_ns;	/* time spent waiting for it */
	uint64_t lock_hold_ns;	/* time held (a switch hands it on with the
				   CPU: it counts for the CPU) */
	uint64_t switches;	/* threads switched to, idle included */
	uint64_t kicks;		/* reschedule IPIs sent to other CPUs */
	uint64_t shootdowns;	/* TLB shootdown IPIs sent to other CPUs */
	uint64_t idle_ns;	/* time in the idle loop's wait */
};

/* One thread. KerInfo(KER_INFO_THREADS, buf, len) fills as many as fit and
 * returns how many threads there are (kernel threads are pid 0). */
struct ker_thread_info {
	int32_t pid;
	int32_t tid;
	uint8_t state;         /* STATE_* as pidin numbers them: 1 RUNNING, 2 READY,
				  12 NANOSLEEP, 15 JOIN, ... */
	uint8_t priority;      /* running at (may be boosted) */
	uint8_t base_priority; /* set by ThreadCreate or SchedSet */
	uint8_t policy;        /* SCHED_FIFO 1, SCHED_RR 2, SCHED_OTHER 3 */
	int32_t blocked_on;    /* JOIN: the tid (or, in ProcWait, the pid; -1
				  any); RECEIVE: the chid; SEND, REPLY: the
				  server's pid; MUTEX: the owner's tid; 0
				  when not blocked on an object */
	uint64_t wake_ns;      /* NANOSLEEP: monotonic time it wakes */
	char name[32];         /* its process's name */
	uint64_t sync_addr;    /* MUTEX, CONDVAR, SEM: the sync_t's address
				  (in this thread's process) */
	int32_t owner_pid;     /* MUTEX: the owner's process (0: the kernel
				  knows no owner) */
	uint32_t cpu;          /* the CPU it runs on, or last ran on */
	char thread_name[_NTO_THREAD_NAME_MAX + 1]; /* _NTO_TCTL_NAME's; "" none */
};

/* One process. KerInfo(KER_INFO_PROCESSES, buf, len) fills as many as fit
 * and returns how many processes there are (the kernel is pid 0). Pages
 * are 4 KiB; the user ones are those mapped now (reserved but never
 * touched ones are not), from its page tables. */
struct ker_process_info {
	int32_t pid;
	int32_t parent;        /* the pid that made it (0: the kernel) */
	uint32_t threads;      /* not yet freed, dead unjoined ones too */
	uint32_t reserved;
	char name[32];
	uint64_t code_pages;   /* executable */
	uint64_t data_pages;   /* its own, not executable: data, heap, stacks */
	uint64_t shared_pages; /* a memory object's (shm), a device's, or the
				  boot image's (proc's copy of it) */
	uint64_t charged_pages; /* what counts against its limit: memory it
				   reserved, touched or not, kernel stacks and
				   tables (README, "Limits") */
};

#endif
