/*
 * POSIX signals over QNX's kernel calls: kill, raise, sigqueue, sigaction
 * and signal (SignalAction with the trampoline __libc_sigstub,
 * libc/arch/<arch>/sigstub.S, which handlers return to), sigprocmask and
 * pthread_sigmask (SignalProcmask), sigsuspend, sigwaitinfo and
 * sigtimedwait (TimerTimeout + SignalWaitinfo), the sigset_t operations
 * and strsignal.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/neutrino.h>
#include <time.h>

#include "libc.h"

/* The trampoline hard-codes SignalReturn's number. */
_Static_assert(__KER_SignalReturn == 0x5d, "libc/arch/*/sigstub.S");

void __libc_sigstub(void);

int kill(pid_t pid, int signo)
{
	/* 0: the caller's group; -1 (every process) stays the kernel's. */
	if (pid == 0 || pid < -1)
		return killpg(-pid, signo);
	return SignalKill(ND_LOCAL_NODE, pid, 0, signo, SI_USER, 0);
}

int raise(int signo)
{
	return SignalKill(ND_LOCAL_NODE, 0, 0, signo, SI_USER, 0);
}

int sigqueue(pid_t pid, int signo, const union sigval value)
{
	return SignalKill(ND_LOCAL_NODE, pid, 0, signo, SI_QUEUE, value.sival_int);
}

int sigaction(int signo, const struct sigaction *act, struct sigaction *oact)
{
	return SignalAction(0, __libc_sigstub, signo, act, oact);
}

void (*signal(int signo, void (*handler)(int)))(int)
{
	struct sigaction act, old;

	memset(&act, 0, sizeof(act));
	act.sa_handler = handler;
	return sigaction(signo, &act, &old) ? SIG_ERR : old.sa_handler;
}

int sigprocmask(int how, const sigset_t *set, sigset_t *oset)
{
	return SignalProcmask(0, 0, how, set, oset);
}

int pthread_sigmask(int how, const sigset_t *set, sigset_t *oset)
{
	return -SignalProcmask_r(0, 0, how, set, oset);
}

int sigsuspend(const sigset_t *set)
{
	return SignalSuspend(set);
}

int sigwaitinfo(const sigset_t *set, siginfo_t *info)
{
	return SignalWaitinfo(set, info);
}

int sigtimedwait(const sigset_t *set, siginfo_t *info, const struct timespec *timeout)
{
	if (timeout) {
		if (timeout->tv_sec < 0 || timeout->tv_nsec < 0 || timeout->tv_nsec >= 1000000000) {
			errno = EINVAL;
			return -1;
		}
		uint64_t ns = (uint64_t)timeout->tv_sec * 1000000000u + (uint64_t)timeout->tv_nsec;
		if (TimerTimeout(CLOCK_MONOTONIC, _NTO_TIMEOUT_SIGWAITINFO, NULL, &ns, NULL) < 0)
			return -1;
	}
	int r = SignalWaitinfo_r(set, info);
	if (r >= 0)
		return r;
	errno = r == -ETIMEDOUT ? EAGAIN : -r;
	return -1;
}

static int bad_signo(int signo)
{
	if (signo >= _SIGMIN && signo <= _SIGMAX)
		return 0;
	errno = EINVAL;
	return 1;
}

int sigemptyset(sigset_t *set)
{
	set->__bits[0] = set->__bits[1] = 0;
	return 0;
}

int sigfillset(sigset_t *set)
{
	set->__bits[0] = -1;
	set->__bits[1] = 0;
	return 0;
}

int sigaddset(sigset_t *set, int signo)
{
	if (bad_signo(signo))
		return -1;
	set->__bits[0] |= 1l << (signo - 1);
	return 0;
}

int sigdelset(sigset_t *set, int signo)
{
	if (bad_signo(signo))
		return -1;
	set->__bits[0] &= ~(1l << (signo - 1));
	return 0;
}

int sigismember(const sigset_t *set, int signo)
{
	if (bad_signo(signo))
		return -1;
	return (set->__bits[0] >> (signo - 1)) & 1;
}

static const char *const names[] = {
    [SIGHUP] = "Hangup",
    [SIGINT] = "Interrupt",
    [SIGQUIT] = "Quit",
    [SIGILL] = "Illegal instruction",
    [SIGTRAP] = "Trace trap",
    [SIGABRT] = "Abort",
    [SIGEMT] = "EMT instruction",
    [SIGFPE] = "Floating point exception",
    [SIGKILL] = "Killed",
    [SIGBUS] = "Bus error",
    [SIGSEGV] = "Segmentation fault",
    [SIGSYS] = "Bad system call",
    [SIGPIPE] = "Broken pipe",
    [SIGALRM] = "Alarm clock",
    [SIGTERM] = "Terminated",
    [SIGUSR1] = "User signal 1",
    [SIGUSR2] = "User signal 2",
    [SIGCHLD] = "Child exited",
    [SIGPWR] = "Power failure",
    [SIGWINCH] = "Window size changed",
    [SIGURG] = "Urgent I/O condition",
    [SIGPOLL] = "I/O possible",
    [SIGSTOP] = "Stopped (signal)",
    [SIGTSTP] = "Stopped",
    [SIGCONT] = "Continued",
    [SIGVTALRM] = "Virtual timer expired",
    [SIGPROF] = "Profiling timer expired",
    [SIGXCPU] = "CPU time limit exceeded",
    [SIGXFSZ] = "File size limit exceeded",
};

char *strsignal(int signo)
{
	if (signo > 0 && signo < (int)(sizeof(names) / sizeof(names[0])) && names[signo])
		return (char *)names[signo];
	if (signo >= SIGRTMIN && signo <= SIGRTMAX)
		return "Realtime signal";
	return "Unknown signal";
}
