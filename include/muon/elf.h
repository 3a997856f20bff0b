/*
 * ELF64 for Muon's program loader: the on-file structures (the standard
 * names and values of the System V ABI) and elf_check(), which validates a
 * static executable before proc maps it (lib/elf.c, freestanding, shared
 * by proc, the kernel and the host tests).
 *
 * What Muon loads: ELF64, little-endian, ET_EXEC (fixed addresses; static
 * PIE, ET_DYN, is refused because nothing would relocate it), for the
 * machine the caller names; PT_LOAD segments in the user half, not on page
 * 0, never writable and executable at once, not sharing a page, with
 * address and offset congruent modulo 4 KiB so file pages map directly.
 * No PT_INTERP, no PT_DYNAMIC, no executable stack (PT_GNU_STACK with X).
 * Section headers are not needed to load and are not looked at.
 */
#ifndef MUON_ELF_H
#define MUON_ELF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* --- the file format ------------------------------------------------------- */

#define EI_NIDENT     16
#define EI_MAG0	      0
#define EI_CLASS      4
#define EI_DATA	      5
#define EI_VERSION    6
#define EI_OSABI      7
#define EI_ABIVERSION 8
#define ELFMAG	      "\177ELF"
#define ELFCLASS64    2
#define ELFDATA2LSB   1
#define EV_CURRENT    1
#define ELFOSABI_SYSV 0
#define ELFOSABI_GNU  3 /* what GNU ld marks a binary using GNU extensions */

#define ET_EXEC 2
#define ET_DYN	3

#define EM_X86_64  62
#define EM_AARCH64 183

#define PT_NULL	     0
#define PT_LOAD	     1
#define PT_DYNAMIC   2
#define PT_INTERP    3
#define PT_NOTE	     4
#define PT_PHDR	     6
#define PT_TLS	     7
#define PT_GNU_STACK 0x6474e551

#define PF_X 0x1
#define PF_W 0x2
#define PF_R 0x4

struct elf64_ehdr {
	uint8_t e_ident[EI_NIDENT]; /* magic, class, data, version, OS ABI */
	uint16_t e_type;	    /* ET_* */
	uint16_t e_machine;	    /* EM_* */
	uint32_t e_version;	    /* EV_CURRENT */
	uint64_t e_entry;	    /* entry point (virtual address) */
	uint64_t e_phoff;	    /* file offset of the program headers */
	uint64_t e_shoff;	    /* file offset of the section headers */
	uint32_t e_flags;	    /* machine flags */
	uint16_t e_ehsize;	    /* sizeof(struct elf64_ehdr) */
	uint16_t e_phentsize;	    /* sizeof(struct elf64_phdr) */
	uint16_t e_phnum;	    /* number of program headers */
	uint16_t e_shentsize;
	uint16_t e_shnum;
	uint16_t e_shstrndx;
};

struct elf64_phdr {
	uint32_t p_type;   /* PT_* */
	uint32_t p_flags;  /* PF_* */
	uint64_t p_offset; /* file offset of the segment's data */
	uint64_t p_vaddr;  /* where it goes */
	uint64_t p_paddr;  /* unused */
	uint64_t p_filesz; /* bytes in the file */
	uint64_t p_memsz;  /* bytes in memory (the rest is zero: bss) */
	uint64_t p_align;  /* 0, 1 or a power of two */
};

_Static_assert(sizeof(struct elf64_ehdr) == 64, "elf64_ehdr is 64 bytes");
_Static_assert(sizeof(struct elf64_phdr) == 56, "elf64_phdr is 56 bytes");

/* --- the checker ----------------------------------------------------------- */

#define ELF_PAGE_SIZE	 4096u
#define ELF_USER_TOP	 0x0000800000000000ull /* first address of the kernel half */
#define ELF_MAX_SEGMENTS 8

/* Segment protections: the mmap PROT_* values. */
#define ELF_PROT_READ  0x1
#define ELF_PROT_WRITE 0x2
#define ELF_PROT_EXEC  0x4

struct elf_segment {
	uint64_t vaddr;	 /* start address (not necessarily page-aligned) */
	uint64_t memsz;	 /* bytes in memory, > 0 */
	uint64_t offset; /* file offset of the first byte */
	uint64_t filesz; /* bytes taken from the file; memsz - filesz are zeroed */
	uint32_t prot;	 /* ELF_PROT_*; never WRITE and EXEC together */
};

struct elf_info {
	uint64_t entry;	  /* inside an executable segment's file bytes */
	uint32_t machine; /* EM_* */
	uint32_t nsegs;	  /* PT_LOAD segments with memsz > 0, file order */
	struct elf_segment seg[ELF_MAX_SEGMENTS];
	uint64_t lo, hi;     /* page-rounded span of all segments */
	uint64_t phdr_vaddr; /* program headers in memory (AT_PHDR), 0 if not loaded */
	uint32_t phnum;	     /* AT_PHNUM */
	uint32_t phentsize;  /* AT_PHENT */
	bool has_tls;	     /* a PT_TLS whose .tdata lies in a PT_LOAD */
	uint64_t tls_vaddr, tls_filesz, tls_memsz, tls_align; /* its initial image */
};

/* Errors: 0 is success, these are negative. */
enum {
	ELF_E_TRUNCATED = -1,	  /* smaller than an ELF header */
	ELF_E_MAGIC = -2,	  /* no \177ELF */
	ELF_E_CLASS = -3,	  /* not ELFCLASS64 */
	ELF_E_ENDIAN = -4,	  /* not little-endian */
	ELF_E_VERSION = -5,	  /* not EV_CURRENT */
	ELF_E_OSABI = -6,	  /* OS ABI other than System V / GNU, or ABI version */
	ELF_E_TYPE = -7,	  /* not ET_EXEC */
	ELF_E_MACHINE = -8,	  /* not the machine asked for */
	ELF_E_EHSIZE = -9,	  /* e_ehsize not 64 */
	ELF_E_PHENTSIZE = -10,	  /* e_phentsize not 56 */
	ELF_E_PHNUM = -11,	  /* no program headers, or PN_XNUM */
	ELF_E_PHDRS = -12,	  /* program headers outside the file */
	ELF_E_INTERP = -13,	  /* PT_INTERP: dynamically linked */
	ELF_E_DYNAMIC = -14,	  /* PT_DYNAMIC */
	ELF_E_FILESZ = -15,	  /* p_filesz > p_memsz */
	ELF_E_SEGMENT_FILE = -16, /* segment bytes outside the file */
	ELF_E_ALIGN = -17,	  /* p_align not a power of two, or vaddr/offset not congruent */
	ELF_E_ADDRESS = -18,	  /* segment on page 0, in the kernel half, or wrapping */
	ELF_E_WX = -19,		  /* writable and executable */
	ELF_E_OVERLAP = -20,	  /* two segments share a page */
	ELF_E_TOO_MANY = -21,	  /* more than ELF_MAX_SEGMENTS loadable segments */
	ELF_E_NO_LOAD = -22,	  /* no loadable segment */
	ELF_E_ENTRY = -23,	  /* entry point not in an executable segment */
	ELF_E_EXECSTACK = -24,	  /* PT_GNU_STACK asks for an executable stack */
	ELF_E_TLS = -25,	  /* bad or second PT_TLS */
	ELF_E_INVAL = -26,	  /* bad argument (machine not EM_X86_64 / EM_AARCH64) */
};

/* Validate img[0..size) as a static executable for machine (EM_X86_64 or
 * EM_AARCH64) and describe it in *out. 0 or ELF_E_*. Reads nothing outside
 * the buffer, assumes no alignment of it. */
int elf_check(const void *img, size_t size, unsigned machine, struct elf_info *out);

/* A sentence for an ELF_E_* code. */
const char *elf_strerror(int err);

#endif
