/*
 * The helper the spawn and isolation tests start: argv[1] says what to do,
 * the exit status says how it went (0 = as expected).
 *   eperm        every privileged call must fail with EPERM
 *   abilities    spawned with the clock ability: it works until dropped
 *   exit N       exits with N
 *   procenv ...  checks the arguments and environment test_proc gives
 *   escalate     with the spawn ability alone: asks for children with
 *                more, which proc refuses; inherited ones hold only that
 *   has HEX      exits 0 if it holds exactly the abilities HEX
 *   drop         procmgr_ability's operations on ourselves (test_proc)
 *   orphan-parent PID CHID  spawns "orphan" and exits with its pid
 *   orphan PID CHID  tells test_proc (PID, CHID) its parent after that one
 *                ended
 *   evclient MODE CHID  the client of test_event's event server on pid 1's
 *                CHID (see there for the modes)
 *   timers       arms ten 1 ms timers to its own channel, takes one pulse,
 *                and exits with them armed and their pulses queued
 *   peek A S     read the word at address A; fail if it equals S (then it
 *                would have seen another process's memory)
 *   poke A       write to address A (in our own space, if mapped at all)
 *   fault        write to a kernel address: must be killed by SIGSEGV
 *   kptr         a kernel pointer given to a kernel call gets EFAULT
 *   undef        execute an undefined instruction: killed by SIGILL
 *   divzero      divide by zero: SIGFPE on x86-64; aarch64 does not trap
 *                (the quotient is 0), so there it exits 0
 *   fpu SEED     run a long FP recurrence twice, while other processes do
 *                the same: exit 0 only if both runs agree exactly
 *   lastthread   a joinable thread returns unjoined, then main calls
 *                ThreadDestroy(0): the process ends with status 5
 *   exit0        exit with status 0 at once
 *   hold         channel 1: take one message and hold it, asleep (never
 *                reply)
 *   threadflood  ThreadCreate until EAGAIN: exit 0 if that came at the
 *                limit of 256 threads a process (none may come sooner)
 *   memflood     threads with 64 MiB stacks until EAGAIN: exit 0 if that
 *                came while a quarter of all pages was still free
 *   qemu-exit    end QEMU with success the way the kernel does (aarch64:
 *                semihosting SYS_EXIT with status 0; x86-64: 0 to
 *                isa-debug-exit): refused to user mode, so killed by
 *                SIGILL (aarch64) or SIGSEGV (x86-64, port I/O)
 *   psci-off     aarch64: PSCI SYSTEM_OFF through HVC, the conduit of QEMU
 *                virt (QEMU would exit 0): UNDEFINED at EL0, so SIGILL
 *   trapflag     x86-64: set TF (popf): the single-step trap after the
 *                next instruction must kill us with SIGTRAP
 *   trapflag-kcall  the same with a kernel call as that instruction: the
 *                trap comes after the return to user mode, not in the
 *                kernel
 *   lastpage-kcall  x86-64: the null call from the last two bytes of
 *                user space, so its return address (0x800000000000) is
 *                not canonical: the process dies of SIGSEGV, the kernel
 *                stands (sysretq there would fault in the kernel)
 *   assert       a failing assert(): killed by SIGABRT (status 6)
 *   abort-handler  abort() with a SIGABRT handler that returns: still
 *                killed by SIGABRT
 *   env NAME VALUE  getenv(NAME) must be VALUE (the envp proc_spawn
 *                passed); then setenv/unsetenv work on it: exit 0
 *   dit, ssbs    aarch64: set (and for SSBS clear) the PSTATE bit, make a
 *                kernel call and sleep: exit 0 if it was kept; SIGILL
 *                when the CPU lacks the feature
 *   daif         aarch64: write DAIF from EL0: must die of SIGILL
 *   thread-return  threads whose functions return (a detached one, a
 *                joined one with a NULL attr): exit with the joined one's
 *                value, 42
 *   spin N       N threads (main among them) spin in user mode forever,
 *                until killed (test_smp: on every CPU)
 *   ask CHID     send to pid 1's channel CHID again and again, until
 *                killed (test_smp: killed just as its reply readies it)
 *   runmask HEX  exit 0 if our runmask and inherit mask are both HEX, as
 *                CPUs there are (test_proc: posix_spawn's runmask)
 *   getpid       exit with getpid() & 0x7f if it is the pid KerInfo shows
 *                for the user thread running on CPU 0, where it pins
 *                itself (ours), else 0
 *   stress-server  channel 1 served by 4 threads (test_msg_stress): each
 *                request {seq, client, len, bytes} is answered with the
 *                bytes reversed and their sum; a request of client -1 ends
 *                the server, exiting with 0 if it served exactly the count
 *                that request carries
 *   intr-eperm   without abilities: ThreadCtl(_NTO_TCTL_IO), the interrupt
 *                calls and mmap_device_memory give EPERM (test_intr)
 *   intr-die     with the I/O and physical-memory abilities: attach the
 *                spare line KerInfo names, let it fire (it stays masked
 *                for us) and exit 0 without detaching
 */
#include <assert.h>
#include <errno.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <sys/kinfo.h>
#include <time.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/kinfo.h>
#include <sys/neutrino.h>
#include <sys/procmgr.h>
#include <sys/wait.h>

#include "intrdev.h"

/* Spawn "child has HEX" (with the abilities set when abilities is not
 * NULL): 0 when it ran and held exactly expect, else 1. */
static int spawn_has(const uint64_t *abilities, uint64_t expect)
{
	char hex[20];
	char *args[] = {"child", "has", hex, NULL};
	posix_spawnattr_t a;
	pid_t pid;
	int st = -1;

	snprintf(hex, sizeof(hex), "%llx", (unsigned long long)expect);
	posix_spawnattr_init(&a);
	if (abilities)
		posix_spawnattr_setabilities(&a, *abilities);
	if (posix_spawn(&pid, "child", NULL, &a, args, NULL) || waitpid(pid, &st, 0) != pid)
		return 1;
	return st != 0;
}

/* Spawned with _NTO_ABILITY_SPAWN alone (test_proc): no child of ours
 * gets more, whether asked for or inherited. */
static int escalate(void)
{
	uint64_t mine = 0, all = _NTO_ABILITY_ALL, io = _NTO_ABILITY_IO, none = 0;
	char *args[] = {"child", "exit0", NULL};
	posix_spawnattr_t a;
	pid_t pid;
	int bad = ProcAbilities_r(0, NULL, &mine) != 0 || mine != _NTO_ABILITY_SPAWN;

	posix_spawnattr_init(&a);
	posix_spawnattr_setabilities(&a, all);
	bad += posix_spawn(&pid, "child", NULL, &a, args, NULL) != EPERM;
	posix_spawnattr_setabilities(&a, io);
	bad += posix_spawn(&pid, "child", NULL, &a, args, NULL) != EPERM;
	bad += spawn_has(NULL, _NTO_ABILITY_SPAWN);
	bad += spawn_has(&none, 0);
	return bad;
}

/* Spawned by test_proc, inheriting its abilities: procmgr_ability drops,
 * locks and keeps from children, all or nothing, and never gains. */
static int drop(void)
{
	const unsigned R = PROCMGR_ADN_ROOT, N = PROCMGR_ADN_NONROOT;
	uint64_t mine = 0, now = 1;
	int bad = ProcAbilities_r(0, NULL, &mine) != 0 || (mine & _NTO_ABILITY_PROCMGR) ||
		  !(mine & _NTO_ABILITY_CLOCKSET) || !(mine & _NTO_ABILITY_IO);

	/* Dropped and locked: EPERM to set the clock, to allow it again, to
	 * change it at all. */
	bad += procmgr_ability(0, R | PROCMGR_AOP_DENY | PROCMGR_AOP_LOCK | PROCMGR_AID_CLOCKSET,
			       PROCMGR_AID_EOL) != EOK;
	bad += ClockTime_r(CLOCK_REALTIME, &now, NULL) != -EPERM;
	bad += procmgr_ability(0, N | PROCMGR_AOP_ALLOW | PROCMGR_AID_CLOCKSET, PROCMGR_AID_EOL) !=
	       EPERM;
	bad += procmgr_ability(0, R | PROCMGR_AOP_DENY | PROCMGR_AID_CLOCKSET, PROCMGR_AID_EOL) !=
	       EPERM;
	/* No domain: nothing changes. All or nothing: the refused ALLOW
	 * keeps the DENY before it from happening. */
	bad += procmgr_ability(0, PROCMGR_AOP_DENY | PROCMGR_AID_IO, PROCMGR_AID_EOL) != EOK;
	bad += procmgr_ability(0, R | PROCMGR_AOP_DENY | PROCMGR_AID_IO,
			       R | PROCMGR_AOP_ALLOW | PROCMGR_AID_CLOCKSET, PROCMGR_AID_EOL) != EPERM;
	bad += ProcAbilities_r(0, NULL, &mine) != 0 || !(mine & _NTO_ABILITY_IO) ||
	       (mine & _NTO_ABILITY_CLOCKSET);
	/* Bad entries: EINVAL. */
	bad += procmgr_ability(0, R | PROCMGR_AOP_DENY | PROCMGR_AOP_SUBRANGE | PROCMGR_AID_PRIORITY,
			       (uint64_t)1, (uint64_t)63, PROCMGR_AID_EOL) != EINVAL;
	bad += procmgr_ability(0, R | PROCMGR_AOP_DENY | 100, PROCMGR_AID_EOL) != EINVAL;
	bad += procmgr_ability(0, R | 0x01000000 | PROCMGR_AID_IO, PROCMGR_AID_EOL) != EINVAL;
	bad += procmgr_ability(0, R | PROCMGR_AOP_DENY | PROCMGR_AOP_ALLOW | PROCMGR_AID_IO,
			       PROCMGR_AID_EOL) != EINVAL;
	/* Not our children: proc (EPERM), nobody (ESRCH). */
	bad += procmgr_ability(SYSMGR_PID, R | PROCMGR_AOP_DENY | PROCMGR_AID_IO, PROCMGR_AID_EOL) !=
	       EPERM;
	bad += procmgr_ability(4095, R | PROCMGR_AOP_DENY | PROCMGR_AID_IO, PROCMGR_AID_EOL) != ESRCH;
	/* Children do not inherit IO; then the drivers' idiom: keep two,
	 * deny and lock the rest. */
	bad += procmgr_ability(0, R | PROCMGR_AOP_INHERIT_NO | PROCMGR_AID_IO, PROCMGR_AID_EOL) != EOK;
	bad += spawn_has(NULL, mine & ~_NTO_ABILITY_IO);
	bad += procmgr_ability(0, N | PROCMGR_AOP_ALLOW | PROCMGR_AID_IO,
			       N | PROCMGR_AOP_ALLOW | PROCMGR_AID_SPAWN,
			       N | PROCMGR_AOP_DENY | PROCMGR_AOP_LOCK | PROCMGR_AID_EOL) != EOK;
	bad += ProcAbilities_r(0, NULL, &mine) != 0 ||
	       mine != (_NTO_ABILITY_IO | _NTO_ABILITY_SPAWN);
	bad += ChannelCreate_r(0) != -EPERM;
	bad += ThreadCtl_r(_NTO_TCTL_IO, NULL) != 0;
	bad += spawn_has(NULL, _NTO_ABILITY_SPAWN);
	return bad;
}

/* Never inlined: every call must run the very same instructions (an
 * inlined, differently contracted copy rounds differently). */
static __attribute__((noinline)) double recurrence(double seed)
{
	double x = seed, y = 1.0 / seed;

	for (int i = 0; i < 2000000; i++) {
		x = x * 1.0000001 + y;
		y = y * 0.9999999 - x * 1e-9;
	}
	return x + y;
}

struct stress_req {
	int32_t seq, client, len, pad;
	uint8_t data[4096];
};
struct stress_reply {
	int32_t seq, sum;
	uint8_t data[4096];
};

static int stress_chid;
static volatile long served;

static void *stress_serve(void *arg)
{
	static struct stress_req reqs[4];
	static struct stress_reply reps[4];
	long me = (long)arg;
	struct stress_req *q = &reqs[me];
	struct stress_reply *r = &reps[me];

	for (;;) {
		int rcvid = KerMsgReceive(stress_chid, q, sizeof(*q), NULL);
		if (rcvid <= 0)
			continue;
		if (q->client == -1) {
			int ok = served == q->seq;
			KerMsgReply(rcvid, 0, NULL, 0);
			_exit(ok ? 0 : 3);
		}
		if (q->len < 0 || q->len > 4096) {
			MsgError(rcvid, EINVAL);
			continue;
		}
		r->seq = q->seq;
		r->sum = 0;
		for (int i = 0; i < q->len; i++) {
			r->data[i] = q->data[q->len - 1 - i];
			r->sum += q->data[i];
		}
		__atomic_add_fetch(&served, 1, __ATOMIC_RELAXED);
		KerMsgReply(rcvid, q->client, r, 8 + q->len);
	}
	return NULL;
}

static void *nothing(void *a)
{
	return a;
}

static void *plus_one(void *a)
{
	return (void *)((long)a + 1);
}

static void *spin_forever(void *a)
{
	for (volatile unsigned long n = 0;; n++)
		;
	return a;
}

#if defined(__aarch64__)
/* Set the PSTATE bit the system register reg holds (mask) to on, make a
 * kernel call and sleep, and say whether it is still what we set. The
 * register names are the generic encodings (DIT S3_3_C4_C2_5, SSBS
 * S3_3_C4_C2_6), so no -march option is needed; without the feature
 * they are undefined instructions. */
#define PSTATE_KEPT(reg, mask, on)                                                                 \
	({                                                                                         \
		unsigned long v_ = (on) ? (mask) : 0, r1_, r2_;                                    \
		struct timespec ts_ = {0, 1000000};                                                \
		__asm__ volatile("msr " reg ", %0" ::"r"(v_));                                     \
		KerNop();                                                                          \
		__asm__ volatile("mrs %0, " reg : "=r"(r1_));                                      \
		nanosleep(&ts_, NULL);                                                             \
		__asm__ volatile("mrs %0, " reg : "=r"(r2_));                                      \
		(r1_ & (mask)) == v_ && (r2_ & (mask)) == v_;                                      \
	})
#endif

/* test_event's client: the request it sends (test_event.c has the same). */
struct ev_request {
	uint16_t type; /* 0x4556, above _IO_MAX */
	struct sigevent ev;
};

/* Modes: "ok" registers an updateable pulse event for the server, takes
 * 5 pulses (code 5, values 1..5) and dies; "disc" the same, then
 * disconnects and waits 300 ms before it exits; "fixed" registers a
 * pulse event the server may not update: 3 pulses of value 77, code 5;
 * "wrong" registers it for another server (itself); "unreg" connects
 * with _NTO_COF_REG_EVENTS and sends an unregistered event; "signal"
 * sends an unregistered SIGUSR1 event and takes it with sigtimedwait
 * (code 5, value 1234, from pid 1). Exit status
 * 0 when it saw what it should. */
static int evclient(const char *mode, int chid)
{
	int srv = ConnectAttach(0, 1, chid, _NTO_SIDE_CHANNEL,
				strcmp(mode, "unreg") ? 0 : _NTO_COF_REG_EVENTS);
	int mine = ChannelCreate(_NTO_CHF_PRIVATE);
	int self = ConnectAttach(0, 0, mine, _NTO_SIDE_CHANNEL, 0);
	struct ev_request rq = {.type = 0x4556};
	int fixed = !strcmp(mode, "fixed");
	struct _pulse p;

	if (srv < 0 || mine < 0 || self < 0)
		return 10;
	SIGEV_PULSE_INIT(&rq.ev, self, 10, 5, fixed ? 77 : 0);
	if (!fixed)
		SIGEV_MAKE_UPDATEABLE(&rq.ev);
	if (strcmp(mode, "unreg") && strcmp(mode, "signal")) {
		if (MsgRegisterEvent_r(&rq.ev, !strcmp(mode, "wrong") ? self : srv) != 0)
			return 11;
		if (!(rq.ev.sigev_notify & SIGEV_FLAG_HANDLE) ||
		    rq.ev.sigev_handle == SIGEV_INVALID_HANDLE)
			return 12;
	}
	if (!strcmp(mode, "signal")) {
		/* An unregistered signal event: SIGUSR1, code 5, value 1234. */
		sigset_t set;
		siginfo_t si;
		struct timespec to = {2, 0};
		sigemptyset(&set);
		sigaddset(&set, SIGUSR1);
		sigprocmask(SIG_BLOCK, &set, NULL);
		SIGEV_SIGNAL_CODE_INIT(&rq.ev, SIGUSR1, 1234, 5);
		if (MsgSend_r(srv, &rq, sizeof(rq), NULL, 0) != 0)
			return 30;
		if (sigtimedwait(&set, &si, &to) != SIGUSR1)
			return 31;
		return si.si_code == 5 && si.si_value.sival_int == 1234 && si.si_pid == 1 ? 0 : 32;
	}
	long st = MsgSend_r(srv, &rq, sizeof(rq), NULL, 0);
	if (!strcmp(mode, "wrong") || !strcmp(mode, "unreg"))
		return st == -EACCES ? 0 : 13; /* the server tells what it got */
	if (st != 0)
		return 14;
	for (int k = 1; k <= (fixed ? 3 : 5); k++) {
		uint64_t ns = 2000000000ull;
		TimerTimeout_r(CLOCK_MONOTONIC, _NTO_TIMEOUT_RECEIVE, NULL, &ns, NULL);
		if (MsgReceive_r(mine, &p, sizeof(p), NULL) != 0 || p.code != 5 ||
		    p.value.sival_int != (fixed ? 77 : k))
			return 20 + k;
	}
	if (!strcmp(mode, "disc")) {
		struct timespec ts = {0, 300000000};
		ConnectDetach(srv);
		nanosleep(&ts, NULL); /* alive while the server lets go of us */
	}
	return 0;
}

static void abort_returns(int signo)
{
	(void)signo;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	if (!strcmp(argv[1], "eperm")) {
		struct sched_param p = {.sched_priority = 10};
		int bad = 0;
		bad += ProcCreate_r("x") != -EPERM;
		bad += ProcConnectAttach_r(1, 1, 1, _NTO_SIDE_CHANNEL, 0) != -EPERM;
		bad += ProcMemMap_r(1, 0x10000000, 4096, PROT_READ) != -EPERM;
		bad += ProcMemWrite_r(1, 0x10000000, "x", 1) != -EPERM;
		bad += ProcWait_r(-1, NULL) != -EPERM;
		bad += ProcDestroy_r(1, 0) != -EPERM;
		bad += ThreadCreate_r(1, nothing, NULL, NULL) != -EPERM;
		bad += SchedSet_r(1, 1, SCHED_FIFO, &p) != -EPERM;
		/* Above 63 needs the priority ability; 63 itself does not. */
		struct sched_param hi = {.sched_priority = 64}, ok63 = {.sched_priority = 63};
		bad += SchedSet_r(0, 0, SCHED_NOCHANGE, &hi) != -EPERM;
		bad += SchedSet_r(0, 0, SCHED_NOCHANGE, &ok63) != 0;
		bad += SchedSet_r(0, 0, SCHED_NOCHANGE, &p) != 0;
		struct _thread_attr a = {0};
		a.__flags = PTHREAD_EXPLICIT_SCHED;
		a.__policy = SCHED_FIFO;
		a.__param.sched_priority = 70;
		bad += ThreadCreate_r(0, nothing, NULL, &a) != -EPERM;
		/* Setting CLOCK_REALTIME needs the clock ability. */
		uint64_t now = 1;
		bad += ClockTime_r(CLOCK_REALTIME, &now, NULL) != -EPERM;
		bad += ClockTime_r(CLOCK_REALTIME, NULL, &now) != 0;
		/* Abilities: we have none, cannot take any, may drop (none),
		 * may not read another's. */
		uint64_t all = _NTO_ABILITY_ALL, mine = 1;
		bad += ProcAbilities_r(0, &all, &mine) != 0 || mine != 0;
		bad += ProcAbilities_r(1, &all, NULL) != -EPERM;
		bad += ProcAbilities_r(1, NULL, &mine) != -EPERM;
		bad += ProcAbilities_r(0, (uint64_t *)8, NULL) != -EFAULT;
		bad += ProcAbilities_r(0, NULL, (uint64_t *)8) != -EFAULT;
		/* proc's memory and manager calls, even on ourselves; another
		 * process's scheduling. */
		bad += KerMemMap_r(0, 0, 4096, PROT_READ, 0) != -EPERM;
		bad += KerMemUnmap_r(0, 0x10000000, 4096) != -EPERM;
		bad += KerMemProtect_r(0, 0x10000000, 4096, PROT_READ) != -EPERM;
		bad += KerProcManager_r(1) != -EPERM;
		bad += ProcCreate_r("child") != -EPERM;
		bad += ProcWait_r(-1, NULL) != -EPERM;
		bad += ProcDestroy_r(1, 0) != -EPERM;
		bad += SchedGet_r(1, 1, &p) != -EPERM;
		bad += SchedSet_r(1, 1, SCHED_NOCHANGE, &p) != -EPERM;
		/* Public channels need the ability; private ones do not. */
		bad += ChannelCreate_r(0) != -EPERM;
		int priv = ChannelCreate_r(_NTO_CHF_PRIVATE);
		bad += priv <= 0 || ChannelDestroy_r(priv) != 0;
		return bad;
	}
	if (!strcmp(argv[1], "intr-eperm")) {
		struct intrdev d;
		struct sigevent ev = {.sigev_notify = SIGEV_INTR};
		int bad = intrdev_open(&d) != -EPERM; /* x86-64: ThreadCtl */
		bad += ThreadCtl_r(_NTO_TCTL_IO, NULL) != -EPERM;
		bad += InterruptAttachEvent_r((int)d.info.timer_line, &ev, 0) != -EPERM;
		bad += InterruptMask_r((int)d.info.timer_line, 1) != -EPERM;
		bad += InterruptUnmask_r((int)d.info.timer_line, -1) != -EPERM;
		bad += InterruptDetach_r(1) != -ESRCH; /* none of ours */
		bad += mmap_device_memory(NULL, 4096, PROT_READ, 0, d.info.timer_base) != MAP_FAILED ||
		       errno != EPERM;
		return bad;
	}
	if (!strcmp(argv[1], "intr-die")) {
		struct intrdev d;
		struct sigevent ev = {.sigev_notify = SIGEV_INTR};
		if (intrdev_open(&d))
			return 1;
		if (InterruptAttachEvent_r((int)d.info.timer_line, &ev, 0) <= 0)
			return 2;
		spare_raise(&d);
		uint64_t ns = 1000000000;
		TimerTimeout_r(CLOCK_MONOTONIC, _NTO_TIMEOUT_INTR, NULL, &ns, NULL);
		return InterruptWait_r(0, NULL) == 0 ? 0 : 3;
	}
	if (!strcmp(argv[1], "exit") && argc == 3)
		return atoi(argv[2]);
	if (!strcmp(argv[1], "procenv")) /* argv and environment as test_proc sends them */
		return argc == 4 && !strcmp(argv[2], "two words") && !strcmp(argv[3], "") &&
			       getenv("MUON_A") && !strcmp(getenv("MUON_A"), "1") &&
			       getenv("MUON_B") && !strcmp(getenv("MUON_B"), "x=y") &&
			       getppid() == atoi(getenv("MUON_PARENT"))
			   ? 0
			   : 1;
	if (!strcmp(argv[1], "escalate"))
		return escalate();
	if (!strcmp(argv[1], "has") && argc == 3) {
		uint64_t mine;
		return ProcAbilities_r(0, NULL, &mine) == 0 && mine == strtoull(argv[2], NULL, 16)
			   ? 0
			   : 1;
	}
	if (!strcmp(argv[1], "drop"))
		return drop();
	if (!strcmp(argv[1], "orphan-parent") && argc == 4) {
		/* Spawn "orphan" (telling it where test_proc listens), exit with
		 * its pid. */
		char *a[] = {"child", "orphan", argv[2], argv[3], NULL};
		pid_t pid;
		return posix_spawn(&pid, "child", NULL, NULL, a, NULL) ? 0 : pid;
	}
	if (!strcmp(argv[1], "orphan") && argc == 4) {
		/* Tell test_proc we are here, wait for its go (our parent has
		 * ended by then), send it our getppid(). */
		int co = ConnectAttach(0, atoi(argv[2]), atoi(argv[3]), _NTO_SIDE_CHANNEL, 0);
		int ppid;
		if (MsgSend(co, "r", 1, NULL, 0) != 0)
			return 1;
		ppid = getppid();
		return MsgSend(co, &ppid, sizeof(ppid), NULL, 0) == 0 ? 0 : 2;
	}
	if (!strcmp(argv[1], "evclient") && argc == 4)
		return evclient(argv[2], atoi(argv[3]));
	if (!strcmp(argv[1], "timers")) {
		int chid = ChannelCreate(_NTO_CHF_PRIVATE);
		int coid = ConnectAttach(0, 0, chid, _NTO_SIDE_CHANNEL, 0);
		struct _itimer t = {1000000, 1000000};
		struct sigevent ev;
		struct _pulse p;
		SIGEV_PULSE_INIT(&ev, coid, 10, 1, 0);
		for (int i = 0; i < 10; i++)
			if (TimerSettime_r(TimerCreate_r(CLOCK_MONOTONIC, &ev), 0, &t, NULL) < 0)
				return 1;
		return MsgReceive_r(chid, &p, sizeof(p), NULL) == 0 ? 0 : 2;
	}
	if (!strcmp(argv[1], "abilities")) {
		/* Given the clock ability at spawn (test_core): it works; then
		 * dropped, EPERM. */
		uint64_t now, mine = 0, none = 0;
		int bad = ProcAbilities_r(0, NULL, &mine) != 0 || mine != _NTO_ABILITY_CLOCKSET;
		bad += ClockTime_r(CLOCK_REALTIME, NULL, &now) != 0;
		bad += ClockTime_r(CLOCK_REALTIME, &now, NULL) != 0;
		bad += ProcAbilities_r(0, &none, &mine) != 0 || mine != 0;
		bad += ClockTime_r(CLOCK_REALTIME, &now, NULL) != -EPERM;
		return bad;
	}
	if (!strcmp(argv[1], "peek") && argc == 4) {
		volatile unsigned long *a = (void *)strtoul(argv[2], NULL, 0);
		return *a == strtoul(argv[3], NULL, 0) ? 1 : 0;
	}
	if (!strcmp(argv[1], "poke") && argc == 3) {
		*(volatile unsigned long *)strtoul(argv[2], NULL, 0) = 0xbad;
		return 0;
	}
	if (!strcmp(argv[1], "fault")) {
		*(volatile int *)0xffff800000000000ul = 1;
		return 1;
	}
	if (!strcmp(argv[1], "undef")) {
#if defined(__x86_64__)
		__asm__ volatile("ud2");
#else
		__asm__ volatile(".inst 0x00000000"); /* udf #0 */
#endif
		return 1;
	}
	if (!strcmp(argv[1], "divzero")) {
		volatile int zero = 0;
		return 100 / zero;
	}
	if (!strcmp(argv[1], "fpu") && argc == 3) {
		double seed = (double)strtol(argv[2], NULL, 0) + 0.5;
		return recurrence(seed) == recurrence(seed) ? 0 : 1;
	}
	if (!strcmp(argv[1], "stress-server")) {
		struct _thread_attr a = {0};
		stress_chid = ChannelCreate(0); /* chid 1: the first in this process */
		for (long i = 1; i < 4; i++)
			ThreadCreate(0, stress_serve, (void *)i, &a);
		stress_serve((void *)0);
	}
	if (!strcmp(argv[1], "ask") && argc > 2) {
		int c = ConnectAttach(0, 1, atoi(argv[2]), _NTO_SIDE_CHANNEL, 0);
		for (unsigned n = 0;; n++)
			if (MsgSend(c, &n, sizeof(n), NULL, 0) < 0)
				return 1;
	}
	if (!strcmp(argv[1], "runmask") && argc > 2) {
		struct ker_info_counts c = {0};
		struct _thread_runmask rm = {1, {0}, {0}}; /* 0: unchanged */
		KerInfo(KER_INFO_COUNTS, &c, sizeof(c));
		unsigned want = (unsigned)strtoul(argv[2], NULL, 16) & (unsigned)((1ull << c.cpus) - 1);
		if (ThreadCtl(_NTO_TCTL_RUNMASK_GET_AND_SET_INHERIT, &rm) != 0)
			return 2;
		return rm.runmask[0] == want && rm.inherit_mask[0] == want ? 0 : 1;
	}
	if (!strcmp(argv[1], "spin") && argc > 2) {
		struct _thread_attr a = {0};
		for (int i = 1; i < atoi(argv[2]); i++)
			ThreadCreate(0, spin_forever, NULL, &a);
		spin_forever(NULL);
	}
	if (!strcmp(argv[1], "lastthread")) {
		struct _thread_attr a = {0};
		if (ThreadCreate_r(0, nothing, NULL, &a) <= 0)
			return 1;
		ThreadDestroy(0, -1, (void *)5); /* the last live thread */
		return 1;
	}
	if (!strcmp(argv[1], "exit0"))
		return 0;
	if (!strcmp(argv[1], "hold")) {
		int ch = ChannelCreate(0);
		uint64_t forever = UINT64_MAX;
		MsgReceive(ch, NULL, 0, NULL);
		ClockNanosleep(CLOCK_MONOTONIC, 0, &forever); /* holding it */
		return 1;
	}
	if (!strcmp(argv[1], "threadflood")) {
		struct _thread_attr a = {0};
		static char stk[8192] __attribute__((aligned(16)));
		a.__flags = PTHREAD_CREATE_DETACHED;
		a.__stackaddr = stk; /* all on one stack: none of them runs */
		a.__stacksize = sizeof(stk);
		int n = 0, r;
		while ((r = ThreadCreate_r(0, nothing, NULL, &a)) > 0 && n < 10000)
			n++;
		/* 256 threads a process, this one included. */
		return r == -EAGAIN && n == 255 ? 0 : 1;
	}
	if (!strcmp(argv[1], "memflood")) {
		struct _thread_attr a = {0};
		a.__flags = PTHREAD_CREATE_DETACHED;
		a.__stacksize = 64ul << 20; /* mapped (and charged) at once */
		int n = 0, r;
		while ((r = ThreadCreate_r(0, nothing, NULL, &a)) > 0 && n < 100)
			n++;
		struct ker_info_counts c = {0};
		KerInfo(KER_INFO_COUNTS, &c, sizeof(c));
		/* Half of all pages at most: the machine keeps the rest. */
		return r == -EAGAIN && c.free_pages > c.total_pages / 4 ? 0 : 1;
	}
	if (!strcmp(argv[1], "qemu-exit")) {
#if defined(__x86_64__)
		__asm__ volatile("outb %b0, %w1" ::"a"(0), "Nd"(0xf4));
#else
		/* {ADP_Stopped_ApplicationExit, status 0} */
		static const unsigned long block[2] = {0x20026, 0};
		register unsigned long x0 __asm__("x0") = 0x18; /* SYS_EXIT */
		register const unsigned long *x1 __asm__("x1") = block;
		__asm__ volatile("hlt #0xf000" : "+r"(x0) : "r"(x1) : "memory");
#endif
		return 1;
	}
#if defined(__aarch64__)
	if (!strcmp(argv[1], "psci-off")) {
		register unsigned long x0 __asm__("x0") = 0x84000008; /* SYSTEM_OFF */
		__asm__ volatile("hvc #0" : "+r"(x0)::"memory");
		return 1;
	}
#endif
#if defined(__x86_64__)
	/* The pushes stay below the red zone. */
	if (!strcmp(argv[1], "trapflag")) {
		__asm__ volatile("lea -128(%%rsp), %%rsp\n\t"
				 "pushfq\n\t"
				 "orq $0x100, (%%rsp)\n\t"
				 "popfq\n\t"
				 "nop\n\t"
				 "nop\n\t"
				 "pushfq\n\t"
				 "andq $~0x100, (%%rsp)\n\t"
				 "popfq\n\t"
				 "lea 128(%%rsp), %%rsp" ::
					 : "memory", "cc");
		return 1;
	}
	if (!strcmp(argv[1], "lastpage-kcall")) {
		uintptr_t page = 0x7ffffffff000ul;
		long va = KerMemMap(0, page, 4096, PROT_READ | PROT_WRITE, MAP_FIXED);
		if (va != (long)page)
			return 2;
		((volatile uint8_t *)page)[4094] = 0x0f; /* syscall */
		((volatile uint8_t *)page)[4095] = 0x05;
		if (KerMemProtect(0, page, 4096, PROT_READ | PROT_EXEC))
			return 3;
		__asm__ volatile("xorl %%eax, %%eax\n\t"
				 "jmp *%0" ::"r"(page + 4094)
				 : "rax", "rcx", "r11", "memory");
		return 4; /* not reached */
	}
	if (!strcmp(argv[1], "trapflag-kcall")) {
		long rax = __KER_KerNop;
		__asm__ volatile("lea -128(%%rsp), %%rsp\n\t"
				 "pushfq\n\t"
				 "orq $0x100, (%%rsp)\n\t"
				 "popfq\n\t"
				 "syscall\n\t"
				 "nop\n\t"
				 "pushfq\n\t"
				 "andq $~0x100, (%%rsp)\n\t"
				 "popfq\n\t"
				 "lea 128(%%rsp), %%rsp"
				 : "+a"(rax)
				 :
				 : "rcx", "r11", "rdi", "rsi", "rdx", "r10", "r8", "r9", "memory", "cc");
		return 1;
	}
#else
	if (!strcmp(argv[1], "dit"))
		return PSTATE_KEPT("s3_3_c4_c2_5", 1ul << 24, 1) ? 0 : 1;
	if (!strcmp(argv[1], "ssbs"))
		return PSTATE_KEPT("s3_3_c4_c2_6", 1ul << 12, 1) &&
				       PSTATE_KEPT("s3_3_c4_c2_6", 1ul << 12, 0)
			       ? 0
			       : 1;
	if (!strcmp(argv[1], "daif")) {
		__asm__ volatile("msr daifset, #2" ::: "memory");
		return 1;
	}
#endif
	if (!strcmp(argv[1], "thread-return")) {
		struct _thread_attr det = {0};
		void *v = NULL;
		det.__flags = PTHREAD_CREATE_DETACHED;
		if (ThreadCreate(0, plus_one, (void *)1, &det) <= 0)
			return 1;
		int t = ThreadCreate(0, plus_one, (void *)41, NULL);
		if (t <= 0 || ThreadJoin(t, &v) != 0)
			return 2;
		SchedYield(); /* the detached one too, at our priority */
		return (int)(long)v;
	}
	if (!strcmp(argv[1], "getpid")) {
		/* On CPU 0 alone: the user thread RUNNING there is us (other
		 * CPUs may run others, our parent among them). */
		static struct ker_thread_info ti[64];
		ThreadCtl(_NTO_TCTL_RUNMASK, (void *)1);
		long n = KerInfo(KER_INFO_THREADS, ti, sizeof(ti));
		for (long i = 0; i < n && i < 64; i++)
			if (ti[i].state == 1 && ti[i].pid > 0 && ti[i].cpu == 0)
				return ti[i].pid == getpid() ? getpid() & 0x7f : 0;
		return 0;
	}
	if (!strcmp(argv[1], "assert")) {
		volatile int two = 2;
		assert(two == 3);
		return 0;
	}
	if (!strcmp(argv[1], "abort-handler")) {
		signal(SIGABRT, abort_returns);
		abort();
	}
	if (!strcmp(argv[1], "env") && argc == 4) {
		const char *v = getenv(argv[2]);
		if (!v || strcmp(v, argv[3]))
			return 1;
		if (setenv(argv[2], "changed", 1) || strcmp(getenv(argv[2]), "changed"))
			return 2;
		if (setenv("CHILD_NEW", "1", 0) || strcmp(getenv("CHILD_NEW"), "1"))
			return 3;
		if (unsetenv(argv[2]) || getenv(argv[2]))
			return 4;
		return 0;
	}
	if (!strcmp(argv[1], "kptr"))
		return KerConsoleWrite_r((const char *)0xffffffff80200000ul, 8) == -EFAULT ? 0 : 1;
	return 2;
}
