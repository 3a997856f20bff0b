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
#include <kernel/cmdline.h>
#include <kernel/kprintf.h>
#include <kernel/ktest.h>
#include <kernel/panic.h>
#include <kernel/pmm.h>
#include <kernel/string.h>
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

/* Wait (bounded by the clock, not by ticks) for the first timer ticks. */
static void check_timer(void)
{
	uint64_t start = arch_timer_now_ns(), t0 = timer_ticks();

	while (timer_ticks() < t0 + 3) {
		if (arch_timer_now_ns() - start > 2000000000ull)
			panic("timer: no tick in 2 s (ticks %llu)",
			      (unsigned long long)timer_ticks());
	}
	kprintf("timer running: %llu ticks after %llu ms\n",
		(unsigned long long)timer_ticks(),
		(unsigned long long)((arch_timer_now_ns() - start) / 1000000));
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

void kmain(struct boot_info *bi)
{
	char arg[64];

	kernel_boot_info = bi;
	kprintf("\nMuon %s (%s) on %s\n", MUON_VERSION, MUON_ARCH, arch_cpu_name());
	kprintf("boot: %s, cmdline \"%s\"\n", bi->loader, bi->cmdline);

	init_memory(bi);
	vm_init(bi);
	arch_init_devices(bi);
	timer_init();
	arch_irq_enable();
	check_timer();

	if (cmdline_get(bi->cmdline, "crash", arg, sizeof(arg)))
		crash(arg);
	if (cmdline_has(bi->cmdline, "ktest")) {
		bool filtered = cmdline_get(bi->cmdline, "ktest", arg, sizeof(arg));
		int failed = ktest_run(filtered ? arg : NULL);
		kprintf("MUON-EXIT: %d\n", failed ? 1 : 0);
		arch_poweroff(failed ? 1 : 0);
	}
	kprintf("muon: waiting for the next stage (no user space yet)\n");
	for (;;)
		arch_wait_for_interrupt();
}
