/*
 * Interrupt bring-up and dispatch on aarch64: picks the GIC driver the DTB
 * asks for (v2: arm,gic-400 / arm,cortex-a15-gic ...; v3: arm,gic-v3),
 * maps it, enables the timer's PPI, and turns each IRQ exception into a
 * handler call. SPIs (INTID 32 and up) are the lines user drivers attach
 * (arch/irq.h: the line number is the INTID); gic*.c routed them all to
 * this CPU, level-triggered (what the DTB says of every SPI on virt and
 * the Pi 4), and they stay disabled until attached. Other unknown INTIDs
 * are counted, reported once, disabled.
 *
 * Several CPUs: each sets up its own GIC interface (a64_irq_init_cpu) and
 * takes its own timer's PPI and two SGIs, SGI_KICK (reschedule) and
 * SGI_TLB (answer a TLB shootdown, before and without the kernel lock:
 * a64_irq_take_unlocked). Device interrupts (SPIs) all go to the boot CPU.
 */
#include <arch/irq.h>
#include <kernel/cpu.h>
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

/* What every CPU takes on its own interface: its timer, the SGIs. */
static void enable_per_cpu(void)
{
	gic->enable(a64_timer_intid());
	gic->enable(SGI_KICK);
	gic->enable(SGI_TLB);
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
	enable_per_cpu();
}

void a64_irq_init_cpu(unsigned idx)
{
	if (gic->cpu_init(idx, my_affinity()))
		panic("irq: cpu %u: no %s interface for affinity 0x%x", idx, gic->name,
		      my_affinity());
	enable_per_cpu();
}

void a64_irq_send_sgi(unsigned idx, uint32_t sgi)
{
	gic->send_sgi(idx, sgi);
}

void a64_irq_enable_line(uint32_t intid)
{
	if (gic)
		gic->enable(intid);
}

bool a64_irq_take_unlocked(struct a64_irq *irq)
{
	irq->ack = gic->ack(&irq->intid);
	if (irq->intid >= GIC_FIRST_SPECIAL) {
		__atomic_fetch_add(&stats.spurious, 1, __ATOMIC_RELAXED);
		return false;
	}
	if (irq->intid == SGI_TLB) {
		__atomic_fetch_add(&stats.total, 1, __ATOMIC_RELAXED);
		smp_tlb_answer();
		gic->eoi(irq->ack);
		return false;
	}
	return true;
}

void a64_irq_dispatch(const struct a64_irq *first)
{
	if (!gic)
		panic("irq: interrupt before the GIC was set up");
	for (int n = 0; n < MAX_IRQS_PER_EXCEPTION; n++) {
		struct a64_irq irq;
		if (n == 0 && first) {
			irq = *first;
		} else {
			irq.ack = gic->ack(&irq.intid);
			if (irq.intid >= GIC_FIRST_SPECIAL) {
				if (n == 0)
					__atomic_fetch_add(&stats.spurious, 1, __ATOMIC_RELAXED);
				return;
			}
		}
		uint32_t intid = irq.intid;
		/* counted with atomics: a64_irq_take_unlocked counts too */
		__atomic_fetch_add(&stats.total, 1, __ATOMIC_RELAXED);
		if (intid == a64_timer_intid()) {
			stats.timer++;
			/* masks the timer, then re-arms it: if the new deadline
			 * is already due the line stays up and we see it again */
			a64_timer_irq();
			gic->eoi(irq.ack);
			continue;
		}
		if (intid == SGI_KICK || intid == SGI_TLB) {
			/* Kick: the caller's preemption point reschedules. TLB
			 * (met after the first, under the lock): its sender let
			 * go of the lock, so it had its answer, from smp_poll;
			 * answering again finds nothing to do. */
			if (intid == SGI_TLB)
				smp_tlb_answer();
			gic->eoi(irq.ack);
			continue;
		}
		if (arch_irq_line_usable(intid)) {
			/* A driver's line: masked there before the EOI */
			interrupt_line_fired(intid);
			gic->eoi(irq.ack);
			continue;
		}
		/* Nobody handles it: keep it from storming, say so once. */
		stats.unexpected++;
		gic->disable(intid);
		gic->eoi(irq.ack);
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
	d->uart_kind = platform->uart.kind == DT_UART_PL011	    ? KER_UART_PL011
		       : platform->uart.kind == DT_UART_BCM2835_AUX ? KER_UART_BCM2835_AUX
								    : KER_UART_NONE;
	d->timer_base = platform->rtc.base;
	d->timer_line = platform->rtc.base ? platform->rtc.intid : ~0u;
}

void arch_user_io_privilege(void)
{
	/* No port I/O on aarch64: device registers are memory
	 * (mmap_device_memory); nothing to grant. */
}
