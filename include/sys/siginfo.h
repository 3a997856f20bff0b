/*
 * Signal types shared by the kernel and libc, after QNX Neutrino 7.x's
 * <sys/siginfo.h> and <signal.h>: sigset_t, siginfo_t and its si_code
 * values, struct sigaction with its flags, and the SignalProcmask
 * operations. Declarations only (the kernel includes it); programs get
 * it through <signal.h>.
 */
#ifndef _SYS_SIGINFO_H_INCLUDED
#define _SYS_SIGINFO_H_INCLUDED

#include <sys/ktypes.h>
#include <sys/signo.h>

/* A set of signals. QNX's is two longs; Muon keeps signals 1..64 in
 * __bits[0] (bit signo - 1) and __bits[1] zero. */
typedef struct {
	long __bits[2];
} sigset_t;

/* What a handler (SA_SIGINFO) and SignalWaitinfo learn about a signal
 * (QNX's layout: three ints, then a union with the sender's data). */
typedef struct {
	int si_signo;
	int si_code; /* SI_* (<= 0, from users) or > 0 from the kernel */
	int si_errno;
	union {
		int __pad[7];
		struct {
			pid_t __pid;
			union {
				struct {
					uid_t __uid;
					union sigval __value;
				} __kill;
				struct {
					long __utime;
					int __status;
					long __stime;
				} __chld;
			} __pdata;
		} __proc;
		struct {
			int __fltno;
			void *__fltip;
			void *__addr;
			int __bdslot;
		} __fault;
	} __data;
} siginfo_t;
#define si_pid	  __data.__proc.__pid
#define si_uid	  __data.__proc.__pdata.__kill.__uid
#define si_value  __data.__proc.__pdata.__kill.__value
#define si_status __data.__proc.__pdata.__chld.__status
#define si_fltno  __data.__fault.__fltno
#define si_addr	  __data.__fault.__addr

/* si_code: -128..0 user values (SignalKill's code), 1..127 the kernel's. */
#define SI_USER		   0
/* si_code of the faults (si_addr: the address): the kernel's, > 0. */
#define ILL_ILLOPC	   1 /* SIGILL: an illegal instruction */
#define FPE_INTDIV	   1 /* SIGFPE: divide by zero, or another FP trap */
#define SEGV_MAPERR	   1 /* SIGSEGV: nothing mapped there */
#define SEGV_ACCERR	   2 /* SIGSEGV: mapped, not for this access */
#define BUS_ADRALN	   1 /* SIGBUS: misaligned */
#define TRAP_BRKPT	   1 /* SIGTRAP: a breakpoint */
#define CLD_EXITED	   1 /* SIGCHLD: the child exited (si_value: its pid) */
#define CLD_KILLED	   2 /* SIGCHLD: a signal ended it */
#define CLD_STOPPED	   5 /* SIGCHLD: a signal stopped it */
#define CLD_CONTINUED	   6 /* SIGCHLD: SIGCONT continued it */
#define SI_QUEUE	   (-2)
#define SI_TIMER	   (-3)
#define SI_ASYNCIO	   (-4)
#define SI_MESGQ	   (-5)
#define SI_NOTIFY	   (-6)
#define SI_IRQ		   (-7)
#define SI_MINAVAIL	   (-128)
#define SI_MAXAVAIL	   127
#define SI_FROMUSER(sip)   ((sip)->si_code <= 0)
#define SI_FROMKERNEL(sip) ((sip)->si_code > 0)

/* A signal's disposition (SignalAction, sigaction). */
struct sigaction {
	union {
		void (*__sa_handler)(int);
		void (*__sa_sigaction)(int, siginfo_t *, void *);
	} __sa_un;
	int sa_flags;	  /* SA_* */
	sigset_t sa_mask; /* blocked while the handler runs */
};
#define sa_handler   __sa_un.__sa_handler
#define sa_sigaction __sa_un.__sa_sigaction

#define SIG_ERR ((void (*)(int)) - 1)
#define SIG_DFL ((void (*)(int))0)
#define SIG_IGN ((void (*)(int))1)

#define SA_NOCLDSTOP 0x0001
#define SA_SIGINFO   0x0002 /* the handler takes (signo, info, context) */
#define SA_RESETHAND 0x0004 /* back to SIG_DFL once delivered */
#define SA_NODEFER   0x0008 /* the signal is not blocked in its own handler */
#define SA_NOCLDWAIT 0x0020
#define SA_RESTART   0x0040 /* accepted; kernel calls never restart (QNX) */

/* SignalProcmask / sigprocmask how */
#define SIG_BLOCK   0
#define SIG_UNBLOCK 1
#define SIG_SETMASK 2

#endif
