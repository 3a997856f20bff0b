/* libFuzzer target: the multiboot2 parser on arbitrary bytes must never
 * read outside the buffer or crash, and what it returns must point inside. */
#include "../../arch/x86_64/multiboot2.h"
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* A fresh, exactly sized, 8-aligned copy so ASan sees any overrun. */
	uint8_t *buf = aligned_alloc(8, (size + 7) & ~(size_t)7);
	struct mb2_info mi;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	if (mb2_parse(buf, size, &mi) == MB2_OK) {
		if (mi.cmdline && strlen(mi.cmdline) >= size)
			abort();
		for (unsigned i = 0; i < mi.nmodules; i++)
			if ((const uint8_t *)mi.modules[i].name < buf ||
			    (const uint8_t *)mi.modules[i].name >= buf + size)
				abort();
	}
	free(buf);
	return 0;
}
