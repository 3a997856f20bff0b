/* Private to arch/x86_64: port I/O, MSRs, control registers, CPU features,
 * and the pieces the x86 files share. */
#ifndef X86_X86_H
#define X86_X86_H

#include <arch-inline.h>
#include <kernel/compiler.h>

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" ::"a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;
	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;
	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr" ::"c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}

static inline void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	__asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
			 : "a"(leaf), "c"(sub));
}

#define READ_CR(n)                                                             \
	({                                                                     \
		uint64_t v_;                                                   \
		__asm__ volatile("mov %%cr" #n ", %0" : "=r"(v_));            \
		v_;                                                            \
	})
#define WRITE_CR(n, v) __asm__ volatile("mov %0, %%cr" #n ::"r"((uint64_t)(v)) : "memory")

/* Features found at boot (cpu.c). */
struct x86_features {
	bool nx;         /* execute-disable bit usable */
	bool page1g;     /* 1 GiB pages */
	bool invariant_tsc;
	bool smep, smap;
	bool pcid;
	char brand[49];
};
extern struct x86_features x86_cpu;

/* Segment selectors (gdt.c). */
#define SEL_KCODE 0x08
#define SEL_KDATA 0x10
#define SEL_UDATA 0x18
#define SEL_UCODE 0x20
#define SEL_TSS 0x28

/* Interrupt vectors. */
#define VEC_PIC_BASE 0x20 /* the 8259s, remapped here and masked */
#define VEC_TIMER 0x40
#define VEC_IRQ_BASE 0x50  /* IOAPIC pin n (ioapic.c) */
#define VEC_IRQ_COUNT 0xa0 /* pins served: vectors 0x50-0xef */
#define VEC_KICK 0xf0 /* another CPU asks this one to reschedule (smp.c) */
#define VEC_TLB 0xf1  /* another CPU asks for a TLB shootdown (smp.c) */
#define VEC_SPURIOUS 0xff
#define X86_KCALL_VECTOR 0x100 /* what the SYSCALL entry stores as vector */

/* What vectors.S pushes: general registers, then vector and error code,
 * then the CPU's frame. */
struct trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss;
};
_Static_assert(sizeof(struct trap_frame) == X86_FRAME_WORDS * 8 &&
		   offsetof(struct trap_frame, rdi) == X86_FRAME_RDI * 8 &&
		   offsetof(struct trap_frame, rsi) == X86_FRAME_RSI * 8 &&
		   offsetof(struct trap_frame, rdx) == X86_FRAME_RDX * 8 &&
		   offsetof(struct trap_frame, r10) == X86_FRAME_R10 * 8 &&
		   offsetof(struct trap_frame, r8) == X86_FRAME_R8 * 8 &&
		   offsetof(struct trap_frame, r9) == X86_FRAME_R9 * 8 &&
		   offsetof(struct trap_frame, rax) == X86_FRAME_RAX * 8,
	       "arch_kcall_args_save's slots");

void x86_cpu_init(void);
/* On a CPU without SMAP, every stac and clac (X86_SMAP_SITE) becomes a
 * NOP: once, at boot, while the text is writable. */
void x86_smap_patch(void);
void x86_user_init(void);
/* Load CPU cpu's GDT and TSS, its IST stacks in the X86_IST_SIZE bytes at
 * ist (NULL: the boot CPU's own). */
#define X86_IST_SIZE (3 * 8192)
void x86_gdt_init(unsigned cpu, uint8_t *ist);
void x86_idt_init(void);
void x86_idt_load(void);
void x86_trap(struct trap_frame *f);
/* arch_resume_entry's (vectors.S): the end of a call ipc_resume() ends. */
void x86_resume(struct trap_frame *f);
void x86_serial_init(void);
/* lapic.c: the boot CPU's set-up (x86_lapic_init: the 8259s masked, the
 * APIC mapped) and each other CPU's (x86_lapic_init_cpu). */
void x86_lapic_init(void);
void x86_lapic_init_cpu(void);
void x86_lapic_eoi(void);
uint32_t x86_lapic_id(void);
uint32_t x86_lapic_read(unsigned reg);
void x86_lapic_write(unsigned reg, uint32_t v);
/* Send the IPI icr (ICR low word) to apic_id: 0, or -1 if it was not
 * accepted within 10 ms. */
int x86_lapic_ipi(uint32_t apic_id, uint32_t icr);
/* timer.c: this CPU's APIC timer, one-shot, as the boot CPU's. */
void x86_timer_init_cpu(void);
#define LAPIC_LVT_TIMER 0x320
#define LAPIC_TIMER_INIT 0x380
#define LAPIC_TIMER_CUR 0x390
#define LAPIC_TIMER_DIV 0x3e0
#define LVT_MASKED (1u << 16)

/* From the ACPI MADT (acpi.c), or the ISA defaults without one. */
struct x86_override {
	uint8_t irq;    /* ISA IRQ */
	uint32_t gsi;   /* arrives on this GSI */
	uint16_t flags; /* MPS INTI: polarity bits 0-1, trigger bits 2-3 */
};
struct x86_madt {
	bool found;
	uint64_t ioapic_pa;
	uint32_t gsi_base; /* the IOAPIC's first GSI */
	struct x86_override over[16];
	unsigned nover;
	uint32_t apic_id[8]; /* the enabled CPUs' local APIC ids (CPUS_MAX) */
	unsigned ncpus;
};
extern struct x86_madt x86_madt;
/* rsdp: the loader's copy of the RSDP (NULL: search the BIOS areas). */
void x86_acpi_init(const uint8_t *rsdp, uint32_t rsdp_len);
/* The GSI ISA IRQ irq arrives on, and its MPS INTI flags. */
unsigned x86_isa_gsi(unsigned irq, uint16_t *flags);
void x86_ioapic_init(void);
/* The IOAPIC pin behind vector v (VEC_IRQ_BASE...) fired. */
void x86_ioapic_irq(unsigned v);

#endif
