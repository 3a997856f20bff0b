/*
 * Runmasks and threads on several CPUs (QNX's ThreadCtl page:
 * _NTO_TCTL_RUNMASK, _NTO_TCTL_RUNMASK_GET_AND_SET,
 * _NTO_TCTL_RUNMASK_GET_AND_SET_INHERIT). Booted on one CPU and with
 * -smp 4 (tools/run-tests); what needs more CPUs checks the count
 * KerInfo gives.
 *  - the mask read back is every CPU there is; masks naming none of them
 *    are EINVAL, a bad pointer EFAULT;
 *  - pinned to CPU n, the thread runs there (KerInfo's cpu), each n;
 *  - KerInfo's per-CPU counts: one per CPU, in order; each CPU's idle
 *    thread says it is there;
 *  - the inherit mask is what the threads it creates run on;
 *  - a ping-pong of messages between threads pinned to two CPUs, every
 *    reply checked; the per-CPU counts KerInfo gives move as they must
 *    (the kernel lock is taken only with several CPUs);
 *  - a stress run: 8 client threads spread over the CPUs hammer 4 server
 *    threads pinned one to a CPU, every reply checked, every message
 *    counted once;
 *  - TLB shootdown: a thread on CPU 1 keeps reading a page that the main
 *    thread on CPU 0 unmaps; once munmap has returned, its next read must
 *    fault (a stale translation on CPU 1 would let it read on);
 *  - hostile, across CPUs: a thread spinning in user mode on another CPU
 *    is destroyed and joined; a 64 KiB message whose buffer a thread on a
 *    third CPU keeps rewriting, unmapping and mapping again while it is
 *    sent ends each time in success or EFAULT, never a crash or a hang;
 *    round trips the IPC fast path makes while a thread on another CPU
 *    signals the client again as soon as it took the last signal, each
 *    ending in its reply or EINTR;
 *    a pulse to a receiver above us goes to an idle CPU, as the kick
 *    sends it, not to ours; a
 *    process whose four threads spin on the other CPUs is killed and
 *    reaped, its threads and itself gone; 50 processes killed just as a
 *    reply readies them all end;
 *  - object counts back at their baseline.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/kinfo.h>
#include <sys/mman.h>
#include <sys/neutrino.h>
#include <sys/wait.h>
#include <time.h>

#include "../../proc/proc.h"
#include "msgtest.h"
#include "segv.h"
#include "tap.h"

#define ROUNDS 1000

static unsigned ncpus;

/* The CPU KerInfo says the calling thread runs on (its own buffer: the
 * threads here ask at the same time). */
static unsigned my_cpu(void)
{
	struct ker_thread_info ti[64];
	long n = KerInfo(KER_INFO_THREADS, ti, sizeof(ti));

	for (long i = 0; i < n && i < 64; i++)
		if (ti[i].pid == MYPID && ti[i].tid == (int)pthread_self())
			return ti[i].cpu;
	return ~0u;
}

/* Run on CPU n alone (or CPU 0 if there is no CPU n); on any. */
static void pin(unsigned n)
{
	ThreadCtl(_NTO_TCTL_RUNMASK, (void *)(uintptr_t)(1u << (n < ncpus ? n : 0)));
}

static void unpin(void)
{
	ThreadCtl(_NTO_TCTL_RUNMASK, (void *)(uintptr_t)((1ull << ncpus) - 1));
}

/* Unpinned, with the objects a part made all gone (1 point). */
static void at_baseline(struct ker_info_counts before)
{
	unpin();
	struct ker_info_counts after = counts();
	CHECK(after.threads == before.threads && after.channels == before.channels &&
	      after.connections == before.connections && after.pulses == before.pulses);
}

static void masks(void) /* 6 points */
{
	unsigned all = (unsigned)((1ull << ncpus) - 1), m = 0;

	CHECK(ThreadCtl(_NTO_TCTL_RUNMASK_GET_AND_SET, &m) == 0 && m == all);
	CHECK_EQ(ThreadCtl_r(_NTO_TCTL_RUNMASK, (void *)0), -EINVAL);
	CHECK_EQ(ThreadCtl_r(_NTO_TCTL_RUNMASK, (void *)(uintptr_t)(1u << ncpus)), -EINVAL);
	m = 1u << ncpus;
	CHECK_EQ(ThreadCtl_r(_NTO_TCTL_RUNMASK_GET_AND_SET, &m), -EINVAL);
	CHECK_EQ(ThreadCtl_r(_NTO_TCTL_RUNMASK_GET_AND_SET, (void *)8), -EFAULT);
	struct _thread_runmask bad = {2, {1}, {1}};
	CHECK_EQ(ThreadCtl_r(_NTO_TCTL_RUNMASK_GET_AND_SET_INHERIT, &bad), -EINVAL);
}

static void pinned(void) /* 1 point */
{
	int bad = 0;

	for (unsigned n = 0; n < ncpus; n++) {
		bad += ThreadCtl(_NTO_TCTL_RUNMASK, (void *)(uintptr_t)(1u << n)) != 0;
		/* A kernel call later we still run there. */
		SchedYield();
		if (my_cpu() != n) {
			printf("#   pinned to cpu %u, running on %u\n", n, my_cpu());
			bad++;
		}
	}
	CHECK_EQ(bad, 0);
	unpin();
}

static void *where(void *arg)
{
	(void)arg;
	return (void *)(uintptr_t)my_cpu();
}

static void inherited(void) /* 2 points */
{
	unsigned last = ncpus - 1;
	struct _thread_runmask rm = {1, {0}, {1u << last}}, now = {1, {0}, {0}};
	pthread_t t;
	void *ran = NULL;

	CHECK(ThreadCtl(_NTO_TCTL_RUNMASK_GET_AND_SET_INHERIT, &rm) == 0 &&
	      ThreadCtl(_NTO_TCTL_RUNMASK_GET_AND_SET_INHERIT, &now) == 0 &&
	      now.inherit_mask[0] == 1u << last);
	pthread_create(&t, NULL, where, NULL);
	pthread_join(t, &ran);
	CHECK_EQ((uintptr_t)ran, last);
	struct _thread_runmask back = {1, {0}, {(unsigned)((1ull << ncpus) - 1)}};
	ThreadCtl(_NTO_TCTL_RUNMASK_GET_AND_SET_INHERIT, &back);
}

static int chid;

static void *server(void *arg)
{
	unsigned cpu = (unsigned)(uintptr_t)arg;
	unsigned v;

	pin(cpu);
	for (int i = 0; i < ROUNDS; i++) {
		int rcvid = MsgReceive(chid, &v, sizeof(v), NULL);
		v = ~v;
		MsgReply(rcvid, (int)my_cpu(), &v, sizeof(v));
	}
	return NULL;
}

/* Every CPU's counts; the count of CPUs. */
static long cpu_info(struct ker_cpu_info *ci)
{
	return KerInfo(KER_INFO_CPUS, ci, 8 * sizeof(*ci));
}

static void kinfo_cpus(void) /* 4 points */
{
	struct ker_cpu_info ci[8];
	int bad = 0;

	memset(ci, 0xff, sizeof(ci));
	CHECK_EQ(cpu_info(ci), (long)ncpus);
	for (unsigned i = 0; i < ncpus; i++)
		bad += ci[i].id != i || ci[i].reserved != 0;
	CHECK_EQ(bad, 0);
	/* Each CPU has its idle thread (pid 0 at priority 0), there. */
	struct ker_thread_info ti[64];
	long n = KerInfo(KER_INFO_THREADS, ti, sizeof(ti));
	unsigned idle = 0, seen = 0;
	for (long i = 0; i < n && i < 64; i++)
		if (ti[i].pid == 0 && ti[i].priority == 0) {
			idle++;
			seen |= 1u << ti[i].cpu;
		}
	if (!CHECK(idle == ncpus && seen == (1u << ncpus) - 1))
		printf("#   %u idle threads on CPUs 0x%x\n", idle, seen);
	/* Too short a buffer gets nothing but the count; a bad one EFAULT. */
	CHECK(KerInfo(KER_INFO_CPUS, ci, sizeof(ci[0]) - 1) == (long)ncpus &&
	      KerInfo_r(KER_INFO_CPUS, (void *)8, sizeof(ci[0])) == -EFAULT);
}

static void ping_pong(void) /* 4 points */
{
	struct ker_info_counts before = counts();
	struct ker_cpu_info c0[8], c1[8];
	unsigned there = ncpus > 1 ? 1 : 0;
	pthread_t t;
	int bad = 0, coid;

	chid = ChannelCreate(_NTO_CHF_PRIVATE);
	coid = ConnectAttach(0, 0, chid, _NTO_SIDE_CHANNEL, 0);
	pin(0);
	cpu_info(c0);
	pthread_create(&t, NULL, server, (void *)(uintptr_t)there);
	for (unsigned i = 0; i < ROUNDS; i++) {
		unsigned v = i * 2654435761u, r = 0;
		int cpu = MsgSend(coid, &v, sizeof(v), &r, sizeof(r));
		if (r != ~v || cpu != (int)there || my_cpu() != 0)
			bad++;
	}
	pthread_join(t, NULL);
	cpu_info(c1);
	CHECK_EQ(bad, 0);
	/* Each round is a switch to the server and back, on its CPU and on
	 * ours; with two CPUs each send and reply takes the lock and each
	 * wakes the other CPU's thread with a kick. */
	uint64_t sw = c1[there].switches - c0[there].switches;
	CHECK(c1[0].switches - c0[0].switches >= ROUNDS && sw >= ROUNDS);
	if (there) {
		uint64_t kicks = c1[0].kicks - c0[0].kicks + c1[1].kicks - c0[1].kicks;
		if (!CHECK(c1[0].lock_taken - c0[0].lock_taken >= ROUNDS &&
			   c1[1].lock_taken - c0[1].lock_taken >= ROUNDS && kicks >= ROUNDS))
			printf("#   lock taken %llu / %llu times, %llu kicks\n",
			       (unsigned long long)(c1[0].lock_taken - c0[0].lock_taken),
			       (unsigned long long)(c1[1].lock_taken - c0[1].lock_taken),
			       (unsigned long long)kicks);
	} else {
		CHECK(c1[0].lock_taken == 0 && c1[0].lock_hold_ns == 0 && c1[0].kicks == 0);
	}
	ConnectDetach(coid);
	ChannelDestroy(chid);
	at_baseline(before);
}

/* --- 8 clients, 4 servers ------------------------------------------------------ */

#define CLIENTS 8
#define SERVERS 4
#define SENDS	250 /* per client */

struct req {
	uint32_t client, seq;
	uint8_t data[48];
};

struct rep {
	uint32_t client, seq, server;
	uint8_t data[48]; /* the request's, each byte complemented */
};

static int stress_coid;
static uint32_t served[SERVERS];

static void *stress_server(void *arg)
{
	uint32_t me = (uint32_t)(uintptr_t)arg;
	struct req q;
	struct rep r;

	pin(me % ncpus);
	for (;;) {
		int rcvid = MsgReceive(chid, &q, sizeof(q), NULL);
		if (rcvid == 0) /* the pulse that ends us */
			return NULL;
		r.client = q.client;
		r.seq = q.seq;
		r.server = me;
		for (unsigned i = 0; i < sizeof(q.data); i++)
			r.data[i] = (uint8_t)(0xff ^ q.data[i]);
		served[me]++;
		MsgReply(rcvid, 0, &r, sizeof(r));
	}
}

static void *stress_client(void *arg)
{
	uint32_t me = (uint32_t)(uintptr_t)arg;
	uintptr_t bad = 0;

	pin(me % ncpus);
	for (uint32_t seq = 0; seq < SENDS; seq++) {
		struct req q = {me, seq, {0}};
		struct rep r;
		for (unsigned i = 0; i < sizeof(q.data); i++)
			q.data[i] = (uint8_t)(me * 131 + seq * 7 + i);
		memset(&r, 0, sizeof(r));
		bad += MsgSend(stress_coid, &q, sizeof(q), &r, sizeof(r)) != 0 || r.client != me ||
		       r.seq != seq || r.server >= SERVERS;
		for (unsigned i = 0; i < sizeof(q.data); i++)
			bad += (r.data[i] ^ q.data[i]) != 0xff;
	}
	return (void *)bad;
}

static void stress(void) /* 3 points */
{
	struct ker_info_counts before = counts();
	pthread_t s[SERVERS], c[CLIENTS];
	uintptr_t bad = 0;
	uint32_t total = 0, busy = 0;

	chid = ChannelCreate(_NTO_CHF_PRIVATE);
	stress_coid = ConnectAttach(0, 0, chid, _NTO_SIDE_CHANNEL, 0);
	for (uintptr_t i = 0; i < SERVERS; i++)
		pthread_create(&s[i], NULL, stress_server, (void *)i);
	for (uintptr_t i = 0; i < CLIENTS; i++)
		pthread_create(&c[i], NULL, stress_client, (void *)i);
	for (int i = 0; i < CLIENTS; i++) {
		void *v = NULL;
		pthread_join(c[i], &v);
		bad += (uintptr_t)v;
	}
	for (int i = 0; i < SERVERS; i++)
		MsgSendPulse(stress_coid, -1, 1, 0);
	for (int i = 0; i < SERVERS; i++) {
		pthread_join(s[i], NULL);
		total += served[i];
		busy += served[i] != 0;
	}
	CHECK_EQ(bad, 0);
	if (!CHECK_EQ(total, CLIENTS * SENDS))
		printf("#   served %u %u %u %u\n", served[0], served[1], served[2], served[3]);
	ConnectDetach(stress_coid);
	ChannelDestroy(chid);
	at_baseline(before);
	printf("# stress: %u messages, %u of %u servers took some\n", total, busy, SERVERS);
}

/* --- TLB shootdown ------------------------------------------------------------ */

#define MAGIC 0x5eedf00du

static volatile uint32_t *page;
static int gone; /* munmap has returned */

struct reader {
	unsigned cpu;
	long reads, stale; /* before munmap returned; after it */
	unsigned ran_on;
};

static void *reader(void *arg)
{
	struct reader *r = arg;

	pin(r->cpu);
	r->ran_on = my_cpu();
	for (;;) {
		int after = __atomic_load_n(&gone, __ATOMIC_ACQUIRE);
		if (*page != MAGIC)
			break;
		if (after && ++r->stale > 100000) /* never faults: give up */
			break;
		__atomic_store_n(&r->reads, r->reads + !after, __ATOMIC_RELEASE);
	}
	return NULL;
}

static void shootdown(void) /* 3 points */
{
	struct reader r = {ncpus > 1 ? 1 : 0, 0, 0, ~0u};
	pthread_t t;

	segv_catch();
	pin(0);
	page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANON, -1, 0);
	*page = MAGIC;
	pthread_create(&t, NULL, reader, &r);
	/* It has read the page many times (on one CPU: it ran a while). */
	while (__atomic_load_n(&r.reads, __ATOMIC_ACQUIRE) < 1000)
		SchedYield();
	struct ker_cpu_info c0[8], c1[8];
	cpu_info(c0);
	int um = munmap((void *)page, 4096);
	cpu_info(c1);
	__atomic_store_n(&gone, 1, __ATOMIC_RELEASE);
	pthread_join(t, NULL);
	if (!CHECK(um == 0 && faults == 1 && r.stale == 0))
		printf("#   munmap %d, %d faults, %ld reads after it returned, %llu IPIs\n", um,
		       faults, r.stale, (unsigned long long)(c1[0].shootdowns - c0[0].shootdowns));
	CHECK(fault_code == SEGV_MAPERR && fault_addr == (uintptr_t)page);
	CHECK_EQ(r.ran_on, r.cpu);
	munmap((void *)page, 4096);
	unpin();
}

/* --- hostile, across CPUs ---------------------------------------------------- */

static volatile unsigned long spins;

static void *spinner(void *arg)
{
	(void)arg;
	pin(1);
	for (;;)
		spins++;
	return NULL;
}

#define HOSTILE_SENDS 200
#define KILL_ROUNDS   50
#define HOSTILE_SIZE  (64 * 1024)

static uint8_t *volatile victim; /* the client's send buffer */
static volatile int vandal_stop;
static uint8_t hostile_rbuf[HOSTILE_SIZE];

static void *vandal(void *arg)
{
	(void)arg;
	pin(2);
	for (unsigned i = 0; !vandal_stop; i++) {
		memset(victim, (int)i, HOSTILE_SIZE);
		munmap(victim, HOSTILE_SIZE);
		if (mmap(victim, HOSTILE_SIZE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANON | MAP_FIXED, -1, 0) != victim)
			return (void *)1;
		if (ncpus == 1)
			SchedYield();
	}
	return NULL;
}

static void *hostile_server(void *arg)
{
	(void)arg;
	pin(1);
	for (;;) {
		int rcvid = MsgReceive(chid, hostile_rbuf, sizeof(hostile_rbuf), NULL);
		if (rcvid == 0)
			return NULL;
		MsgReply(rcvid, 0, hostile_rbuf, sizeof(hostile_rbuf));
	}
}

static void hostile(void) /* 4 points */
{
	struct ker_info_counts before = counts();
	pthread_t t, s, v;
	void *gone = NULL, *vs = NULL;

	pin(0);
	/* Destroyed while it runs on CPU 1: it ends at its next entry, which
	 * the kick makes now, and the join has its status. */
	pthread_create(&t, NULL, spinner, NULL);
	while (spins < 1000)
		SchedYield();
	CHECK(ThreadDestroy(t, -1, (void *)77) == 0 && pthread_join(t, &gone) == 0 &&
	      gone == (void *)77);

	chid = ChannelCreate(_NTO_CHF_PRIVATE);
	int coid = ConnectAttach(0, 0, chid, _NTO_SIDE_CHANNEL, 0);
	victim = mmap(NULL, HOSTILE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANON, -1, 0);
	pthread_create(&s, NULL, hostile_server, NULL);
	pthread_create(&v, NULL, vandal, NULL);
	int ok = 0, efault = 0, other = 0;
	for (int i = 0; i < HOSTILE_SENDS; i++) {
		long r = MsgSend_r(coid, victim, HOSTILE_SIZE, victim, HOSTILE_SIZE);
		ok += r == 0;
		efault += r == -EFAULT;
		other += r != 0 && r != -EFAULT;
	}
	vandal_stop = 1;
	pthread_join(v, &vs);
	MsgSendPulse(coid, -1, 1, 0);
	pthread_join(s, NULL);
	if (!CHECK(other == 0 && ok + efault == HOSTILE_SENDS))
		printf("#   %d sent, %d EFAULT, %d other\n", ok, efault, other);
	CHECK_EQ((uintptr_t)vs, 0);
	printf("# hostile: %d sent, %d EFAULT while the buffer came and went\n", ok, efault);
	munmap(victim, HOSTILE_SIZE);
	ConnectDetach(coid);
	ChannelDestroy(chid);
	at_baseline(before);
}

/* Signals from another CPU into round trips the IPC fast path makes: a
 * client (us) and a server thread, free to run on any CPU, and a thread
 * on CPU 1 signalling us again each time we have taken its last signal
 * (a flood would keep us in the handler). Each MsgSend returns its reply's
 * status or EINTR: a REPLY-blocked client of a channel without
 * _NTO_CHF_UNBLOCK is let go at once (QNX's MsgSend page,
 * http://www.qnx.com/developers/docs/7.1/#com.qnx.doc.neutrino.lib_ref/topic/m/msgsend.html).
 * The fast path blocks us and runs the server on our stack, then lets go
 * of the kernel lock; the signal can wake us then and another CPU run us
 * on that stack. (Letting go before leaving the stack would open a window
 * of a few instructions, shorter than any wake-up: this run did not catch
 * that mutation in 3 tries. It shows every call ending as it must while
 * other CPUs signal, wake and run the client.) 4 points. */
#define SIGNAL_ROUNDS 2000    /* at least; on several CPUs, until 3 EINTR */
#define SIGNAL_MOST   1000000 /* at most */

static volatile int firing, fired;
static volatile pthread_t fire_at;
static volatile unsigned long caught;

static void on_usr1(int signo)
{
	(void)signo;
	caught++;
}

static void *firer(void *arg)
{
	(void)arg;
	pin(1);
	while (firing) {
		unsigned long seen = caught;
		SignalKill(0, 0, fire_at, SIGUSR1, SI_USER, 0);
		fired = 1;
		/* The next once this one is handled: a flood would keep the
		 * client in its handler for ever. */
		while (firing && caught == seen)
			if (ncpus == 1)
				SchedYield();
	}
	return NULL;
}

static void *echo_server(void *arg)
{
	int ch = (int)(intptr_t)arg;

	for (;;) {
		union {
			uint32_t seq;
			struct _pulse pulse;
		} m = {0};
		int rcvid = MsgReceive(ch, &m, sizeof(m), NULL);
		if (rcvid == 0) /* the pulse: done */
			return NULL;
		if (rcvid > 0) /* (ESRCH when a signal took the client back) */
			MsgReply(rcvid, (long)m.seq, &m.seq, sizeof(m.seq));
	}
}

static void signalled_round_trips(void) /* 4 points */
{
	struct ker_info_counts before = counts();
	int ch = ChannelCreate(_NTO_CHF_PRIVATE);
	int coid = ConnectAttach(0, 0, ch, _NTO_SIDE_CHANNEL, 0);
	int ok = 0, eintr = 0, bad = 0, want = ncpus > 1 ? 3 : 0;
	uint32_t i;
	pthread_t s, f;

	unpin();
	signal(SIGUSR1, on_usr1);
	pthread_create(&s, NULL, echo_server, (void *)(intptr_t)ch);
	fire_at = pthread_self();
	firing = 1;
	pthread_create(&f, NULL, firer, NULL);
	while (!fired)
		SchedYield();
	for (i = 1; i <= SIGNAL_MOST && (i <= SIGNAL_ROUNDS || eintr < want); i++) {
		uint32_t back = 0;
		long r = MsgSend_r(coid, &i, sizeof(i), &back, sizeof(back));
		ok += r == (long)i && back == i;
		eintr += r == -EINTR;
		bad += r != (long)i && r != -EINTR;
	}
	firing = 0;
	pthread_join(f, NULL);
	MsgSendPulse(coid, -1, 1, 0);
	pthread_join(s, NULL);
	signal(SIGUSR1, SIG_DFL);
	if (!CHECK(bad == 0 && ok + eintr == (int)i - 1))
		printf("#   %d replied, %d EINTR, %d other\n", ok, eintr, bad);
	/* With a CPU of its own, the firer catches us blocked. */
	CHECK(ncpus == 1 || (eintr >= want && caught > 0));
	/* The round trips the signals left alone went the fast way. */
	CHECK(counts().ipc_fast > before.ipc_fast);
	printf("# signalled: %d replied, %d EINTR, %lu signals caught\n", ok, eintr, caught);
	ConnectDetach(coid);
	ChannelDestroy(ch);
	at_baseline(before);
}

/* A pulse to a receiver above us, free to run on any CPU, the others
 * idle: the scheduler readies it on an idle CPU (a kick goes to the CPU
 * working at the lowest level) and we go on. The fast path, which would
 * hand it our CPU, must leave it so: it takes a pulse on several CPUs
 * only when the kick would come here. We spin in user mode, FIFO, until
 * it has run. On one CPU it runs here, before MsgSendPulse returns.
 *
 * Our CPU may still take it legitimately, when the others do not look
 * idle to the scheduler: a CPU kicked (for this receiver in an earlier
 * try, or anything before) counts as busy at that priority until it
 * takes the kick, and a QEMU vCPU the host has not run for a while
 * takes it late (seen under load: two idle CPUs holding kicks of 30 and
 * 10). An interrupt here that readies something can also make us take
 * the receiver first. So the pulse goes up to TRIES times, until the
 * receiver runs elsewhere once, with a pause between tries for those
 * vCPUs to run (not a synchronisation: a back-off). A fast path taking
 * every such pulse here runs it here each time, before MsgSendPulse
 * returns. 4 points. */
#define SPIN_MOST 2000000000ul
#define TRIES	   10
#define BACKOFF_NS 20000000ull /* 20 ms */

static int catch_chid;
static volatile int caught_on; /* the catcher's CPU + 1; 0: not yet */

static void *catcher(void *arg)
{
	struct _pulse p;

	(void)arg;
	while (MsgReceive(catch_chid, &p, sizeof(p), NULL) == 0 && p.code == 1)
		caught_on = (int)my_cpu() + 1;
	return NULL;
}

/* Every thread RUNNING or READY, and where (a failure's detail). */
static void show_busy(void)
{
	struct ker_thread_info ti[64];
	long n = KerInfo(KER_INFO_THREADS, ti, sizeof(ti));

	for (long i = 0; i < n && i < 64; i++)
		if (ti[i].state == ST_RUNNING || ti[i].state == ST_READY)
			printf("#   pid %d tid %d state %u prio %u cpu %u\n", ti[i].pid, ti[i].tid,
			       ti[i].state, ti[i].priority, ti[i].cpu);
}

static void pulse_elsewhere(void) /* 4 points */
{
	struct ker_info_counts before = counts();
	struct sched_param sp, fifo, above = {.sched_priority = 30};
	unsigned long spun;
	int tries = 0, bad = 0;
	pthread_attr_t a;
	pthread_t c;

	pin(0);
	int policy = SchedGet(0, 0, &sp);
	fifo = sp;
	SchedSet(0, 0, SCHED_FIFO, &fifo);
	catch_chid = ChannelCreate(_NTO_CHF_PRIVATE);
	int co = ConnectAttach(0, 0, catch_chid, _NTO_SIDE_CHANNEL, 0);
	pthread_attr_init(&a); /* above us, any CPU; its own pthread_self */
	pthread_attr_setinheritsched(&a, PTHREAD_EXPLICIT_SCHED);
	pthread_attr_setschedpolicy(&a, SCHED_FIFO);
	pthread_attr_setschedparam(&a, &above);
	pthread_create(&c, &a, catcher, NULL);
	do {
		while (state_of(MYPID, (int)c) != ST_RECEIVE)
			SchedYield();
		caught_on = 0;
		bad += MsgSendPulse(co, 30, 1, 0) != 0;
		for (spun = 0; !caught_on && spun < SPIN_MOST; spun++)
			;
		if (ncpus == 1 || caught_on != 1)
			break;
		printf("# try %d: the receiver ran on CPU 0 after %lu spins\n", tries + 1, spun);
		show_busy();
		uint64_t pause = BACKOFF_NS;
		ClockNanosleep(CLOCK_MONOTONIC, 0, &pause);
	} while (++tries < TRIES);
	CHECK_EQ(bad, 0);
	if (!CHECK(ncpus == 1 ? caught_on == 1 && spun == 0 : caught_on > 1))
		printf("#   caught_on %d (the CPU + 1), after %lu spins\n", caught_on, spun);
	printf("# the pulse's receiver ran on CPU %d\n", caught_on - 1);
	MsgSendPulse(co, 30, 2, 0); /* the catcher's end */
	SchedSet(0, 0, policy, &sp);
	CHECK_EQ(pthread_join(c, NULL), 0);
	ConnectDetach(co);
	ChannelDestroy(catch_chid);
	at_baseline(before);
}

/* Threads of pid running now. */
static int running_in(int pid)
{
	struct ker_thread_info ti[64];
	long n = KerInfo(KER_INFO_THREADS, ti, sizeof(ti));
	int r = 0;

	for (long i = 0; i < n && i < 64; i++)
		r += ti[i].pid == pid && ti[i].state == ST_RUNNING;
	return r;
}

static void kill_spinning(void) /* 2 points */
{
	struct ker_info_counts before = counts();
	static struct ifs fs;
	char *argv[] = {"child", "spin", "4", NULL};
	int status = 0, want = ncpus > 1 ? (int)(ncpus - 1 < 4 ? ncpus - 1 : 4) : 0;
	struct timespec t0, now;

	pin(0);
	proc_open_image(&fs);
	pid_t pid = proc_spawn(&fs, "child", argv, NULL, 10, SCHED_RR);
	/* On every other CPU (one CPU: the child exists, READY). */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	do
		SchedYield();
	while (running_in(pid) < want && clock_gettime(CLOCK_MONOTONIC, &now) == 0 &&
	       now.tv_sec - t0.tv_sec < 10);
	int ran = running_in(pid);
	CHECK(pid > 1 && ran >= want && SignalKill(0, pid, 0, SIGKILL, 0, 0) == 0 &&
	      ProcWait(pid, &status) == pid && WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	unpin();
	struct ker_info_counts after = counts();
	if (!CHECK(after.threads == before.threads && after.processes == before.processes))
		printf("#   %d threads were running; threads %llu, were %llu\n", ran,
		       (unsigned long long)after.threads, (unsigned long long)before.threads);
}

/* What pid's threads are doing (a failure's detail). */
static void show_threads(int pid)
{
	struct ker_thread_info ti[64];
	long n = KerInfo(KER_INFO_THREADS, ti, sizeof(ti));

	for (long i = 0; i < n && i < 64; i++)
		if (ti[i].pid == pid)
			printf("#   pid %d tid %d state %u cpu %u\n", pid, ti[i].tid, ti[i].state,
			       ti[i].cpu);
}

/* A process killed as the reply to its send readies it (it may be
 * running on another CPU by then and send again before that CPU takes
 * the kick): it must end, every time. ProcWait is bounded, so a process
 * that lives on is a failure with its threads' states, not a hang. */
static void kill_readied(void) /* 1 point */
{
	static struct ifs fs;
	struct ker_info_counts before = counts();
	int ch = ChannelCreate(0), ended = 0;
	char arg[16];

	pin(0);
	proc_open_image(&fs);
	snprintf(arg, sizeof(arg), "%d", ch);
	for (int round = 0; round < KILL_ROUNDS; round++) {
		char *argv[] = {"child", "ask", arg, NULL};
		pid_t pid = proc_spawn(&fs, "child", argv, NULL, 10, SCHED_RR);
		unsigned n;
		int rcvid = MsgReceive(ch, &n, sizeof(n), NULL), status = 0;
		MsgReply(rcvid, 0, NULL, 0);
		SignalKill(0, pid, 0, SIGKILL, 0, 0);
		uint64_t ten_s = 10000000000ull;
		TimerTimeout(CLOCK_MONOTONIC, _NTO_TIMEOUT_JOIN, NULL, &ten_s, NULL);
		if (ProcWait(pid, &status) != pid) {
			printf("#   round %d: pid %d not reaped (errno %d)\n", round, pid, errno);
			show_threads(pid);
			break;
		}
		ended += WTERMSIG(status) == SIGKILL;
	}
	ChannelDestroy(ch);
	unpin();
	struct ker_info_counts after = counts();
	if (!CHECK(ended == KILL_ROUNDS && after.threads == before.threads &&
		   after.processes == before.processes))
		printf("#   %d of %d ended\n", ended, KILL_ROUNDS);
}

int main(void)
{
	ncpus = (unsigned)counts().cpus;
	printf("# %u CPUs\n", ncpus);
	tap_plan(6 + 1 + 2 + 4 + 4 + 3 + 3 + 4 + 4 + 4 + 2 + 1);
	masks();
	pinned();
	inherited();
	kinfo_cpus();
	ping_pong();
	stress();
	shootdown();
	hostile();
	signalled_round_trips();
	pulse_elsewhere();
	kill_spinning();
	kill_readied();
	return tap_done();
}
