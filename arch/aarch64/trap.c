/*
 * Exception handling on aarch64: vectors.S hands every exception here with
 * the saved registers. IRQs from EL1 go to the GIC dispatcher; anything
 * else is a kernel bug for now and gets a full report (class decoded from
 * ESR_EL1, fault status for aborts, all registers, a backtrace) and a halt.
 */
#include <kernel/kprintf.h>
#include <kernel/panic.h>
#include <kernel/sched.h>

#include "a64.h"

/* Exception classes (ESR_EL1.EC) we name. */
static const char *ec_name(unsigned ec)
{
	switch (ec) {
	case 0x00:
		return "undefined instruction";
	case 0x01:
		return "trapped WFI/WFE";
	case 0x07:
		return "FP/SIMD access trap";
	case 0x0d:
		return "branch target exception";
	case 0x0e:
		return "illegal execution state";
	case 0x15:
		return "SVC";
	case 0x16:
		return "HVC";
	case 0x17:
		return "SMC";
	case 0x18:
		return "trapped MSR/MRS";
	case 0x1c:
		return "pointer authentication failure";
	case 0x20:
		return "instruction abort from EL0";
	case 0x21:
		return "instruction abort";
	case 0x22:
		return "PC alignment fault";
	case 0x24:
		return "data abort from EL0";
	case 0x25:
		return "data abort";
	case 0x26:
		return "SP alignment fault";
	case 0x2c:
		return "floating-point exception";
	case 0x2f:
		return "SError";
	case 0x30:
		return "breakpoint from EL0";
	case 0x31:
		return "breakpoint";
	case 0x32:
		return "software step from EL0";
	case 0x33:
		return "software step";
	case 0x34:
		return "watchpoint from EL0";
	case 0x35:
		return "watchpoint";
	case 0x3c:
		return "BRK";
	default:
		return "unknown exception class";
	}
}

/* Data/instruction fault status code (ISS[5:0] of an abort). */
static void print_fault_status(unsigned fsc)
{
	static const char *const kinds[4] = {
	    "address size fault",
	    "translation fault",
	    "access flag fault",
	    "permission fault",
	};

	if (fsc < 0x10) {
		kprintf("%s level %u", kinds[fsc >> 2], fsc & 3);
		return;
	}
	switch (fsc) {
	case 0x10:
		kputs("synchronous external abort");
		break;
	case 0x11:
		kputs("tag check fault");
		break;
	case 0x14:
	case 0x15:
	case 0x16:
	case 0x17:
		kprintf("external abort on table walk level %u", fsc & 3);
		break;
	case 0x18:
		kputs("parity/ECC error");
		break;
	case 0x21:
		kputs("alignment fault");
		break;
	case 0x30:
		kputs("TLB conflict abort");
		break;
	case 0x31:
		kputs("unsupported atomic hardware update");
		break;
	case 0x35:
		kputs("unsupported exclusive or atomic access");
		break;
	default:
		kprintf("fault status 0x%02x", fsc);
		break;
	}
}

static const char *const vector_names[16] = {
    "EL1t sync",	  "EL1t IRQ",	       "EL1t FIQ",	    "EL1t SError",
    "EL1h sync",	  "EL1h IRQ",	       "EL1h FIQ",	    "EL1h SError",
    "EL0 sync",		  "EL0 IRQ",	       "EL0 FIQ",	    "EL0 SError",
    "EL0 (AArch32) sync", "EL0 (AArch32) IRQ", "EL0 (AArch32) FIQ", "EL0 (AArch32) SError",
};

static void dump_registers(const struct a64_frame *f)
{
	for (int i = 0; i < 31; i++)
		kprintf("  x%-2d 0x%016lx%s", i, (unsigned long)f->x[i],
			i % 4 == 3 || i == 30 ? "\n" : "");
	kprintf("  sp  0x%016lx  elr 0x%016lx  spsr 0x%016lx\n", (unsigned long)f->sp,
		(unsigned long)f->elr, (unsigned long)f->spsr);
	kprintf("  esr 0x%016lx  far 0x%016lx\n", (unsigned long)f->esr, (unsigned long)f->far);
}

static NORETURN void fatal_exception(const struct a64_frame *f, uint64_t kind)
{
	static volatile int reporting;
	unsigned ec = (unsigned)(f->esr >> ESR_EC_SHIFT) & 0x3f;
	unsigned iss = (unsigned)(f->esr & ESR_ISS_MASK);
	bool sync = (kind & 3) == 0;
	bool serror = (kind & 3) == 3;
	const char *what = sync ? ec_name(ec) : serror ? "SError" : "FIQ";

	if (reporting++) {
		kputs("\nEXCEPTION: another exception while reporting one\n");
		fatal_halt();
	}
	/* FAR is only meaningful for aborts, alignment and watchpoints. */
	kprintf("\nEXCEPTION: %s (ESR 0x%08lx) at pc 0x%016lx far 0x%016lx\n", what,
		(unsigned long)f->esr, (unsigned long)f->elr, (unsigned long)f->far);
	kprintf("  taken from %s (vector %s)", (f->spsr & 0xc) ? "EL1" : "EL0",
		vector_names[kind & 15]);
	if (sync && (ec == 0x24 || ec == 0x25)) {
		kprintf(", %s access: ", iss & (1u << 6) ? "write" : "read");
		print_fault_status(iss & 0x3f);
		if (iss & (1u << 10))
			kputs(" (FAR not valid)");
	} else if (sync && (ec == 0x20 || ec == 0x21)) {
		kputs(", instruction fetch: ");
		print_fault_status(iss & 0x3f);
	} else if (sync && (ec == 0x3c || ec == 0x15 || ec == 0x16 || ec == 0x17)) {
		kprintf(", immediate #0x%x", iss & 0xffff);
	} else if (serror) {
		kprintf(", ISS 0x%07x", iss);
	}
	kputs("\n");
	dump_registers(f);
	backtrace_print(f->x[29]);
	fatal_halt();
}

void a64_trap(struct a64_frame *f, uint64_t kind)
{
	switch (kind) {
	case VEC_EL1H_IRQ:
		a64_irq_dispatch();
		/* IRQs only arrive where preemption is allowed (sched.h). */
		sched_preempt_point();
		return;
	default:
		/* synchronous exceptions and SErrors in the kernel, FIQs
		 * (never routed to us), anything from EL0 (no user space
		 * yet), and EL1t (we never run on SP_EL0) */
		fatal_exception(f, kind);
	}
}
