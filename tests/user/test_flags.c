/*
 * User flags against the kernel (issue 10, defect 1). User code may set
 * any flag its architecture lets it set and then enter the kernel: by a
 * kernel call, by a kernel call that switches threads, or by being
 * preempted. The kernel must survive each, and give the flags back as
 * the ABI says (docs/ARCHITECTURE.md, "User flags"): all of the user's
 * own flags, unchanged.
 *
 * x86-64: every RFLAGS bit popf can change at CPL 3 (CF PF AF ZF SF DF
 * OF NT AC ID) is set alone and then all together, and each comes back
 * across KerNop, SchedYield to another thread, and preemption by the
 * timer in user mode; the bits popf cannot change at CPL 3 (IF, IOPL, RF,
 * VM, VIF, VIP) stay as they were. NT set during the kernel's own iretq
 * was the defect: #GP in the kernel, a panic. TF is a single-step trap:
 * a child that sets it (before an ordinary instruction, and before a
 * kernel call) is killed with SIGTRAP like any other user fault.
 *
 * aarch64 has the same question for PSTATE: EL0 can write NZCV (tried
 * one flag at a time and all together, across the same three ways into
 * the kernel), DIT and SSBS where the CPU has them (a child probes: it
 * dies of SIGILL without them, and the point is skipped), and not DAIF
 * (SCTLR_EL1.UMA is 0: a child writing it dies of SIGILL).
 *
 * And the registers a kernel call may change: they come back with the
 * thread's own values, never another thread's (regs_points).
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/neutrino.h>

#include "../../proc/proc.h"
#include "rawcall.h"
#include "tap.h"

#define EXITED(code)   ((code) << 8)
#define SIGILL_STATUS  4
#define SIGTRAP_STATUS 5
#define SIGSEGV_STATUS 11

static struct ifs fs;

/* Run the helper program in a role to its end; its wait status, or -1. */
static int run_child(const char *role)
{
	char *argv[] = {"child", (char *)role, NULL};
	int status;
	pid_t pid = proc_spawn(&fs, "child", argv, NULL, 10, SCHED_RR);

	if (pid < 0) {
		printf("# spawn child %s: error %d\n", role, -pid);
		return -1;
	}
	return ProcWait(pid, &status) == pid ? status : -1;
}

/* Another thread at our priority, round robin: it runs when we yield or
 * our slice ends, and then clears `go`, which is how a spin in user mode
 * learns that it was preempted. */
static volatile long go, stop;

static void *partner(void *arg)
{
	(void)arg;
	while (!stop) {
		go = 0;
		SchedYield();
	}
	ThreadDestroy(0, -1, NULL); /* not a return: that is test_thread_exit's */
	return NULL;
}

enum how { BY_NOP, BY_YIELD, BY_PREEMPTION };
static const char *const how_name[] = {"KerNop", "SchedYield", "preemption"};

#if defined(__x86_64__)

#define CF   (1ul << 0)
#define PF   (1ul << 2)
#define AF   (1ul << 4)
#define ZF   (1ul << 6)
#define SF   (1ul << 7)
#define TF   (1ul << 8)
#define IF   (1ul << 9)
#define DF   (1ul << 10)
#define OF   (1ul << 11)
#define IOPL (3ul << 12)
#define NT   (1ul << 14)
#define RF   (1ul << 16)
#define VM   (1ul << 17)
#define AC   (1ul << 18)
#define VIF  (1ul << 19)
#define VIP  (1ul << 20)
#define ID   (1ul << 21)

/*
 * Set the flags in `set`, clear those in `clear` (popf), enter the kernel
 * as `how` says, and return RFLAGS as read right after; *ret is what the
 * kernel call returned. Everything between the popf and the read is in
 * this one asm: compiled code must never run with DF or AC set. The
 * pushes stay below the red zone; 0x202 (IF and the fixed bit) is a
 * clean state to leave with.
 */
/* The asm around the middle part: below the red zone, the flags set and
 * cleared before it; RFLAGS read and a clean state back after it. */
#define FLAGS_IN                                                                                   \
	"lea -128(%%rsp), %%rsp\n\t"                                                               \
	"pushfq\n\t"                                                                               \
	"popq %[tmp]\n\t"                                                                          \
	"orq %[set], %[tmp]\n\t"                                                                   \
	"andq %[keep], %[tmp]\n\t"                                                                 \
	"pushq %[tmp]\n\t"                                                                         \
	"popfq\n"
#define FLAGS_OUT                                                                                  \
	"pushfq\n\t"                                                                               \
	"popq %[after]\n\t"                                                                        \
	"pushq $0x202\n\t"                                                                         \
	"popfq\n\t"                                                                                \
	"lea 128(%%rsp), %%rsp"

static unsigned long enter_with(unsigned long set, unsigned long clear, enum how how, long *ret)
{
	unsigned long after, tmp;
	long rax = how == BY_YIELD ? __KER_SchedYield : __KER_KerNop;

	go = 1;
	if (how == BY_PREEMPTION) {
		/* Spin in user mode until the partner has run: mov and jrcxz
		 * leave every flag alone. */
		__asm__ volatile(FLAGS_IN "1:\tmovq %[go], %%rcx\n\t"
					  "jrcxz 2f\n\t"
					  "jmp 1b\n"
					  "2:\t" FLAGS_OUT
				 : [after] "=&r"(after), [tmp] "=&r"(tmp)
				 : [set] "r"(set), [keep] "r"(~clear), [go] "m"(go)
				 : "rcx", "memory", "cc");
		*ret = 0;
		return after;
	}
	__asm__ volatile(FLAGS_IN "\tsyscall\n\t" FLAGS_OUT
			 : "+a"(rax), [after] "=&r"(after), [tmp] "=&r"(tmp)
			 : [set] "r"(set), [keep] "r"(~clear)
			 : "rcx", "r11", "rdi", "rsi", "rdx", "r10", "r8", "r9", "memory", "cc");
	*ret = rax;
	return after;
}

static const struct flag {
	const char *name;
	unsigned long bit;
} settable[] = {
    {"CF", CF}, {"PF", PF}, {"AF", AF}, {"ZF", ZF}, {"SF", SF},
    {"DF", DF}, {"OF", OF}, {"NT", NT}, {"AC", AC}, {"ID", ID},
};
#define ALL_SETTABLE (CF | PF | AF | ZF | SF | DF | OF | NT | AC | ID)

/* popf at CPL 3 with IOPL 0 leaves these alone (IF and IOPL silently,
 * RF, VM, VIF, VIP always): they read as before the popf. */
static const struct flag fixed[] = {
    {"IF", IF}, {"IOPL", IOPL}, {"RF", RF}, {"VM", VM}, {"VIF", VIF}, {"VIP", VIP},
};

#define NFLAGS (int)(sizeof(settable) / sizeof(settable[0]))
#define NFIXED (int)(sizeof(fixed) / sizeof(fixed[0]))
#define PLAN   ((NFLAGS + 1) * 3 + NFIXED * 2 + 3 + 1 + 2)

static void check_settable(const char *name, unsigned long bits, enum how how)
{
	long ret;
	char what[96];
	unsigned long after = enter_with(bits, 0, how, &ret);

	snprintf(what, sizeof(what), "%s set, %s: the kernel survives, %s still set, call gives 0",
		 name, how_name[how], name);
	if (!tap_check((after & bits) == bits && ret == 0, what, __FILE__, __LINE__))
		printf("#   rflags after 0x%lx, returned %ld\n", after, ret);
}

static void arch_points(void)
{
	for (int h = BY_NOP; h <= BY_PREEMPTION; h++) {
		for (int i = 0; i < NFLAGS; i++)
			check_settable(settable[i].name, settable[i].bit, (enum how)h);
		check_settable("all of them", ALL_SETTABLE, (enum how)h);
	}

	/* The ones popf cannot change: try to flip each (IF off, the others
	 * on), then a kernel call; the flag reads as it was before. */
	long ret;
	unsigned long before = enter_with(0, 0, BY_NOP, &ret);
	for (int i = 0; i < NFIXED; i++) {
		unsigned long bit = fixed[i].bit, was = before & bit;
		char what[96];
		unsigned long after =
		    bit == IF ? enter_with(0, IF, BY_NOP, &ret) : enter_with(bit, 0, BY_NOP, &ret);
		snprintf(what, sizeof(what), "%s: popf cannot change it, a kernel call neither",
			 fixed[i].name);
		if (!tap_check((after & bit) == was && ret == 0, what, __FILE__, __LINE__))
			printf("#   rflags before 0x%lx after 0x%lx\n", before, after);
		after = bit == IF ? enter_with(0, IF, BY_PREEMPTION, &ret)
				  : enter_with(bit, 0, BY_PREEMPTION, &ret);
		snprintf(what, sizeof(what), "%s: unchanged across preemption", fixed[i].name);
		if (!tap_check((after & bit) == was, what, __FILE__, __LINE__))
			printf("#   rflags before 0x%lx after 0x%lx\n", before, after);
	}

	/* TF: a single-step trap after the next user instruction, the kernel
	 * call's return included; the process dies of it, the kernel not. */
	CHECK_EQ(run_child("trapflag"), SIGTRAP_STATUS);
	CHECK_EQ(run_child("trapflag-kcall"), SIGTRAP_STATUS);
	{ /* mapping at a fixed address is MEM_PEER's without proc */
		char *argv[] = {"child", "lastpage-kcall", NULL};
		int st = -1;
		pid_t pid = proc_spawn_abilities(&fs, "child", argv, NULL, 10, SCHED_RR,
						 _NTO_ABILITY_MEM_PEER);
		CHECK(pid > 0 && ProcWait(pid, &st) == pid && st == SIGSEGV_STATUS);
	}
}

#else /* aarch64 */

#define N (1ul << 31)
#define Z (1ul << 30)
#define C (1ul << 29)
#define V (1ul << 28)

/* As on x86-64: NZCV set, the kernel entered as `how` says, NZCV read
 * right after; one asm, with cbnz (which sets no flags) for the spin. */
static unsigned long enter_with(unsigned long nzcv, enum how how, long *ret)
{
	unsigned long after;

	go = 1;
	if (how == BY_PREEMPTION) {
		__asm__ volatile("msr nzcv, %[in]\n"
				 "1:\tldr x9, %[go]\n\t"
				 "cbnz x9, 1b\n\t"
				 "mrs %[after], nzcv"
				 : [after] "=&r"(after)
				 : [in] "r"(nzcv), [go] "m"(go)
				 : "x9", "memory", "cc");
		*ret = 0;
		return after;
	}
	register long x8 __asm__("x8") = how == BY_YIELD ? __KER_SchedYield : __KER_KerNop;
	register long x0 __asm__("x0") = 0;
	__asm__ volatile("msr nzcv, %[in]\n\t"
			 "svc #0\n\t"
			 "mrs %[after], nzcv"
			 : "+r"(x0), "+r"(x8), [after] "=&r"(after)
			 : [in] "r"(nzcv)
			 : "x1", "x2", "x3", "x4", "x5", A64_KCALL_CLOBBERS, "memory", "cc");
	*ret = x0;
	return after;
}

static const struct flag {
	const char *name;
	unsigned long bit;
} settable[] = {{"N", N}, {"Z", Z}, {"C", C}, {"V", V}, {"NZCV", N | Z | C | V}};

#define NFLAGS (int)(sizeof(settable) / sizeof(settable[0]))
#define PLAN   (NFLAGS * 3 + 3 + 1 + 2)

/* A point that cannot run here, reported as TAP's skip. */
static void tap_skip(const char *what, const char *why)
{
	tap_count++;
	printf("ok %d - %s # SKIP %s\n", tap_count, what, why);
}

/* A child that tries a PSTATE bit: exit 0 if it was kept, SIGILL if
 * the CPU lacks it (then the point is skipped). */
static void probe(const char *role, const char *what, const char *feature)
{
	int st = run_child(role);

	if (st == SIGILL_STATUS)
		tap_skip(what, feature);
	else if (!tap_check(st == EXITED(0), what, __FILE__, __LINE__))
		printf("#   child %s: wait status 0x%x\n", role, st);
}

static void arch_points(void)
{
	for (int h = BY_NOP; h <= BY_PREEMPTION; h++) {
		for (int i = 0; i < NFLAGS; i++) {
			long ret;
			char what[96];
			unsigned long bits = settable[i].bit;
			unsigned long after = enter_with(bits, (enum how)h, &ret);
			snprintf(what, sizeof(what), "%s set, %s: kept, call gives 0",
				 settable[i].name, how_name[h]);
			if (!tap_check(after == bits && ret == 0, what, __FILE__, __LINE__))
				printf("#   nzcv after 0x%lx, returned %ld\n", after, ret);
		}
	}
	probe("dit", "DIT set: kept across a kernel call and a sleep", "no FEAT_DIT");
	probe("ssbs", "SSBS set and cleared: kept across a kernel call and a sleep",
	      "no FEAT_SSBS");
	CHECK_EQ(run_child("daif"), SIGILL_STATUS);
}

#endif

/*
 * The registers a kernel call may change (libc/arch/<arch>/kcall.h's
 * clobbers: x86-64's rcx and r11, which syscall takes, and the argument
 * registers; aarch64's x1-x7 and x10-x17) come back with what the call's
 * frame holds, which a kernel call does not write (docs/ARCHITECTURE.md,
 * "Kernel calls"; the arguments are written when the call goes the
 * generic way, here not: SchedYield has none, and the fast path tries
 * it, so it is the entry of the fast path that is checked): the
 * thread's own values, never another's. A thread
 * that leaves a pattern in them in its frame (by a page fault, whose
 * frame saves every register) gets the pattern back from its next call;
 * a thread created after it ends, on the kernel stack it leaves behind
 * (the allocator's last freed), gets none of it back from its first. Its
 * user stack is touched already, so that the call is its first entry
 * into the kernel (a first touch would be a page fault, which saves its
 * own registers in the frame).
 */
#define PATTERN	   0x5a5aa5a5deadbeeful
#define REG_ROUNDS 8
#define PAGE	   4096

#if defined(__x86_64__)
#define NREGS 8
/* SchedYield, which leaves through the frame; the registers after it. */
static void kcall_regs(unsigned long out[NREGS])
{
	__asm__ volatile("movl %[nr], %%eax\n\tsyscall\n\t"
			 "movq %%rcx, (%[o])\n\tmovq %%r11, 8(%[o])\n\tmovq %%rdi, 16(%[o])\n\t"
			 "movq %%rsi, 24(%[o])\n\tmovq %%rdx, 32(%[o])\n\tmovq %%r10, 40(%[o])\n\t"
			 "movq %%r8, 48(%[o])\n\tmovq %%r9, 56(%[o])"
			 :
			 : [nr] "i"(__KER_SchedYield), [o] "b"(out)
			 : "rax", X86_KCALL_CLOBBERS, "memory", "cc");
}

/* The pattern in those registers, then a first touch of page: a fault. */
static void plant(volatile char *page)
{
	__asm__ volatile("movq %[p], %%rcx\n\tmovq %[p], %%r11\n\tmovq %[p], %%rdi\n\t"
			 "movq %[p], %%rsi\n\tmovq %[p], %%rdx\n\tmovq %[p], %%r10\n\t"
			 "movq %[p], %%r8\n\tmovq %[p], %%r9\n\tmovb $1, (%[a])"
			 :
			 : [p] "a"(PATTERN), [a] "b"(page)
			 : X86_KCALL_CLOBBERS, "memory");
}

/* ThreadDestroy of the caller, libc's way (tid 0, priority -1), the
 * status and every other argument register the pattern: a kernel call
 * the generic path takes stores them in the frame, which the thread
 * leaves behind. */
static __attribute__((noreturn)) void die_patterned(void)
{
	register long rdi __asm__("rdi") = 0;
	register long rsi __asm__("rsi") = -1;
	register long rdx __asm__("rdx") = (long)PATTERN;
	register long r10 __asm__("r10") = (long)PATTERN;
	register long r8 __asm__("r8") = (long)PATTERN;
	register long r9 __asm__("r9") = (long)PATTERN;

	__asm__ volatile("syscall" ::"a"(__KER_ThreadDestroy), "r"(rdi), "r"(rsi), "r"(rdx),
			 "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	__builtin_unreachable();
}
#elif defined(__aarch64__)
#define NREGS 15
static void kcall_regs(unsigned long out[NREGS])
{
	register long x8 __asm__("x8") = __KER_SchedYield;

	__asm__ volatile("svc #0\n\t"
			 "stp x2, x3, [%[o]]\n\tstp x4, x5, [%[o], #16]\n\t"
			 "stp x6, x7, [%[o], #32]\n\tstp x10, x11, [%[o], #48]\n\t"
			 "stp x12, x13, [%[o], #64]\n\tstp x14, x15, [%[o], #80]\n\t"
			 "stp x16, x17, [%[o], #96]\n\tstr x1, [%[o], #112]"
			 :
			 : "r"(x8), [o] "r"(out)
			 : "x0", "x1", "x2", "x3", "x4", "x5", A64_KCALL_CLOBBERS, "memory", "cc");
}

static void plant(volatile char *page)
{
	__asm__ volatile("mov x1, %[p]\n\t"
			 "mov x2, %[p]\n\tmov x3, %[p]\n\tmov x4, %[p]\n\tmov x5, %[p]\n\t"
			 "mov x6, %[p]\n\tmov x7, %[p]\n\tmov x10, %[p]\n\tmov x11, %[p]\n\t"
			 "mov x12, %[p]\n\tmov x13, %[p]\n\tmov x14, %[p]\n\t"
			 "mov x15, %[p]\n\tmov x16, %[p]\n\tmov x17, %[p]\n\t"
			 "strb wzr, [%[a]]"
			 :
			 : [p] "r"(PATTERN), [a] "r"(page)
			 : "x1", "x2", "x3", "x4", "x5", A64_KCALL_CLOBBERS, "memory");
}

static __attribute__((noreturn)) void die_patterned(void)
{
	register long x8 __asm__("x8") = __KER_ThreadDestroy;
	register long x0 __asm__("x0") = 0;
	register long x1 __asm__("x1") = -1;
	register long x2 __asm__("x2") = (long)PATTERN;
	register long x3 __asm__("x3") = (long)PATTERN;
	register long x4 __asm__("x4") = (long)PATTERN;
	register long x5 __asm__("x5") = (long)PATTERN;

	__asm__ volatile("svc #0" ::"r"(x8), "r"(x0), "r"(x1), "r"(x2), "r"(x3), "r"(x4), "r"(x5)
			 : "memory");
	__builtin_unreachable();
}
#endif

/* How many of the registers hold the pattern after a kernel call. */
static long patterned(void)
{
	unsigned long r[NREGS];
	long n = 0;

	kcall_regs(r);
	for (int i = 0; i < NREGS; i++)
		n += r[i] == PATTERN;
	return n;
}

static volatile long leaver_own;

/* Plants the pattern, counts it back, and ends with the pattern in its
 * frame's argument slots too. */
static void *leaver(void *page)
{
	plant(page);
	leaver_own = patterned();
	die_patterned();
}

/* A raw thread (its exit function named: no libc start, whose kernel
 * calls would write the frame's argument slots first). */
static void *comer(void *arg)
{
	(void)arg;
	return (void *)patterned();
}

static void comer_exit(void *status)
{
	ThreadDestroy(0, -1, status);
}

static char comer_stack[65536] __attribute__((aligned(16)));

static void regs_points(void)
{
	char *pages =
	    mmap(NULL, REG_ROUNDS * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANON, -1, 0);
	int own = 0, others = 0;
	pthread_attr_t at;

	memset(comer_stack, 0, sizeof(comer_stack));
	pthread_attr_init(&at);
	pthread_attr_setstack(&at, comer_stack, sizeof(comer_stack));
	at.__exitfunc = comer_exit;
	for (int i = 0; pages != MAP_FAILED && i < REG_ROUNDS; i++) {
		int t;
		void *n = NULL;
		leaver_own = 0;
		if (pthread_create(&t, NULL, leaver, pages + i * PAGE) == 0 &&
		    pthread_join(t, &n) == 0 && n == (void *)PATTERN && leaver_own == NREGS)
			own++;
		n = (void *)-1l;
		if ((t = ThreadCreate(0, comer, NULL, &at)) > 0 && pthread_join(t, &n) == 0 &&
		    n == NULL)
			others++;
	}
	CHECK_EQ(own, REG_ROUNDS);
	CHECK_EQ(others, REG_ROUNDS);
}

int main(void)
{
	struct _thread_attr a = {0};
	struct sched_param p = {.sched_priority = 10};

	tap_plan(PLAN);
	proc_open_image(&fs);
	/* Us and the partner at one priority, round robin: a spin of ours
	 * ends when the slice does. */
	SchedSet(0, 0, SCHED_RR, &p);
	a.__flags = PTHREAD_EXPLICIT_SCHED;
	a.__policy = SCHED_RR;
	a.__param.sched_priority = 10;
	int t = ThreadCreate(0, partner, NULL, &a);
	if (t <= 0)
		printf("# ThreadCreate: error %d\n", errno);

	arch_points();
	regs_points();

	stop = 1;
	ThreadJoin(t, NULL);
	CHECK_EQ(KerNop(), 0); /* still standing */
	return tap_done();
}
