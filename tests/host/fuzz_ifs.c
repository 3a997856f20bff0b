/*
 * libFuzzer target for the boot image reader (lib/ifs.c): any input is
 * handed to ifs_open() in an exact-size heap copy (so ASan catches any read
 * past it), then, when the header allows, again with its CRC made right so
 * that mutations get past the CRC to the structure checks behind it.
 * Accepted images are walked every way proc walks them, and what the
 * reader promised is checked (data inside the image, lookups finding each
 * entry, the script iterating to its end without an error).
 * Seeds: tests/host/corpus/ifs/.
 */
#include <stdlib.h>
#include <string.h>

#include "muon/ifs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static volatile unsigned sink;

static void walk(const uint8_t *img, size_t size)
{
	struct ifs fs;
	struct ifs_entry e, f;
	struct ifs_cmd c;
	uint32_t cur = 0;
	int r;

	if (ifs_open(&fs, img, size) != 0)
		return;
	if (fs.size > size)
		__builtin_trap();
	for (uint32_t i = 0; i < fs.entry_count; i++) {
		if (ifs_entry_at(&fs, i, &e) != 0)
			__builtin_trap();
		if (e.size &&
		    (e.data < img || e.data_off + e.size > fs.size || e.data_off % IFS_PAGE_SIZE))
			__builtin_trap();
		if (e.size)
			sink += e.data[0] + e.data[e.size - 1];
		if (ifs_lookup(&fs, e.name, &f) != 0 || f.index != i)
			__builtin_trap();
	}
	ifs_lookup(&fs, "", &e);
	ifs_lookup(&fs, "proc", &e);
	ifs_lookup(&fs, "zzzz/zz", &e);
	while ((r = ifs_script_next(&fs, &cur, &c)) > 0) {
		if (c.argc <= IFS_MAX_ARGS)
			for (uint32_t i = 0; i < c.argc; i++)
				sink += (unsigned)strlen(c.argv[i]);
		sink += c.args_len ? (unsigned char)c.args[c.args_len - 1] : 0;
	}
	if (r != 0 || cur != fs.script_size)
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *copy = malloc(size ? size : 1);
	uint64_t isize;

	if (!copy)
		return 0;
	memcpy(copy, data, size);
	walk(copy, size);
	if (size >= sizeof(struct ifs_header)) {
		memcpy(&isize, copy + offsetof(struct ifs_header, image_size), 8);
		if (isize >= sizeof(struct ifs_header) && isize <= size) {
			uint32_t crc = ifs_image_crc(copy, isize);
			memcpy(copy + offsetof(struct ifs_header, crc32), &crc, 4);
			walk(copy, size);
		}
	}
	free(copy);
	return 0;
}
