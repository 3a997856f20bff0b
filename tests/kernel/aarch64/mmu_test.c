/*
 * aarch64 in-kernel tests of the MMU seam: descriptor encodings decode back
 * to what was asked for, device and read-only attributes land in the right
 * bits, and the CPU runs in the state head.S and user.c promised (MMU and
 * caches on, TTBR0 walks on for user space, our vectors installed, EL1).
 */
#include <arch/mmu.h>
#include <kernel/ktest.h>
#include <kernel/sections.h>
#include <kernel/syscall.h>
#include <kernel/vm.h>

#include "a64.h"

extern char a64_vectors[], a64_vectors_smp[], a64_vectors_slow[];

KTEST(a64_pte_encoding_roundtrip)
{
	static const unsigned prots[] = {
	    VM_READ,
	    VM_READ | VM_WRITE,
	    VM_READ | VM_EXEC,
	    VM_READ | VM_WRITE | VM_DEVICE,
	};
	const uint64_t pa = GiB(3); /* aligned for every level */

	for (int level = 0; level <= arch_max_leaf_level(); level++) {
		for (unsigned i = 0; i < ARRAY_SIZE(prots); i++) {
			pte_t e = arch_pte_leaf(pa, prots[i], level);
			KT_EXPECT(arch_pte_valid(e));
			KT_EXPECT(!arch_pte_is_table(e, level));
			KT_EXPECT_EQ(arch_pte_addr(e), pa);
			KT_EXPECT_EQ(arch_pte_prot(e), prots[i]);
			KT_EXPECT(e & PTE_AF);
			KT_EXPECT(e & PTE_UXN);	      /* never EL0-executable */
			KT_EXPECT(!(e & PTE_AP_EL0)); /* never EL0-accessible */
			KT_EXPECT_EQ(e & 3, level == 0 ? 3 : 1);
		}
	}
	/* Device memory: attribute index 1, never executable even if asked. */
	pte_t d = arch_pte_leaf(0x09000000, VM_READ | VM_WRITE | VM_EXEC | VM_DEVICE, 0);
	KT_EXPECT_EQ((d >> 2) & 7, MAIR_DEVICE_IDX);
	KT_EXPECT(d & PTE_PXN);
	KT_EXPECT_EQ((d >> 8) & 3, 0);
	pte_t n = arch_pte_leaf(0x40000000, VM_READ | VM_WRITE, 1);
	KT_EXPECT_EQ((n >> 8) & 3, 3); /* inner shareable */
	KT_EXPECT_EQ((n >> 2) & 7, MAIR_NORMAL_IDX);
	pte_t t = arch_pte_table(0x40123000);
	KT_EXPECT(arch_pte_is_table(t, 1));
	KT_EXPECT_EQ(arch_pte_addr(t), 0x40123000);
	KT_EXPECT(!arch_pte_valid(0));
}

KTEST(a64_cpu_state_after_boot)
{
	uint64_t sctlr = read_sysreg(sctlr_el1), tcr = read_sysreg(tcr_el1);

	KT_EXPECT_EQ(read_sysreg(CurrentEL) >> 2, 1);
	KT_EXPECT_EQ(sctlr & (SCTLR_M | SCTLR_C | SCTLR_I), SCTLR_M | SCTLR_C | SCTLR_I);
	KT_EXPECT(!(sctlr & SCTLR_A)); /* unaligned normal accesses allowed */
	KT_EXPECT(!(tcr & TCR_EPD0));  /* lower-half walks on (user.c) */
	KT_EXPECT_EQ(tcr & 0x3f, 16);
	KT_EXPECT_EQ((tcr >> 16) & 0x3f, 16);
	KT_EXPECT_EQ(read_sysreg(mair_el1), MAIR_VALUE);
	/* The table of the IPC mode (arch_syscall_entry_set). */
	KT_EXPECT_EQ(read_sysreg(vbar_el1),
		     (uintptr_t)(ipc_fast_mode == IPC_FAST_ONE	 ? a64_vectors
				 : ipc_fast_mode == IPC_FAST_SMP ? a64_vectors_smp
								 : a64_vectors_slow));
	KT_EXPECT_EQ(arch_kernel_root(), read_sysreg(ttbr1_el1) & PTE_ADDR_MASK);
	/* The kernel runs from the tables vm_init() built: the text is
	 * mapped executable and read-only, the stack we are on writable. */
	int level;
	pte_t e = pt_lookup(arch_kernel_root(), (uintptr_t)__kernel_start, &level);
	KT_EXPECT_EQ(arch_pte_prot(e), VM_READ | VM_EXEC);
	uint64_t here = (uintptr_t)__builtin_frame_address(0);
	e = pt_lookup(arch_kernel_root(), here, &level);
	KT_EXPECT_EQ(arch_pte_prot(e), VM_READ | VM_WRITE);
}
