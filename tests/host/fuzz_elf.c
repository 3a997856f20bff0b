/*
 * libFuzzer target for the ELF checker (lib/elf.c): any input, in an
 * exact-size heap copy (so ASan catches any read past it), is checked as
 * an x86-64 and as an AArch64 executable; when accepted, the description
 * must keep the checker's promises (segments inside the file and the user
 * half, never W+X, not sharing pages, the entry in an executable segment),
 * and every segment's file bytes are read as a loader would.
 * Seeds: tests/host/corpus/elf/.
 */
#include <stdlib.h>
#include <string.h>

#include "muon/elf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static volatile unsigned sink;

static void check(const uint8_t *img, size_t size, unsigned machine)
{
	struct elf_info info;
	int entry_ok = 0;

	if (elf_check(img, size, machine, &info) != 0)
		return;
	if (info.nsegs == 0 || info.nsegs > ELF_MAX_SEGMENTS || info.machine != machine)
		__builtin_trap();
	for (uint32_t i = 0; i < info.nsegs; i++) {
		const struct elf_segment *s = &info.seg[i];
		if (s->filesz > s->memsz || s->offset > size || s->filesz > size - s->offset)
			__builtin_trap();
		if (s->vaddr < ELF_PAGE_SIZE || s->vaddr + s->memsz > ELF_USER_TOP ||
		    s->vaddr + s->memsz < s->vaddr)
			__builtin_trap();
		if ((s->prot & ELF_PROT_WRITE) && (s->prot & ELF_PROT_EXEC))
			__builtin_trap();
		if ((s->vaddr - s->offset) % ELF_PAGE_SIZE)
			__builtin_trap();
		for (uint32_t j = 0; j < i; j++) {
			const struct elf_segment *o = &info.seg[j];
			uint64_t a0 = s->vaddr & ~0xfffull,
				 a1 = (s->vaddr + s->memsz + 0xfff) & ~0xfffull;
			uint64_t b0 = o->vaddr & ~0xfffull,
				 b1 = (o->vaddr + o->memsz + 0xfff) & ~0xfffull;
			if (a0 < b1 && b0 < a1)
				__builtin_trap();
		}
		if ((s->prot & ELF_PROT_EXEC) && info.entry >= s->vaddr &&
		    info.entry < s->vaddr + s->filesz)
			entry_ok = 1;
		if (s->filesz)
			sink += img[s->offset] + img[s->offset + s->filesz - 1];
	}
	if (!entry_ok || info.lo > info.hi || info.hi > ELF_USER_TOP)
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *copy = malloc(size ? size : 1);

	if (!copy)
		return 0;
	memcpy(copy, data, size);
	check(copy, size, EM_X86_64);
	check(copy, size, EM_AARCH64);
	free(copy);
	return 0;
}
