/* Shared by trampoline.S and smp.c: where a secondary CPU starts, and the
 * data smp.c leaves it at the trampoline's end. */
#ifndef X86_TRAMPOLINE_H
#define X86_TRAMPOLINE_H

/* A page below 1 MiB (real mode), kept from the page allocator (entry.c). */
#define X86_TRAMPOLINE_PA 0x8000

#ifndef __ASSEMBLY__
#include <stdint.h>

struct x86_tramp_data {
	uint32_t cr3;  /* the boot page tables */
	uint32_t efer; /* EFER bits to set: LME, NXE */
	uint64_t stack, entry, cpu;
};
#endif

#endif
