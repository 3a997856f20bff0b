/*
 * The IOAPIC (82093AA-style, as QEMU and PCs have): device interrupt
 * lines for user drivers (arch/irq.h). Lines are GSIs; the first IOAPIC
 * the MADT lists serves GSIs gsi_base.. gsi_base + pins - 1, pin n on
 * vector VEC_IRQ_BASE + n, delivered to this CPU's LAPIC (fixed mode,
 * physical destination). Every pin starts masked; its polarity and
 * trigger come from the MADT's overrides for ISA IRQs, else ISA's edge
 * and active high below GSI 16 and PCI's level and active low above.
 * The LAPIC gets the EOI (trap.c), after interrupt_line_fired has masked
 * the pin, so a level line stays quiet until a driver unmasks it.
 * Also the seam's arch_irq_devices (COM1 and the PIT) and
 * arch_user_io_privilege.
 */
#include "x86.h"

#include <arch/irq.h>
#include <kernel/cpu.h>
#include <kernel/interrupt.h>
#include <kernel/kprintf.h>
#include <kernel/thread.h>
#include <kernel/vm.h>
#include <sys/kinfo.h>

#define IOREGSEL 0x00
#define IOWIN 0x10
#define IOAPICVER 0x01
#define IOREDTBL(n) (0x10 + 2 * (n))

#define RTE_LOW_ACTIVE (1u << 13)
#define RTE_LEVEL (1u << 15)
#define RTE_MASKED (1u << 16)

#define COM1_PORT 0x3f8
#define PIT_PORT 0x40

static volatile uint32_t *ioapic;
static unsigned pins;

static uint32_t rd(unsigned reg)
{
	ioapic[IOREGSEL / 4] = reg;
	return ioapic[IOWIN / 4];
}

static void wr(unsigned reg, uint32_t v)
{
	ioapic[IOREGSEL / 4] = reg;
	ioapic[IOWIN / 4] = v;
}

/* MPS INTI flags -> redirection-entry bits; 0 ("as the bus") is ISA's. */
static uint32_t inti_bits(uint16_t flags)
{
	return ((flags & 3) == 3 ? RTE_LOW_ACTIVE : 0) | ((flags >> 2 & 3) == 3 ? RTE_LEVEL : 0);
}

/* Polarity and trigger of the pin serving gsi. */
static uint32_t pin_bits(unsigned gsi)
{
	for (unsigned i = 0; i < x86_madt.nover; i++)
		if (x86_madt.over[i].gsi == gsi)
			return inti_bits(x86_madt.over[i].flags);
	return gsi < 16 ? 0 : RTE_LOW_ACTIVE | RTE_LEVEL;
}

void x86_ioapic_init(void)
{
	uint32_t dest = x86_lapic_id() << 24;

	ioapic = ioremap(x86_madt.ioapic_pa, PAGE_SIZE);
	pins = MIN((rd(IOAPICVER) >> 16 & 0xff) + 1, (uint32_t)VEC_IRQ_COUNT);
	for (unsigned n = 0; n < pins; n++) {
		wr(IOREDTBL(n) + 1, dest);
		wr(IOREDTBL(n), RTE_MASKED | pin_bits(x86_madt.gsi_base + n) | (VEC_IRQ_BASE + n));
	}
	kprintf("irq: IOAPIC at 0x%llx, GSIs %u-%u on vectors 0x%x-0x%x\n",
		(unsigned long long)x86_madt.ioapic_pa, x86_madt.gsi_base,
		x86_madt.gsi_base + pins - 1, VEC_IRQ_BASE, VEC_IRQ_BASE + pins - 1);
}

void x86_ioapic_irq(unsigned v)
{
	interrupt_line_fired(x86_madt.gsi_base + (v - VEC_IRQ_BASE));
}

unsigned arch_irq_line_count(void)
{
	return x86_madt.gsi_base + pins;
}

bool arch_irq_line_usable(unsigned line)
{
	return line >= x86_madt.gsi_base && line < x86_madt.gsi_base + pins;
}

static void set_mask(unsigned line, bool masked)
{
	unsigned reg = IOREDTBL(line - x86_madt.gsi_base);
	uint32_t v = rd(reg);

	wr(reg, masked ? v | RTE_MASKED : v & ~RTE_MASKED);
}

void arch_irq_line_mask(unsigned line)
{
	if (arch_irq_line_usable(line))
		set_mask(line, true);
}

void arch_irq_line_unmask(unsigned line)
{
	if (arch_irq_line_usable(line))
		set_mask(line, false);
}

void arch_irq_devices(struct ker_info_devices *d)
{
	uint16_t flags;

	d->lines = arch_irq_line_count();
	d->uart_base = COM1_PORT;
	d->uart_line = x86_isa_gsi(4, &flags);
	d->uart_kind = KER_UART_16550;
	/* The PIT's channel 0: the kernel keeps time with the TSC and LAPIC
	 * and leaves it stopped (timer.c). */
	d->timer_base = PIT_PORT;
	d->timer_line = x86_isa_gsi(0, &flags);
}

void arch_user_io_privilege(void)
{
	/* The frame the thread's kernel entry built at the top of its kernel
	 * stack: its RFLAGS come back with every return to user mode (the
	 * exit is always iretq from it), and SYSCALL's FMASK keeps IOPL out
	 * of the kernel. */
	struct trap_frame *f = (struct trap_frame *)this_cpu()->kstack_top - 1;

	f->rflags |= 3u << 12; /* IOPL 3: in/out and cli/sti at CPL 3 */
}
