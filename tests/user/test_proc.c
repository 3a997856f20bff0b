/*
 * proc's process requests (<sys/procmsg.h>), from proc's child (booted
 * init=proc init.run=test_proc): posix_spawn and the spawn family,
 * waitpid and its statuses, SIGCHLD, getppid, orphans (POSIX
 * posix_spawn, waitpid, getppid; QNX's spawn* pages). Children are
 * tests/user/child.c in its roles.
 *  - argv and environment reach the child exactly, and its getppid() is
 *    us; ours is proc (1);
 *  - wait statuses: an exit code, a signal's death (SIGTERM; SIGSEGV of
 *    a write to the kernel's half), WNOHANG
 *    with a child still running (0), ECHILD with none, EINVAL for pid 0;
 *  - a waitpid a signal interrupts gives EINTR and loses nothing: the
 *    child's status waits for the next waitpid;
 *  - SIGCHLD comes with CLD_EXITED and the child's pid (sigtimedwait);
 *  - spawnl P_WAIT returns the status, P_NOWAIT the pid;
 *  - errors: ENOENT (not in the image), ENOEXEC (not an ELF), E2BIG (too
 *    many arguments);
 *  - abilities (QNX's procmgr_ability page): a child inherits ours, or
 *    gets exactly those asked for (child.c "abilities", "eperm"); never
 *    more than the spawner's ("escalate"), never the kernel's
 *    process-manager calls; procmgr_ability denies, locks, stops
 *    inheritance, all or nothing ("drop"); its bad requests;
 *  - an orphan: a child spawns a grandchild and ends; the grandchild's
 *    parent is then proc (1), and it is not ours to wait for (ECHILD);
 *  - runmasks (QNX's posix_spawnattr_setrunmask page, ThreadCtl's
 *    inherit mask): a child runs where the spawning thread's inherit mask
 *    says, or, with POSIX_SPAWN_EXPLICIT_CPU, where the attributes say; a
 *    runmask naming no CPU is EINVAL.
 */
#include <errno.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/kinfo.h>
#include <sys/neutrino.h>
#include <sys/procmgr.h>
#include <sys/procmsg.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tap.h"

static pid_t spawn(char **argv, char **envp)
{
	pid_t pid = -1;
	int err = posix_spawn(&pid, "child", NULL, NULL, argv, envp);
	if (err)
		printf("# posix_spawn %s: %s\n", argv[1], strerror(err));
	return err ? -err : pid;
}

static int status_of(pid_t pid)
{
	int st = -1;
	return waitpid(pid, &st, 0) == pid ? st : -1;
}

static void args_and_env(void) /* 3 points */
{
	char parent[32];
	snprintf(parent, sizeof(parent), "MUON_PARENT=%d", getpid());
	char *argv[] = {"child", "procenv", "two words", "", NULL};
	char *envp[] = {"MUON_A=1", "MUON_B=x=y", parent, NULL};
	pid_t pid = spawn(argv, envp);
	CHECK(pid > 1);
	CHECK_EQ(status_of(pid), 0); /* exit 0: all as sent */
	CHECK_EQ(getppid(), SYSMGR_PID);
}

static void statuses(void) /* 9 points */
{
	pid_t pid = spawn((char *[]){"child", "exit", "7", NULL}, NULL);
	int st = status_of(pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 7 && !WIFSIGNALED(st));
	/* One that waits for ever: WNOHANG says 0, SIGTERM ends it. */
	pid = spawn((char *[]){"child", "hold", NULL}, NULL);
	CHECK(pid > 0 && waitpid(pid, &st, WNOHANG) == 0);
	CHECK_EQ(kill(pid, SIGTERM), 0);
	st = status_of(pid);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM);
	/* A protection fault with no handler: SIGSEGV is its death. */
	st = status_of(spawn((char *[]){"child", "fault", NULL}, NULL));
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV);
	/* Collected: none left. */
	CHECK(waitpid(pid, &st, 0) == -1 && errno == ECHILD);
	CHECK(waitpid(-1, &st, WNOHANG) == -1 && errno == ECHILD);
	CHECK(waitpid(0, &st, 0) == -1 && errno == EINVAL);
	CHECK(waitpid(-1, &st, 0x8000) == -1 && errno == EINVAL);
}

/* A waitpid a signal interrupts (EINTR, as POSIX) loses nothing: the
 * child's end waits for the next one (4 points). */
static void on_usr1(int signo)
{
	(void)signo;
}

static void interrupted_wait(void)
{
	struct sigevent ev;
	struct _itimer t = {20 * 1000000ull, 0};
	int st;

	signal(SIGUSR1, on_usr1);
	pid_t pid = spawn((char *[]){"child", "hold", NULL}, NULL);
	SIGEV_SIGNAL_INIT(&ev, SIGUSR1);
	int id = TimerCreate(CLOCK_MONOTONIC, &ev);
	TimerSettime(id, 0, &t, NULL);
	CHECK(waitpid(pid, &st, 0) == -1 && errno == EINTR);
	TimerDestroy(id);
	signal(SIGUSR1, SIG_DFL);
	CHECK_EQ(kill(pid, SIGTERM), 0);
	st = status_of(pid);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM);
	CHECK(waitpid(-1, &st, WNOHANG) == -1 && errno == ECHILD);
}

static void sigchld(void) /* 3 points */
{
	sigset_t set;
	siginfo_t si;
	struct timespec to = {5, 0};

	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_BLOCK, &set, NULL);
	pid_t pid = spawn((char *[]){"child", "exit", "3", NULL}, NULL);
	CHECK_EQ(sigtimedwait(&set, &si, &to), SIGCHLD);
	CHECK(si.si_code == CLD_EXITED && si.si_value.sival_int == pid && si.si_pid == SYSMGR_PID);
	CHECK_EQ(WEXITSTATUS(status_of(pid)), 3);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
}

static void spawn_family(void) /* 6 points */
{
	int st = spawnl(P_WAIT, "child", "child", "exit", "5", NULL);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 5);
	int pid = spawnl(P_NOWAIT, "/proc/boot/child", "child", "exit", "6", NULL);
	CHECK(pid > 1 && WEXITSTATUS(status_of(pid)) == 6);
	CHECK(spawnl(P_WAIT, "no-such-program", "x", NULL) == -1 && errno == ENOENT);
	CHECK(spawnl(P_WAIT, "notelf", "notelf", NULL) == -1 && errno == ENOEXEC);
	char *many[80];
	for (int i = 0; i < 79; i++)
		many[i] = "x";
	many[79] = NULL;
	CHECK(spawnv(P_WAIT, "child", many) == -1 && errno == E2BIG);
	CHECK(spawnl(7, "child", "child", NULL) == -1 && errno == EINVAL);
}

/* A child spawned with exactly the abilities given: its status. */
static int status_with(uint64_t abilities, char **argv)
{
	posix_spawnattr_t a;
	pid_t pid = -1;

	posix_spawnattr_init(&a);
	posix_spawnattr_setabilities(&a, abilities);
	return posix_spawn(&pid, "child", NULL, &a, argv, NULL) ? -1 : status_of(pid);
}

/* A raw _PROC_ABILITY request of count entries: its result. */
static int raw_ability(int pid, uint32_t count, const uint32_t *entry, size_t bytes)
{
	struct {
		struct _proc_ability h;
		uint32_t entry[_PROC_ABILITY_MAX + 1];
	} m = {.h = {.type = _PROC_ABILITY, .pid = pid, .count = count}};

	memcpy(m.entry, entry, bytes);
	return (int)MsgSend_r(SYSMGR_COID, &m, sizeof(m.h) + bytes, NULL, 0);
}

static void abilities(void) /* 9 points */
{
	uint64_t mine = 0;
	char hex[20];

	/* Ours: all but the kernel's process-manager calls, proc's alone. */
	CHECK(ProcAbilities_r(0, NULL, &mine) == 0 &&
	      mine == (_NTO_ABILITY_ALL & ~_NTO_ABILITY_PROCMGR));
	/* None: every privileged call and public channels EPERM (child.c
	 * "eperm"); one given works until dropped ("abilities"). */
	CHECK_EQ(status_with(0, (char *[]){"child", "eperm", NULL}), 0);
	CHECK_EQ(status_with(_NTO_ABILITY_CLOCKSET, (char *[]){"child", "abilities", NULL}), 0);
	/* Without the spawn ability, no spawning; with it alone, no child
	 * gets more ("escalate"); asking for the kernel's is EPERM. */
	posix_spawnattr_t a;
	pid_t pid;
	posix_spawnattr_init(&a);
	posix_spawnattr_setabilities(&a, _NTO_ABILITY_PROCMGR);
	CHECK_EQ(posix_spawn(&pid, "child", NULL, &a, (char *[]){"child", "exit0", NULL}, NULL),
		 EPERM);
	CHECK_EQ(status_with(_NTO_ABILITY_SPAWN, (char *[]){"child", "escalate", NULL}), 0);
	/* By default a child inherits ours. */
	snprintf(hex, sizeof(hex), "%llx", (unsigned long long)mine);
	CHECK_EQ(status_of(spawn((char *[]){"child", "has", hex, NULL}, NULL)), 0);
	/* procmgr_ability on itself: deny, lock, inherit, all or nothing. */
	CHECK_EQ(status_of(spawn((char *[]){"child", "drop", NULL}, NULL)), 0);
	/* Raw requests: no EOL, too many or too few entries. */
	uint32_t e[_PROC_ABILITY_MAX + 1] = {PROCMGR_ADN_ROOT | PROCMGR_AOP_DENY | 1};
	CHECK(raw_ability(0, 1, e, 4) == -EINVAL && raw_ability(0, 0, e, 0) == -EINVAL);
	CHECK(raw_ability(0, _PROC_ABILITY_MAX + 1, e, sizeof(e)) == -EINVAL &&
	      raw_ability(0, 2, e, 4) == -EINVAL);
}

static void orphan(void) /* 5 points */
{
	int chid = ChannelCreate(0), ppid = 0;
	char me[16], ch[16];
	snprintf(me, sizeof(me), "%d", getpid());
	snprintf(ch, sizeof(ch), "%d", chid);
	pid_t parent = spawn((char *[]){"child", "orphan-parent", me, ch, NULL}, NULL);

	/* The grandchild says it is here; its parent ends (its status is
	 * the grandchild's pid). */
	struct _msg_info info;
	char c;
	int rcvid = MsgReceive(chid, &c, 1, &info);
	CHECK(rcvid > 0 && c == 'r');
	int st = status_of(parent);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == info.pid);
	/* Now it asks whose it is: proc's. */
	MsgReply(rcvid, 0, NULL, 0);
	rcvid = MsgReceive(chid, &ppid, sizeof(ppid), NULL);
	CHECK(rcvid > 0 && ppid == SYSMGR_PID);
	MsgReply(rcvid, 0, NULL, 0);
	/* Not ours to wait for. */
	CHECK(waitpid(info.pid, &st, 0) == -1 && errno == ECHILD);
	CHECK(waitpid(-1, &st, WNOHANG) == -1 && errno == ECHILD);
	ChannelDestroy(chid);
}

static void runmasks(void) /* 4 points */
{
	struct ker_info_counts c = {0};
	posix_spawnattr_t a;
	pid_t pid;
	char hex[20];

	KerInfo(KER_INFO_COUNTS, &c, sizeof(c));
	unsigned last = 1u << (c.cpus - 1), all = (unsigned)((1ull << c.cpus) - 1);
	/* Our inherit mask: the last CPU; the child runs there. */
	struct _thread_runmask rm = {1, {0}, {last}}, back = {1, {0}, {all}};
	ThreadCtl(_NTO_TCTL_RUNMASK_GET_AND_SET_INHERIT, &rm);
	snprintf(hex, sizeof(hex), "%x", last);
	CHECK_EQ(status_of(spawn((char *[]){"child", "runmask", hex, NULL}, NULL)), 0);
	ThreadCtl(_NTO_TCTL_RUNMASK_GET_AND_SET_INHERIT, &back);
	/* The attributes': CPU 0 (the flag's), then any (the default mask). */
	posix_spawnattr_init(&a);
	posix_spawnattr_setxflags(&a, POSIX_SPAWN_EXPLICIT_CPU);
	posix_spawnattr_setrunmask(&a, 1);
	CHECK(posix_spawn(&pid, "child", NULL, &a, (char *[]){"child", "runmask", "1", NULL},
			  NULL) == 0 &&
	      status_of(pid) == 0);
	posix_spawnattr_init(&a);
	posix_spawnattr_setxflags(&a, POSIX_SPAWN_EXPLICIT_CPU);
	CHECK(posix_spawn(&pid, "child", NULL, &a, (char *[]){"child", "runmask", "ffffffff", NULL},
			  NULL) == 0 &&
	      status_of(pid) == 0);
	/* No CPU there is, or none at all. */
	posix_spawnattr_setrunmask(&a, 1u << c.cpus);
	int beyond = posix_spawn(&pid, "child", NULL, &a, (char *[]){"child", "exit0", NULL}, NULL);
	posix_spawnattr_setrunmask(&a, 0);
	CHECK(beyond == EINVAL && posix_spawn(&pid, "child", NULL, &a,
					      (char *[]){"child", "exit0", NULL}, NULL) == EINVAL);
}

int main(void)
{
	tap_plan(3 + 9 + 4 + 3 + 6 + 9 + 5 + 4);
	args_and_env();
	statuses();
	interrupted_wait();
	sigchld();
	spawn_family();
	abilities();
	orphan();
	runmasks();
	return tap_done();
}
