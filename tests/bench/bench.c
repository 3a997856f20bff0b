/*
 * The Muon side of `make bench` (tools/bench/run): booted as proc's child
 * (init=proc init.alone=bench) under QEMU -icount shift=0,sleep=off, where
 * the virtual clock
 * advances 1 ns per retired instruction, so ClockCycles() differences count
 * the instructions of everything that ran (both peers, user and kernel) as
 * long as the CPU never idles in between. Nothing here waits on a timer.
 *
 * Each operation runs BATCHES batches of its iteration count after a
 * discarded warm-up batch; one line per operation:
 *   BENCH <op> median=<x.xx> min=<x.xx> max=<x.xx> iters=<K> batches=<B>
 * in instructions per operation, then BENCH-DONE. "loop" is a loop of
 * known length (2 instructions per turn) proving the method. One more
 * 16-byte round trip between two calls of bench_trace_point() is what
 * tools/bench/profile traces.
 *
 * The message server is this program again (argv[1] "server") in its own
 * process: one thread answers messages on one channel, replying with what
 * the client asked for (the kernel moves the smaller side: the client's
 * receive size); a higher-priority thread takes pulses on another.
 *
 * Booted on several CPUs (make bench's -smp 4 run) it measures instead
 * what SMP costs: the null call and the 16-byte round trip with client
 * and server pinned to one CPU, the round trip across two CPUs, and the
 * kernel lock's mean hold time per acquisition over the cross-CPU round
 * trips (KerInfo(KER_INFO_CPUS), in ns of the virtual clock, which is
 * instructions).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/dispatch.h>
#include <sys/iofunc.h>
#include <sys/kinfo.h>
#include <sys/mman.h>
#include <sys/neutrino.h>
#include <sys/resmgr.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../user/intrdev.h"

#define BATCHES	   11
#define PRIO	   10 /* client and message server, SCHED_FIFO */
#define PULSE_PRIO 20 /* the pulse thread runs above the client */
#define BIG	   65536
#define CODE_QUIT  1
#define CODE_FUSED 3 /* value 1: the server loop replies and receives in one call */

/* What the server tells pid 1 at start-up. */
struct hello {
	int chid;	/* messages */
	int pulse_chid; /* pulses */
};

static char sbuf[BIG], rbuf[BIG];

/* --- the counter ------------------------------------------------------------- */

/* Instructions since some fixed point: the counter scaled to ns of
 * virtual time (x86-64: the TSC under -icount runs at 1 GHz). */
static uint64_t now_insns(void)
{
#if defined(__aarch64__)
	static uint64_t ns_per_tick;
	if (!ns_per_tick) {
		uint64_t f;
		__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(f));
		ns_per_tick = 1000000000ull / f;
	}
	return ClockCycles() * ns_per_tick;
#else
	return ClockCycles();
#endif
}

static void sort_u64(uint64_t *v, int n)
{
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && v[j - 1] > v[j]; j--) {
			uint64_t t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
}

/* x/d with two decimals. */
static void print_fixed(const char *label, uint64_t x, uint64_t d)
{
	uint64_t h = (x * 100 + d / 2) / d;
	printf(" %s=%lu.%02lu", label, (unsigned long)(h / 100), (unsigned long)(h % 100));
}

/* Instructions op(k) takes as a whole. */
static uint64_t timed(void (*op)(long), long k)
{
	uint64_t t0 = now_insns();
	op(k);
	return now_insns() - t0;
}

/* Run op(k) in batches, each counted by run (timed: the whole of it);
 * per is how many operations one turn counts for. */
static void measure_by(const char *name, uint64_t (*run)(void (*)(long), long), void (*op)(long),
		       long k, long per)
{
	uint64_t d[BATCHES];

	op(k); /* warm-up: caches, first-touch pages, lazily made objects */
	for (int b = 0; b < BATCHES; b++)
		d[b] = run(op, k);
	sort_u64(d, BATCHES);
	printf("BENCH %s", name);
	print_fixed("median", d[BATCHES / 2], (uint64_t)(k * per));
	print_fixed("min", d[0], (uint64_t)(k * per));
	print_fixed("max", d[BATCHES - 1], (uint64_t)(k * per));
	printf(" iters=%ld batches=%d\n", k * per, BATCHES);
}

static void measure(const char *name, void (*op)(long), long k, long per)
{
	measure_by(name, timed, op, k, per);
}

static void die(const char *what, long err)
{
	printf("BENCH-FAIL %s: %ld\n", what, err);
	exit(1);
}

/* --- the server process ---------------------------------------------------------- */

static void *pulse_thread(void *arg)
{
	int chid = (int)(long)arg;
	struct _pulse p;

	for (;;)
		if (MsgReceive(chid, &p, sizeof(p), NULL) == 0 && p.code == CODE_QUIT)
			return NULL;
}

static void thread_exit(void *status)
{
	ThreadDestroy(0, -1, status);
}

/* Pin the calling thread to CPU cpu (-1: any). */
static void pin(int cpu)
{
	if (cpu >= 0 && ThreadCtl(_NTO_TCTL_RUNMASK, (void *)(uintptr_t)(1u << cpu)))
		die("ThreadCtl(_NTO_TCTL_RUNMASK)", errno);
}

/* Its message thread runs on CPU cpu (-1: any). */
static int server(int parent_chid, int cpu)
{
	struct hello h = {ChannelCreate(0), ChannelCreate(0)};
	struct _thread_attr a = {0};

	pin(cpu);
	a.__flags = PTHREAD_EXPLICIT_SCHED;
	a.__policy = SCHED_FIFO;
	a.__param.sched_priority = PULSE_PRIO;
	a.__exitfunc = thread_exit;
	int pt = ThreadCreate(0, pulse_thread, (void *)(long)h.pulse_chid, &a);
	int coid = ConnectAttach(0, getppid(), parent_chid, _NTO_SIDE_CHANNEL, 0);
	if (h.chid < 0 || h.pulse_chid < 0 || pt < 0 || coid < 0 ||
	    MsgSend(coid, &h, sizeof(h), NULL, 0))
		return 2;
	/* A server's loop: MsgReceive then MsgReply, or (the fused rows,
	 * when a pulse says so) MsgReplyReceive, until a pulse comes. */
	int chid = h.chid, fused = 0, rcvid;
	for (;;) {
		const struct _pulse *p = (const struct _pulse *)rbuf;
		if (!fused) {
			while ((rcvid = MsgReceive(chid, rbuf, sizeof(rbuf), NULL)) > 0)
				MsgReply(rcvid, 0, rbuf, sizeof(rbuf));
		} else {
			rcvid = MsgReceive(chid, rbuf, sizeof(rbuf), NULL);
			while (rcvid > 0)
				rcvid = MsgReplyReceive(chid, rcvid, 0, rbuf, sizeof(rbuf), rbuf,
							sizeof(rbuf), NULL);
		}
		if (rcvid == 0 && p->code == CODE_QUIT)
			break;
		if (rcvid == 0 && p->code == CODE_FUSED)
			fused = p->value.sival_int;
	}
	ThreadJoin(pt, NULL);
	return 0;
}

/* The resource manager of the server rows ("bench rm CHID"): the name
 * "bench" and the path /dev/bench on one dispatch loop, each read
 * answering up to 16 bytes. */
static int rm_read(resmgr_context_t *ctp, io_read_t *msg, iofunc_ocb_t *ocb)
{
	static const char sixteen[16] = "0123456789abcdef";
	int r = iofunc_read_verify(ctp, msg, ocb, NULL);

	if (r != EOK)
		return r;
	int n = msg->i.nbytes < (int)sizeof(sixteen) ? msg->i.nbytes : (int)sizeof(sixteen);
	SETIOV(&ctp->iov[0], sixteen, n);
	_IO_SET_READ_NBYTES(ctp, n);
	return _RESMGR_NPARTS(1);
}

static int resource_manager(int parent_chid)
{
	static resmgr_connect_funcs_t cf;
	static resmgr_io_funcs_t io;
	static iofunc_attr_t attr;
	dispatch_t *dpp = dispatch_create();
	dispatch_context_t *ctp;
	int coid = ConnectAttach(0, getppid(), parent_chid, _NTO_SIDE_CHANNEL, 0);

	iofunc_func_init(_RESMGR_CONNECT_NFUNCS, &cf, _RESMGR_IO_NFUNCS, &io);
	io.read = rm_read;
	iofunc_attr_init(&attr, S_IFCHR | 0444, NULL, NULL);
	if (!dpp || resmgr_attach(dpp, NULL, "/dev/bench", _FTYPE_ANY, 0, &cf, &io, &attr) < 0 ||
	    !name_attach(dpp, "bench", 0) || !(ctp = dispatch_context_alloc(dpp)) || coid < 0 ||
	    MsgSend(coid, NULL, 0, NULL, 0))
		return 2;
	for (;;)
		if (dispatch_block(ctp))
			dispatch_handler(ctp);
}

/* --- the operations -------------------------------------------------------------------- */

static int coid, pulse_coid, srv_pid, srv_chid;
static size_t msg_size;

static void op_loop(long k)
{
#if defined(__x86_64__)
	__asm__ volatile("1: dec %0; jnz 1b" : "+r"(k));
#else
	__asm__ volatile("1: subs %0, %0, #1; b.ne 1b" : "+r"(k)::"cc");
#endif
}

static void op_null(long k)
{
	while (k--)
		KerNop();
}

static void op_send(long k)
{
	int c = coid; /* (in registers: the loop is the calls) */
	size_t n = msg_size;

	for (; k > 0; k--)
		if (MsgSend(c, sbuf, n, rbuf, n) != 0)
			die("MsgSend", errno);
}

/* An in-guest copy of 64 KiB: libc's memcpy, the C (lib/string.c) the
 * kernel copies long messages with, built here with SIMD registers. */
static void op_memcpy64k(long k)
{
	while (k--) {
		memcpy(rbuf, sbuf, BIG);
		__asm__ volatile("" ::: "memory"); /* each copy is made */
	}
}

/* 64 KiB out, nothing back: one copy between the two processes. */
static void op_send64k_in(long k)
{
	while (k--)
		if (MsgSend(coid, sbuf, BIG, NULL, 0) != 0)
			die("MsgSend", errno);
}

static void op_pulse(long k)
{
	int c = pulse_coid; /* (in a register, as op_send's) */

	for (; k > 0; k--)
		if (MsgSendPulse(c, PULSE_PRIO, 2, (int)k) != 0)
			die("MsgSendPulse", errno);
}

/* MsgDeliverEvent: a pulse event for a thread of ours RECEIVE-blocked on
 * ev_chid at PULSE_PRIO (rcvid 0: the event is the caller's own, as a
 * server delivering to itself; the checks and the pulse path are those
 * of a delivery to a client). */
static int ev_chid;
static struct sigevent ev_pulse;

static void *event_thread(void *arg)
{
	struct _pulse p;

	(void)arg;
	for (;;)
		if (MsgReceive(ev_chid, &p, sizeof(p), NULL) == 0 && p.code == CODE_QUIT)
			return NULL;
}

static void op_deliver(long k)
{
	while (k--)
		if (MsgDeliverEvent(0, &ev_pulse) != 0)
			die("MsgDeliverEvent", errno);
}

/* A small program (tests/user/child.c, "exit 0") spawned through proc
 * and waited for. */
static void op_spawn(long k)
{
	while (k--) {
		pid_t pid;
		int st, err = posix_spawn(&pid, "child", NULL, NULL,
					  (char *[]){"child", "exit", "0", NULL}, NULL);
		if (err || waitpid(pid, &st, 0) != pid || st != 0)
			die("posix_spawn+waitpid", err ? err : st);
	}
}

static volatile int yield_stop;

static void *yielder(void *arg)
{
	(void)arg;
	while (!yield_stop)
		SchedYield();
	return NULL;
}

static void op_yield(long k)
{
	while (k--)
		SchedYield();
}

/* Uncontended pthread_mutex_lock + unlock: user space only. */
static pthread_mutex_t bench_mutex = PTHREAD_MUTEX_INITIALIZER;

static void op_mutex(long k)
{
	while (k--) {
		pthread_mutex_lock(&bench_mutex);
		pthread_mutex_unlock(&bench_mutex);
	}
}

/* Contended hand-off between two threads of the same priority (FIFO):
 * main locks and yields; the other thread blocks in SyncMutexLock; main's
 * unlock hands the mutex over in the kernel and yields; the other thread
 * unlocks (user space) and yields back. */
static volatile int hand_stop;
static void *hand_thread(void *arg)
{
	(void)arg;
	while (!hand_stop) {
		pthread_mutex_lock(&bench_mutex);
		pthread_mutex_unlock(&bench_mutex);
		SchedYield();
	}
	return NULL;
}

static void op_handoff(long k)
{
	while (k--) {
		pthread_mutex_lock(&bench_mutex);
		SchedYield(); /* the other thread blocks on it */
		pthread_mutex_unlock(&bench_mutex);
		SchedYield(); /* it runs with the mutex, unlocks, yields back */
	}
}

static void *just_return(void *arg)
{
	return arg;
}

static struct _thread_attr plain = {.__exitfunc = thread_exit};

static void op_thread(long k)
{
	while (k--) {
		int t = ThreadCreate(0, just_return, NULL, &plain);
		if (t < 0 || ThreadJoin(t, NULL) != 0)
			die("ThreadCreate+ThreadJoin", t < 0 ? t : errno);
	}
}

static void op_connect(long k)
{
	while (k--) {
		int c = ConnectAttach(0, srv_pid, srv_chid, _NTO_SIDE_CHANNEL, 0);
		if (c < 0 || ConnectDetach(c) != 0)
			die("ConnectAttach+ConnectDetach", errno);
	}
}

/* One 64-byte block from libc's allocator and back: its fast path (the
 * warm-up leaves the class a span, so no mmap in the batches). */
static void *volatile malloc_sink;

static void op_malloc(long k)
{
	while (k--) {
		void *p = malloc(64);
		if (!p)
			die("malloc", errno);
		malloc_sink = p;
		free(p);
	}
}

/* An existing one-page shared-memory object opened, mapped read-write,
 * unmapped and closed (shmmgr: three messages, the mapping by the kernel
 * in the middle one; munmap through proc). */
static void op_shm(long k)
{
	while (k--) {
		int fd = shm_open("/bench", O_RDWR);
		void *p = fd < 0 ? MAP_FAILED
				 : mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		if (p == MAP_FAILED || munmap(p, 4096) || close(fd))
			die("shm_open+mmap+munmap+close", errno);
	}
}

/* Start server (booted init.alone=bench, proc runs none) and wait until
 * path opens (bounded): the fd. */
static int start_and_open(const char *server, const char *path, int flags)
{
	pid_t pid;
	int fd = -1;

	if (posix_spawn(&pid, server, NULL, NULL, (char *[]){(char *)server, NULL}, NULL))
		die(server, errno);
	for (int tries = 0; fd < 0 && tries < 100000; tries++) {
		SchedYield();
		fd = open(path, flags, 0600);
	}
	if (fd < 0)
		die(path, errno);
	return fd;
}

/* The object op_shm opens, made by shmmgr. */
static void shm_setup(void)
{
	int fd = start_and_open("shmmgr", "/dev/shmem/bench", O_RDWR | O_CREAT);

	if (ftruncate(fd, 4096) || close(fd))
		die("shm set-up", errno);
}

/* tools/bench/profile breaks here and single-steps from the first call to
 * the second: one warmed-up 16-byte round trip, instruction by instruction
 * (magic tells it apart from whatever proc has at the same address). */
#define TRACE_MAGIC 0x6D756F6Eul /* tools/bench/profile checks it: not proc's code */
#define TRACE_FUSED 0x6D756F46ul /* the same round trip, the server on MsgReplyReceive */
#define TRACE_PULSE 0x6D756F50ul /* one pulse to a RECEIVE-blocked thread */
#define TRACE_YIELD 0x6D756F59ul /* one yield there and back */
#define TRACE_SMP   0x6D756F53ul /* on several CPUs: a round trip on one */
#define TRACE_BIG   0x6D756F42ul /* one 64 KiB message out, nothing back */
__attribute__((noinline)) void bench_trace_point(unsigned long magic)
{
	__asm__ volatile("" ::"r"(magic));
}

static void send_sized(const char *name, size_t size, long k)
{
	msg_size = size;
	measure(name, op_send, k, 1);
}

/* --- interrupt to user thread ------------------------------------------------ */

/* The console UART's transmit interrupt (intrdev.h): its line rises in
 * the register write that enables it, whatever else runs. A driver
 * thread above us waits for it; each turn we note the time and raise the
 * line, and the driver, back from InterruptWait, adds the instructions
 * since then, lowers the line and unmasks it. The count runs from the
 * raising instruction to InterruptWait's return: IRQ entry, the wake,
 * the switch, the return to user mode. */
static struct intrdev idev;
static volatile uint64_t intr_t0, intr_sum;
static volatile int intr_stop;

static void uart_irq(int on)
{
#if defined(__x86_64__)
	io_out8((uint16_t)idev.info.uart_base + 1, on ? 0x02 : 0); /* IER: THR empty */
#else
	idev.uart[0x38 / 4] = idev.uart_imsc | (on ? 1u << 5 : 0); /* IMSC: TX */
#endif
}

/* Above us: it runs at once when made, attaches (SIGEV_INTR wakes the
 * thread that attached) and waits. */
static void *intr_driver(void *arg)
{
	int line = (int)idev.info.uart_line;
	struct sigevent ev;

	(void)arg;
	if (ThreadCtl(_NTO_TCTL_IO, 0) != 0) /* I/O privilege is per thread */
		die("ThreadCtl", errno);
	SIGEV_INTR_INIT(&ev);
	int id = InterruptAttachEvent(line, &ev, 0);
	if (id < 0)
		die("InterruptAttachEvent", errno);
	for (;;) {
		if (InterruptWait(0, NULL) != 0)
			die("InterruptWait", errno);
		intr_sum += now_insns() - intr_t0;
		uart_irq(0);
		if (intr_stop)
			break;
		InterruptUnmask(line, id);
	}
	InterruptDetach(id);
	return NULL;
}

static void op_intr(long k)
{
	for (long i = 0; i < k; i++) {
		intr_t0 = now_insns();
		uart_irq(1); /* the driver runs before the next instruction */
	}
}

static uint64_t intr_latency(void (*op)(long), long k)
{
	intr_sum = 0;
	op(k);
	return intr_sum;
}

/* A 4 KiB write to the console server (devc-ser, started here): its MsgRead of the data, the line discipline, and the
 * driver moving it to the UART (under QEMU the FIFO never fills, so the
 * write returns once every byte is out). 64 lines of 64 bytes. */
static int console_fd;
static char console_text[4096];

static void op_console(long k)
{
	for (long i = 0; i < k; i++)
		if (write(console_fd, console_text, sizeof(console_text)) != sizeof(console_text))
			die("console write", errno);
}

static void bench_console(void)
{
	console_fd = start_and_open("devc-ser", "/dev/ser1", O_WRONLY);
	for (int l = 0; l < 64; l++) {
		char *p = console_text + 64 * l;
		memset(p, '.', 63);
		memcpy(p, "console bench", 13);
		p[63] = '\n';
	}
	measure("console4k", op_console, 2, 1);
	close(console_fd);
}

static void bench_intr(void)
{
	struct _thread_attr a = {.__exitfunc = thread_exit};

	if (intrdev_open(&idev))
		die("device access", errno);
	a.__flags = PTHREAD_EXPLICIT_SCHED;
	a.__policy = SCHED_FIFO;
	a.__param.sched_priority = PULSE_PRIO;
	int t = ThreadCreate(0, intr_driver, NULL, &a);
	if (t < 0)
		die("ThreadCreate", errno);
	measure_by("intr", intr_latency, op_intr, 500, 1);
	intr_stop = 1;
	uart_irq(1);
	ThreadJoin(t, NULL);
}

/* Spawn the server, its message thread on CPU cpu (-1: any), and
 * connect to its channels. */
static void start_server(int cpu)
{
	struct sched_param sp = {.sched_priority = PRIO};
	struct hello h;
	posix_spawnattr_t sa;
	int err, chid = ChannelCreate(0);
	char arg[16], where[16];

	snprintf(arg, sizeof(arg), "%d", chid);
	snprintf(where, sizeof(where), "%d", cpu);
	posix_spawnattr_init(&sa);
	posix_spawnattr_setflags(&sa, POSIX_SPAWN_SETSCHEDPARAM | POSIX_SPAWN_SETSCHEDULER);
	posix_spawnattr_setschedpolicy(&sa, SCHED_FIFO);
	posix_spawnattr_setschedparam(&sa, &sp);
	if ((err = posix_spawn(&srv_pid, "bench", NULL, &sa,
			       (char *[]){"bench", "server", arg, where, NULL}, NULL)))
		die("spawn the server", err);
	int rcvid = MsgReceive(chid, &h, sizeof(h), NULL);
	if (rcvid <= 0)
		die("hello from the server", errno);
	MsgReply(rcvid, 0, NULL, 0);
	ChannelDestroy(chid);
	srv_chid = h.chid;
	coid = ConnectAttach(0, srv_pid, h.chid, _NTO_SIDE_CHANNEL, 0);
	pulse_coid = ConnectAttach(0, srv_pid, h.pulse_chid, _NTO_SIDE_CHANNEL, 0);
	if (coid < 0 || pulse_coid < 0)
		die("ConnectAttach", errno);
}

static void stop_server(void)
{
	int st;

	MsgSendPulse(pulse_coid, PULSE_PRIO, CODE_QUIT, 0);
	MsgSendPulse(coid, PRIO, CODE_QUIT, 0);
	if (waitpid(srv_pid, &st, 0) != srv_pid || st != 0)
		die("server exit", st);
	ConnectDetach(coid);
	ConnectDetach(pulse_coid);
}

/* name_open + name_close of the resource manager's name. */
static void op_name_open(long k)
{
	while (k--) {
		int c = name_open("bench", 0);
		if (c < 0 || name_close(c))
			die("name_open+name_close", errno);
	}
}

/* open + read of 16 bytes + close on the resource manager. */
static void op_open_read(long k)
{
	char b[16];

	while (k--) {
		int fd = open("/dev/bench", O_RDONLY);
		if (fd < 0 || read(fd, b, sizeof(b)) != sizeof(b) || close(fd))
			die("open+read+close", errno);
	}
}

/* The rows of the servers: a resource manager spawned at our
 * priority, measured, then killed. */
static void bench_servers(void)
{
	struct sched_param sp = {.sched_priority = PRIO};
	posix_spawnattr_t sa;
	pid_t pid;
	int st, chid = ChannelCreate(0), err;
	char arg[16];

	snprintf(arg, sizeof(arg), "%d", chid);
	posix_spawnattr_init(&sa);
	posix_spawnattr_setflags(&sa, POSIX_SPAWN_SETSCHEDPARAM | POSIX_SPAWN_SETSCHEDULER);
	posix_spawnattr_setschedpolicy(&sa, SCHED_FIFO);
	posix_spawnattr_setschedparam(&sa, &sp);
	if ((err = posix_spawn(&pid, "bench", NULL, &sa, (char *[]){"bench", "rm", arg, NULL},
			       NULL)))
		die("spawn the resource manager", err);
	int rcvid = MsgReceive(chid, NULL, 0, NULL);
	if (rcvid <= 0)
		die("the resource manager's start", errno);
	MsgReply(rcvid, 0, NULL, 0);
	ChannelDestroy(chid);
	measure("name_open", op_name_open, 200, 1);
	measure("open_read", op_open_read, 200, 1);
	if (kill(pid, SIGKILL) || waitpid(pid, &st, 0) != pid)
		die("the resource manager's end", errno);
}

/* --- on several CPUs ------------------------------------------------------------ */

/* Every CPU's lock hold time and acquisitions, summed. */
static void lock_totals(uint64_t *hold, uint64_t *taken)
{
	struct ker_cpu_info ci[8];
	long n = KerInfo(KER_INFO_CPUS, ci, sizeof(ci));

	*hold = *taken = 0;
	for (long i = 0; i < n && i < 8; i++) {
		*hold += ci[i].lock_hold_ns;
		*taken += ci[i].lock_taken;
	}
}

/* The kernel lock's mean hold time per acquisition over batches of
 * op(k): BENCH line as measure's, per acquisition. */
static void measure_hold(const char *name, void (*op)(long), long k)
{
	uint64_t d[BATCHES], taken = 0;

	op(k);
	for (int b = 0; b < BATCHES; b++) {
		uint64_t h0, t0, h1, t1;
		lock_totals(&h0, &t0);
		op(k);
		lock_totals(&h1, &t1);
		if (t1 == t0)
			die("the kernel lock was never taken", 0);
		d[b] = (h1 - h0) * 100 / (t1 - t0); /* hundredths */
		taken += t1 - t0;
	}
	sort_u64(d, BATCHES);
	printf("BENCH %s", name);
	print_fixed("median", d[BATCHES / 2], 100);
	print_fixed("min", d[0], 100);
	print_fixed("max", d[BATCHES - 1], 100);
	printf(" iters=%lu batches=%d\n", (unsigned long)taken, BATCHES);
}

static void bench_smp(void)
{
	pin(0);
	msg_size = 16;
	measure("loop", op_loop, 1000000, 1);
	measure("smp_null", op_null, 2000, 1);
	start_server(0);
	measure("smp_send16_same", op_send, 1000, 1);
	bench_trace_point(TRACE_SMP);
	op_send(1);
	bench_trace_point(TRACE_SMP);
	stop_server();
	start_server(1);
	measure("smp_send16_cross", op_send, 1000, 1);
	measure_hold("smp_lock_hold", op_send, 1000);
	stop_server();
}

static int bench(void)
{
	struct sched_param sp = {.sched_priority = PRIO};
	struct ker_info_counts kc = {0};

	if (SchedSet(0, 0, SCHED_FIFO, &sp) != 0)
		die("SchedSet", errno);
	memset(sbuf, 0x5a, sizeof(sbuf));
	KerInfo(KER_INFO_COUNTS, &kc, sizeof(kc));
	if (kc.cpus > 1) {
		bench_smp();
		printf("BENCH-DONE\n");
		return 0;
	}
	start_server(-1);
	measure("loop", op_loop, 1000000, 1);
	measure("null", op_null, 2000, 1);
	send_sized("send0", 0, 1000);
	send_sized("send16", 16, 1000);
	bench_trace_point(TRACE_MAGIC);
	op_send(1);
	bench_trace_point(TRACE_MAGIC);
	send_sized("send1k", 1024, 500);
	send_sized("send64k", BIG, 20);
	measure("send64k_in", op_send64k_in, 20, 1);
	bench_trace_point(TRACE_BIG);
	op_send64k_in(1);
	bench_trace_point(TRACE_BIG);
	measure("memcpy64k", op_memcpy64k, 20, 1);
	/* The server loop on MsgReplyReceive. */
	if (MsgSendPulse(coid, PRIO, CODE_FUSED, 1))
		die("MsgSendPulse", errno);
	send_sized("send16_fused", 16, 1000);
	bench_trace_point(TRACE_FUSED);
	op_send(1);
	bench_trace_point(TRACE_FUSED);
	if (MsgSendPulse(coid, PRIO, CODE_FUSED, 0))
		die("MsgSendPulse", errno);
	measure("pulse", op_pulse, 1000, 1);
	bench_trace_point(TRACE_PULSE);
	op_pulse(1);
	bench_trace_point(TRACE_PULSE);

	struct _thread_attr ea = {.__exitfunc = thread_exit};
	ea.__flags = PTHREAD_EXPLICIT_SCHED;
	ea.__policy = SCHED_FIFO;
	ea.__param.sched_priority = PULSE_PRIO;
	ev_chid = ChannelCreate(0);
	int ev_coid = ConnectAttach(0, 0, ev_chid, _NTO_SIDE_CHANNEL, 0);
	int et = ThreadCreate(0, event_thread, NULL, &ea);
	if (ev_chid < 0 || ev_coid < 0 || et < 0)
		die("event set-up", errno);
	SIGEV_PULSE_INIT(&ev_pulse, ev_coid, PULSE_PRIO, 2, 0);
	measure("deliver", op_deliver, 1000, 1);
	MsgSendPulse(ev_coid, PULSE_PRIO, CODE_QUIT, 0);
	ThreadJoin(et, NULL);

	struct _thread_attr a = {.__exitfunc = thread_exit};
	int y = ThreadCreate(0, yielder, NULL, &a);
	if (y < 0)
		die("ThreadCreate", y);
	measure("yield", op_yield, 1000, 2); /* each turn: there and back */
	bench_trace_point(TRACE_YIELD);
	op_yield(1);
	bench_trace_point(TRACE_YIELD);
	yield_stop = 1;
	ThreadJoin(y, NULL);

	measure("mutex", op_mutex, 2000, 1);
	int ht = ThreadCreate(0, hand_thread, NULL, &a);
	if (ht < 0)
		die("ThreadCreate", ht);
	measure("handoff", op_handoff, 500, 1);
	hand_stop = 1;
	ThreadJoin(ht, NULL);

	measure("thread", op_thread, 200, 1);
	measure("connect", op_connect, 1000, 1);
	measure("malloc", op_malloc, 2000, 1);
	measure("spawn", op_spawn, 4, 1);
	shm_setup();
	measure("shm", op_shm, 200, 1);
	bench_intr();
	bench_servers();
	bench_console(); /* after intr: devc-ser takes the UART's line */

	stop_server();
	printf("BENCH-DONE\n");
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 4 && !strcmp(argv[1], "server"))
		return server(atoi(argv[2]), atoi(argv[3]));
	if (argc >= 3 && !strcmp(argv[1], "rm"))
		return resource_manager(atoi(argv[2]));
	return bench();
}
