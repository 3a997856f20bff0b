/*
 * ARM Generic Interrupt Controller drivers (GIC architecture spec, IHI
 * 0048 for v2 and IHI 0069 for v3): gicv2.c (memory-mapped CPU interface,
 * also the Pi 4's GIC-400) and gicv3.c (system-register CPU interface,
 * redistributors). Both bring up the distributor with every line disabled
 * and routed to the boot CPU, and present one set of operations. Each CPU
 * sets up its own interface (cpu_init: the boot CPU's in gicv*_init); the
 * others are then reached by SGIs, by their index.
 *
 * INTIDs: 0-15 SGIs, 16-31 PPIs (per CPU), 32-1019 SPIs, 1020-1023 special.
 */
#ifndef GIC_H
#define GIC_H

#include <stdbool.h>
#include <stdint.h>

#define GIC_INTID_SPURIOUS 1023
#define GIC_FIRST_SPECIAL  1020
#define GIC_MAX_CPUS	   8 /* CPU indexes cpu_init and send_sgi take */

struct gic_ops {
	const char *name;
	int version;
	/* Acknowledge the highest-priority pending interrupt: returns the
	 * value to give back to eoi(); *intid gets its INTID. */
	uint32_t (*ack)(uint32_t *intid);
	void (*eoi)(uint32_t ack);
	void (*enable)(uint32_t intid);
	void (*disable)(uint32_t intid);
	/* ArchRev from the distributor's ID registers (2, 3, 4). */
	int (*hw_revision)(void);
	uint32_t (*lines)(void); /* interrupt lines the distributor has */
	/* Set up the interface of the CPU that calls it, known from now on
	 * as idx (< GIC_MAX_CPUS; 0 is the boot CPU's, which gicv*_init
	 * sets up): SGIs and PPIs off but for what enable() turns on later.
	 * affinity as gicv3_init's. 0, or -1 if it cannot be used. */
	int (*cpu_init)(unsigned idx, uint32_t affinity);
	/* Raise SGI sgi (0-15) on CPU idx. */
	void (*send_sgi)(unsigned idx, uint32_t sgi);
};

/* dist and cpu: virtual addresses of the mapped register frames. */
int gicv2_init(uintptr_t dist, uintptr_t cpu);
extern const struct gic_ops gicv2_ops;

/* redist: the mapped redistributor region of redist_size bytes, searched
 * for the frame whose affinity is affinity (Aff3.Aff2.Aff1.Aff0, as in
 * GICR_TYPER[63:32]). Returns 0, or -1 if this CPU's frame is not there
 * or the system-register interface is unusable. */
int gicv3_init(uintptr_t dist, uintptr_t redist, uint64_t redist_size, uint32_t affinity);
extern const struct gic_ops gicv3_ops;

#endif
