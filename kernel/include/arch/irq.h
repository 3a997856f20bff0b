/*
 * The arch seam, interrupt-line part: the device interrupt lines user
 * drivers attach to (kernel/interrupt.c). A line is what the user passes
 * to InterruptAttachEvent: on x86-64 a GSI of the IOAPIC (ISA IRQ n is GSI
 * n unless the MADT overrides it: IRQ 0 -> GSI 2 on QEMU), on aarch64 a
 * GIC INTID (SPI n = INTID 32 + n; SGIs and PPIs are not offered).
 *
 * The arch calls back void interrupt_line_fired(unsigned line) from its
 * IRQ handler, interrupts off, before its end-of-interrupt; the generic
 * side masks the line there (arch_irq_line_mask), so a level line does
 * not fire again until a driver unmasks it.
 */
#ifndef ARCH_IRQ_H
#define ARCH_IRQ_H

#include <kernel/compiler.h>

struct ker_info_devices;

/* Lines are numbered below this (generic tables are sized by it). */
unsigned arch_irq_line_count(void);
/* May user code attach line (< arch_irq_line_count())? */
bool arch_irq_line_usable(unsigned line);
/* Mask or unmask line at the interrupt controller. Lines start masked. */
void arch_irq_line_mask(unsigned line);
void arch_irq_line_unmask(unsigned line);
/* Where the console UART and a timer device the kernel leaves alone are,
 * and their lines (KerInfo KER_INFO_DEVICES). */
void arch_irq_devices(struct ker_info_devices *d);

/* User-mode drivers: give the calling thread access to I/O ports
 * (x86-64: IOPL 3 in its saved RFLAGS, kept across switches and every
 * return to user mode; aarch64 has no port I/O: nothing to do). */
void arch_user_io_privilege(void);

#endif
