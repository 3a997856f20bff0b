/*
 * GICv3 driver (see gic.h): distributor with affinity routing, this CPU's
 * redistributor, and the system-register CPU interface (ICC_*_EL1, so this
 * file is AArch64-only). All interrupts are made Non-secure Group 1, the
 * group that is signalled as IRQ to EL1; on a GIC with two security states
 * those writes are ignored and firmware has done it.
 */
#include "gic.h"

#include "mmio.h"

#define GICD_CTLR	0x0000
#define GICD_TYPER	0x0004
#define GICD_IGROUPR	0x0080
#define GICD_ISENABLER	0x0100
#define GICD_ICENABLER	0x0180
#define GICD_ICPENDR	0x0280
#define GICD_ICACTIVER	0x0380
#define GICD_IPRIORITYR 0x0400
#define GICD_ICFGR	0x0c00
#define GICD_IROUTER	0x6000
#define GICD_PIDR2	0xffe8

#define GICD_CTLR_RWP (1u << 31)
/* DS = 1 view: EnableGrp0, EnableGrp1, ARE; NS view: EnableGrp1(A), ARE_NS.
 * The same bits do the right thing in both. */
#define GICD_CTLR_ENABLE (1u << 0 | 1u << 1 | 1u << 4)

/* Redistributor: RD_base frame, then SGI_base frame 64 KiB later. */
#define GICR_CTLR	0x0000
#define GICR_TYPER	0x0008
#define GICR_WAKER	0x0014
#define GICR_SGI	0x10000
#define GICR_IGROUPR0	(GICR_SGI + 0x0080)
#define GICR_ISENABLER0 (GICR_SGI + 0x0100)
#define GICR_ICENABLER0 (GICR_SGI + 0x0180)
#define GICR_ICPENDR0	(GICR_SGI + 0x0280)
#define GICR_ICACTIVER0 (GICR_SGI + 0x0380)
#define GICR_IPRIORITYR (GICR_SGI + 0x0400)

#define GICR_CTLR_RWP	  (1u << 3)
#define GICR_TYPER_VLPIS  (1u << 1)
#define GICR_TYPER_LAST	  (1u << 4)
#define GICR_WAKER_SLEEP  (1u << 1)
#define GICR_WAKER_ASLEEP (1u << 2)

#define PRIO_DEFAULT  0xa0
#define PMR_ALLOW_ALL 0xf0
#define SPIN_LIMIT                                                                                 \
	1000000 /* polls before a bit that should clear is                                         \
		 * declared stuck */

#define ICC_PMR_EL1	"S3_0_C4_C6_0"
#define ICC_IAR1_EL1	"S3_0_C12_C12_0"
#define ICC_EOIR1_EL1	"S3_0_C12_C12_1"
#define ICC_BPR1_EL1	"S3_0_C12_C12_3"
#define ICC_CTLR_EL1	"S3_0_C12_C12_4"
#define ICC_SRE_EL1	"S3_0_C12_C12_5"
#define ICC_IGRPEN1_EL1 "S3_0_C12_C12_7"
#define ICC_SGI1R_EL1	"S3_0_C12_C11_5"

#define icc_read(r)                                                                                \
	({                                                                                         \
		uint64_t v_;                                                                       \
		__asm__ volatile("mrs %0, " r : "=r"(v_));                                         \
		v_;                                                                                \
	})
#define icc_write(r, v) __asm__ volatile("msr " r ", %0" ::"r"((uint64_t)(v)) : "memory")
#define isb()		__asm__ volatile("isb" ::: "memory")

static uintptr_t dist_base, redist_base;
static uint64_t redist_bytes;
static uint32_t nlines;
/* Each CPU's affinity and redistributor frame, by index (cpu_init). */
static struct {
	uint32_t affinity;
	uintptr_t rd;
} cpu_if[GIC_MAX_CPUS];

static bool wait_clear(uintptr_t reg, uint32_t bit)
{
	for (int i = 0; i < SPIN_LIMIT; i++)
		if (!(mmio_read32(reg) & bit))
			return true;
	return false;
}

/* The redistributor frame whose GICR_TYPER names affinity, or 0. */
static uintptr_t find_redist(uintptr_t base, uint64_t size, uint32_t affinity)
{
	for (uint64_t off = 0; off + 0x20000 <= size;) {
		uint64_t typer = mmio_read64(base + off + GICR_TYPER);
		if ((uint32_t)(typer >> 32) == affinity)
			return base + off;
		if (typer & GICR_TYPER_LAST)
			break;
		/* GICv4 frames carry two more 64 KiB pages for vLPIs */
		off += typer & GICR_TYPER_VLPIS ? 0x40000 : 0x20000;
	}
	return 0;
}

/* The calling CPU's redistributor (its SGIs and PPIs). */
static uintptr_t my_rd(void)
{
	uint64_t mpidr;

	__asm__ volatile("mrs %0, mpidr_el1" : "=r"(mpidr));
	uint32_t affinity = (uint32_t)((mpidr >> 32 & 0xff) << 24 | (mpidr & 0xffffff));
	for (unsigned i = 0; i < GIC_MAX_CPUS; i++)
		if (cpu_if[i].rd && cpu_if[i].affinity == affinity)
			return cpu_if[i].rd;
	return cpu_if[0].rd; /* not reached: every CPU ran cpu_init first */
}

static int v3_cpu_init(unsigned idx, uint32_t affinity)
{
	/* Without the system-register interface (ICC_SRE_EL1.SRE stuck at 0)
	 * there is no CPU interface to talk to. */
	icc_write(ICC_SRE_EL1, icc_read(ICC_SRE_EL1) | 1);
	isb();
	if (!(icc_read(ICC_SRE_EL1) & 1))
		return -1;
	uintptr_t rd = find_redist(redist_base, redist_bytes, affinity);
	if (!rd)
		return -1;

	/* Redistributor: wake it, then SGIs and PPIs off, Group 1. */
	mmio_write32(rd + GICR_WAKER, mmio_read32(rd + GICR_WAKER) & ~GICR_WAKER_SLEEP);
	if (!wait_clear(rd + GICR_WAKER, GICR_WAKER_ASLEEP))
		return -1;
	mmio_write32(rd + GICR_IGROUPR0, 0xffffffff);
	mmio_write32(rd + GICR_ICENABLER0, 0xffffffff);
	mmio_write32(rd + GICR_ICPENDR0, 0xffffffff);
	mmio_write32(rd + GICR_ICACTIVER0, 0xffffffff);
	for (uint32_t i = 0; i < 32; i += 4)
		mmio_write32(rd + GICR_IPRIORITYR + i, PRIO_DEFAULT * 0x01010101u);
	if (!wait_clear(rd + GICR_CTLR, GICR_CTLR_RWP))
		return -1;
	cpu_if[idx].affinity = affinity;
	cpu_if[idx].rd = rd;

	/* CPU interface: all priorities pass, EOI also deactivates. */
	icc_write(ICC_PMR_EL1, PMR_ALLOW_ALL);
	icc_write(ICC_BPR1_EL1, 0);
	icc_write(ICC_CTLR_EL1, 0);
	icc_write(ICC_IGRPEN1_EL1, 1);
	isb();
	return 0;
}

int gicv3_init(uintptr_t dist, uintptr_t redist, uint64_t redist_size, uint32_t affinity)
{
	uint64_t route;

	dist_base = dist;
	redist_base = redist;
	redist_bytes = redist_size;

	/* Distributor: off while we set it up, then with affinity routing. */
	mmio_write32(dist + GICD_CTLR, 0);
	if (!wait_clear(dist + GICD_CTLR, GICD_CTLR_RWP))
		return -1;
	nlines = 32 * ((mmio_read32(dist + GICD_TYPER) & 0x1f) + 1);
	if (nlines > GIC_FIRST_SPECIAL)
		nlines = GIC_FIRST_SPECIAL;
	for (uint32_t i = 32; i < nlines; i += 32) {
		mmio_write32(dist + GICD_IGROUPR + i / 8, 0xffffffff);
		mmio_write32(dist + GICD_ICENABLER + i / 8, 0xffffffff);
		mmio_write32(dist + GICD_ICPENDR + i / 8, 0xffffffff);
		mmio_write32(dist + GICD_ICACTIVER + i / 8, 0xffffffff);
	}
	for (uint32_t i = 32; i < nlines; i += 4)
		mmio_write32(dist + GICD_IPRIORITYR + i, PRIO_DEFAULT * 0x01010101u);
	for (uint32_t i = 32; i < nlines; i += 16)
		mmio_write32(dist + GICD_ICFGR + i / 4, 0);
	if (!wait_clear(dist + GICD_CTLR, GICD_CTLR_RWP))
		return -1;
	mmio_write32(dist + GICD_CTLR, GICD_CTLR_ENABLE);
	if (!wait_clear(dist + GICD_CTLR, GICD_CTLR_RWP))
		return -1;
	/* SPIs to the boot CPU (device interrupts are all handled there):
	 * IROUTER holds Aff3 at [39:32], Aff2.Aff1.Aff0 low, mode 0 (this
	 * one CPU). */
	route = (uint64_t)(affinity >> 24) << 32 | (affinity & 0xffffff);
	for (uint32_t i = 32; i < nlines; i++)
		mmio_write64(dist + GICD_IROUTER + 8 * i, route);

	return v3_cpu_init(0, affinity);
}

static uint32_t v3_ack(uint32_t *intid)
{
	uint32_t iar = (uint32_t)icc_read(ICC_IAR1_EL1);

	/* the read must complete before the handler touches the device */
	__asm__ volatile("dsb sy" ::: "memory");
	*intid = iar & 0xffffff;
	return iar;
}

static void v3_eoi(uint32_t iar)
{
	icc_write(ICC_EOIR1_EL1, iar);
	isb();
}

static void v3_enable(uint32_t intid)
{
	if (intid < 32)
		mmio_write32(my_rd() + GICR_ISENABLER0, 1u << intid);
	else
		mmio_write32(dist_base + GICD_ISENABLER + (intid / 32) * 4, 1u << (intid % 32));
}

static void v3_disable(uint32_t intid)
{
	if (intid < 32) {
		uintptr_t rd = my_rd();
		mmio_write32(rd + GICR_ICENABLER0, 1u << intid);
		wait_clear(rd + GICR_CTLR, GICR_CTLR_RWP);
	} else {
		mmio_write32(dist_base + GICD_ICENABLER + (intid / 32) * 4, 1u << (intid % 32));
		wait_clear(dist_base + GICD_CTLR, GICD_CTLR_RWP);
	}
}

static int v3_hw_revision(void)
{
	return (mmio_read32(dist_base + GICD_PIDR2) >> 4) & 0xf;
}

static uint32_t v3_lines(void)
{
	return nlines;
}

static void v3_send_sgi(unsigned idx, uint32_t sgi)
{
	uint32_t a = cpu_if[idx].affinity;
	/* Aff3 [55:48], Aff2 [39:32], INTID [27:24], Aff1 [23:16]; Aff0 as
	 * range selector [47:44] (16 CPUs each) and a bit of TargetList. */
	uint64_t v = (uint64_t)(a >> 24) << 48 | (uint64_t)(a >> 16 & 0xff) << 32 |
		     (uint64_t)(a & 0xf0) << 40 | (uint64_t)sgi << 24 |
		     (uint64_t)(a >> 8 & 0xff) << 16 | 1u << (a & 0xf);

	icc_write(ICC_SGI1R_EL1, v);
	isb();
}

const struct gic_ops gicv3_ops = {
    .name = "GICv3",
    .version = 3,
    .ack = v3_ack,
    .eoi = v3_eoi,
    .enable = v3_enable,
    .disable = v3_disable,
    .hw_revision = v3_hw_revision,
    .lines = v3_lines,
    .cpu_init = v3_cpu_init,
    .send_sgi = v3_send_sgi,
};
