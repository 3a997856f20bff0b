/*
 * Waiting for children (<sys/wait.h>; POSIX waitid, waitpid; QNX's
 * values and status layout), from proc's child (booted init=proc
 * init.run=test_wait). Children are this program again in a role
 * (argv[1]): "exit N", "sleep" (until a signal ends it), "stopself"
 * (raise(SIGSTOP), then exit 4 once continued).
 *  - the W* macros on each kind of status, and QNX's values;
 *  - waitid: WEXITED (CLD_EXITED with the exit code, CLD_KILLED with the
 *    signal; si_signo SIGCHLD, si_pid), WNOWAIT (the child stays
 *    waitable, held or at once), WNOHANG (si_signo and si_pid 0);
 *  - stops: WSTOPPED / WUNTRACED (CLD_STOPPED, SIGSTOP and SIGTSTP; the
 *    child's thread STOPPED as KerInfo sees it), WCONTINUED
 *    (CLD_CONTINUED), each reported once, a continuation replacing a
 *    stop not yet waited for, exit-only waits seeing neither, a stopped
 *    child killed, a child that stops itself;
 *  - SIGCHLD for a stop and a continuation (CLD_STOPPED, CLD_CONTINUED),
 *    none with SA_NOCLDSTOP;
 *  - errors: EINVAL (P_PGID: no process groups; no event asked for; bad
 *    idtype, id or options; waitpid's own options), ECHILD (no such
 *    child; a wait whose child another thread took), EINTR (a signal),
 *    and _PROC_WAIT itself: a short request (EINVAL), buffers that are
 *    not mapped (EFAULT, the child's status kept).
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/kinfo.h>
#include <sys/mman.h>
#include <sys/neutrino.h>
#include <sys/procmsg.h>
#include <sys/wait.h>
#include <unistd.h>

#include "onecpu.h"
#include "tap.h"

#define ST_STOPPED 3 /* KerInfo's thread state */

static pid_t spawn(char **argv)
{
	pid_t pid = -1;
	int err = posix_spawn(&pid, "test_wait", NULL, NULL, argv, NULL);

	if (err)
		printf("# posix_spawn %s: %s\n", argv[1], strerror(err));
	return err ? -1 : pid;
}

static pid_t sleeper(void)
{
	return spawn((char *[]){"test_wait", "sleep", NULL});
}

/* waitid into si; true when it returned 0 with news of pid: code, status. */
static int waited(idtype_t idtype, id_t id, int options, pid_t pid, int code, int status)
{
	siginfo_t si;
	int r = waitid(idtype, id, &si, options);

	if (r == 0 && si.si_signo == SIGCHLD && si.si_pid == pid && si.si_code == code &&
	    si.si_status == status)
		return 1;
	printf("#   waitid: %d (errno %d), signo %d pid %d code %d status %d\n", r, errno,
	       si.si_signo, si.si_pid, si.si_code, si.si_status);
	return 0;
}

/* waitid with WNOHANG that finds nothing: 0, si_signo and si_pid 0. */
static int nothing(idtype_t idtype, id_t id, int options)
{
	siginfo_t si;

	memset(&si, 0x55, sizeof(si));
	return waitid(idtype, id, &si, options | WNOHANG) == 0 && si.si_signo == 0 &&
	       si.si_pid == 0;
}

static int waitid_fails(idtype_t idtype, id_t id, int options, int err)
{
	siginfo_t si;

	return waitid(idtype, id, &si, options) == -1 && errno == err;
}

static int state_of(pid_t pid, int tid)
{
	struct ker_thread_info t[64];
	long n = KerInfo(KER_INFO_THREADS, t, sizeof(t));

	for (long i = 0; i < n && i < 64; i++)
		if (t[i].pid == pid && t[i].tid == tid)
			return t[i].state;
	return -1;
}

static void macros(void) /* 7 points */
{
	int exit3 = 3 << 8, term = SIGTERM, core = SIGSEGV | 0x80, stop = SIGSTOP << 8 | 0x7f;
	int cont = 0xffff;

	CHECK(WIFEXITED(exit3) && WEXITSTATUS(exit3) == 3 && !WIFSIGNALED(exit3) &&
	      !WIFSTOPPED(exit3) && !WIFCONTINUED(exit3));
	CHECK(WIFEXITED(0) && WEXITSTATUS(0) == 0 && !WIFSIGNALED(0) && !WIFSTOPPED(0) &&
	      !WIFCONTINUED(0));
	CHECK(WIFSIGNALED(term) && WTERMSIG(term) == SIGTERM && !WCOREDUMP(term) &&
	      !WIFEXITED(term) && !WIFSTOPPED(term) && !WIFCONTINUED(term));
	CHECK(WIFSIGNALED(core) && WTERMSIG(core) == SIGSEGV && WCOREDUMP(core));
	CHECK(WIFSTOPPED(stop) && WSTOPSIG(stop) == SIGSTOP && !WIFEXITED(stop) &&
	      !WIFSIGNALED(stop) && !WIFCONTINUED(stop));
	CHECK(WIFCONTINUED(cont) && !WIFEXITED(cont) && !WIFSIGNALED(cont) && !WIFSTOPPED(cont));
	/* QNX's values. */
	CHECK(WEXITED == 1 && WUNTRACED == 4 && WSTOPPED == WUNTRACED && WCONTINUED == 8 &&
	      WNOHANG == 0x40 && WNOWAIT == 0x80 && P_ALL == 0 && P_PID == 1 && P_PGID == 2);
}

static void exits(void) /* 7 points */
{
	int st;
	pid_t pid = spawn((char *[]){"test_wait", "exit", "7", NULL});
	CHECK(waited(P_PID, pid, WEXITED, pid, CLD_EXITED, 7));

	pid = sleeper();
	CHECK(kill(pid, SIGTERM) == 0 && waited(P_ALL, 0, WEXITED, pid, CLD_KILLED, SIGTERM));

	/* WNOWAIT: held until the child ends, then at once; still there. */
	pid = spawn((char *[]){"test_wait", "exit", "5", NULL});
	CHECK(waited(P_PID, pid, WEXITED | WNOWAIT, pid, CLD_EXITED, 5));
	CHECK(waited(P_PID, pid, WEXITED | WNOWAIT | WNOHANG, pid, CLD_EXITED, 5));
	CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 5);
	CHECK(waitid_fails(P_PID, pid, WEXITED | WNOHANG, ECHILD));

	/* WNOHANG with nothing to say. */
	pid = sleeper();
	CHECK(nothing(P_PID, pid, WEXITED) && kill(pid, SIGKILL) == 0 &&
	      waitpid(pid, &st, 0) == pid && WTERMSIG(st) == SIGKILL);
}

static void stops(void) /* 11 points */
{
	int st;
	pid_t pid = sleeper();

	CHECK(kill(pid, SIGSTOP) == 0 && waited(P_PID, pid, WSTOPPED, pid, CLD_STOPPED, SIGSTOP));
	CHECK_EQ(state_of(pid, 1), ST_STOPPED);
	/* Reported once. */
	CHECK(nothing(P_PID, pid, WSTOPPED) && waitpid(pid, &st, WUNTRACED | WNOHANG) == 0);
	CHECK(kill(pid, SIGCONT) == 0 &&
	      waited(P_PID, pid, WCONTINUED, pid, CLD_CONTINUED, SIGCONT));
	/* waitpid's forms, and SIGTSTP. */
	CHECK(kill(pid, SIGTSTP) == 0 && waitpid(pid, &st, WUNTRACED) == pid && WIFSTOPPED(st) &&
	      WSTOPSIG(st) == SIGTSTP && !WIFEXITED(st) && !WIFSIGNALED(st));
	CHECK(kill(pid, SIGCONT) == 0 && waitpid(pid, &st, WCONTINUED) == pid && WIFCONTINUED(st));
	/* A continuation replaces a stop not waited for (WNOWAIT: seen, left). */
	CHECK(kill(pid, SIGSTOP) == 0 &&
	      waited(P_PID, pid, WSTOPPED | WNOWAIT, pid, CLD_STOPPED, SIGSTOP) &&
	      kill(pid, SIGCONT) == 0 &&
	      waited(P_PID, pid, WCONTINUED | WNOWAIT, pid, CLD_CONTINUED, SIGCONT));
	CHECK(nothing(P_PID, pid, WSTOPPED) &&
	      waited(P_ALL, 0, WEXITED | WCONTINUED, pid, CLD_CONTINUED, SIGCONT) &&
	      nothing(P_ALL, 0, WCONTINUED));
	/* An exit-only wait sees neither. */
	CHECK(kill(pid, SIGSTOP) == 0 && waitpid(pid, &st, WNOHANG) == 0 &&
	      waited(P_PID, pid, WSTOPPED, pid, CLD_STOPPED, SIGSTOP));
	/* A stopped child dies of SIGKILL. */
	CHECK(kill(pid, SIGKILL) == 0 && waited(P_PID, pid, WEXITED, pid, CLD_KILLED, SIGKILL));

	/* A child that stops itself, continued, ends as it would have. */
	pid = spawn((char *[]){"test_wait", "stopself", NULL});
	CHECK(waitpid(pid, &st, WUNTRACED) == pid && WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP &&
	      kill(pid, SIGCONT) == 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) &&
	      WEXITSTATUS(st) == 4);
}

/* SIGCHLD tells of a stop and a continuation, unless SA_NOCLDSTOP. */
static int sigchld(int code, pid_t pid)
{
	sigset_t set;
	siginfo_t si;
	struct timespec to = {5, 0};

	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	if (sigtimedwait(&set, &si, &to) == SIGCHLD && si.si_code == code &&
	    si.si_value.sival_int == pid)
		return 1;
	printf("#   SIGCHLD: code %d value %d\n", si.si_code, si.si_value.sival_int);
	return 0;
}

static void stop_signals(void) /* 4 points */
{
	sigset_t set;
	struct timespec now = {0, 0};
	struct sigaction sa = {0};

	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_BLOCK, &set, NULL);
	pid_t pid = sleeper();
	CHECK(kill(pid, SIGSTOP) == 0 && sigchld(CLD_STOPPED, pid));
	CHECK(kill(pid, SIGCONT) == 0 && sigchld(CLD_CONTINUED, pid));
	/* SA_NOCLDSTOP: proc has decided when our wait returns. */
	sa.sa_handler = SIG_DFL;
	sa.sa_flags = SA_NOCLDSTOP;
	sigaction(SIGCHLD, &sa, NULL);
	CHECK(kill(pid, SIGSTOP) == 0 && waited(P_PID, pid, WSTOPPED, pid, CLD_STOPPED, SIGSTOP) &&
	      kill(pid, SIGCONT) == 0 &&
	      waited(P_PID, pid, WCONTINUED, pid, CLD_CONTINUED, SIGCONT) &&
	      sigtimedwait(&set, NULL, &now) == -1 && errno == EAGAIN);
	/* Its end still tells. */
	CHECK(kill(pid, SIGKILL) == 0 && sigchld(CLD_KILLED, pid) &&
	      waited(P_PID, pid, WEXITED, pid, CLD_KILLED, SIGKILL));
	sa.sa_flags = 0;
	sigaction(SIGCHLD, &sa, NULL);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
}

/* A waitid a signal interrupts: EINTR. */
static void on_usr1(int signo)
{
	(void)signo;
}

/* A thread's wait for a stop of a child another thread then takes. */
static pid_t taken_pid;
static void *wait_stop(void *arg)
{
	(void)arg;
	return (void *)(long)(waitid_fails(P_PID, taken_pid, WSTOPPED, ECHILD));
}

static void errors(void) /* 11 points */
{
	int st;

	CHECK(waitid_fails(P_PGID, 1, WEXITED, EINVAL) && waitid_fails(P_PGID, 0, WEXITED, EINVAL));
	CHECK(waitid_fails(P_ALL, 0, WNOHANG, EINVAL) && waitid_fails(P_ALL, 0, WNOWAIT, EINVAL) &&
	      waitid_fails(P_ALL, 0, 0, EINVAL));
	CHECK(waitid_fails(P_PID, 0, WEXITED, EINVAL) && waitid_fails(P_PID, -3, WEXITED, EINVAL) &&
	      waitid_fails((idtype_t)7, 0, WEXITED, EINVAL) && waitid_fails(P_ALL, 0, WEXITED | 0x8000, EINVAL));
	CHECK(waitid_fails(P_ALL, 0, WEXITED, ECHILD) && waitid_fails(P_PID, SYSMGR_PID, WEXITED, ECHILD));
	CHECK(waitpid(-1, &st, WNOWAIT) == -1 && errno == EINVAL &&
	      waitpid(-1, &st, WEXITED) == -1 && errno == EINVAL);
	CHECK(waitpid(0, &st, 0) == -1 && errno == EINVAL && waitpid(-5, &st, 0) == -1 &&
	      errno == EINVAL);

	/* _PROC_WAIT itself: short (no options: EINVAL), and buffers that
	 * are not mapped (EFAULT), the child's status kept. */
	uint16_t type = _PROC_WAIT;
	CHECK_EQ(MsgSend_r(SYSMGR_COID, &type, sizeof(type), NULL, 0), -EINVAL);
	char *gone = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANON, -1, 0);
	munmap(gone, 4096);
	pid_t pid = sleeper();
	struct _proc_wait m = {
	    .type = _PROC_WAIT, .idtype = P_PID, .id = pid, .options = WEXITED | WNOHANG};
	CHECK_EQ(MsgSend_r(SYSMGR_COID, &m, sizeof(m), gone, sizeof(struct _proc_waited)), -EFAULT);
	CHECK(MsgSend_r(SYSMGR_COID, gone, sizeof(m), &st, sizeof(st)) == -EFAULT &&
	      kill(pid, SIGKILL) == 0 && waitpid(pid, &st, 0) == pid && WTERMSIG(st) == SIGKILL);

	/* A signal interrupts a held wait. */
	struct sigevent ev;
	struct _itimer t = {20 * 1000000ull, 0};
	signal(SIGUSR1, on_usr1);
	pid = sleeper();
	SIGEV_SIGNAL_INIT(&ev, SIGUSR1);
	int id = TimerCreate(CLOCK_MONOTONIC, &ev);
	TimerSettime(id, 0, &t, NULL);
	CHECK(waitid_fails(P_PID, pid, WEXITED, EINTR));
	TimerDestroy(id);
	signal(SIGUSR1, SIG_DFL);

	/* Another thread waits for it to stop; we take its end: ECHILD. */
	pthread_attr_t a;
	struct sched_param sp = {.sched_priority = 12};
	pthread_t th;
	void *res = NULL;
	taken_pid = pid;
	pthread_attr_init(&a);
	pthread_attr_setinheritsched(&a, PTHREAD_EXPLICIT_SCHED);
	pthread_attr_setschedpolicy(&a, SCHED_FIFO);
	pthread_attr_setschedparam(&a, &sp);
	pthread_create(&th, &a, wait_stop, NULL); /* above us: waiting when we go on */
	CHECK(kill(pid, SIGKILL) == 0 && waitpid(pid, &st, 0) == pid && !pthread_join(th, &res) &&
	      res == (void *)1L);
}

int main(int argc, char **argv)
{
	one_cpu(); /* onecpu.h */
	if (argc == 3 && !strcmp(argv[1], "exit"))
		return atoi(argv[2]);
	if (argc == 2 && !strcmp(argv[1], "sleep")) {
		uint64_t forever = UINT64_MAX;
		for (;;)
			ClockNanosleep(CLOCK_MONOTONIC, 0, &forever);
	}
	if (argc == 2 && !strcmp(argv[1], "stopself")) {
		raise(SIGSTOP);
		return 4;
	}
	struct sched_param p = {.sched_priority = 10};
	SchedSet(0, 0, SCHED_FIFO, &p); /* below the thread errors() starts */
	tap_plan(7 + 7 + 11 + 4 + 11);
	macros();
	exits();
	stops();
	stop_signals();
	errors();
	return tap_done();
}
