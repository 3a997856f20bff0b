/*
 * Linux baseline for `make bench`: the /init of a throwaway initramfs booted
 * by tools/bench/linux.py under QEMU TCG with -icount shift=0,sleep=off.
 * There the virtual clock advances exactly 1 ns per retired guest
 * instruction, so CLOCK_MONOTONIC differences count the instructions of
 * everything that ran (both processes, user and kernel) as long as the CPU
 * never idles in between; in a ping-pong one side is always runnable.
 *
 * Each operation runs one discarded warm-up batch and then BATCHES batches
 * of its iteration count, and prints one console line:
 *   LBENCH <op> median=<x.xx> min=<x.xx> max=<x.xx> iters=<K> batches=<B>
 * in instructions per operation, then LBENCH-DONE, and powers off.
 * "loop" is a loop of known length (2 instructions per turn) that proves the
 * method. The IPC operations are round trips (one message each way) between
 * two processes made by fork on the single CPU; "shm" opens, maps, unmaps
 * and closes a one-page file on a tmpfs at /dev/shm.
 *
 * Freestanding on purpose (no libc): raw syscalls for x86-64 and aarch64,
 * so nothing but the kernel's own work sits between the measured calls.
 * Build: gcc -O2 -static -nostdlib -ffreestanding -fno-pie -no-pie ...
 */

typedef unsigned long u64;
typedef long i64;

#define BATCHES	   15
#define IPC_ITERS  2000	   /* round trips per batch */
#define SYS_ITERS  20000   /* getppid calls per batch */
#define LOOP_ITERS 1000000 /* asm loop turns per batch */
#define UNIX_MSG   16	   /* bytes each way over the socket */

/* Syscall numbers and constants (the generic table on aarch64). */
#if defined(__x86_64__)
#define NR_read		 0
#define NR_write	 1
#define NR_close	 3
#define NR_mmap		 9
#define NR_munmap	 11
#define NR_ftruncate	 77
#define NR_socketpair	 53
#define NR_clone	 56
#define NR_exit		 60
#define NR_wait4	 61
#define NR_uname	 63
#define NR_getppid	 110
#define NR_mount	 165
#define NR_reboot	 169
#define NR_futex	 202
#define NR_clock_gettime 228
#define NR_openat	 257
#define NR_pipe2	 293
#elif defined(__aarch64__)
#define NR_openat	 56
#define NR_close	 57
#define NR_pipe2	 59
#define NR_read		 63
#define NR_write	 64
#define NR_mount	 40
#define NR_exit		 93
#define NR_futex	 98
#define NR_clock_gettime 113
#define NR_reboot	 142
#define NR_uname	 160
#define NR_getppid	 173
#define NR_socketpair	 199
#define NR_clone	 220
#define NR_mmap		 222
#define NR_munmap	 215
#define NR_ftruncate	 46
#define NR_wait4	 260
#else
#error "lbench supports x86-64 and aarch64 only"
#endif

#define AT_FDCWD	    (-100)
#define SIGCHLD		    17
#define CLOCK_MONOTONIC	    1
#define PROT_RW		    3	 /* PROT_READ | PROT_WRITE */
#define MAP_SHARED_ANON	    0x21 /* MAP_SHARED | MAP_ANONYMOUS */
#define MAP_SHARED	    0x01
#define O_RDWR		    02
#define O_CREAT		    0100
#define FUTEX_WAIT	    0	 /* not FUTEX_PRIVATE_FLAG: shared futexes */
#define FUTEX_WAKE	    1
#define AF_UNIX		    1
#define SOCK_STREAM	    1
#define REBOOT_MAGIC1	    0xfee1deadUL
#define REBOOT_MAGIC2	    672274793UL
#define REBOOT_CMD_POWEROFF 0x4321fedcUL

/* Raw system calls; errors come back as -errno. */
static inline i64 sys6(i64 nr, i64 a, i64 b, i64 c, i64 d, i64 e, i64 f)
{
#if defined(__x86_64__)
	register i64 r10 __asm__("r10") = d;
	register i64 r8 __asm__("r8") = e;
	register i64 r9 __asm__("r9") = f;
	i64 ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(nr), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
#else
	register i64 x8 __asm__("x8") = nr;
	register i64 x0 __asm__("x0") = a;
	register i64 x1 __asm__("x1") = b;
	register i64 x2 __asm__("x2") = c;
	register i64 x3 __asm__("x3") = d;
	register i64 x4 __asm__("x4") = e;
	register i64 x5 __asm__("x5") = f;

	__asm__ volatile("svc #0"
			 : "+r"(x0)
			 : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4), "r"(x5)
			 : "memory");
	return x0;
#endif
}

#define sys0(n)		    sys6(n, 0, 0, 0, 0, 0, 0)
#define sys1(n, a)	    sys6(n, (i64)(a), 0, 0, 0, 0, 0)
#define sys2(n, a, b)	    sys6(n, (i64)(a), (i64)(b), 0, 0, 0, 0)
#define sys3(n, a, b, c)    sys6(n, (i64)(a), (i64)(b), (i64)(c), 0, 0, 0)
#define sys4(n, a, b, c, d) sys6(n, (i64)(a), (i64)(b), (i64)(c), (i64)(d), 0, 0)

/* Entry: the kernel starts /init with argc at the stack pointer. */
#if defined(__x86_64__)
__asm__(".text\n"
	".globl _start\n"
	"_start:\n"
	"	xor %ebp, %ebp\n"
	"	and $-16, %rsp\n"
	"	call lbench_main\n"
	"	ud2\n");
#else
__asm__(".text\n"
	".globl _start\n"
	"_start:\n"
	"	mov x29, #0\n"
	"	bl lbench_main\n"
	"	b .\n");
#endif

/* ---- console output ---- */

static u64 slen(const char *s)
{
	u64 n = 0;

	while (s[n])
		n++;
	return n;
}

static void puts_(const char *s)
{
	sys3(NR_write, 1, s, slen(s));
}

/* Appends decimal v to buf at *pos. */
static void put_u(char *buf, u64 *pos, u64 v)
{
	char tmp[24];
	int n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		buf[(*pos)++] = tmp[--n];
}

static void put_s(char *buf, u64 *pos, const char *s)
{
	while (*s)
		buf[(*pos)++] = *s++;
}

/* Appends a value held in hundredths as x.xx. */
static void put_fix2(char *buf, u64 *pos, u64 h)
{
	put_u(buf, pos, h / 100);
	buf[(*pos)++] = '.';
	buf[(*pos)++] = (char)('0' + h / 10 % 10);
	buf[(*pos)++] = (char)('0' + h % 10);
}

static void poweroff(void)
{
	sys4(NR_reboot, REBOOT_MAGIC1, REBOOT_MAGIC2, REBOOT_CMD_POWEROFF, 0);
	for (;;) /* pid 1 must not return: the kernel would panic */
		;
}

/* Any failure is fatal: say what failed so the host side can report it. */
static void fail(const char *what, i64 err)
{
	char buf[128];
	u64 pos = 0;

	put_s(buf, &pos, "LBENCH-ERROR ");
	put_s(buf, &pos, what);
	put_s(buf, &pos, " errno=");
	put_u(buf, &pos, (u64)-err);
	buf[pos++] = '\n';
	sys3(NR_write, 1, buf, pos);
	poweroff();
}

static i64 check(i64 r, const char *what)
{
	if (r < 0)
		fail(what, r);
	return r;
}

/* ---- clock ---- */

struct timespec_ {
	i64 sec;
	i64 nsec;
};

/* Virtual ns; under -icount shift=0 that is retired instructions. */
static u64 now(void)
{
	struct timespec_ ts;

	sys2(NR_clock_gettime, CLOCK_MONOTONIC, &ts);
	return (u64)ts.sec * 1000000000UL + (u64)ts.nsec;
}

/* ---- the operations ---- */

/*
 * One op: parent() runs n iterations on the measured side; child(), when
 * set, is the peer in a forked process and runs all iterations of all
 * batches (warm-up included) before it exits.
 */
struct op {
	const char *name;
	u64 iters;
	void (*setup)(void);
	void (*parent)(u64 n);
	void (*child)(u64 n);
	void (*teardown)(void);
};

static void loop_run(u64 n)
{
	/* Exactly 2 instructions per turn; the count must come out as 2.00. */
#if defined(__x86_64__)
	__asm__ volatile("1: dec %0\n\tjnz 1b" : "+r"(n) : : "cc");
#else
	__asm__ volatile("1: subs %0, %0, #1\n\tb.ne 1b" : "+r"(n) : : "cc");
#endif
}

static void getppid_run(u64 n)
{
	while (n--)
		sys0(NR_getppid);
}

/* pipe: to_child and to_parent, one byte each way per round trip. */
static int to_child[2], to_parent[2];

static void xread(int fd, void *buf, u64 len, const char *what)
{
	char *p = buf;

	while (len) {
		i64 r = check(sys3(NR_read, fd, p, len), what);

		if (r == 0)
			fail(what, -1);
		p += r;
		len -= (u64)r;
	}
}

static void xwrite(int fd, const void *buf, u64 len, const char *what)
{
	const char *p = buf;

	while (len) {
		i64 r = check(sys3(NR_write, fd, p, len), what);

		p += r;
		len -= (u64)r;
	}
}

static void pipe_setup(void)
{
	check(sys2(NR_pipe2, to_child, 0), "pipe2");
	check(sys2(NR_pipe2, to_parent, 0), "pipe2");
}

static void pipe_parent(u64 n)
{
	char c = 'x';

	while (n--) {
		xwrite(to_child[1], &c, 1, "pipe write");
		xread(to_parent[0], &c, 1, "pipe read");
	}
}

static void pipe_child(u64 n)
{
	char c;

	while (n--) {
		xread(to_child[0], &c, 1, "pipe read");
		xwrite(to_parent[1], &c, 1, "pipe write");
	}
}

static void pipe_teardown(void)
{
	sys1(NR_close, to_child[0]);
	sys1(NR_close, to_child[1]);
	sys1(NR_close, to_parent[0]);
	sys1(NR_close, to_parent[1]);
}

/*
 * futex: one shared word, 1 = the child's turn, 0 = the parent's. Each side
 * hands over by storing and waking, then sleeps until the word comes back.
 */
static volatile int *fword;

static void futex_setup(void)
{
	i64 p = sys6(NR_mmap, 0, 4096, PROT_RW, MAP_SHARED_ANON, -1, 0);

	fword = (volatile int *)check(p, "mmap");
	*fword = 0;
}

static void futex_wait(int val)
{
	while (__atomic_load_n(fword, __ATOMIC_SEQ_CST) == val)
		sys4(NR_futex, fword, FUTEX_WAIT, val, 0);
}

static void futex_pass(int val)
{
	__atomic_store_n(fword, val, __ATOMIC_SEQ_CST);
	check(sys3(NR_futex, fword, FUTEX_WAKE, 1), "futex wake");
}

static void futex_parent(u64 n)
{
	while (n--) {
		futex_pass(1);
		futex_wait(1);
	}
}

static void futex_child(u64 n)
{
	while (n--) {
		futex_wait(0);
		futex_pass(0);
	}
}

/* unix: 16 bytes each way over a stream socketpair. */
static int sv[2];

static void unix_setup(void)
{
	check(sys4(NR_socketpair, AF_UNIX, SOCK_STREAM, 0, sv), "socketpair");
}

static void unix_parent(u64 n)
{
	char msg[UNIX_MSG] = "ping-pong 16 b.";

	while (n--) {
		xwrite(sv[0], msg, UNIX_MSG, "unix write");
		xread(sv[0], msg, UNIX_MSG, "unix read");
	}
}

static void unix_child(u64 n)
{
	char msg[UNIX_MSG];

	while (n--) {
		xread(sv[1], msg, UNIX_MSG, "unix read");
		xwrite(sv[1], msg, UNIX_MSG, "unix write");
	}
}

static void unix_teardown(void)
{
	sys1(NR_close, sv[0]);
	sys1(NR_close, sv[1]);
}

/* open + read of 16 bytes + close of a file in the initramfs (this
 * program), beside Muon's open + read on a resource manager. */
static void openread_run(u64 n)
{
	char b[16];

	while (n--) {
		i64 fd = check(sys4(NR_openat, AT_FDCWD, "/init", 0, 0), "open /init");
		if (check(sys3(NR_read, fd, b, sizeof(b)), "read /init") != sizeof(b))
			fail("short read of /init", 0);
		sys1(NR_close, fd);
	}
}

/* shm: an existing one-page file on tmpfs (POSIX shared memory on
 * Linux is /dev/shm) opened, mapped read-write, unmapped and closed. */
static const char shm_path[] = "/dev/shm/bench";

static void shm_setup(void)
{
	i64 fd;

	check(sys6(NR_mount, (i64) "tmpfs", (i64) "/dev/shm", (i64) "tmpfs", 0, 0, 0),
	      "mount tmpfs");
	fd = check(sys4(NR_openat, AT_FDCWD, shm_path, O_RDWR | O_CREAT, 0600), "open");
	check(sys2(NR_ftruncate, fd, 4096), "ftruncate");
	sys1(NR_close, fd);
}

static void shm_run(u64 n)
{
	while (n--) {
		i64 fd = check(sys4(NR_openat, AT_FDCWD, shm_path, O_RDWR, 0), "open");
		i64 p = check(sys6(NR_mmap, 0, 4096, PROT_RW, MAP_SHARED, fd, 0), "mmap");

		check(sys2(NR_munmap, p, 4096), "munmap");
		sys1(NR_close, fd);
	}
}

static const struct op ops[] = {
    {"loop", LOOP_ITERS, 0, loop_run, 0, 0},
    {"getppid", SYS_ITERS, 0, getppid_run, 0, 0},
    {"pipe", IPC_ITERS, pipe_setup, pipe_parent, pipe_child, pipe_teardown},
    {"futex", IPC_ITERS, futex_setup, futex_parent, futex_child, 0},
    {"unix", IPC_ITERS, unix_setup, unix_parent, unix_child, unix_teardown},
    {"openread", IPC_ITERS, 0, openread_run, 0, 0},
    {"shm", IPC_ITERS, shm_setup, shm_run, 0, 0},
};

/* ---- driver ---- */

static void run_op(const struct op *op)
{
	u64 per[BATCHES]; /* hundredths of an instruction per operation */
	char line[160];
	u64 pos = 0;
	i64 pid = 0;
	int i, j;

	if (op->setup)
		op->setup();
	if (op->child) {
		pid = check(sys6(NR_clone, SIGCHLD, 0, 0, 0, 0, 0), "fork");
		if (pid == 0) {
			op->child(op->iters * (BATCHES + 1));
			sys1(NR_exit, 0);
		}
	}

	/* Warm-up, discarded: the child reaches its loop and blocks, and the
	 * first-use costs (page faults, buffer allocations) are paid. */
	op->parent(op->iters);
	for (i = 0; i < BATCHES; i++) {
		u64 t0 = now();
		u64 t1;

		op->parent(op->iters);
		t1 = now();
		per[i] = ((t1 - t0) * 100 + op->iters / 2) / op->iters;
	}

	if (pid) {
		int status;

		check(sys4(NR_wait4, pid, &status, 0, 0), "wait4");
	}
	if (op->teardown)
		op->teardown();

	/* Insertion sort; BATCHES is small and odd, so the median is exact. */
	for (i = 1; i < BATCHES; i++) {
		u64 v = per[i];

		for (j = i; j > 0 && per[j - 1] > v; j--)
			per[j] = per[j - 1];
		per[j] = v;
	}
	put_s(line, &pos, "LBENCH ");
	put_s(line, &pos, op->name);
	put_s(line, &pos, " median=");
	put_fix2(line, &pos, per[BATCHES / 2]);
	put_s(line, &pos, " min=");
	put_fix2(line, &pos, per[0]);
	put_s(line, &pos, " max=");
	put_fix2(line, &pos, per[BATCHES - 1]);
	put_s(line, &pos, " iters=");
	put_u(line, &pos, op->iters);
	put_s(line, &pos, " batches=");
	put_u(line, &pos, BATCHES);
	line[pos++] = '\n';
	sys3(NR_write, 1, line, pos);
}

/* Context for the host: kernel release and clocksource. */
static void info(void)
{
	static char uts[6 * 65];
	char buf[256];
	u64 pos = 0;
	i64 fd, r;

	put_s(buf, &pos, "LBENCH-INFO release=");
	if (sys1(NR_uname, uts) == 0)
		put_s(buf, &pos, uts + 2 * 65);
	put_s(buf, &pos, " clocksource=");
	sys6(NR_mount, (i64) "sysfs", (i64) "/sys", (i64) "sysfs", 0, 0, 0);
	fd = sys4(NR_openat, AT_FDCWD,
		  "/sys/devices/system/clocksource/clocksource0/"
		  "current_clocksource",
		  0, 0);
	if (fd >= 0) {
		r = sys3(NR_read, fd, buf + pos, 64);
		if (r > 0)
			pos += (u64)r - 1; /* drop the newline */
		sys1(NR_close, fd);
	}
	buf[pos++] = '\n';
	sys3(NR_write, 1, buf, pos);
}

void lbench_main(void);

void lbench_main(void)
{
	unsigned i;

	info();
	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		run_op(&ops[i]);
	puts_("LBENCH-DONE\n");
	poweroff();
}
