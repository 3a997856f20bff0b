/*
 * Signals (kernel/signal.c, libc/signal.c), as QNX's SignalKill,
 * SignalAction, SignalProcmask, SignalSuspend, SignalWaitinfo pages and
 * "Unblock" rules describe them:
 *  - a handler runs with the right signo, si_code, si_pid and si_value,
 *    and the blocking call it interrupted (MsgReceive, ClockNanosleep,
 *    ThreadJoin, SignalSuspend) returns EINTR;
 *  - a SEND-blocked client: EINTR at once; a REPLY-blocked client of an
 *    _NTO_CHF_UNBLOCK channel stays blocked, its server gets the UNBLOCK
 *    pulse (value = rcvid) and _NTO_MI_UNBLOCK_REQ, and the client gets
 *    the reply's status, or EINTR from MsgError(rcvid, -1); without the
 *    flag: EINTR at once and the server's reply is ESRCH;
 *  - masked signals stay pending and come on unmask; a second one is
 *    merged into the first; sigwaitinfo gets the value; a thread waiting
 *    in it takes a process-directed signal; sigtimedwait times out with
 *    EAGAIN; SIG_IGN discards;
 *  - a signal taken in user mode (at a timer interrupt) gives back every
 *    general and FP/SIMD register, whatever the handler did to them;
 *  - SignalAction on SIGKILL/SIGSTOP is EINVAL;
 *  - children: default actions end them with WAIT_SIGNALED(signo)
 *    (SIGTERM, SIGKILL even REPLY-blocked on an _NTO_CHF_UNBLOCK
 *    channel), SIGSTOP stops one (it does not answer until SIGCONT, and
 *    KerInfo says STOPPED), SIGKILL ends a stopped one, an unprivileged
 *    child may not signal pid 1 (EPERM), and hostile SignalReturn
 *    contexts (unreadable, a kernel pc, every flag and FP control bit set)
 *    and a stack that cannot take a frame end only the child;
 *  - faults (a read of nothing, a write to text, an undefined
 *    instruction) go to the child's SA_SIGINFO handler with si_code
 *    SEGV_MAPERR / SEGV_ACCERR / ILL_ILLOPC and si_addr; a fault the
 *    thread blocks ends it with SIGSEGV.
 *
 * Main runs SCHED_FIFO at 5, below every thread and child it starts
 * (msgtest.h): when it runs, they are blocked. The one clock-driven step
 * is the register check's: a thread waking every millisecond preempts a
 * spinning one until that one is in its loop (it says so just before),
 * then signals it; the handler must have interrupted the loop itself.
 * Children are this program again, argv[1] naming the role.
 */
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ucontext.h>
#include <time.h>
#include <unistd.h>

#include "onecpu.h"
#include "../../proc/proc.h"
#include "msgtest.h"

#define MAIN_PRIO    5
#define EXITED(code) ((code) << 8)
#define ST_STOPPED   3
#define MS	     1000000ull

static struct ifs fs;

/* --- the handler that records ------------------------------------------------ */

static volatile int hits, last_signo, last_code, last_pid, last_value;

static void record(int signo, siginfo_t *si, void *ctx)
{
	(void)ctx;
	hits++;
	last_signo = signo;
	last_code = si->si_code;
	last_pid = si->si_pid;
	last_value = si->si_value.sival_int;
}

static int install(int signo, void (*fn)(int, siginfo_t *, void *), int block)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = fn;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	if (block)
		sigaddset(&sa.sa_mask, block);
	return sigaction(signo, &sa, NULL);
}

static void reset_record(void)
{
	hits = last_signo = last_code = last_pid = last_value = 0;
}

/* --- children ------------------------------------------------------------------ */

static pid_t spawn(const char *role, const char *arg)
{
	char *argv[] = {"test_signal", (char *)role, (char *)arg, NULL};
	/* Public channels only (the echo server's); signalling others is
	 * not theirs. */
	pid_t pid = proc_spawn_abilities(&fs, "test_signal", argv, NULL, 20, SCHED_FIFO,
					 _NTO_ABILITY_PUBLIC_CHANNEL);
	if (pid < 0)
		printf("# spawn %s: error %d\n", role, -pid);
	return pid;
}

/* ProcWait for pid, at most 2 s; the status, or -1. */
static int wait_child(pid_t pid)
{
	int st = -1;
	timeout_in(_NTO_TIMEOUT_JOIN, 2000 * MS);
	int r = ProcWait_r(pid, &st);
	if (r != pid)
		printf("# ProcWait(%d): %d\n", pid, r);
	return r == pid ? st : -1;
}

/* --- threads that block ---------------------------------------------------------- */

enum how { IN_RECEIVE, IN_SLEEP, IN_JOIN, IN_SEND, IN_REPLY, IN_SUSPEND };
struct blocker {
	enum how how;
	int chid, coid, join_tid;
	long ret;
	int hits_at_return; /* handler runs after the call returned */
	sigset_t mask_after;
};

static void *block_in(void *arg)
{
	struct blocker *b = arg;
	char buf[16];
	uint64_t ten_s = 10000 * MS;
	sigset_t none;

	switch (b->how) {
	case IN_RECEIVE:
		b->ret = MsgReceive_r(b->chid, buf, sizeof(buf), NULL);
		break;
	case IN_SLEEP:
		b->ret = ClockNanosleep_r(CLOCK_MONOTONIC, 0, &ten_s);
		break;
	case IN_JOIN:
		b->ret = ThreadJoin_r(b->join_tid, NULL);
		break;
	case IN_SEND:
	case IN_REPLY:
		b->ret = MsgSend_r(b->coid, "hi", 3, buf, sizeof(buf));
		break;
	case IN_SUSPEND:
		sigemptyset(&none);
		b->ret = sigsuspend(&none) < 0 ? -errno : 0;
		sigprocmask(SIG_BLOCK, NULL, &b->mask_after);
		break;
	}
	b->hits_at_return = hits;
	return NULL;
}

/* A handler interrupts MsgReceive, ClockNanosleep and ThreadJoin (EINTR),
 * with what SignalKill gave it. */
static void interrupted_calls(int chid)
{
	struct blocker forever = {.how = IN_RECEIVE, .chid = chid};
	int forever_tid = tstart(block_in, &forever, 30);

	for (enum how h = IN_RECEIVE; h <= IN_JOIN; h++) {
		struct blocker b = {.how = h, .chid = chid, .join_tid = forever_tid};
		reset_record();
		int tid = tstart(block_in, &b, 20);
		CHECK_STATE(MYPID, tid,
			    h == IN_RECEIVE ? ST_RECEIVE
			    : h == IN_SLEEP ? 12
					    : ST_JOIN,
			    NO_ON);
		CHECK_EQ(SignalKill(0, 0, tid, SIGUSR1, -7, 1000 + h), 0);
		tjoin(tid);
		CHECK_EQ(b.ret, -EINTR);
		CHECK(hits == 1 && last_signo == SIGUSR1 && last_code == -7 && last_pid == MYPID &&
		      last_value == 1000 + (int)h);
	}
	SignalKill(0, 0, forever_tid, SIGUSR1, SI_USER, 0);
	tjoin(forever_tid);
}

/* SEND-blocked: EINTR at once. REPLY-blocked on an _NTO_CHF_UNBLOCK
 * channel: the server is asked; without the flag: EINTR at once. */
static void unblock_rules(void)
{
	int ch_u = ChannelCreate(_NTO_CHF_UNBLOCK), ch_n = ChannelCreate(0);
	int co_u = ConnectAttach(0, 0, ch_u, _NTO_SIDE_CHANNEL, 0);
	int co_n = ConnectAttach(0, 0, ch_n, _NTO_SIDE_CHANNEL, 0);
	struct _msg_info info;
	char buf[16];

	/* SEND-blocked (nobody receives yet). */
	struct blocker s = {.how = IN_SEND, .coid = co_u};
	reset_record();
	int tid = tstart(block_in, &s, 20);
	CHECK_STATE(MYPID, tid, ST_SEND, NO_ON);
	SignalKill(0, 0, tid, SIGTERM, SI_USER, 1);
	tjoin(tid);
	CHECK_EQ(s.ret, -EINTR);
	CHECK_EQ(hits, 1);

	/* REPLY-blocked on an UNBLOCK channel: reply, then MsgError(-1). */
	for (int round = 0; round < 2; round++) {
		struct blocker r = {.how = IN_REPLY, .coid = co_u};
		reset_record();
		tid = tstart(block_in, &r, 20);
		int rcvid = MsgReceive(ch_u, buf, sizeof(buf), NULL);
		unboost();
		CHECK_STATE(MYPID, tid, ST_REPLY, NO_ON);
		SignalKill(0, 0, tid, SIGTERM, SI_USER, 2);
		CHECK_STATE(MYPID, tid, ST_REPLY, NO_ON); /* still: the server is asked */
		CHECK_EQ(hits, 0);
		struct _pulse p;
		memset(&p, 0, sizeof(p));
		CHECK_EQ(MsgReceive(ch_u, &p, sizeof(p), NULL), 0);
		unboost();
		CHECK(p.code == _PULSE_CODE_UNBLOCK && p.value.sival_int == rcvid);
		CHECK(MsgInfo(rcvid, &info) == 0 && (info.flags & _NTO_MI_UNBLOCK_REQ));
		if (round == 0)
			MsgReply(rcvid, 77, "ok", 3);
		else
			MsgError(rcvid, -1);
		tjoin(tid);
		CHECK_EQ(r.ret, round == 0 ? 77 : -EINTR);
		CHECK_EQ(r.hits_at_return, 1); /* the handler ran once it returned */
	}

	/* REPLY-blocked without the flag: out at once, the reply finds no one. */
	struct blocker n = {.how = IN_REPLY, .coid = co_n};
	tid = tstart(block_in, &n, 20);
	int rcvid = MsgReceive(ch_n, buf, sizeof(buf), NULL);
	unboost();
	SignalKill(0, 0, tid, SIGTERM, SI_USER, 3);
	tjoin(tid);
	CHECK_EQ(n.ret, -EINTR);
	CHECK_EQ(MsgReply_r(rcvid, 0, NULL, 0), -ESRCH);

	ConnectDetach(co_u);
	ConnectDetach(co_n);
	ChannelDestroy(ch_u);
	ChannelDestroy(ch_n);
}

struct waiter {
	sigset_t set;
	int ret;
	siginfo_t si;
};

static void *waiter(void *arg)
{
	struct waiter *x = arg;
	x->ret = sigwaitinfo(&x->set, &x->si);
	return NULL;
}

/* Masks, pending signals, merging, sigwaitinfo, sigtimedwait, SIG_IGN,
 * sigsuspend. */
static void masks_and_waits(void)
{
	sigset_t set, old;
	siginfo_t si;
	struct timespec zero = {0, 0}, short_wait = {0, 20 * 1000000};

	/* Blocked: pending, not delivered; unblocked: delivered then. */
	reset_record();
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	CHECK_EQ(sigprocmask(SIG_BLOCK, &set, &old), 0);
	raise(SIGUSR2);
	CHECK_EQ(hits, 0);
	sigprocmask(SIG_SETMASK, &old, NULL);
	CHECK(hits == 1 && last_signo == SIGUSR2);

	/* sigwaitinfo takes a blocked one, with its value; a second one
	 * posted while the first is pending is merged into it. */
	sigprocmask(SIG_BLOCK, &set, NULL);
	union sigval v1 = {.sival_int = 4321}, v2 = {.sival_int = 8765};
	sigqueue(getpid(), SIGUSR2, v1);
	sigqueue(getpid(), SIGUSR2, v2);
	memset(&si, 0, sizeof(si));
	CHECK_EQ(sigwaitinfo(&set, &si), SIGUSR2);
	CHECK(si.si_signo == SIGUSR2 && si.si_code == SI_QUEUE && si.si_pid == MYPID &&
	      si.si_value.sival_int == 4321);
	errno = 0;
	CHECK(sigtimedwait(&set, &si, &zero) == -1 && errno == EAGAIN);

	/* sigtimedwait with nothing coming: EAGAIN after the timeout. */
	uint64_t t0 = 0, t1 = 0;
	ClockTime(CLOCK_MONOTONIC, NULL, &t0);
	errno = 0;
	CHECK(sigtimedwait(&set, &si, &short_wait) == -1 && errno == EAGAIN);
	ClockTime(CLOCK_MONOTONIC, NULL, &t1);
	CHECK(t1 - t0 >= 20 * MS);

	/* A thread in sigwaitinfo takes a process-directed signal that
	 * every thread blocks. */
	struct waiter w;
	memset(&w, 0, sizeof(w));
	sigemptyset(&w.set);
	sigaddset(&w.set, SIGRTMIN);
	sigprocmask(SIG_BLOCK, &w.set, NULL); /* the new thread inherits it */
	int tid = tstart(waiter, &w, 20);
	CHECK_STATE(MYPID, tid, 11 /* SIGWAITINFO */, NO_ON);
	SignalKill(0, 0, 0, SIGRTMIN, -9, 55);
	tjoin(tid);
	CHECK(w.ret == SIGRTMIN && w.si.si_code == -9 && w.si.si_value.sival_int == 55);

	/* SIG_IGN discards. */
	signal(SIGUSR2, SIG_IGN);
	raise(SIGUSR2);
	errno = 0;
	CHECK(sigtimedwait(&set, &si, &zero) == -1 && errno == EAGAIN);
	install(SIGUSR2, record, 0);
	sigprocmask(SIG_UNBLOCK, &set, NULL);

	/* sigsuspend: a thread blocking SIGUSR1 lets it through only while
	 * suspended; EINTR, the handler ran, and its mask is back. */
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, &old);
	struct blocker b = {.how = IN_SUSPEND};
	reset_record();
	tid = tstart(block_in, &b, 20);
	sigprocmask(SIG_SETMASK, &old, NULL);
	CHECK_STATE(MYPID, tid, 10 /* SIGSUSPEND */, NO_ON);
	SignalKill(0, 0, tid, SIGUSR1, SI_USER, 9);
	tjoin(tid);
	CHECK(b.ret == -EINTR && hits == 1 && last_value == 9);
	CHECK_EQ(sigismember(&b.mask_after, SIGUSR1), 1);
}

/* --- registers across a handler --------------------------------------------------- */

/*
 * sig_spin(flag) loads every general register but sp (and, aarch64, x0,
 * x29, x30) and the FP/SIMD registers with known values, spins until
 * *flag is set, then counts the registers that changed. sig_trash, the
 * handler, sets the flag and overwrites all of them (callee-saved ones
 * included, against the ABI, which is the point) and records the pc the
 * signal interrupted (context + UC_PC), which must be inside the spin.
 */
volatile int spin_flag;
volatile uint64_t spin_pc, spin_ready; /* ready: set just before the loop */
long sig_spin(volatile int *flag);
void sig_trash(int, siginfo_t *, void *);
extern char sig_spin_loop[], sig_spin_end[];

/* clang-format off */
#if defined(__x86_64__)
#define UC_PC 152 /* as a literal for the asm */
_Static_assert(offsetof(ucontext_t, uc_mcontext.rip) == UC_PC, "UC_PC");
#define K(n) "0x5a5a0000000000" #n
__asm__(".text\n"
	".globl sig_spin\n"
	"sig_spin:\n"
	"push %rbx\n push %rbp\n push %r12\n push %r13\n push %r14\n push %r15\n"
	"movabs $" K(11) ", %rbx\n movabs $" K(12) ", %rbp\n movabs $" K(13) ", %r12\n"
	"movabs $" K(14) ", %r13\n movabs $" K(15) ", %r14\n movabs $" K(16) ", %r15\n"
	"movabs $" K(17) ", %r8\n movabs $" K(18) ", %r9\n movabs $" K(19) ", %r10\n"
	"movabs $" K(20) ", %r11\n movabs $" K(21) ", %rsi\n movabs $" K(22) ", %rdx\n"
	"movabs $" K(23) ", %rcx\n"
	".irp n,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15\n"
	"movabs $0x3c3c0000000000\\n, %rax\n movq %rax, %xmm\\n\n"
	".endr\n"
	"movabs $" K(24) ", %rax\n"
	"movq $1, spin_ready(%rip)\n"
	".globl sig_spin_loop\n"
	"sig_spin_loop:\n"
	"cmpl $0, (%rdi)\n je sig_spin_loop\n"
	".globl sig_spin_end\n"
	"sig_spin_end:\n"
	"xor %edi, %edi\n"
	".macro cmpreg r, v\n movabs $\\v, %rax\n cmp %rax, \\r\n je 1f\n inc %rdi\n 1:\n .endm\n"
	"cmpreg %rbx, " K(11) "\n cmpreg %rbp, " K(12) "\n cmpreg %r12, " K(13) "\n"
	"cmpreg %r13, " K(14) "\n cmpreg %r14, " K(15) "\n cmpreg %r15, " K(16) "\n"
	"cmpreg %r8, " K(17) "\n cmpreg %r9, " K(18) "\n cmpreg %r10, " K(19) "\n"
	"cmpreg %r11, " K(20) "\n cmpreg %rsi, " K(21) "\n cmpreg %rdx, " K(22) "\n"
	"cmpreg %rcx, " K(23) "\n"
	".irp n,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15\n"
	"movq %xmm\\n, %rcx\n cmpreg %rcx, 0x3c3c0000000000\\n\n"
	".endr\n"
	".purgem cmpreg\n"
	"mov %rdi, %rax\n"
	"pop %r15\n pop %r14\n pop %r13\n pop %r12\n pop %rbp\n pop %rbx\n ret\n"
	".globl sig_trash\n"
	"sig_trash:\n"
	"movl $1, spin_flag(%rip)\n"
	"mov 152(%rdx), %rax\n mov %rax, spin_pc(%rip)\n" /* UC_PC */
	"mov $-1, %rax\n"
	"mov %rax, %rbx\n mov %rax, %rbp\n mov %rax, %r12\n mov %rax, %r13\n mov %rax, %r14\n"
	"mov %rax, %r15\n mov %rax, %r8\n mov %rax, %r9\n mov %rax, %r10\n mov %rax, %r11\n"
	"mov %rax, %rsi\n mov %rax, %rdx\n mov %rax, %rcx\n mov %rax, %rdi\n"
	".irp n,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15\n movq %rax, %xmm\\n\n .endr\n"
	"ret\n");
#elif defined(__aarch64__)
#define UC_PC 288 /* as a literal for the asm */
_Static_assert(offsetof(ucontext_t, uc_mcontext.pc) == UC_PC, "UC_PC");
__asm__(".text\n"
	".globl sig_spin\n"
	"sig_spin:\n"
	"stp x29, x30, [sp, #-96]!\n mov x29, sp\n"
	"stp x19, x20, [sp, #16]\n stp x21, x22, [sp, #32]\n stp x23, x24, [sp, #48]\n"
	"stp x25, x26, [sp, #64]\n stp x27, x28, [sp, #80]\n"
	".irp n,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28\n"
	"movz x\\n, #0x5a5a, lsl #48\n movk x\\n, #\\n\n"
	".endr\n"
	".irp n,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31\n"
	"movz x30, #0x3c3c, lsl #48\n movk x30, #\\n\n fmov d\\n, x30\n"
	".endr\n"
	"adrp x30, spin_ready\n add x30, x30, :lo12:spin_ready\n str x30, [x30]\n"
	".globl sig_spin_loop\n"
	"sig_spin_loop:\n"
	"ldr w30, [x0]\n cbz w30, sig_spin_loop\n"
	".globl sig_spin_end\n"
	"sig_spin_end:\n"
	"mov x30, #0\n"
	".irp n,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28\n"
	"movz x0, #0x5a5a, lsl #48\n movk x0, #\\n\n cmp x\\n, x0\n cinc x30, x30, ne\n"
	".endr\n"
	".irp n,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31\n"
	"movz x0, #0x3c3c, lsl #48\n movk x0, #\\n\n fmov x1, d\\n\n cmp x1, x0\n cinc x30, x30, ne\n"
	".endr\n"
	"mov x0, x30\n"
	"ldp x19, x20, [sp, #16]\n ldp x21, x22, [sp, #32]\n ldp x23, x24, [sp, #48]\n"
	"ldp x25, x26, [sp, #64]\n ldp x27, x28, [sp, #80]\n ldp x29, x30, [sp], #96\n ret\n"
	".globl sig_trash\n"
	"sig_trash:\n"
	"adrp x9, spin_flag\n add x9, x9, :lo12:spin_flag\n mov w10, #1\n str w10, [x9]\n"
	"ldr x10, [x2, #288]\n" /* UC_PC */
	" adrp x9, spin_pc\n add x9, x9, :lo12:spin_pc\n str x10, [x9]\n"
	"mov x9, #-1\n"
	".irp n,0,1,2,3,4,5,6,7,8,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29\n"
	"mov x\\n, x9\n"
	".endr\n"
	".irp n,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31\n"
	"fmov d\\n, x9\n"
	".endr\n"
	"ret\n");
#endif
/* clang-format on */

/* Every thread but the spinner blocks SIGUSR2: the process-directed
 * signal is the spinner's. */
static volatile long spin_result = -1;
static sigset_t usr2;

static void *spinner(void *arg)
{
	(void)arg;
	pthread_sigmask(SIG_UNBLOCK, &usr2, NULL);
	spin_result = sig_spin(&spin_flag);
	return NULL;
}

static void *poker(void *arg)
{
	uint64_t ms1 = MS;
	(void)arg;
	/* Wake (a timer interrupt preempting the spinner) until it is in its
	 * loop; at most a second, then the pc check says what happened. */
	for (int i = 0; i < 1000 && !spin_ready; i++)
		ClockNanosleep(CLOCK_MONOTONIC, 0, &ms1);
	kill(0, SIGUSR2);
	return NULL;
}

static void registers_kept(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = sig_trash;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGUSR2, &sa, NULL);
	sigemptyset(&usr2);
	sigaddset(&usr2, SIGUSR2);
	sigprocmask(SIG_BLOCK, &usr2, NULL); /* the new threads inherit it */
	int ptid = tstart(poker, NULL, 30);
	int stid = tstart(spinner, NULL, 20); /* runs until the signal */
	tjoin(stid);
	tjoin(ptid);
	sigprocmask(SIG_UNBLOCK, &usr2, NULL);
	CHECK_EQ(spin_result, 0);
	if (!CHECK(spin_pc >= (uintptr_t)sig_spin_loop && spin_pc <= (uintptr_t)sig_spin_end))
		printf("#   pc %#lx, loop %p..%p\n", (unsigned long)spin_pc, sig_spin_loop,
		       sig_spin_end);
	install(SIGUSR2, record, 0);
}

/* --- children ------------------------------------------------------------------- */

static char landing_stack[4096] __attribute__((aligned(16)));

/* Where a hostile context lands: exit 0 if the flags are a user's only. */
static void landing(void)
{
#if defined(__x86_64__)
	uint64_t fl;
	__asm__ volatile("pushfq; popq %0" : "=r"(fl));
	/* IF on, IOPL 0, no VM, VIF, VIP. */
	_exit((fl & (1u << 9)) && !(fl & ((3u << 12) | (1u << 17) | (3u << 19))) ? 0 : 1);
#else
	uint64_t nzcv;
	__asm__ volatile("mrs %0, nzcv" : "=r"(nzcv));
	_exit(nzcv == 0xf0000000ul ? 0 : 1);
#endif
}

/* A stack pointer the kernel cannot write a frame below, then a signal
 * for a handler. */
static void bad_stack_kill(void)
{
#if defined(__x86_64__)
	__asm__ volatile("mov $0x800, %%rsp\n"
			 "xor %%edi, %%edi\n xor %%esi, %%esi\n xor %%edx, %%edx\n"
			 "mov %0, %%r10\n xor %%r8, %%r8\n xor %%r9, %%r9\n"
			 "mov $0x58, %%eax\n syscall\n ud2\n" ::"i"(SIGUSR1));
#else
	__asm__ volatile(
	    "mov x9, #0x800\n mov sp, x9\n"
	    "mov x0, #0\n mov x1, #0\n mov x2, #0\n mov x3, %0\n"
	    "mov x4, #0\n mov x5, #0\n mov x8, #0x58\n svc #0\n udf #0\n" ::"i"(SIGUSR1));
#endif
}

/* Faults a handler takes (POSIX: SIGSEGV, SIGILL with si_code and
 * si_addr): the handler checks what it got and ends the child with 42
 * (right) or 43; returning would only fault again. */
static volatile uintptr_t fault_addr;
static volatile int fault_code;

static void on_fault(int signo, siginfo_t *si, void *ctx)
{
	(void)ctx;
	_exit(si->si_signo == signo && si->si_code == fault_code &&
		      (!fault_addr || (uintptr_t)si->si_addr == fault_addr)
		  ? 42
		  : 43);
}

static int fault_child(const char *how)
{
	install(SIGSEGV, on_fault, 0);
	install(SIGILL, on_fault, 0);
	if (!strcmp(how, "segv")) { /* nothing mapped at 0x1230 */
		fault_addr = 0x1230;
		fault_code = SEGV_MAPERR;
		return *(volatile int *)fault_addr;
	}
	if (!strcmp(how, "accerr")) { /* our own text, written */
		fault_addr = (uintptr_t)&fault_child;
		fault_code = SEGV_ACCERR;
		*(volatile char *)fault_addr = 1;
		return 1;
	}
	if (!strcmp(how, "ill")) {
		fault_code = ILL_ILLOPC;
#if defined(__x86_64__)
		__asm__ volatile("ud2");
#else
		__asm__ volatile("udf #0");
#endif
		return 1;
	}
	/* "blocked": a fault the thread blocks ends the process (SIGSEGV). */
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGSEGV);
	sigprocmask(SIG_BLOCK, &set, NULL);
	fault_code = SEGV_MAPERR;
	return *(volatile int *)0x1230;
}

static int child_main(const char *role, const char *arg)
{
	if (!strcmp(role, "fault"))
		return fault_child(arg);
	if (!strcmp(role, "block")) { /* wait forever in RECEIVE */
		int ch = ChannelCreate(_NTO_CHF_PRIVATE);
		MsgReceive(ch, NULL, 0, NULL);
		return 1;
	}
	if (!strcmp(role, "send")) { /* REPLY-blocked on pid 1's channel arg */
		int co = ConnectAttach(0, 1, atoi(arg), _NTO_SIDE_CHANNEL, 0);
		MsgSend(co, "x", 2, NULL, 0);
		return 1;
	}
	if (!strcmp(role, "echo")) { /* answer every message with 42 */
		int ch = ChannelCreate(0);
		for (;;) {
			int rcvid = MsgReceive(ch, NULL, 0, NULL);
			if (rcvid > 0)
				MsgReply(rcvid, 42, NULL, 0);
		}
	}
	if (!strcmp(role, "eperm")) {
		if (SignalKill(0, 1, 0, SIGTERM, SI_USER, 0) != -1 || errno != EPERM)
			return 2;
		if (kill(1, 0) != -1 || errno != EPERM)
			return 3;
		return kill(getpid(), 0) == 0 ? 0 : 4;
	}
	if (!strcmp(role, "ret-bad")) { /* unreadable contexts */
		SignalReturn((const struct ucontext *)0xffff800000000000ul);
		return 1;
	}
	ucontext_t uc;
	memset(&uc, 0, sizeof(uc));
	uintptr_t sp = (uintptr_t)(landing_stack + sizeof(landing_stack));
#if defined(__x86_64__)
	uc.uc_mcontext.rip = (uintptr_t)landing;
	uc.uc_mcontext.rsp = sp - 8;
	/* Every flag but TF (a single-step trap, test_flags's) and DF (the
	 * ABI wants it clear in C code). */
	uc.uc_mcontext.rflags = ~((1ul << 8) | (1ul << 10));
	memset(uc.uc_mcontext.fpregs, 0xff, sizeof(uc.uc_mcontext.fpregs));
	uintptr_t *pc = &uc.uc_mcontext.rip;
#else
	uc.uc_mcontext.pc = (uintptr_t)landing;
	uc.uc_mcontext.sp = sp;
	uc.uc_mcontext.pstate = ~0ul;
	uc.uc_mcontext.fpcr = uc.uc_mcontext.fpsr = ~0ul;
	uintptr_t *pc = &uc.uc_mcontext.pc;
#endif
	if (!strcmp(role, "ret-kpc"))
		*pc = 0xffffffff80000000ul; /* kernel text */
	else if (!strcmp(role, "ret-noncanon"))
		*pc = 0x0000800000000000ul;
	else if (!strcmp(role, "badstack")) {
		install(SIGUSR1, record, 0);
		bad_stack_kill();
	} else if (strcmp(role, "ret-flags"))
		return 99;
	SignalReturn(&uc);
	return 1;
}

static void children(void)
{
	int ch_u = ChannelCreate(_NTO_CHF_UNBLOCK);
	char chs[16];
	snprintf(chs, sizeof(chs), "%d", ch_u);

	/* Default actions. */
	pid_t pid = spawn("block", NULL);
	CHECK_STATE(pid, 1, ST_RECEIVE, NO_ON);
	CHECK_EQ(kill(pid, SIGTERM), 0);
	CHECK_EQ(wait_child(pid), SIGTERM);

	/* SIGKILL to a client REPLY-blocked on an UNBLOCK channel. */
	pid = spawn("send", chs);
	char buf[4];
	struct _msg_info info;
	int rcvid = MsgReceive(ch_u, buf, sizeof(buf), &info);
	unboost();
	CHECK(rcvid > 0 && info.pid == pid);
	CHECK_EQ(kill(pid, SIGKILL), 0);
	CHECK_EQ(wait_child(pid), SIGKILL);
	CHECK_EQ(MsgReply_r(rcvid, 0, NULL, 0), -ESRCH);

	/* SIGSTOP: no answer until SIGCONT; SIGKILL ends it stopped. */
	pid = spawn("echo", NULL);
	int co = ConnectAttach(0, pid, 1, _NTO_SIDE_CHANNEL, 0);
	CHECK_EQ(MsgSend(co, NULL, 0, NULL, 0), 42);
	CHECK_EQ(kill(pid, SIGSTOP), 0);
	timeout_in(_NTO_TIMEOUT_SEND | _NTO_TIMEOUT_REPLY, 50 * MS);
	CHECK_EQ(MsgSend_r(co, NULL, 0, NULL, 0), -ETIMEDOUT);
	CHECK_STATE(pid, 1, ST_STOPPED, NO_ON);
	CHECK_EQ(kill(pid, SIGCONT), 0);
	timeout_in(_NTO_TIMEOUT_SEND | _NTO_TIMEOUT_REPLY, 2000 * MS);
	CHECK_EQ(MsgSend_r(co, NULL, 0, NULL, 0), 42);
	kill(pid, SIGSTOP);
	timeout_in(_NTO_TIMEOUT_SEND | _NTO_TIMEOUT_REPLY, 10 * MS);
	MsgSend_r(co, NULL, 0, NULL, 0); /* it takes this one, then stops */
	CHECK_STATE(pid, 1, ST_STOPPED, NO_ON);
	CHECK_EQ(kill(pid, SIGKILL), 0);
	CHECK_EQ(wait_child(pid), SIGKILL);
	ConnectDetach(co);

	/* Who may signal whom. */
	CHECK_EQ(wait_child(spawn("eperm", NULL)), EXITED(0));

	/* Hostile SignalReturn contexts and a stack with no room: only the
	 * child ends (SIGSEGV), or goes on with a user's flags. */
	CHECK_EQ(wait_child(spawn("ret-bad", NULL)), SIGSEGV);
	CHECK_EQ(wait_child(spawn("ret-kpc", NULL)), SIGSEGV);
	CHECK_EQ(wait_child(spawn("ret-noncanon", NULL)), SIGSEGV);
	CHECK_EQ(wait_child(spawn("ret-flags", NULL)), EXITED(0));
	CHECK_EQ(wait_child(spawn("badstack", NULL)), SIGSEGV);

	/* Faults go to a handler (si_code, si_addr), unless blocked. */
	CHECK_EQ(wait_child(spawn("fault", "segv")), EXITED(42));
	CHECK_EQ(wait_child(spawn("fault", "accerr")), EXITED(42));
	CHECK_EQ(wait_child(spawn("fault", "ill")), EXITED(42));
	CHECK_EQ(wait_child(spawn("fault", "blocked")), SIGSEGV);
	ChannelDestroy(ch_u);
}

/* --- a new thread's first instructions ------------------------------------------ */

static _Thread_local int tls_hits;

static void count_on_tls(int signo, siginfo_t *si, void *uc)
{
	(void)signo, (void)si, (void)uc;
	tls_hits++;
}

static void *tls_thread(void *arg)
{
	pthread_sigmask(SIG_BLOCK, NULL, arg);
	return (void *)(long)tls_hits;
}

/* A thread libc starts takes no signal before its own TLS is set up (a
 * handler would run on its creator's): the kernel holds every signal
 * back until then; after, its mask is its creator's (POSIX's
 * pthread_create page), and a signal sent meanwhile is taken on its own
 * TLS. */
static void before_tls(void) /* 4 points */
{
	struct sched_param sp = {.sched_priority = MAIN_PRIO - 1};
	pthread_attr_t a;
	pthread_t t;
	sigset_t theirs, before, mine;
	void *ret = NULL;

	install(SIGHUP, count_on_tls, 0);
	pthread_attr_init(&a);
	pthread_attr_setinheritsched(&a, PTHREAD_EXPLICIT_SCHED);
	pthread_attr_setschedpolicy(&a, SCHED_FIFO);
	pthread_attr_setschedparam(&a, &sp);
	pthread_create(&t, &a, tls_thread, &theirs);
	/* Below us on one CPU: it has not run yet. */
	CHECK(SignalProcmask(0, (int)t, SIG_BLOCK, NULL, &before) == 0 &&
	      sigismember(&before, SIGHUP) && sigismember(&before, SIGUSR1));
	CHECK_EQ(SignalKill(0, getpid(), (int)t, SIGHUP, 0, 0), 0);
	pthread_join(t, &ret);
	pthread_sigmask(SIG_BLOCK, NULL, &mine);
	CHECK((long)ret == 1 && tls_hits == 0);
	CHECK(!memcmp(&theirs, &mine, sizeof(mine)));
	signal(SIGHUP, SIG_DFL);
}

int main(int argc, char **argv)
{
	one_cpu(); /* onecpu.h */
	if (argc > 1)
		return child_main(argv[1], argc > 2 ? argv[2] : NULL);

	tap_plan(3 + 3 * 4 + 4 + 2 * 8 + 2 + 14 + 2 + 21 + 4 + 4);
	set_self_prio(MAIN_PRIO);
	proc_open_image(&fs);

	struct sigaction sa;
	CHECK(SignalAction(0, NULL, SIGKILL, &sa, NULL) == -1 && errno == EINVAL);
	CHECK(SignalAction(0, NULL, SIGSTOP, &sa, NULL) == -1 && errno == EINVAL);
	CHECK(install(SIGUSR1, record, 0) == 0 && install(SIGTERM, record, 0) == 0 &&
	      install(SIGUSR2, record, 0) == 0);

	int chid = ChannelCreate(0);
	interrupted_calls(chid);
	unblock_rules();
	masks_and_waits();
	registers_kept();
	before_tls();
	children();
	return tap_done();
}
