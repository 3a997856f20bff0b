/*
 * x86-64 trap dispatch: device interrupts go to their handlers; any CPU
 * exception in the kernel is fatal and reported with vector, name, error
 * code (decoded for page faults), faulting address, registers and a
 * backtrace, then the CPU halts. Every return to user mode first looks
 * at signals when the thread's sig_check says so.
 */
#include "x86.h"

#include <arch/mmu.h>
#include <kernel/kprintf.h>
#include <kernel/panic.h>
#include <kernel/cpu.h>
#include <kernel/klock.h>
#include <kernel/sched.h>
#include <kernel/signal.h>
#include <kernel/syscall.h>
#include <kernel/timer.h>

static const char *const exc_names[32] = {
	"#DE divide error", "#DB debug", "NMI", "#BP breakpoint",
	"#OF overflow", "#BR bound range", "#UD invalid opcode",
	"#NM device not available", "#DF double fault",
	"coprocessor segment overrun", "#TS invalid TSS",
	"#NP segment not present", "#SS stack fault",
	"#GP general protection", "#PF page fault", "reserved",
	"#MF x87 floating point", "#AC alignment check", "#MC machine check",
	"#XM SIMD floating point", "#VE virtualization", "#CP control protection",
};

static void report(const struct trap_frame *f)
{
	uint64_t cr2 = READ_CR(2);
	const char *name = exc_names[f->vector] ? exc_names[f->vector] : "reserved";

	kprintf("\nEXCEPTION: vector %llu (%s), error 0x%llx at rip 0x%016llx\n",
		(unsigned long long)f->vector, name, (unsigned long long)f->error,
		(unsigned long long)f->rip);
	if (f->vector == 14)
		kprintf("  page fault at cr2 0x%016llx: %s, %s, %s mode%s%s\n",
			(unsigned long long)cr2, f->error & 2 ? "write" : "read",
			f->error & 1 ? "protection violation" : "page not present",
			f->error & 4 ? "user" : "kernel",
			f->error & 16 ? ", instruction fetch" : "",
			f->error & 8 ? ", reserved bit set" : "");
	kprintf("  rax 0x%016llx rbx 0x%016llx rcx 0x%016llx rdx 0x%016llx\n",
		(unsigned long long)f->rax, (unsigned long long)f->rbx,
		(unsigned long long)f->rcx, (unsigned long long)f->rdx);
	kprintf("  rsi 0x%016llx rdi 0x%016llx rbp 0x%016llx rsp 0x%016llx\n",
		(unsigned long long)f->rsi, (unsigned long long)f->rdi,
		(unsigned long long)f->rbp, (unsigned long long)f->rsp);
	kprintf("  r8  0x%016llx r9  0x%016llx r10 0x%016llx r11 0x%016llx\n",
		(unsigned long long)f->r8, (unsigned long long)f->r9,
		(unsigned long long)f->r10, (unsigned long long)f->r11);
	kprintf("  r12 0x%016llx r13 0x%016llx r14 0x%016llx r15 0x%016llx\n",
		(unsigned long long)f->r12, (unsigned long long)f->r13,
		(unsigned long long)f->r14, (unsigned long long)f->r15);
	kprintf("  rip 0x%016llx rflags 0x%06llx cs 0x%llx ss 0x%llx\n",
		(unsigned long long)f->rip, (unsigned long long)f->rflags,
		(unsigned long long)f->cs, (unsigned long long)f->ss);
	kprintf("  cr0 0x%llx cr2 0x%016llx cr3 0x%llx cr4 0x%llx\n",
		(unsigned long long)READ_CR(0), (unsigned long long)cr2,
		(unsigned long long)READ_CR(3), (unsigned long long)READ_CR(4));
	backtrace_print(f->rbp);
}

/* Kernel instructions allowed to fault on user memory, and where each
 * continues instead (the user copies, arch-inline.h). */
struct extable_entry {
	uintptr_t insn, fixup;
};
extern const struct extable_entry __extable_start[], __extable_end[];

static bool fixup(struct trap_frame *f)
{
	for (const struct extable_entry *e = __extable_start; e < __extable_end; e++)
		if (e->insn == f->rip) {
			f->rip = e->fixup;
			return true;
		}
	return false;
}

static int signal_for(uint64_t vector)
{
	switch (vector) {
	case 0:  /* #DE */
	case 16: /* #MF */
	case 19: /* #XM */
		return SIGFPE;
	case 6: /* #UD */
		return SIGILL;
	case 1: /* #DB */
	case 3: /* #BP */
		return SIGTRAP;
	case 17: /* #AC */
		return SIGBUS;
	default:
		return SIGSEGV;
	}
}

/* Exceptions and interrupts (out of line: the kernel-call path stays
 * short). */
static __attribute__((noinline)) void trap(struct trap_frame *f)
{
	if (f->vector < 32) {
		/* Not present (error bit 0 clear) in anonymous memory not made
		 * yet, touched by the user or by the kernel copying for it:
		 * made now, the access retried. Bit 1: a write, bit 4: a fetch. */
		if (f->vector == 14 && !(f->error & 1) &&
		    vm_user_fault(READ_CR(2), f->error & 2	    ? VM_WRITE
					      : f->error & 16 ? VM_EXEC
							      : VM_READ))
			return;
		if (f->cs & 3) {
			int signo = signal_for(f->vector);
			/* Page faults: present (bit 0) means the access was wrong. */
			int code = signo == SIGSEGV && f->vector == 14 && (f->error & 1) ? SEGV_ACCERR : 1;
			user_fault(signo, code,
				   exc_names[f->vector] ? exc_names[f->vector] : "exception", f->rip,
				   f->vector == 14 ? READ_CR(2) : 0);
			return; /* a handler takes it on the way out */
		}
		/* A user copy's fault: a page (#PF) or, past the user half
		 * (user_range's short case), an address not canonical (#GP). */
		if ((f->vector == 14 || f->vector == 13) && fixup(f))
			return;
		report(f);
		fatal_halt();
	}
	switch (f->vector) {
	case VEC_TIMER:
		timer_interrupt();
		x86_lapic_eoi(); /* before any switch: the LAPIC holds lower vectors until then */
		sched_preempt_point();
		return;
	case VEC_KICK: /* another CPU readied something for us */
		x86_lapic_eoi();
		sched_preempt_point();
		return;
	case VEC_SPURIOUS: /* the LAPIC wants no EOI for these */
		return;
	}
	if (f->vector >= VEC_IRQ_BASE && f->vector < VEC_IRQ_BASE + VEC_IRQ_COUNT) {
		x86_ioapic_irq((unsigned)f->vector); /* masks the pin: EOI is safe */
		x86_lapic_eoi();
		sched_preempt_point();
		return;
	}
	if (f->vector >= VEC_PIC_BASE && f->vector < VEC_PIC_BASE + 16)
		return; /* a masked 8259's spurious IRQ 7 or 15: no EOI to the LAPIC */
	static unsigned unexpected;
	if (!unexpected++)
		kprintf("x86: unexpected interrupt vector %llu (reported once)\n",
			(unsigned long long)f->vector);
	x86_lapic_eoi();
}

/* A kernel call, an exception or an interrupt, with the kernel lock held
 * if there is one. */
static inline __attribute__((always_inline)) void dispatch(struct trap_frame *f)
{
	if (f->vector == X86_KCALL_VECTOR) {
		uint64_t args[6] = {f->rdi, f->rsi, f->rdx, f->r10, f->r8, f->r9};
		f->rax = (uint64_t)syscall_dispatch(f->rax, args);
	} else {
		trap(f);
		if (!(f->cs & 3))
			return;
	}
	if (current_thread()->sig_check)
		signal_deliver();
}

/* Entry on several CPUs: a shootdown is answered without the kernel lock
 * (its sender holds it and waits); anything else takes the lock unless
 * this CPU holds it already. */
static __attribute__((noinline)) void smp_trap(struct trap_frame *f)
{
	if (f->vector == VEC_TLB) {
		smp_tlb_answer();
		x86_lapic_eoi();
		return;
	}
	bool locked = klock_enter();

	if (f->vector == X86_KCALL_VECTOR && current_thread()->sig_check) {
		/* Another CPU signalled or ended this thread while it ran
		 * here, and the call came before that CPU's IPI: take the
		 * signal first, as the IPI would have, and make the call
		 * again after it (a handler returns to it). */
		f->rip -= 2; /* back onto the syscall instruction */
		signal_deliver();
	} else {
		if (f->vector < 32 && (f->cs & 3))
			klock_check_doomed();
		dispatch(f);
	}
	klock_exit(locked);
}

_Static_assert(sizeof(struct trap_frame) == 176 && offsetof(struct trap_frame, rax) == 112,
	       "arch_resume_entry's and arch_syscall_return's frame");

void x86_resume(struct trap_frame *f)
{
	f->rax = (uint64_t)ipc_resume();
	syscall_fast_exit();
	klock_exit(klock_on); /* it came here holding the lock, as every switch */
}

void x86_trap(struct trap_frame *f)
{
	if (klock_on) {
		smp_trap(f);
	} else {
		sched_settle(); /* a thread the fast reply held (one CPU) */
		dispatch(f);
	}
}
