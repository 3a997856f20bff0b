/*
 * GICv2 driver (see gic.h): distributor and memory-mapped CPU interface.
 * Interrupts stay in the group the hardware resets them to (group 0 on a
 * GIC without security extensions, e.g. QEMU virt; firmware's choice on
 * one with them, e.g. the Pi 4) and both groups are enabled and signalled
 * as IRQ, so the same code works in either case.
 */
#include "gic.h"

#include "mmio.h"

#define GICD_CTLR	0x000
#define GICD_TYPER	0x004
#define GICD_ISENABLER	0x100
#define GICD_ICENABLER	0x180
#define GICD_ICPENDR	0x280
#define GICD_ICACTIVER	0x380
#define GICD_IPRIORITYR 0x400
#define GICD_ITARGETSR	0x800
#define GICD_ICFGR	0xc00
#define GICD_SGIR	0xf00
#define GICD_PIDR2	0xfe8

#define GICC_CTLR 0x00
#define GICC_PMR  0x04
#define GICC_BPR  0x08
#define GICC_IAR  0x0c
#define GICC_EOIR 0x10

#define CTLR_ENABLE_GRP0 (1u << 0) /* the only enable bit in the NS view */
#define CTLR_ENABLE_GRP1 (1u << 1)
#define PRIO_DEFAULT	 0xa0
#define PMR_ALLOW_ALL	 0xf0

static uintptr_t dist_base, cpu_base;
static uint32_t nlines;
/* Each CPU's interface bit (ITARGETSR0..7 read on it): GIC-400 numbers
 * the interfaces as wired, not as we number the CPUs. */
static uint8_t targets[GIC_MAX_CPUS];

static int v2_cpu_init(unsigned idx, uint32_t affinity)
{
	(void)affinity; /* a GICv2 knows its CPUs by interface number */

	/* ITARGETSR0..7 are read-only and name this CPU's interface bit. */
	uint8_t target = mmio_read32(dist_base + GICD_ITARGETSR) & 0xff;
	targets[idx] = target ? target : 1; /* uniprocessor GICs may read as zero */

	/* The banked SGI and PPI registers: off, idle, default priority. */
	mmio_write32(dist_base + GICD_ICENABLER, 0xffffffff);
	mmio_write32(dist_base + GICD_ICPENDR, 0xffffffff);
	mmio_write32(dist_base + GICD_ICACTIVER, 0xffffffff);
	for (uint32_t i = 0; i < 32; i += 4)
		mmio_write32(dist_base + GICD_IPRIORITYR + i, PRIO_DEFAULT * 0x01010101u);

	mmio_write32(cpu_base + GICC_PMR, PMR_ALLOW_ALL);
	mmio_write32(cpu_base + GICC_BPR, 0);
	mmio_write32(cpu_base + GICC_CTLR, CTLR_ENABLE_GRP0 | CTLR_ENABLE_GRP1);
	return 0;
}

int gicv2_init(uintptr_t dist, uintptr_t cpu)
{
	dist_base = dist;
	cpu_base = cpu;
	mmio_write32(dist + GICD_CTLR, 0);
	nlines = 32 * ((mmio_read32(dist + GICD_TYPER) & 0x1f) + 1);
	if (nlines > GIC_FIRST_SPECIAL)
		nlines = GIC_FIRST_SPECIAL;
	v2_cpu_init(0, 0);

	/* Every SPI off, idle, level-triggered, default priority, to the
	 * boot CPU (device interrupts are all handled there). */
	for (uint32_t i = 32; i < nlines; i += 32) {
		mmio_write32(dist + GICD_ICENABLER + i / 8, 0xffffffff);
		mmio_write32(dist + GICD_ICPENDR + i / 8, 0xffffffff);
		mmio_write32(dist + GICD_ICACTIVER + i / 8, 0xffffffff);
	}
	for (uint32_t i = 32; i < nlines; i += 4) {
		mmio_write32(dist + GICD_IPRIORITYR + i, PRIO_DEFAULT * 0x01010101u);
		mmio_write32(dist + GICD_ITARGETSR + i, targets[0] * 0x01010101u);
	}
	for (uint32_t i = 32; i < nlines; i += 16)
		mmio_write32(dist + GICD_ICFGR + i / 4, 0);
	mmio_write32(dist + GICD_CTLR, CTLR_ENABLE_GRP0 | CTLR_ENABLE_GRP1);
	return 0;
}

static uint32_t v2_ack(uint32_t *intid)
{
	uint32_t iar = mmio_read32(cpu_base + GICC_IAR);

	*intid = iar & 0x3ff;
	return iar;
}

static void v2_eoi(uint32_t iar)
{
	mmio_write32(cpu_base + GICC_EOIR, iar);
}

static void v2_enable(uint32_t intid)
{
	mmio_write32(dist_base + GICD_ISENABLER + (intid / 32) * 4, 1u << (intid % 32));
}

static void v2_disable(uint32_t intid)
{
	mmio_write32(dist_base + GICD_ICENABLER + (intid / 32) * 4, 1u << (intid % 32));
}

static int v2_hw_revision(void)
{
	return (mmio_read32(dist_base + GICD_PIDR2) >> 4) & 0xf;
}

static uint32_t v2_lines(void)
{
	return nlines;
}

static void v2_send_sgi(unsigned idx, uint32_t sgi)
{
	/* TargetListFilter 0: to the interfaces in the list; NSATT 0 */
	mmio_write32(dist_base + GICD_SGIR, (uint32_t)targets[idx] << 16 | sgi);
}

const struct gic_ops gicv2_ops = {
    .name = "GICv2",
    .version = 2,
    .ack = v2_ack,
    .eoi = v2_eoi,
    .enable = v2_enable,
    .disable = v2_disable,
    .hw_revision = v2_hw_revision,
    .lines = v2_lines,
    .cpu_init = v2_cpu_init,
    .send_sgi = v2_send_sgi,
};
