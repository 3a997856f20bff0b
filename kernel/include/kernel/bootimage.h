/* The boot image (IFS) the loader handed us, and starting programs from it. */
#ifndef KERNEL_BOOTIMAGE_H
#define KERNEL_BOOTIMAGE_H

#include <kernel/boot.h>
#include <muon/ifs.h>

/* Find the "boot.ifs" module, map it read-only and validate it; panics
 * with the reason if it is corrupt. Without one, bootimage() is NULL. */
void bootimage_init(const struct boot_info *bi);
const struct ifs *bootimage(void);

/* Load program name from the image into a new process holding every
 * ability (it is the process manager), and start its first thread with argv. NULL with *err = -ENOENT, -ENOEXEC (bad ELF),
 * -ENOMEM or -E2BIG. */
struct process *bootimage_spawn(const char *name, int argc, const char *const *argv,
				unsigned prio, unsigned policy, int *err);

#endif
