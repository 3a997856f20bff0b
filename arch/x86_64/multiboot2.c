/* Multiboot2 boot information parser (see multiboot2.h). */
#include "multiboot2.h"
#include "../../lib/bytes.h"

#include <kernel/string.h>

enum {
	TAG_END = 0,
	TAG_CMDLINE = 1,
	TAG_LOADER = 2,
	TAG_MODULE = 3,
	TAG_MEMINFO = 4,
	TAG_MMAP = 6,
	TAG_ACPI_OLD = 14, /* a copy of the ACPI 1.0 RSDP */
	TAG_ACPI_NEW = 15, /* a copy of the ACPI 2.0+ RSDP */
};

/* A NUL-terminated string filling at most len bytes at p, or NULL. */
static const char *tag_string(const uint8_t *p, uint32_t len)
{
	return len && strnlen((const char *)p, len) < len ? (const char *)p : NULL;
}

int mb2_parse(const void *buf, size_t avail, struct mb2_info *out)
{
	const uint8_t *base = buf;

	memset(out, 0, sizeof(*out));
	if ((uintptr_t)buf & 7)
		return MB2_E_ALIGN;
	if (avail < 8)
		return MB2_E_SHORT;
	out->total_size = rd32(base);
	if (out->total_size < 16 || out->total_size > avail)
		return MB2_E_SIZE;

	for (uint64_t off = 8; off + 8 <= out->total_size;) {
		const uint8_t *tag = base + off;
		uint32_t type = rd32(tag), size = rd32(tag + 4);

		if (size < 8 || size > out->total_size - off)
			return MB2_E_TAG;
		const uint8_t *body = tag + 8;
		uint32_t blen = size - 8;

		switch (type) {
		case TAG_END:
			return size == 8 ? MB2_OK : MB2_E_TAG;
		case TAG_CMDLINE:
		case TAG_LOADER: {
			const char *s = tag_string(body, blen);
			if (!s)
				return MB2_E_STRING;
			if (type == TAG_CMDLINE)
				out->cmdline = s;
			else
				out->loader = s;
			break;
		}
		case TAG_MODULE: {
			if (blen < 9)
				return MB2_E_MODULE;
			const char *name = tag_string(body + 8, blen - 8);
			uint32_t s = rd32(body), e = rd32(body + 4);
			if (!name)
				return MB2_E_STRING;
			if (e < s)
				return MB2_E_MODULE;
			if (out->nmodules == MB2_MAX_MODULES) {
				out->modules_dropped++;
				break;
			}
			out->modules[out->nmodules++] = (struct mb2_module){s, e, name};
			break;
		}
		case TAG_MEMINFO:
			if (blen < 8)
				return MB2_E_TAG;
			out->have_meminfo = true;
			out->mem_lower_kib = rd32(body);
			out->mem_upper_kib = rd32(body + 4);
			break;
		case TAG_MMAP: {
			if (blen < 8)
				return MB2_E_MMAP;
			uint32_t esize = rd32(body);
			if (esize < 24 || esize % 8)
				return MB2_E_MMAP;
			for (uint32_t e = 8; e + esize <= blen; e += esize) {
				if (out->nmmap == MB2_MAX_MMAP) {
					out->mmap_dropped++;
					continue;
				}
				const uint8_t *ent = body + e;
				out->mmap[out->nmmap++] = (struct mb2_mmap_entry){
					rd64(ent), rd64(ent + 8), rd32(ent + 16)};
			}
			break;
		}
		case TAG_ACPI_OLD:
		case TAG_ACPI_NEW:
			/* The newer copy wins: it may name an XSDT. */
			if (!out->rsdp || type == TAG_ACPI_NEW) {
				out->rsdp = body;
				out->rsdp_len = blen;
			}
			break;
		default: /* tags we do not use (framebuffer, ...) */
			break;
		}
		off += (size + 7ull) & ~7ull; /* 64-bit: no wrap to a loop */
	}
	return MB2_E_NO_END;
}

const char *mb2_strerror(int err)
{
	switch (err) {
	case MB2_OK:
		return "ok";
	case MB2_E_SHORT:
		return "buffer shorter than the header";
	case MB2_E_SIZE:
		return "total_size out of range";
	case MB2_E_ALIGN:
		return "information not 8-byte aligned";
	case MB2_E_TAG:
		return "tag size out of range";
	case MB2_E_NO_END:
		return "no end tag";
	case MB2_E_STRING:
		return "string tag without a terminating NUL";
	case MB2_E_MMAP:
		return "bad memory map tag";
	case MB2_E_MODULE:
		return "bad module tag";
	}
	return "unknown error";
}
