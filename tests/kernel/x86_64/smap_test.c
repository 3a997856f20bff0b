/*
 * x86-64 user-memory protection in the kernel: SMEP and SMAP are on when
 * the CPU has them, a plain kernel load from a user page faults under SMAP
 * (caught here through the exception table), and the sanctioned copy
 * routine still reaches it.
 */
#include <arch/mmu.h>
#include <arch/user.h>
#include <kernel/errno.h>
#include <kernel/ktest.h>
#include <kernel/process.h>

#include "../../../arch/x86_64/x86.h"

#define CR4_SMEP (1u << 20)
#define CR4_SMAP (1u << 21)

KTEST(x86_smep_smap_enabled)
{
	uint64_t cr4 = READ_CR(4);

	KT_EXPECT_EQ(!!(cr4 & CR4_SMEP), x86_cpu.smep);
	KT_EXPECT_EQ(!!(cr4 & CR4_SMAP), x86_cpu.smap);
	/* The harness runs -cpu max, which has both: make sure they are
	 * really tested there. */
	KT_EXPECT(x86_cpu.smep && x86_cpu.smap);
}

/* Load a byte with a plain kernel access; true if it faulted. */
static bool plain_load_faults(uintptr_t va)
{
	int faulted = 0;
	uint8_t v;

	__asm__ volatile("1: movb (%2), %1\n"
			 "2:\n"
			 ".pushsection .extable, \"a\"\n"
			 ".quad 1b, 3f\n"
			 ".popsection\n"
			 ".pushsection .text.ktest_fixup, \"ax\"\n"
			 "3: movl $1, %0\n"
			 "jmp 2b\n"
			 ".popsection\n"
			 : "+r"(faulted), "=q"(v)
			 : "r"(va)
			 : "memory");
	(void)v;
	return faulted;
}

KTEST(x86_smap_blocks_plain_access)
{
	const uintptr_t va = 0x10000000;
	struct process *p = process_create("smap-test");
	uint8_t byte = 0x5a;

	KT_ASSERT(p != NULL);
	KT_ASSERT_EQ(process_map(p, va, PAGE_SIZE, VM_READ | VM_WRITE), 0);
	KT_ASSERT_EQ(process_write(p, va, &byte, 1), 0);
	process_activate(this_cpu(), p, false);
	byte = 0;
	KT_EXPECT_EQ(arch_copy_from_user(&byte, va, 1), 0);
	KT_EXPECT_EQ(byte, 0x5a);
	KT_EXPECT(plain_load_faults(va));
	/* A user address with nothing mapped: the copy says EFAULT. */
	KT_EXPECT_EQ(arch_copy_from_user(&byte, va + PAGE_SIZE, 1), -EFAULT);
	arch_vmspace_switch(0, 0);
	process_release(p);
}
