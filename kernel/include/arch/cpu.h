/*
 * The arch seam, CPU part: everything generic code may ask of the processor.
 * Implemented in arch/<arch>/ (cpu.c and friends; the calls on every path
 * inline, in arch/<arch>/include/arch-inline.h, which only these headers
 * include); generic code includes only headers from kernel/include/arch/.
 */
#ifndef ARCH_CPU_H
#define ARCH_CPU_H

#include <arch-inline.h> /* arch/<arch>/include: the inline calls */
#include <kernel/compiler.h>

/* Interrupt mask of the current CPU. Inline, in arch-inline.h:
 *   unsigned long arch_irq_save(void)      disable; the previous state
 *   void arch_irq_restore(unsigned long)   back to that state
 *   void arch_cpu_relax(void)              a pause in a spin loop */
void arch_irq_enable(void);
void arch_irq_disable(void);
/* Enable interrupts and wait for one, without a window where a wake-up is
 * lost (sti;hlt / wfi); returns with interrupts disabled again. */
void arch_wait_for_interrupt(void);
/* Interrupts off: let the ones pending be taken, and mask them again
 * (the interrupt window of a long copy, kernel/msg.c). */
void arch_irq_window(void);

/* Stop this CPU for good, interrupts off. */
NORETURN void arch_halt(void);
/* Power the machine off; under QEMU the process exits, with an exit code
 * that says status (0 = success), which the test harness takes as the
 * verdict and no user program can set: x86-64 uses isa-debug-exit (exit
 * code ((status & 127) << 1) | 1, but 255 for 128: never 1 unless 0);
 * aarch64 Arm semihosting SYS_EXIT when the host answers it (exit code
 * status), else PSCI SYSTEM_OFF (exit code 0 whatever the status). Falls
 * back to arch_halt() if there is no way to power off. */
NORETURN void arch_poweroff(int status);

/* Short name of the CPU model and its features, for the banner. */
const char *arch_cpu_name(void);

/* Run one deliberate fault of each kind the report should cover: "page"
 * (a write to an unmapped address), "undef" (an undefined instruction).
 * Returns only if the name is unknown. */
void arch_provoke_fault(const char *kind);

#endif
