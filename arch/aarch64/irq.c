/*
 * Interrupt bring-up and dispatch on aarch64: picks the GIC driver the DTB
 * asks for (v2: arm,gic-400 / arm,cortex-a15-gic ...; v3: arm,gic-v3),
 * maps it, enables the timer's PPI, and turns each IRQ exception into a
 * handler call. SPIs (INTID 32 and up) are the lines user drivers attach
 * (arch/irq.h: the line number is the INTID); gic*.c routed them all to
 * this CPU, level-triggered (what the DTB says of every SPI on virt and
 * the Pi 4), and they stay disabled until attached. Other unknown INTIDs
 * are counted, reported once, disabled.
 */
#include <arch/irq.h>
#include <kernel/interrupt.h>
#include <kernel/kprintf.h>
#include <kernel/panic.h>
#include <sys/kinfo.h>

#include "a64.h"
#include "gic.h"

#define MAX_IRQS_PER_EXCEPTION 16 /* then return and let the CPU retake */

static const struct gic_ops *gic;
static const struct dt_platform *platform;
static struct a64_irq_stats stats;
static bool reported_unexpected;

const struct a64_irq_stats *a64_irq_stats(void)
{
	return &stats;
}

int a64_gic_version(void)
{
	return gic ? gic->version : 0;
}

int a64_gic_hw_revision(void)
{
	return gic ? gic->hw_revision() : 0;
}

uint32_t a64_gic_lines(void)
{
	return gic ? gic->lines() : 0;
}

/* This CPU's affinity in GICR_TYPER's format: Aff3.Aff2.Aff1.Aff0. */
static uint32_t my_affinity(void)
{
	uint64_t mpidr = read_sysreg(mpidr_el1);

	return (uint32_t)((mpidr >> 32 & 0xff) << 24 | (mpidr & 0xffffff));
}

void a64_irq_init(const struct dt_platform *p)
{
	uint32_t timer_intid = 27; /* the architected virtual timer PPI */

	platform = p;
	if (p->gic.version == 2) {
		uintptr_t d =
		    (uintptr_t)a64_ioremap(p->gic.dist_base, MAX(p->gic.dist_size, 0x1000));
		uintptr_t c = (uintptr_t)a64_ioremap(p->gic.cpu_base, MAX(p->gic.cpu_size, 0x2000));
		if (gicv2_init(d, c))
			panic("irq: GICv2 at 0x%llx would not start",
			      (unsigned long long)p->gic.dist_base);
		gic = &gicv2_ops;
		kprintf("irq: GICv2, distributor 0x%llx, cpu interface 0x%llx, %u lines\n",
			(unsigned long long)p->gic.dist_base, (unsigned long long)p->gic.cpu_base,
			gic->lines());
	} else if (p->gic.version == 3) {
		uintptr_t d =
		    (uintptr_t)a64_ioremap(p->gic.dist_base, MAX(p->gic.dist_size, 0x10000));
		uintptr_t r = (uintptr_t)a64_ioremap(p->gic.redist_base, p->gic.redist_size);
		if (gicv3_init(d, r, p->gic.redist_size, my_affinity()))
			panic("irq: GICv3 at 0x%llx would not start (no redistributor "
			      "for affinity 0x%x, or no system-register interface)",
			      (unsigned long long)p->gic.dist_base, my_affinity());
		gic = &gicv3_ops;
		kprintf("irq: GICv3, distributor 0x%llx, redistributors 0x%llx, %u lines\n",
			(unsigned long long)p->gic.dist_base,
			(unsigned long long)p->gic.redist_base, gic->lines());
	} else {
		panic("irq: no GICv2/GICv3 in the device tree");
	}

	if (p->timer.nirq > DT_TIMER_VIRT)
		timer_intid = p->timer.intid[DT_TIMER_VIRT];
	else
		kprintf("irq: no timer interrupts in the device tree, using INTID %u\n",
			timer_intid);
	a64_timer_set_intid(timer_intid);
	gic->enable(timer_intid);
}

void a64_irq_enable_line(uint32_t intid)
{
	if (gic)
		gic->enable(intid);
}

void a64_irq_dispatch(void)
{
	if (!gic)
		panic("irq: interrupt before the GIC was set up");
	for (int n = 0; n < MAX_IRQS_PER_EXCEPTION; n++) {
		uint32_t intid, ack = gic->ack(&intid);
		if (intid >= GIC_FIRST_SPECIAL) {
			if (n == 0)
				stats.spurious++;
			return;
		}
		stats.total++;
		if (intid == a64_timer_intid()) {
			stats.timer++;
			/* masks the timer, then re-arms it: if the new deadline
			 * is already due the line stays up and we see it again */
			a64_timer_irq();
			gic->eoi(ack);
			continue;
		}
		if (arch_irq_line_usable(intid)) {
			/* A driver's line: masked there before the EOI */
			interrupt_line_fired(intid);
			gic->eoi(ack);
			continue;
		}
		/* Nobody handles it: keep it from storming, say so once. */
		stats.unexpected++;
		gic->disable(intid);
		gic->eoi(ack);
		if (!reported_unexpected) {
			reported_unexpected = true;
			kprintf("irq: unexpected INTID %u disabled (further ones "
				"are only counted)\n",
				intid);
		}
	}
}

unsigned arch_irq_line_count(void)
{
	return gic ? gic->lines() : 0;
}

bool arch_irq_line_usable(unsigned line)
{
	return line >= 32 && line < arch_irq_line_count();
}

void arch_irq_line_mask(unsigned line)
{
	if (arch_irq_line_usable(line))
		gic->disable(line);
}

void arch_irq_line_unmask(unsigned line)
{
	if (arch_irq_line_usable(line))
		gic->enable(line);
}

void arch_irq_devices(struct ker_info_devices *d)
{
	d->lines = arch_irq_line_count();
	d->uart_base = platform->uart.base;
	d->uart_line = platform->uart.intid;
	d->timer_base = platform->rtc.base;
	d->timer_line = platform->rtc.base ? platform->rtc.intid : ~0u;
}

void arch_user_io_privilege(void)
{
	/* No port I/O on aarch64: device registers are memory
	 * (mmap_device_memory); nothing to grant. */
}
