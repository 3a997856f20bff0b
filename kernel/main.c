/*
 * kmain: generic bring-up once the arch has a console and a boot_info.
 * Order: banner, page allocator, final kernel tables, devices, timer;
 * then the in-kernel tests (cmdline "ktest"), a deliberate crash
 * ("crash=..."), or idle until the next stage exists.
 */
#include <arch/cpu.h>
#include <arch/init.h>
#include <arch/timer.h>
#include <kernel/boot.h>
#include <kernel/bootimage.h>
#include <kernel/errno.h>
#include <kernel/process.h>
#include <kernel/cmdline.h>
#include <kernel/cpu.h>
#include <kernel/kprintf.h>
#include <kernel/ktest.h>
#include <kernel/panic.h>
#include <kernel/pmm.h>
#include <kernel/sched.h>
#include <kernel/string.h>
#include <kernel/syscall.h>
#include <kernel/timer.h>
#include <kernel/vm.h>

static void init_memory(struct boot_info *bi)
{
	struct pmm_range ram[BOOT_MAX_RANGES], res[BOOT_MAX_RANGES + 1];
	uint64_t kstart, kend, total = 0;

	for (unsigned i = 0; i < bi->nram; i++) {
		ram[i] = (struct pmm_range){bi->ram[i].base, bi->ram[i].size};
		total += bi->ram[i].size;
		uint64_t sz = bi->ram[i].size;
		bool mib = sz >= MiB(1);
		kprintf("memory: RAM 0x%010llx-0x%010llx (%llu %s)\n",
			(unsigned long long)bi->ram[i].base,
			(unsigned long long)(bi->ram[i].base + sz - 1),
			(unsigned long long)(mib ? sz >> 20 : sz >> 10), mib ? "MiB" : "KiB");
	}
	for (unsigned i = 0; i < bi->nreserved; i++)
		res[i] = (struct pmm_range){bi->reserved[i].base, bi->reserved[i].size};
	arch_kernel_phys_range(&kstart, &kend);
	res[bi->nreserved] = (struct pmm_range){kstart, kend - kstart};
	kprintf("memory: kernel 0x%llx-0x%llx, %u other reserved ranges\n",
		(unsigned long long)kstart, (unsigned long long)kend - 1, bi->nreserved);

	pmm_init(ram, bi->nram, res, bi->nreserved + 1);
	kprintf("memory: %llu MiB RAM, %llu MiB free in pages (%llu KiB of page metadata)\n",
		(unsigned long long)(total >> 20),
		(unsigned long long)(pmm_free_pages() * PAGE_SIZE >> 20),
		(unsigned long long)(pmm_meta_bytes() >> 10));
}

static volatile uint64_t first_fired_at;

static void first_deadline(struct ktimer *t)
{
	(void)t;
	first_fired_at = timer_now_ns();
}

/* Prove the timer interrupt works: a deadline 1 ms ahead must fire, and
 * not early (waiting is bounded by the clock itself). The wait is part of
 * every boot, so it is short. */
static void check_timer(void)
{
	static struct ktimer probe;
	uint64_t start = timer_now_ns(), due = start + 1000000ull;

	ktimer_arm(&probe, due, first_deadline);
	while (!first_fired_at) {
		if (timer_now_ns() - start > 2000000000ull)
			panic("timer: a 1 ms deadline has not fired after 2 s");
	}
	if (first_fired_at < due)
		panic("timer: deadline fired %llu ns early",
		      (unsigned long long)(due - first_fired_at));
	kprintf("timer running: 1 ms deadline fired %llu us late\n",
		(unsigned long long)((first_fired_at - due) / 1000));
}

/* Start the first user process (pid 1): "init=NAME" from the boot image,
 * by default proc, with the command line's words "init.WORD" as its
 * arguments WORD (proc's "init.run=PROGRAM"). False if the image has no
 * such program. */
static bool start_init(const char *cmdline)
{
	static char name[64] = "proc", words[8][64];
	const char *argv[1 + 8] = {name};
	int argc = 1, err;

	cmdline_get(cmdline, "init", name, sizeof(name));
	for (const char *s = cmdline; (s = strstr(s, "init.")) && argc < 9; s += 5) {
		if (s != cmdline && s[-1] != ' ')
			continue;
		size_t n = 0;
		while (s[5 + n] && s[5 + n] != ' ')
			n++;
		if (n && n < sizeof(words[0])) {
			memcpy(words[argc - 1], s + 5, n);
			words[argc - 1][n] = 0;
			argv[argc] = words[argc - 1];
			argc++;
		}
	}
	struct ifs_entry e;

	if (!bootimage() || ifs_lookup(bootimage(), name, &e))
		return false;
	kprintf("init: starting %s as pid 1\n", name);
	if (!bootimage_spawn(name, argc, argv, PRIO_DEFAULT, SCHED_RR, &err)) {
		panic("init: cannot start %s from the boot image (error %d)", name, -err);
	}
	return true;
}

void init_exited(int pid, int status)
{
	if (pid != 1)
		return;
	/* pid 1 is the system: when it ends, so do we. The exit line is the
	 * one tests read, as after the in-kernel tests. */
	int code = status & 0x7f ? 128 + (status & 0x7f) : (status >> 8) & 0xff;
	kprintf("init: pid 1 ended with status 0x%x\nMUON-EXIT: %d\n", status, code);
	arch_poweroff(code);
}

/* The in-kernel tests run in a thread of their own, above idle, on the
 * boot CPU alone (with the threads they make): they check one CPU's
 * scheduling, whatever the others do. */
static char ktest_filter[64];

static void ktest_thread(void *arg)
{
	current_thread()->inherit_mask = 1; /* and the threads it makes */
	sched_set_runmask(1);
	sched_preempt_point();
	int failed = ktest_run(arg);

	kprintf("MUON-EXIT: %d\n", failed ? 1 : 0);
	arch_poweroff(failed ? 1 : 0);
}

/* Code bytes in a data page: executing them must fault (NX). */
static uint8_t not_code[16] = {1};

/* crash=KIND: fail on purpose, so tests can see the report and the harness
 * can prove it catches panics, faults and hangs. */
static void crash(const char *kind)
{
	kprintf("crash: %s on purpose\n", kind);
	if (!strcmp(kind, "panic"))
		panic("deliberate panic (crash=panic)");
	if (!strcmp(kind, "hang")) {
		arch_irq_disable();
		for (;;)
			;
	}
	if (!strcmp(kind, "wxtext")) /* W^X: the text is not writable */
		*(volatile uint8_t *)(uintptr_t)&kmain = 0;
	if (!strcmp(kind, "nxdata")) /* W^X: data is not executable */
		((void (*)(void))(uintptr_t)not_code)();
	arch_provoke_fault(kind);
	kprintf("crash: unknown kind '%s'\n", kind);
}

uint64_t kernel_entry_ticks;

void kmain(struct boot_info *bi)
{
	char arg[64];

	kernel_entry_ticks = arch_timer_ticks();
	kernel_boot_info = bi;
	thread_init_boot(); /* per-CPU state; this context becomes idle */
	kprintf("\nMuon %s (%s) on %s\n", MUON_VERSION, MUON_ARCH, arch_cpu_name());
	kprintf("boot: %s, cmdline \"%s\"\n", bi->loader, bi->cmdline);

	init_memory(bi);
	vm_init(bi);
	arch_init_devices(bi);
	timer_init();
	arch_irq_enable();
	check_timer();
	if (cmdline_has(bi->cmdline, "ipc.slow"))
		ipc_fast_mode = IPC_FAST_OFF; /* every call the generic way */
	smp_init(bi->cmdline);
	arch_syscall_entry_set(ipc_fast_mode); /* final now: smp_cpu_up's too */

	if (cmdline_get(bi->cmdline, "crash", arg, sizeof(arg)))
		crash(arg);
	bootimage_init(bi);
	if (cmdline_has(bi->cmdline, "ktest")) {
		bool filtered = cmdline_get(bi->cmdline, "ktest", ktest_filter, sizeof(ktest_filter));
		if (!kthread_create(ktest_thread, filtered ? ktest_filter : NULL, PRIO_DEFAULT, SCHED_FIFO))
			panic("no memory for the test thread");
	} else if (!start_init(bi->cmdline)) {
		kprintf("muon: waiting for the next stage (no user space yet)\n");
	}
	sched_idle_loop();
}
