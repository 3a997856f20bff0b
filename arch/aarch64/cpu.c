/*
 * The CPU part of the arch seam on aarch64 (arch/cpu.h): the IRQ mask in
 * DAIF, idling, halting, power-off (with the exit status through Arm
 * semihosting when a debugger or QEMU offers it, else PSCI, else the
 * Raspberry Pi's PM watchdog), the banner's
 * CPU name and the deliberate faults the crash tests use.
 */
#include <arch/cpu.h>
#include <arch/mmu.h>
#include <kernel/fmt.h>
#include <kernel/string.h>

#include "a64.h"

#define DAIF_I		(1u << 7)
#define PSCI_SYSTEM_OFF 0x84000008u

void arch_irq_enable(void)
{
	__asm__ volatile("msr daifclr, #2" ::: "memory");
}

void arch_irq_disable(void)
{
	__asm__ volatile("msr daifset, #2" ::: "memory");
}

void arch_irq_window(void)
{
	__asm__ volatile("msr daifclr, #2\n\t"
			 "isb\n\t" /* a pending IRQ is taken here */
			 "msr daifset, #2" ::
			     : "memory");
}

void arch_wait_for_interrupt(void)
{
	/* WFI wakes on a pending interrupt even while PSTATE.I masks it, so
	 * waiting masked and unmasking afterwards loses no wake-up. */
	__asm__ volatile("msr daifset, #2\n\t"
			 "wfi\n\t"
			 "msr daifclr, #2\n\t"
			 "isb\n\t" /* the pending IRQ is taken here */
			 "msr daifset, #2" ::
			     : "memory");
}

void arch_halt(void)
{
	__asm__ volatile("msr daifset, #0xf" ::: "memory");
	for (;;)
		__asm__ volatile("wfi");
}

uint64_t a64_psci_call(uint32_t fn, uint64_t a1, uint64_t a2, uint64_t a3)
{
	/* before the register variables: a call would clobber them */
	bool smc = a64_platform()->psci == DT_PSCI_SMC;
	register uint64_t x0 __asm__("x0") = fn;
	register uint64_t x1 __asm__("x1") = a1;
	register uint64_t x2 __asm__("x2") = a2;
	register uint64_t x3 __asm__("x3") = a3;

	/* SMC Calling Convention: x0-x17 may come back changed */
	if (smc)
		__asm__ volatile("smc #0"
				 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
				 :
				 : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13",
				   "x14", "x15", "x16", "x17", "memory");
	else
		__asm__ volatile("hvc #0"
				 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
				 :
				 : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13",
				   "x14", "x15", "x16", "x17", "memory");
	return x0;
}

/* Arm semihosting: operation in w0, its parameter in x1, "hlt #0xf000";
 * the host's answer comes back in x0 (we need none). */
#define SEMIHOST_SYS_ERRNO	     0x13
#define SEMIHOST_SYS_EXIT	     0x18
#define ADP_STOPPED_APPLICATION_EXIT 0x20026

static bool semihosting; /* set by a64_semihosting_probe() */

/* One semihosting call. Without a semihosting host the HLT is UNDEFINED
 * (on QEMU without -semihosting-config, and on a board unless an external
 * debugger enabled halting): its .extable entry makes trap.c resume at the
 * fixup, so the call returns false instead of killing the kernel. */
static bool semihost_call(uint32_t op, uintptr_t param)
{
	register uint64_t x0 __asm__("x0") = op;
	register uint64_t x1 __asm__("x1") = param;
	uint64_t answered;

	__asm__ volatile("1:	hlt	#0xf000\n\t"
			 "	mov	%[ans], #1\n\t"
			 "	b	3f\n"
			 "2:	mov	%[ans], #0\n"
			 "3:\n\t"
			 ".pushsection .extable, \"a\"\n\t"
			 ".balign 8\n\t"
			 ".quad 1b, 2b\n\t"
			 ".popsection"
			 : "+r"(x0), "+r"(x1), [ans] "=r"(answered)
			 :
			 : "memory"); /* the host may read or write memory at x1 */
	return answered;
}

bool a64_semihosting_probe(void)
{
	/* SYS_ERRNO has no parameter and no effect: a harmless question. */
	semihosting = semihost_call(SEMIHOST_SYS_ERRNO, 0);
	return semihosting;
}

void arch_poweroff(int status)
{
	/* The test harness's verdict is the status QEMU exits with, which
	 * only EL1 can set: QEMU answers semihosting from EL1 but refuses it
	 * to EL0 (userspace=off). AArch64 SYS_EXIT takes a block {reason,
	 * subcode}; QEMU exits with the subcode, of which the shell keeps
	 * 8 bits (MUON-EXIT statuses are 0-255). */
	if (semihosting) {
		uint64_t block[2] = {ADP_STOPPED_APPLICATION_EXIT, (uint64_t)status & 0xff};
		semihost_call(SEMIHOST_SYS_EXIT, (uintptr_t)block);
	}
	/* PSCI and the Pi's PM watchdog have no exit status (QEMU exits 0):
	 * only the console line kmain printed carries it then. */
	if (a64_platform()->psci != DT_PSCI_NONE)
		a64_psci_call(PSCI_SYSTEM_OFF, 0, 0, 0);
	else
		a64_rpi_poweroff();
	arch_halt();
}

static const struct {
	uint16_t part;
	const char *name;
} arm_parts[] = {
    {0xd03, "Cortex-A53"},  {0xd04, "Cortex-A35"},  {0xd05, "Cortex-A55"},  {0xd07, "Cortex-A57"},
    {0xd08, "Cortex-A72"},  {0xd09, "Cortex-A73"},  {0xd0a, "Cortex-A75"},  {0xd0b, "Cortex-A76"},
    {0xd0c, "Neoverse-N1"}, {0xd0d, "Cortex-A77"},  {0xd40, "Neoverse-V1"}, {0xd41, "Cortex-A78"},
    {0xd44, "Cortex-X1"},   {0xd46, "Cortex-A510"}, {0xd47, "Cortex-A710"}, {0xd48, "Cortex-X2"},
    {0xd49, "Neoverse-N2"},
};

const char *arch_cpu_name(void)
{
	static char buf[96];
	uint64_t midr = read_sysreg(midr_el1);
	unsigned impl = (midr >> 24) & 0xff, variant = (midr >> 20) & 0xf;
	unsigned part = (midr >> 4) & 0xfff, rev = midr & 0xf;
	const char *name = NULL;
	char other[40];

	if (impl == 0x41)
		for (size_t i = 0; i < ARRAY_SIZE(arm_parts); i++)
			if (arm_parts[i].part == part)
				name = arm_parts[i].name;
	if (!name) {
		fmt_snprintf(other, sizeof(other), "implementer 0x%02x part 0x%03x", impl, part);
		name = other;
	}
	fmt_snprintf(buf, sizeof(buf), "%s r%up%u, entered at EL%u", name, variant, rev,
		     a64_entry_el());
	return buf;
}

void arch_provoke_fault(const char *kind)
{
	if (!strcmp(kind, "page")) {
		/* A hole in the kernel half: the page below the image is
		 * neither image nor (at 128 TiB) direct-mapped RAM. */
		uintptr_t hole = KERNEL_IMAGE_BASE - PAGE_SIZE;
		__asm__ volatile("str %0, [%1]" ::"r"(0x6b6b6b6bul), "r"(hole) : "memory");
	} else if (!strcmp(kind, "undef")) {
		__asm__ volatile(".inst 0x00000000" ::: "memory"); /* udf #0 */
	}
}
