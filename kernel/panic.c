/*
 * panic(), backtraces and the common end of every fatal path. The console
 * lines "PANIC: " and "MUON-HALTED" are what tools/qemu-test looks for.
 */
#include <arch/cpu.h>
#include <arch/mmu.h>
#include <kernel/kprintf.h>
#include <kernel/panic.h>

#include <kernel/sections.h>

/* A frame pointer we may follow: aligned and inside the kernel half. */
static bool fp_plausible(uintptr_t fp)
{
	return fp && !(fp & 7) && fp >= KERNEL_DIRECT_BASE;
}

void backtrace_print(uintptr_t fp)
{
	kprintf("backtrace: (resolve with addr2line -e muon.elf)\n");
	/* Both arches push {previous fp, return address} at fp. A bounded walk
	 * that stops at anything implausible, since the stack may be corrupt. */
	for (int depth = 0; depth < 32 && fp_plausible(fp); depth++) {
		uintptr_t *frame = (uintptr_t *)fp;
		uintptr_t ret = frame[1];

		if (ret < (uintptr_t)__kernel_start || ret >= (uintptr_t)__text_end)
			break;
		kprintf("  #%d 0x%016lx\n", depth, (unsigned long)ret);
		if (frame[0] <= fp) /* stacks grow down: callers sit higher */
			break;
		fp = frame[0];
	}
}

static int panicking;

void panic(const char *fmt, ...)
{
	va_list ap;

	arch_irq_disable();
	/* A panic while panicking, on this CPU or another: the first report
	 * stands, this one only says it happened. */
	if (__atomic_fetch_add(&panicking, 1, __ATOMIC_SEQ_CST)) {
		kputs("\nPANIC: another panic while panicking\n");
		fatal_halt();
	}
	kputs("\nPANIC: ");
	va_start(ap, fmt);
	kvprintf(fmt, ap);
	va_end(ap);
	kputs("\n");
	backtrace_print((uintptr_t)__builtin_frame_address(0));
	fatal_halt();
}

void fatal_halt(void)
{
	kputs("MUON-HALTED\n");
	arch_halt();
}
