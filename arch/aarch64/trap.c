/*
 * Exception handling on aarch64: vectors.S hands every exception here with
 * the saved registers. IRQs (from EL1 or EL0) go to the GIC dispatcher and
 * end at a preemption point. From EL0: SVC is a kernel call (number x8,
 * arguments x0-x5, result x0); any other synchronous exception is a
 * signal through user_fault(): a handler's, or the end of the process. At EL1, a data abort on one of the user
 * copy instructions, or an undefined instruction at the semihosting call
 * (no host: cpu.c), resumes at its .extable fixup. Anything else is a
 * kernel bug and gets a full report (class decoded from ESR_EL1, fault
 * status for aborts, all registers, a backtrace) and a halt. Every
 * return to EL0 first looks at signals when the thread's sig_check says
 * so.
 */
#include <kernel/fmt.h>
#include <arch/mmu.h>
#include <kernel/kprintf.h>
#include <kernel/panic.h>
#include <kernel/cpu.h>
#include <kernel/klock.h>
#include <kernel/sched.h>
#include <kernel/signal.h>
#include <kernel/syscall.h>

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
	/* From EL0, x29 is the user's: nothing of the kernel to walk. */
	backtrace_print(kind >= VEC_EL0_SYNC ? 0 : f->x[29]);
	fatal_halt();
}

/* Kernel instructions allowed to fault (usercopy.S on user memory, cpu.c's
 * semihosting HLT when nobody answers it), and where each continues. */
struct extable_entry {
	uintptr_t insn, fixup;
};
extern const struct extable_entry __extable_start[], __extable_end[];

static bool fixup(struct a64_frame *f)
{
	for (const struct extable_entry *e = __extable_start; e < __extable_end; e++)
		if (e->insn == f->elr) {
			f->elr = e->fixup;
			return true;
		}
	return false;
}


/* What a data or instruction abort tried: VM_EXEC, VM_WRITE (WnR) or
 * VM_READ. */
static unsigned abort_access(unsigned ec, unsigned iss)
{
	if (ec == EC_IABT_LOW)
		return VM_EXEC;
	return iss & (1u << 6) ? VM_WRITE : VM_READ;
}

/* A synchronous exception from EL0 other than SVC: its signal, to a
 * handler of the process or the end of it (user_fault). */
static void user_exception(struct a64_frame *f, unsigned ec)
{
	unsigned iss = (unsigned)(f->esr & ESR_ISS_MASK), fsc = iss & 0x3f;
	static const char *const fs[4] = {"address size", "translation", "access flag",
					  "permission"};
	char what[80];

	switch (ec) {
	case EC_DABT_LOW:
	case EC_IABT_LOW:
		if (fsc >> 2 == 1 && vm_user_fault(f->far, abort_access(ec, iss)))
			return; /* anonymous memory, made on first touch */
		if (fsc == FSC_ALIGNMENT) {
			user_fault(SIGBUS, BUS_ADRALN, "alignment fault", f->elr, f->far);
			return;
		}
		if (fsc < 0x10)
			fmt_snprintf(what, sizeof(what), "%s (%s, %s fault level %u)",
				     ec == EC_DABT_LOW ? "data abort" : "instruction abort",
				     ec == EC_IABT_LOW ? "fetch"
				     : iss & (1u << 6) ? "write"
						       : "read",
				     fs[fsc >> 2], fsc & 3);
		else
			fmt_snprintf(what, sizeof(what), "%s (fault status 0x%02x)", ec_name(ec),
				     fsc);
		user_fault(SIGSEGV, fsc >> 2 == 3 ? SEGV_ACCERR : SEGV_MAPERR, what, f->elr,
			   f->far);
		return;
	case EC_PC_ALIGN:
	case EC_SP_ALIGN:
		user_fault(SIGBUS, BUS_ADRALN, ec_name(ec), f->elr,
			   ec == EC_PC_ALIGN ? f->far : f->sp);
		return;
	case EC_FP_EXC64:
		user_fault(SIGFPE, FPE_INTDIV, ec_name(ec), f->elr, 0);
		return;
	case EC_FP_ACCESS: /* its FP/SIMD state, lazily switched: load it */
		sched_fpu_own();
		return;
	case EC_BRK64:
		fmt_snprintf(what, sizeof(what), "BRK #0x%x", iss & 0xffff);
		user_fault(SIGTRAP, TRAP_BRKPT, what, f->elr, 0);
		return;
	default:
		/* undefined instruction, illegal execution state, trapped
		 * system register access, ... */
		fmt_snprintf(what, sizeof(what), "%s (ESR 0x%08lx)", ec_name(ec),
			     (unsigned long)f->esr);
		user_fault(SIGILL, ILL_ILLOPC, what, f->elr, 0);
	}
}

/* irq: an IRQ smp_trap acknowledged already, or NULL. */
static inline __attribute__((always_inline)) void dispatch(struct a64_frame *f, uint64_t kind,
							   const struct a64_irq *irq)
{
	unsigned ec = (unsigned)(f->esr >> ESR_EC_SHIFT) & 0x3f;

	switch (kind) {
	case VEC_EL0_SYNC:
		if (ec == EC_SVC64) {
			uint64_t args[6] = {f->x[0], f->x[1], f->x[2], f->x[3], f->x[4], f->x[5]};
			f->x[0] = (uint64_t)syscall_dispatch(f->x[8], args);
		} else {
			user_exception(f, ec);
		}
		if (current_thread()->sig_check)
			signal_deliver();
		return;
	case VEC_EL1H_IRQ:
	case VEC_EL0_IRQ:
		a64_irq_dispatch(irq);
		/* IRQs only arrive where preemption is allowed (sched.h). */
		sched_preempt_point();
		if (kind == VEC_EL0_IRQ && current_thread()->sig_check)
			signal_deliver();
		return;
	case VEC_EL1H_SYNC:
		/* The kernel copying to or from anonymous memory not made yet. */
		if (ec == EC_DABT_CUR && ((f->esr & ESR_ISS_MASK) & 0x3c) == 0x04 &&
		    vm_user_fault(f->far, abort_access(ec, (unsigned)(f->esr & ESR_ISS_MASK))))
			return;
		if ((ec == EC_DABT_CUR || ec == EC_UNKNOWN) && fixup(f))
			return;
		fatal_exception(f, kind);
	default:
		/* other synchronous exceptions and SErrors in the kernel,
		 * FIQs (never routed to us), FIQs and SErrors from EL0,
		 * anything from AArch32 (we never run it), and EL1t (we
		 * never run on SP_EL0) */
		fatal_exception(f, kind);
	}
}

/* Entry on several CPUs: a shootdown is answered without the kernel lock
 * (its sender holds it and waits), so an IRQ is acknowledged first;
 * anything else takes the lock unless this CPU holds it already. */
static __attribute__((noinline)) void smp_trap(struct a64_frame *f, uint64_t kind)
{
	struct a64_irq irq, *taken = NULL;

	if (kind == VEC_EL1H_IRQ || kind == VEC_EL0_IRQ) {
		if (!a64_irq_take_unlocked(&irq))
			return;
		taken = &irq;
	}
	bool locked = klock_enter();

	if (kind == VEC_EL0_SYNC && (f->esr >> ESR_EC_SHIFT & 0x3f) == EC_SVC64 &&
	    current_thread()->sig_check) {
		/* Another CPU signalled or ended this thread while it ran
		 * here, and the call came before that CPU's IPI: take the
		 * signal first, as the IPI would have, and make the call
		 * again after it (a handler returns to it). */
		f->elr -= 4; /* back onto the svc */
		signal_deliver();
	} else {
		if (kind == VEC_EL0_SYNC)
			klock_check_doomed();
		dispatch(f, kind, taken);
	}
	klock_exit(locked);
}

_Static_assert(sizeof(struct a64_frame) == 304, "arch_resume_entry's frame size");

void a64_resume(struct a64_frame *f)
{
	f->x[0] = (uint64_t)ipc_resume();
	syscall_fast_exit();
	klock_exit(klock_on); /* it came here holding the lock, as every switch */
}

_Static_assert(VEC_EL0_SYNC == 8, "el0_fast's kind (vectors.S)");

void a64_trap(struct a64_frame *f, uint64_t kind)
{
	if (klock_on) {
		smp_trap(f, kind);
	} else {
		sched_settle(); /* a thread the fast reply held (one CPU) */
		dispatch(f, kind, NULL);
	}
}
