/*
 * AArch64 system register bits and page-table descriptor bits, as plain
 * #defines so head.S and the C files share one copy (Arm ARM, D13/D8).
 */
#ifndef A64_REGS_H
#define A64_REGS_H

#ifdef __ASSEMBLY__
#define A64_UL(x) x
#else
#define A64_UL(x) x##ul
#endif

/* Must equal KERNEL_DIRECT_BASE / KERNEL_IMAGE_BASE of arch/mmu.h (checked
 * in mmu.c); repeated here because head.S cannot include C headers. */
#define A64_DIRECT_BASE A64_UL(0xffff800000000000)
#define A64_IMAGE_BASE	A64_UL(0xffffffff80000000)

/* SCTLR_EL1 */
#define SCTLR_M	 (1 << 0)  /* MMU on */
#define SCTLR_A	 (1 << 1)  /* alignment checks: kept off */
#define SCTLR_C	 (1 << 2)  /* data cache */
#define SCTLR_SA (1 << 3)  /* SP alignment check at EL1 */
#define SCTLR_I	 (1 << 12) /* instruction cache */
/* Bits that are RES1 in ARMv8.0 (EOS, TSCXT, EIS, SPAN, nTLSMD, LSMAOE):
 * exceptions stay context-synchronising, PAN untouched on entry. */
#define SCTLR_EL1_RES1 0x30d00800
#define SCTLR_EL1_BOOT (SCTLR_EL1_RES1 | SCTLR_M | SCTLR_C | SCTLR_SA | SCTLR_I)
/* Set for user mode (user.c): SP alignment check at EL0; EL0 may use DC
 * ZVA, read CTR_EL0, run WFI/WFE untrapped and clean/invalidate caches
 * by VA (DC CVAU, IC IVAU: code it wrote itself). UMA stays 0, so EL0
 * cannot touch DAIF. */
#define SCTLR_SA0      (1 << 4)
#define SCTLR_DZE      (1 << 14)
#define SCTLR_UCT      (1 << 15)
#define SCTLR_NTWI     (1 << 16)
#define SCTLR_NTWE     (1 << 18)
#define SCTLR_SPAN     (1 << 23) /* 0: PSTATE.PAN set on exception entry */
#define SCTLR_UCI      (1 << 26)
#define SCTLR_EL1_USER (SCTLR_SA0 | SCTLR_DZE | SCTLR_UCT | SCTLR_NTWI | SCTLR_NTWE | SCTLR_UCI)

/* DCZID_EL0: DC ZVA's block (log2 of its words) and whether it is
 * prohibited */
#define DCZID_BS  0xf
#define DCZID_DZP (1 << 4)

/* CPACR_EL1: FP/SIMD untrapped at EL0 and EL1 */
#define CPACR_FPEN_ALL (3 << 20)

/* CNTKCTL_EL1: EL0 may read the virtual counter, nothing else */
#define CNTKCTL_EL0VCTEN (1 << 1)

/* PSTATE.PAN and .UAO as their system registers hold them */
#define PSTATE_PAN (1 << 22)
#define PSTATE_UAO (1 << 23)

/* SPSR_EL1 for a return to user mode: EL0t, AArch64, DAIF clear */
#define SPSR_EL0T 0

/* HCR_EL2 */
#define HCR_RW (A64_UL(1) << 31) /* EL1 is AArch64 */

/* CNTHCTL_EL2 (E2H = 0): EL1 may use the physical counter and timer */
#define CNTHCTL_EL1PCTEN (1 << 0)
#define CNTHCTL_EL1PCEN	 (1 << 1)

/* CPTR_EL2: RES1 bits, nothing trapped (TFP = 0) */
#define CPTR_EL2_RES1 0x33ff

/* SPSR for the EL2 -> EL1 drop: EL1h, DAIF all masked */
#define SPSR_EL1H_MASKED 0x3c5

/* ICC_SRE_EL2 (GICv3 system register interface) */
#define ICC_SRE_SRE    (1 << 0)
#define ICC_SRE_ENABLE (1 << 3) /* EL1 may use ICC_SRE_EL1 */

/* MAIR_EL1: index 0 Normal WB RW-allocate, 1 Device-nGnRE, 2 Normal NC */
#define MAIR_NORMAL_IDX 0
#define MAIR_DEVICE_IDX 1
#define MAIR_VALUE	0x4404ff

/* TCR_EL1: 48-bit VAs in both halves, 4K granules, inner-shareable
 * write-back table walks; IPS is filled in from ID_AA64MMFR0_EL1. */
#define TCR_T0SZ(n)    ((n) << 0)
#define TCR_EPD0       (1 << 7)
#define TCR_IRGN0_WBWA (1 << 8)
#define TCR_ORGN0_WBWA (1 << 10)
#define TCR_SH0_INNER  (3 << 12)
#define TCR_TG0_4K     (0 << 14)
#define TCR_T1SZ(n)    ((n) << 16)
#define TCR_IRGN1_WBWA (1 << 24)
#define TCR_ORGN1_WBWA (1 << 26)
#define TCR_SH1_INNER  (3 << 28)
#define TCR_TG1_4K     (A64_UL(2) << 30)
#define TCR_IPS_SHIFT  32
#define TCR_AS	       (A64_UL(1) << 36) /* 16-bit ASIDs */

/* TTBRn_EL1: the ASID field (TCR_EL1.A1 = 0: TTBR0's ASID is current) */
#define TTBR_ASID_SHIFT 48
#define TCR_BOOT                                                                                   \
	(TCR_T0SZ(16) | TCR_IRGN0_WBWA | TCR_ORGN0_WBWA | TCR_SH0_INNER | TCR_TG0_4K |             \
	 TCR_T1SZ(16) | TCR_IRGN1_WBWA | TCR_ORGN1_WBWA | TCR_SH1_INNER | TCR_TG1_4K)

/* struct a64_ap_start (smp.c), read by head.S's secondary entry with the
 * MMU off: the boot CPU's TCR_EL1 and TTBR1_EL1, the stack, the CPU. */
#define AP_START_TCR   0
#define AP_START_TTBR1 8
#define AP_START_STACK 16
#define AP_START_CPU   24

/* Stage-1 descriptors */
#define PTE_VALID      (1 << 0)
#define PTE_TYPE_TABLE (3 << 0) /* table (levels 0-2) or page (level 3) */
#define PTE_TYPE_BLOCK (1 << 0)
#define PTE_ATTRIDX(i) ((i) << 2)
#define PTE_AP_EL0     (1 << 6)
#define PTE_AP_RO      (1 << 7)
#define PTE_SH_INNER   (3 << 8)
#define PTE_AF	       (1 << 10)
#define PTE_NG	       (1 << 11)
#define PTE_PXN	       (A64_UL(1) << 53)
#define PTE_UXN	       (A64_UL(1) << 54)
#define PTE_ADDR_MASK  A64_UL(0x0000fffffffff000)
#define PTE_NORMAL     (PTE_AF | PTE_SH_INNER | PTE_ATTRIDX(MAIR_NORMAL_IDX))

/* ESR_EL1 */
#define ESR_EC_SHIFT 26
#define ESR_IL	     (1 << 25)
#define ESR_ISS_MASK 0x1ffffff

/* Exception classes (ESR_EL1.EC) the trap code acts on */
#define EC_UNKNOWN    0x00
#define EC_FP_ACCESS  0x07 /* FP/SIMD with CPACR_EL1.FPEN closed */
#define EC_SVC64      0x15
#define EC_IABT_LOW   0x20
#define EC_PC_ALIGN   0x22
#define EC_DABT_LOW   0x24
#define EC_DABT_CUR   0x25
#define EC_SP_ALIGN   0x26
#define EC_FP_EXC64   0x2c
#define EC_BRK64      0x3c
#define FSC_ALIGNMENT 0x21 /* abort ISS[5:0]: alignment fault */

#endif
