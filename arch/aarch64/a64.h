/*
 * Private to arch/aarch64 (and its in-kernel tests): system register
 * access, the exception frame, and what the boot path learned about the
 * platform. Generic code never includes this.
 */
#ifndef A64_H
#define A64_H

#include <arch-inline.h>
#include <kernel/compiler.h>

#include "a64_regs.h"
#include "dtb.h"

struct cpu;

#define read_sysreg(r)                                                                             \
	({                                                                                         \
		uint64_t v_;                                                                       \
		__asm__ volatile("mrs %0, " #r : "=r"(v_));                                        \
		v_;                                                                                \
	})
#define write_sysreg(r, v) __asm__ volatile("msr " #r ", %0" ::"r"((uint64_t)(v)) : "memory")
#define isb()		   __asm__ volatile("isb" ::: "memory")
#define dsb(opt)	   __asm__ volatile("dsb " #opt ::: "memory")

/* Registers saved by vectors.S, in this order (offsets are used there). */
struct a64_frame {
	uint64_t x[31]; /* x0..x30 (x29 = fp, x30 = lr) */
	uint64_t sp;	/* sp at the time of the exception (SP_EL0 from EL0) */
	uint64_t tpidr_el0; /* from EL0 only: the user thread pointer (beside
			       sp: the way back to EL0 loads both at once) */
	uint64_t elr;	/* where it happened / where to return */
	uint64_t spsr;
	uint64_t esr;
	uint64_t far;
	uint64_t pad;
};
_Static_assert(sizeof(struct a64_frame) == 304 && A64_FRAME_WORDS * 8 == 304 &&
		   offsetof(struct a64_frame, x[30]) == 240 &&
		   offsetof(struct a64_frame, sp) == 248 &&
		   offsetof(struct a64_frame, tpidr_el0) == 256 &&
		   offsetof(struct a64_frame, elr) == 264 && offsetof(struct a64_frame, esr) == 280,
	       "vectors.S's FRAME_SIZE and F_*, arch_kcall_args_save's");

/* Index of the vector entry, as vectors.S passes it to a64_trap(). */
enum a64_vector {
	VEC_EL1T_SYNC,
	VEC_EL1T_IRQ,
	VEC_EL1T_FIQ,
	VEC_EL1T_SERROR,
	VEC_EL1H_SYNC,
	VEC_EL1H_IRQ,
	VEC_EL1H_FIQ,
	VEC_EL1H_SERROR,
	VEC_EL0_SYNC,
	VEC_EL0_IRQ,
	VEC_EL0_FIQ,
	VEC_EL0_SERROR,
	VEC_EL0_32_SYNC,
	VEC_EL0_32_IRQ,
	VEC_EL0_32_FIQ,
	VEC_EL0_32_SERROR,
};

/* head.S -> C */
NORETURN void a64_entry(uint64_t dtb_pa, uint64_t entry_el, uint64_t kernel_pa);
/* A secondary CPU (smp.c): head.S's a64_secondary_entry, at its physical
 * address, brings it to a64_ap_entry with what a64_ap_start holds. */
extern const char a64_secondary_entry[];
NORETURN void a64_ap_entry(struct cpu *c);
void a64_trap(struct a64_frame *f, uint64_t kind);
/* arch_resume_entry's (vectors.S): the end of a call ipc_resume() ends. */
void a64_resume(struct a64_frame *f);

/* What the boot path found (entry.c). */
const struct dt_platform *a64_platform(void);
uint64_t a64_dtb_pa(void);
uint64_t a64_dtb_size(void);	  /* the blob's totalsize */
unsigned a64_entry_el(void);	  /* 1 or 2 */
uintptr_t a64_console_base(void); /* virtual address of the UART, or 0 */

/* ioremap() plus the barriers that make the new entries usable at once. */
void *a64_ioremap(uint64_t pa, uint64_t size);

/* Interrupts (irq.c). */
void a64_irq_init(const struct dt_platform *p);
/* A secondary CPU's GIC interface, known from now on as index idx. */
void a64_irq_init_cpu(unsigned idx);
/* An interrupt acknowledged and not yet handled. */
struct a64_irq {
	uint32_t ack, intid;
};
/* Several CPUs, before taking the kernel lock on an IRQ: acknowledge one
 * interrupt and answer it if it is SGI_TLB (the asking CPU holds the lock
 * and waits). True if irq is left for a64_irq_dispatch, under the lock. */
bool a64_irq_take_unlocked(struct a64_irq *irq);
/* Handle the pending interrupts, first (if not NULL) the one taken. */
void a64_irq_dispatch(const struct a64_irq *first);
void a64_irq_enable_line(uint32_t intid);
/* The SGIs between CPUs (smp.c): reschedule, answer a TLB shootdown. */
#define SGI_KICK 0
#define SGI_TLB	 1
void a64_irq_send_sgi(unsigned idx, uint32_t sgi);
struct a64_irq_stats {
	uint64_t total;	     /* interrupts acknowledged */
	uint64_t timer;	     /* of which the timer's */
	uint64_t spurious;   /* acknowledges that returned 1020..1023 */
	uint64_t unexpected; /* INTIDs nobody handles (disabled after one) */
};
const struct a64_irq_stats *a64_irq_stats(void);
int a64_gic_version(void);     /* 2 or 3, as initialised */
int a64_gic_hw_revision(void); /* ArchRev the distributor reports */
uint32_t a64_gic_lines(void);  /* interrupt lines the distributor has */

/* Generic timer (timer.c). */
void a64_timer_set_intid(uint32_t intid);
uint32_t a64_timer_intid(void);
void a64_timer_irq(void);
void a64_timer_init_cpu(void); /* a secondary CPU's timer, stopped */

/* User mode (user.c): FP on, PAN, ASIDs, TTBR0 walks on an empty table;
 * run once per CPU before the first user thread. */
void a64_user_init(void);
bool a64_pan_enabled(void);

/* vectors.S: leave for EL0 with the kernel stack reset to ktop. */
NORETURN void a64_enter_user(uintptr_t pc, uintptr_t sp, uintptr_t arg, uintptr_t ret,
			      uintptr_t ktop, uintptr_t tp);
/* The embedded boot image (ifs.S); empty when built without one. */
extern const char a64_ifs_start[], a64_ifs_end[];

/* The smallest data cache line, in bytes (CTR_EL0.DminLine: log2 of
 * words), the step of by-address cache maintenance. */
static inline uintptr_t a64_dcache_line(void)
{
	return 4ul << (read_sysreg(ctr_el0) >> 16 & 0xf);
}

/* PSCI (cpu.c); returns x0 of the call. */
uint64_t a64_psci_call(uint32_t fn, uint64_t a1, uint64_t a2, uint64_t a3);
/* Whether a semihosting host answers (cpu.c); once, after the vectors are
 * in place. From then on arch_poweroff() reports its status through it. */
bool a64_semihosting_probe(void);

/* Raspberry Pi 4 (bcm2711.c), each a no-op without its device tree node.
 * The console UART's pins: how many needed setting. */
unsigned a64_rpi_console_pins(const struct dt_platform *p);
/* A clock's rate from the firmware's mailbox, or 0 if it does not say. */
#define RPI_CLOCK_UART 2 /* the PL011's */
#define RPI_CLOCK_CORE 4 /* the VPU core clock, the mini UART's */
uint32_t a64_rpi_firmware_clock(const struct dt_platform *p, uint32_t clock_id);
/* Map the PM block; false without one. Then a64_rpi_poweroff() halts the
 * board through the watchdog (it returns before the reset comes). */
bool a64_rpi_pm_init(const struct dt_platform *p);
void a64_rpi_poweroff(void);

#endif
