/*
 * Signals (libc/signal.c over the Signal* kernel calls): QNX's numbers
 * (<sys/signo.h>), sigset_t, siginfo_t and struct sigaction
 * (<sys/siginfo.h>), and the POSIX calls. A handler installed with
 * SA_SIGINFO gets (signo, siginfo_t *, ucontext_t *) (<sys/ucontext.h>).
 */
#ifndef _SIGNAL_H_INCLUDED
#define _SIGNAL_H_INCLUDED

#include <sys/siginfo.h>
#include <sys/types.h>

typedef int sig_atomic_t;

/* pid 0 is the caller's process group, pid < -1 the group -pid (proc
 * keeps groups: <unistd.h> setpgid). */
int kill(pid_t pid, int signo);
/* Every process of group pgrp (0: the caller's) that we may signal. */
int killpg(pid_t pgrp, int signo);
/* The calling thread, if it does not block signo. */
int raise(int signo);
/* SI_QUEUE with value; a second one while the first is pending is merged
 * into it (docs/ARCHITECTURE.md, "Signals"). */
int sigqueue(pid_t pid, int signo, const union sigval value);
int sigaction(int signo, const struct sigaction *__restrict act, struct sigaction *__restrict oact);
void (*signal(int signo, void (*handler)(int)))(int);
int sigprocmask(int how, const sigset_t *__restrict set, sigset_t *__restrict oset);
/* The calling thread's mask; returns an errno value, not -1. */
int pthread_sigmask(int how, const sigset_t *__restrict set, sigset_t *__restrict oset);
int sigsuspend(const sigset_t *set);
int sigwaitinfo(const sigset_t *__restrict set, siginfo_t *__restrict info);
/* As sigwaitinfo, for at most *timeout (NULL: no limit): EAGAIN then. */
int sigtimedwait(const sigset_t *__restrict set, siginfo_t *__restrict info,
		 const struct timespec *__restrict timeout);

int sigemptyset(sigset_t *set);
int sigfillset(sigset_t *set);
int sigaddset(sigset_t *set, int signo);
int sigdelset(sigset_t *set, int signo);
int sigismember(const sigset_t *set, int signo);

#endif
