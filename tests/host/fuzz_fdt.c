/*
 * libFuzzer target for the FDT reader and platform discovery: any input is
 * handed to fdt_init() with its exact size as the limit (so ASan catches
 * any read past it); accepted blobs are then walked every way the kernel
 * walks them. Seeds: tests/host/corpus/fdt/.
 */
#include <stdlib.h>
#include <string.h>

#include "dtb.h"
#include "fdt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* A heap copy of exactly size bytes: no slack after the input. */
	uint8_t *copy = malloc(size ? size : 1);
	static struct dt_platform p;
	struct fdt f;
	int depth = 0;

	if (!copy)
		return 0;
	memcpy(copy, data, size);
	if (fdt_init(&f, copy, size) == 0) {
		dtb_parse(&f, &p);
		/* The raw walkers on every node, as other callers use them. */
		for (int n = fdt_root(&f); n >= 0; n = fdt_next_node(&f, n, &depth)) {
			const char *name = fdt_node_name(&f, n);
			for (int pr = fdt_first_prop(&f, n); pr >= 0; pr = fdt_next_prop(&f, pr)) {
				const char *pname;
				const void *val;
				uint32_t len;
				if (fdt_prop_at(&f, pr, &pname, &val, &len) == 0 && len &&
				    !strcmp(pname, "compatible"))
					fdt_stringlist_has(val, len, "arm,pl011");
			}
			if (name)
				fdt_subnode(&f, n, name, strlen(name));
			fdt_first_child(&f, n);
			fdt_next_sibling(&f, n);
		}
		fdt_path(&f, "/chosen", 7);
		fdt_node_by_phandle(&f, 1);
		for (uint32_t i = 0; i < f.nrsv; i++) {
			uint64_t a, s;
			fdt_rsv(&f, i, &a, &s);
		}
	}
	/* Offsets that are not nodes must be refused, never followed. */
	for (int off = -4; off < 64; off += 2)
		fdt_first_child(&f, off), fdt_getprop(&f, off, "reg", NULL);
	free(copy);
	return 0;
}
