/*
 * aarch64 in-kernel tests of the user-mode seam (arch/user.h, user.c,
 * usercopy.S, fpu.S): user leaf encodings round-trip and carry the EL0
 * bits; copies to and from user memory turn every fault into -EFAULT (no
 * fault report) and are exact for every alignment and length; PAN, when
 * the CPU has it, stops plain kernel accesses to user memory; TTBR0 holds
 * the empty table or the loaded process's root and ASID; FP/SIMD state
 * survives a restore/save round trip; the CPU is in the state user.c set.
 */
#include <arch/cpu.h>
#include <arch/mmu.h>
#include <arch/user.h>
#include <kernel/cpu.h>
#include <kernel/errno.h>
#include <kernel/ktest.h>
#include <kernel/process.h>
#include <kernel/sections.h>
#include <kernel/string.h>
#include <kernel/syscall.h>
#include <kernel/vm.h>

#include "a64.h"

KTEST(a64_user_pte_encoding)
{
	const uint64_t pa = GiB(3); /* aligned for every level */

	for (int level = 0; level <= arch_max_leaf_level(); level++) {
		for (unsigned w = 0; w < 2; w++) {
			for (unsigned x = 0; x < 2; x++) {
				unsigned prot =
				    VM_USER | VM_READ | (w ? VM_WRITE : 0) | (x ? VM_EXEC : 0);
				pte_t e = arch_pte_leaf(pa, prot, level);
				KT_EXPECT(arch_pte_valid(e));
				KT_EXPECT(!arch_pte_is_table(e, level));
				KT_EXPECT_EQ(arch_pte_addr(e), pa);
				KT_EXPECT_EQ(arch_pte_prot(e), prot);
				KT_EXPECT_EQ(e & 3, level == 0 ? 3 : 1);
				KT_EXPECT(e & PTE_AF);
				KT_EXPECT(e & PTE_AP_EL0); /* EL0 may access it */
				KT_EXPECT(e & PTE_NG);	   /* tagged with the ASID */
				KT_EXPECT(e & PTE_PXN);	   /* the kernel never runs it */
				KT_EXPECT_EQ(!!(e & PTE_UXN), !x);
				KT_EXPECT_EQ(!!(e & PTE_AP_RO), !w);
				KT_EXPECT_EQ((e >> 2) & 7, MAIR_NORMAL_IDX);
				KT_EXPECT_EQ((e >> 8) & 3, 3); /* inner shareable */
			}
		}
	}
	/* User device memory (driver MMIO): never executable anywhere. */
	unsigned dev = VM_USER | VM_READ | VM_WRITE | VM_DEVICE;
	pte_t d = arch_pte_leaf(0x09000000, dev | VM_EXEC, 0);
	KT_EXPECT((d & PTE_UXN) && (d & PTE_PXN) && (d & PTE_AP_EL0) && (d & PTE_NG));
	KT_EXPECT_EQ((d >> 2) & 7, MAIR_DEVICE_IDX);
	KT_EXPECT_EQ(arch_pte_prot(d), dev);
	/* Kernel leaves keep no EL0 bits and stay global. */
	pte_t k = arch_pte_leaf(pa, VM_READ | VM_WRITE | VM_EXEC, 0);
	KT_EXPECT(!(k & (PTE_AP_EL0 | PTE_NG)));
	KT_EXPECT(k & PTE_UXN);
	KT_EXPECT(!(k & PTE_PXN));
	KT_EXPECT_EQ(arch_pte_prot(k), VM_READ | VM_WRITE | VM_EXEC);
}

KTEST(a64_user_cpu_state)
{
	uint64_t sctlr = read_sysreg(sctlr_el1);

	KT_EXPECT(!(read_sysreg(tcr_el1) & TCR_EPD0));
	KT_EXPECT_EQ(read_sysreg(cpacr_el1) & CPACR_FPEN_ALL, CPACR_FPEN_ALL);
	KT_EXPECT_EQ(sctlr & SCTLR_EL1_USER, SCTLR_EL1_USER);
	KT_EXPECT(!(sctlr & (1 << 9))); /* UMA: EL0 cannot mask interrupts */
	KT_EXPECT_EQ(arch_asid_count(), (read_sysreg(tcr_el1) & TCR_AS) ? 65536 : 256);
	if (a64_pan_enabled()) {
		KT_EXPECT(!(sctlr & SCTLR_SPAN));
		/* Still set here, after many exceptions (SPAN = 0). */
		KT_EXPECT(read_sysreg(S3_0_C4_C2_3) & PSTATE_PAN);
	}
	/* Nothing loaded in the test thread: the empty table, ASID 0. */
	if (!arch_vmspace_current())
		KT_EXPECT_EQ(read_sysreg(ttbr0_el1) >> TTBR_ASID_SHIFT, 0);
}

KTEST(a64_usercopy_fault_gives_efault)
{
	uint8_t buf[16];
	uintptr_t kernel_data = (uintptr_t)buf;
	KT_ASSERT_EQ(arch_vmspace_current(), 0); /* the test thread has none */
	unsigned long irq = arch_irq_save();

	/* No user space at all: a translation fault on the empty table. */
	memset(buf, 0x5a, sizeof(buf));
	KT_EXPECT_EQ(arch_copy_from_user(buf, USER_BASE, 8), -EFAULT);
	KT_EXPECT_EQ(arch_copy_from_user(buf, USER_TOP - 8, 8), -EFAULT);
	KT_EXPECT_EQ(arch_copy_to_user(USER_BASE + 3, buf, 13), -EFAULT);
	KT_EXPECT_EQ(buf[0], 0x5a);
	/* Kernel memory through the unprivileged accesses: EL0 has no
	 * right to it, so even a caller that skipped the range check gets
	 * -EFAULT and nothing is read or written. */
	KT_EXPECT_EQ(arch_copy_from_user(buf, kernel_data + 8, 8), -EFAULT);
	KT_EXPECT_EQ(arch_copy_to_user(kernel_data, "xxxxxxxx", 8), -EFAULT);
	KT_EXPECT_EQ(buf[0], 0x5a);
	KT_EXPECT_EQ(arch_copy_from_user(buf, (uintptr_t)__kernel_start, 4), -EFAULT);
	/* Nothing to copy: nothing touched, no fault. */
	KT_EXPECT_EQ(arch_copy_from_user(buf, USER_BASE, 0), 0);
	arch_irq_restore(irq);
}

/* A plain EL1 load of va: true if it faulted (via this .extable entry). */
static bool plain_load_faults(uintptr_t va, uint64_t *value)
{
	uint64_t v = 0, faulted;

	__asm__ volatile("1:	ldr %0, [%2]\n"
			 "	mov %1, #0\n"
			 "	b 3f\n"
			 "2:	mov %1, #1\n"
			 "3:\n"
			 "	.pushsection .extable, \"a\"\n"
			 "	.balign 8\n"
			 "	.quad 1b, 2b\n"
			 "	.popsection"
			 : "=&r"(v), "=&r"(faulted)
			 : "r"(va)
			 : "memory");
	*value = v;
	return faulted;
}

#define UVA   0x10000000ul /* two RW pages, then a hole, then one RO page */
#define RO_VA (UVA + 3 * PAGE_SIZE)

static uint8_t kbuf[PAGE_SIZE + 64], pattern[2 * PAGE_SIZE];

/* One byte of user memory through the (separately checked) copy-in. */
static int ubyte(uintptr_t u)
{
	uint8_t b;

	return arch_copy_from_user(&b, u, 1) ? -1 : b;
}

static bool copies_around_the_end(struct process *p, unsigned *bad_from, unsigned *bad_to)
{
	/* Every (offset, length) around the end of the mapping, with the
	 * kernel side at every alignment too: inside it the bytes are exact
	 * and nothing next to them is touched; across the hole, -EFAULT. */
	uintptr_t end = UVA + 2 * PAGE_SIZE;

	for (unsigned start = 0; start < 80; start++) {
		for (unsigned len = 0; len <= 80; len++) {
			uintptr_t u = end - 72 + start;
			int want = u + len <= end || !len ? 0 : -EFAULT;
			uint8_t *k = kbuf + 8 + start % 8;
			const uint8_t *src = pattern + 100 + len % 8;

			memset(kbuf, 0xee, sizeof(kbuf));
			bool ok = arch_copy_from_user(k, u, len) == want;
			if (ok && !want)
				ok = !memcmp(k, pattern + (u - UVA), len) && k[-1] == 0xee &&
				     k[len] == 0xee;
			*bad_from += !ok;

			ok = arch_copy_to_user(u, src, len) == want;
			if (ok && !want) {
				ok = arch_copy_from_user(kbuf, u, len) == 0 &&
				     !memcmp(kbuf, src, len);
				if (u - 1 < end)
					ok = ok && ubyte(u - 1) == pattern[u - 1 - UVA];
				if (u + len < end)
					ok = ok && ubyte(u + len) == pattern[u + len - UVA];
			}
			*bad_to += !ok;
			if (process_write(p, UVA, pattern, 2 * PAGE_SIZE))
				return false;
		}
	}
	return true;
}

KTEST(a64_usercopy_exact_in_a_process)
{
	/* The test thread runs with no user space; we borrow TTBR0. */
	KT_ASSERT_EQ(arch_vmspace_current(), 0);
	struct process *p = process_create("ktest-usercopy");
	KT_ASSERT(p);
	unsigned long irq = arch_irq_save();

	for (unsigned i = 0; i < sizeof(pattern); i++)
		pattern[i] = (uint8_t)(i * 7 + 3);
	if (!KT_EXPECT(process_map(p, UVA, 2 * PAGE_SIZE, VM_READ | VM_WRITE) == 0) ||
	    !KT_EXPECT(process_map(p, RO_VA, PAGE_SIZE, VM_READ) == 0) ||
	    !KT_EXPECT(process_write(p, UVA, pattern, 2 * PAGE_SIZE) == 0) ||
	    /* made now: the kernel thread borrowing TTBR0 cannot have it
	     * made on first touch (that is for the process's own threads) */
	    !KT_EXPECT(process_write(p, RO_VA, kbuf, 8) == 0))
		goto out;
	process_activate(this_cpu(), p, false);
	KT_EXPECT_EQ(arch_vmspace_current(), p->root);
	KT_EXPECT_EQ(read_sysreg(ttbr0_el1) >> TTBR_ASID_SHIFT, p->asid);
	KT_EXPECT(p->asid != 0);

	unsigned bad_from = 0, bad_to = 0;
	KT_EXPECT(copies_around_the_end(p, &bad_from, &bad_to));
	KT_EXPECT_EQ(bad_from, 0);
	KT_EXPECT_EQ(bad_to, 0);

	/* Big aligned and unaligned copies. */
	memset(kbuf, 0, sizeof(kbuf));
	KT_EXPECT_EQ(arch_copy_from_user(kbuf, UVA, PAGE_SIZE + 64), 0);
	KT_EXPECT(!memcmp(kbuf, pattern, PAGE_SIZE + 64));
	KT_EXPECT_EQ(arch_copy_from_user(kbuf + 1, UVA + 5, PAGE_SIZE + 3), 0);
	KT_EXPECT(!memcmp(kbuf + 1, pattern + 5, PAGE_SIZE + 3));

	/* Read-only page: reads work, writes fault and change nothing. */
	uint64_t v = 1;
	KT_EXPECT_EQ(arch_copy_from_user(&v, RO_VA + 16, 8), 0);
	KT_EXPECT_EQ(v, 0);
	KT_EXPECT_EQ(arch_copy_to_user(RO_VA + 16, "abcdefgh", 8), -EFAULT);
	KT_EXPECT_EQ(arch_copy_to_user(RO_VA - 4, "abcdefgh", 8), -EFAULT); /* hole first */
	KT_EXPECT_EQ(arch_copy_from_user(&v, RO_VA + 16, 8), 0);
	KT_EXPECT_EQ(v, 0);
	/* The checked copies refuse the kernel half: not by a range test
	 * (ARCH_USER_ACCESS_UNPRIVILEGED) but as EL0 would, by a fault. */
	KT_EXPECT_EQ(copy_from_user(&v, kbuf, 8), -EFAULT);
	KT_EXPECT_EQ(copy_to_user(kbuf, &v, 8), -EFAULT);
	KT_EXPECT_EQ(copy_from_user(kbuf, kbuf + 64, 64), -EFAULT);
	KT_EXPECT_EQ(copy_from_user(kbuf, (const void *)USER_TOP, 16), -EFAULT); /* the hole */

	/* PAN: with it, a plain kernel load of user memory faults; without
	 * it, the load works (the copies above work either way). */
	uint64_t word;
	bool faulted = plain_load_faults(UVA, &word);
	KT_EXPECT_EQ(faulted, a64_pan_enabled());
	if (!faulted)
		KT_EXPECT_EQ(word, *(const uint64_t *)pattern);
	/* ... and plain loads of kernel memory are never affected. */
	KT_EXPECT(!plain_load_faults((uintptr_t)pattern, &word));
	KT_EXPECT_EQ(word, *(const uint64_t *)pattern);
out:
	process_release(p); /* switches TTBR0 back to the empty table */
	KT_EXPECT_EQ(arch_vmspace_current(), 0);
	KT_EXPECT_EQ(read_sysreg(ttbr0_el1) >> TTBR_ASID_SHIFT, 0);
	/* and the translations are gone with it */
	KT_EXPECT_EQ(arch_copy_from_user(&v, UVA, 8), -EFAULT);
	arch_irq_restore(irq);
}

static uint8_t fpu_a[1024] ALIGNED(16), fpu_b[1024] ALIGNED(16);

KTEST(a64_fpu_save_restore_roundtrip)
{
	size_t n = arch_fpu_area_size();
	unsigned long irq = arch_irq_save();

	KT_ASSERT(n == 528 && n <= sizeof(fpu_a));
	for (size_t i = 0; i < 512; i++)
		fpu_a[i] = (uint8_t)(i * 13 + 1);
	*(uint64_t *)(fpu_a + 512) = 0x0800001f; /* FPSR: QC and the IEEE flags */
	*(uint64_t *)(fpu_a + 520) = 0x03c00000; /* FPCR: DN, FZ, RMode = toward zero */
	memset(fpu_b, 0xee, sizeof(fpu_b));
	arch_fpu_restore(fpu_a);
	arch_fpu_save(fpu_b);
	KT_EXPECT(!memcmp(fpu_a, fpu_b, n));
	KT_EXPECT_EQ(fpu_b[n], 0xee); /* nothing written past the area */
	/* A fresh area is the reset state: all zero. */
	memset(fpu_a, 0xff, n);
	arch_fpu_init(fpu_a);
	arch_fpu_restore(fpu_a);
	arch_fpu_save(fpu_b);
	arch_sync_icache(fpu_a, sizeof(fpu_a)); /* (just: it does not fault) */
	for (size_t i = 0; i < n; i++)
		if (fpu_b[i]) {
			KT_EXPECT_EQ(i, n); /* first non-zero byte */
			break;
		}
	arch_irq_restore(irq);
}
