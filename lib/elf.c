/*
 * ELF64 executable checker for the program loader (proc), the kernel and
 * the host tests; what is accepted is described in include/muon/elf.h.
 *
 * Entry points: elf_check(), elf_strerror().
 *
 * Freestanding and self-contained (no library calls). The file is never
 * trusted: fields are read byte by byte (no alignment assumed, independent
 * of host endianness), every offset+length is checked without overflow, and
 * nothing outside [img, img + size) is read.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bytes.h"
#include "muon/elf.h"

#define EH(f) offsetof(struct elf64_ehdr, f)
#define PH(f) offsetof(struct elf64_phdr, f)

static uint64_t page_down(uint64_t a)
{
	return a & ~(uint64_t)(ELF_PAGE_SIZE - 1);
}

/* Only called on ends already known to lie below ELF_USER_TOP: no wrap. */
static uint64_t page_up(uint64_t a)
{
	return page_down(a + ELF_PAGE_SIZE - 1);
}

static bool pow2_or_zero(uint64_t x)
{
	return (x & (x - 1)) == 0;
}

/* A PT_LOAD with memsz > 0: checked on its own and recorded in out. */
static int add_segment(struct elf_info *out, const uint8_t *ph, uint64_t fsize)
{
	uint32_t flags = rd32(ph + PH(p_flags));
	uint64_t off = rd64(ph + PH(p_offset)), vaddr = rd64(ph + PH(p_vaddr));
	uint64_t filesz = rd64(ph + PH(p_filesz)), memsz = rd64(ph + PH(p_memsz));
	uint64_t align = rd64(ph + PH(p_align));
	struct elf_segment *s;

	if (filesz > memsz)
		return ELF_E_FILESZ;
	if (!in_range(off, filesz, fsize))
		return ELF_E_SEGMENT_FILE;
	/* Page-congruent so that file pages can be mapped as they are. */
	if (!pow2_or_zero(align) || (vaddr - off) % ELF_PAGE_SIZE)
		return ELF_E_ALIGN;
	if (align > 1 && (vaddr - off) % align)
		return ELF_E_ALIGN;
	/* Lower half only, and never page 0, where a NULL dereference must fault. */
	if (vaddr < ELF_PAGE_SIZE || !in_range(vaddr, memsz, ELF_USER_TOP))
		return ELF_E_ADDRESS;
	/* W^X holds for user space too: no page is ever both. */
	if ((flags & PF_W) && (flags & PF_X))
		return ELF_E_WX;
	if (out->nsegs == ELF_MAX_SEGMENTS)
		return ELF_E_TOO_MANY;
	/* Whole pages get one protection each: segments may not share one. */
	for (uint32_t i = 0; i < out->nsegs; i++) {
		const struct elf_segment *o = &out->seg[i];
		if (page_down(vaddr) < page_up(o->vaddr + o->memsz) &&
		    page_down(o->vaddr) < page_up(vaddr + memsz))
			return ELF_E_OVERLAP;
	}
	s = &out->seg[out->nsegs++];
	s->vaddr = vaddr;
	s->memsz = memsz;
	s->offset = off;
	s->filesz = filesz;
	s->prot = (flags & PF_R ? ELF_PROT_READ : 0) | (flags & PF_W ? ELF_PROT_WRITE : 0) |
		  (flags & PF_X ? ELF_PROT_EXEC : 0);
	return 0;
}

int elf_check(const void *img, size_t size, unsigned machine, struct elf_info *out)
{
	const uint8_t *p = img;
	uint64_t phoff, tls_off = 0;
	uint32_t phnum, phent;
	bool have_phdr_seg = false;
	int r;

	if (!img || !out || (machine != EM_X86_64 && machine != EM_AARCH64))
		return ELF_E_INVAL;
	*out = (struct elf_info){0};
	if (size < sizeof(struct elf64_ehdr))
		return ELF_E_TRUNCATED;
	for (int i = 0; i < 4; i++)
		if (p[EI_MAG0 + i] != (uint8_t)ELFMAG[i])
			return ELF_E_MAGIC;
	if (p[EI_CLASS] != ELFCLASS64)
		return ELF_E_CLASS;
	if (p[EI_DATA] != ELFDATA2LSB)
		return ELF_E_ENDIAN;
	if (p[EI_VERSION] != EV_CURRENT || rd32(p + EH(e_version)) != EV_CURRENT)
		return ELF_E_VERSION;
	if ((p[EI_OSABI] != ELFOSABI_SYSV && p[EI_OSABI] != ELFOSABI_GNU) || p[EI_ABIVERSION])
		return ELF_E_OSABI;
	if (rd16(p + EH(e_type)) != ET_EXEC)
		return ELF_E_TYPE;
	if (rd16(p + EH(e_machine)) != machine)
		return ELF_E_MACHINE;
	if (rd16(p + EH(e_ehsize)) != sizeof(struct elf64_ehdr))
		return ELF_E_EHSIZE;
	phent = rd16(p + EH(e_phentsize));
	if (phent != sizeof(struct elf64_phdr))
		return ELF_E_PHENTSIZE;
	phnum = rd16(p + EH(e_phnum));
	/* 0xffff (PN_XNUM) would move the count into section 0: not for us. */
	if (phnum == 0 || phnum == 0xffff)
		return ELF_E_PHNUM;
	phoff = rd64(p + EH(e_phoff));
	if (!in_range(phoff, (uint64_t)phnum * phent, size))
		return ELF_E_PHDRS;

	out->machine = machine;
	out->entry = rd64(p + EH(e_entry));
	out->phnum = phnum;
	out->phentsize = phent;
	for (uint32_t i = 0; i < phnum; i++) {
		const uint8_t *ph = p + phoff + (uint64_t)i * phent;
		uint32_t type = rd32(ph + PH(p_type));

		switch (type) {
		case PT_LOAD:
			/* An empty PT_LOAD maps nothing: skip it, but only it. */
			if (rd64(ph + PH(p_memsz)) == 0 && rd64(ph + PH(p_filesz)) == 0)
				break;
			r = add_segment(out, ph, size);
			if (r < 0)
				return r;
			break;
		case PT_INTERP:
			return ELF_E_INTERP;
		case PT_DYNAMIC:
			return ELF_E_DYNAMIC;
		case PT_GNU_STACK:
			if (rd32(ph + PH(p_flags)) & PF_X)
				return ELF_E_EXECSTACK;
			break;
		case PT_PHDR:
			have_phdr_seg = true;
			out->phdr_vaddr = rd64(ph + PH(p_vaddr));
			break;
		case PT_TLS:
			if (out->has_tls)
				return ELF_E_TLS;
			out->has_tls = true;
			tls_off = rd64(ph + PH(p_offset));
			out->tls_vaddr = rd64(ph + PH(p_vaddr));
			out->tls_filesz = rd64(ph + PH(p_filesz));
			out->tls_memsz = rd64(ph + PH(p_memsz));
			out->tls_align = rd64(ph + PH(p_align));
			if (out->tls_filesz > out->tls_memsz ||
			    !in_range(tls_off, out->tls_filesz, size) ||
			    !pow2_or_zero(out->tls_align))
				return ELF_E_TLS;
			break;
		default:
			break; /* notes, GNU_RELRO, EH_FRAME, ...: not needed to load */
		}
	}
	if (out->nsegs == 0)
		return ELF_E_NO_LOAD;

	/* The span, the entry, and where the program headers land. */
	out->lo = ELF_USER_TOP;
	for (uint32_t i = 0; i < out->nsegs; i++) {
		const struct elf_segment *s = &out->seg[i];
		if (page_down(s->vaddr) < out->lo)
			out->lo = page_down(s->vaddr);
		if (page_up(s->vaddr + s->memsz) > out->hi)
			out->hi = page_up(s->vaddr + s->memsz);
	}
	bool entry_ok = false, tls_ok = !out->has_tls;
	for (uint32_t i = 0; i < out->nsegs; i++) {
		const struct elf_segment *s = &out->seg[i];
		/* Code is fetched from file bytes, never from zeroed bss. */
		if ((s->prot & ELF_PROT_EXEC) && out->entry >= s->vaddr &&
		    out->entry - s->vaddr < s->filesz)
			entry_ok = true;
		/* The TLS initial image (.tdata) is copied from a loaded
		 * segment; .tbss need not be inside one. */
		if (out->has_tls && out->tls_vaddr >= s->vaddr &&
		    out->tls_vaddr - s->vaddr <= s->memsz &&
		    out->tls_filesz <= s->memsz - (out->tls_vaddr - s->vaddr))
			tls_ok = true;
		if (!have_phdr_seg && phoff >= s->offset &&
		    phoff + (uint64_t)phnum * phent <= s->offset + s->filesz)
			out->phdr_vaddr = s->vaddr + (phoff - s->offset);
	}
	if (!entry_ok)
		return ELF_E_ENTRY;
	if (!tls_ok)
		return ELF_E_TLS;
	return 0;
}

/* Indexed by -err. */
static const char *const elf_errors[] = {
    [0] = "success",
    [-ELF_E_TRUNCATED] = "file smaller than an ELF header",
    [-ELF_E_MAGIC] = "not an ELF file",
    [-ELF_E_CLASS] = "not a 64-bit ELF file",
    [-ELF_E_ENDIAN] = "not a little-endian ELF file",
    [-ELF_E_VERSION] = "unknown ELF version",
    [-ELF_E_OSABI] = "unsupported ELF OS ABI",
    [-ELF_E_TYPE] = "not a fixed-address executable (ET_EXEC); PIE is not supported",
    [-ELF_E_MACHINE] = "built for another machine",
    [-ELF_E_EHSIZE] = "bad ELF header size",
    [-ELF_E_PHENTSIZE] = "bad program header entry size",
    [-ELF_E_PHNUM] = "no program headers (or PN_XNUM)",
    [-ELF_E_PHDRS] = "program headers outside the file",
    [-ELF_E_INTERP] = "dynamically linked (PT_INTERP): only static executables run",
    [-ELF_E_DYNAMIC] = "has dynamic relocations (PT_DYNAMIC): only static executables run",
    [-ELF_E_FILESZ] = "segment file size larger than its memory size",
    [-ELF_E_SEGMENT_FILE] = "segment data outside the file",
    [-ELF_E_ALIGN] = "segment address and file offset not congruent modulo the page size",
    [-ELF_E_ADDRESS] = "segment outside user space (page 0 or the kernel half)",
    [-ELF_E_WX] = "segment both writable and executable (W^X)",
    [-ELF_E_OVERLAP] = "two segments share a page",
    [-ELF_E_TOO_MANY] = "too many loadable segments",
    [-ELF_E_NO_LOAD] = "no loadable segment",
    [-ELF_E_ENTRY] = "entry point not inside an executable segment",
    [-ELF_E_EXECSTACK] = "asks for an executable stack",
    [-ELF_E_TLS] = "bad TLS segment",
    [-ELF_E_INVAL] = "invalid argument",
};

const char *elf_strerror(int err)
{
	if (err > 0 || err <= -(int)(sizeof(elf_errors) / sizeof(elf_errors[0])) ||
	    !elf_errors[-err])
		return "unknown error";
	return elf_errors[-err];
}
