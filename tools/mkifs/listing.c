/*
 * mkifs listing (-v after building, -l for an existing image): files with
 * offset, size, perms, owner and name, then the boot script written back
 * in buildfile syntax. It reads the image through lib/ifs.c, so what it
 * shows is what the kernel and proc will see, not what mkifs meant to write.
 */
#include <string.h>

#include "mkifs.h"

/* An argument as the buildfile would spell it: quoted when needed. */
static void put_arg(FILE *f, const char *s)
{
	bool plain = *s != 0;

	for (const char *c = s; *c; c++)
		if (strchr(" \t\"'\\#&$[", *c) || (unsigned char)*c < 0x20)
			plain = false;
	if (plain) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (const char *c = s; *c; c++) {
		if (*c == '"' || *c == '\\')
			fputc('\\', f);
		fputc(*c, f);
	}
	fputc('"', f);
}

static const char *arch_name(uint32_t flags)
{
	switch (flags & IFS_F_ARCH_MASK) {
	case IFS_F_X86_64:
		return "x86_64";
	case IFS_F_AARCH64:
		return "aarch64le";
	default:
		return "any";
	}
}

void mk_list(FILE *f, const struct ifs *fs)
{
	struct ifs_entry e;
	struct ifs_cmd c;
	uint32_t cur = 0, ncmds = 0;

	while (ifs_script_next(fs, &cur, &c) > 0)
		ncmds++;
	fprintf(f, "image: arch %s, %u files, %u script commands, %llu bytes, crc32 0x%08x\n",
		arch_name(fs->flags), fs->entry_count, ncmds, (unsigned long long)fs->size,
		fs->crc32);
	fprintf(f, "    offset       size perms   uid   gid name\n");
	for (uint32_t i = 0; i < fs->entry_count; i++) {
		if (ifs_entry_at(fs, i, &e) < 0)
			continue;
		fprintf(f, "%10llx %10llu  %04o %5u %5u %s\n", (unsigned long long)e.data_off,
			(unsigned long long)e.size, e.mode, e.uid, e.gid, e.name);
	}
	fprintf(f, "script:\n");
	cur = 0;
	while (ifs_script_next(fs, &cur, &c) > 0) {
		fputs("  ", f);
		switch (c.type) {
		case IFS_CMD_RUN:
			if (c.flags & IFS_CMDF_RESTART)
				fputs("[+restart] ", f);
			if (c.priority || c.policy) {
				static const char pol[] = {0, 'f', 'r', 'o'};
				fputs("[pri=", f);
				if (c.priority)
					fprintf(f, "%u", c.priority);
				if (c.policy)
					fputc(pol[c.policy], f);
				fputs("] ", f);
			}
			for (uint32_t i = 0; i < c.argc; i++) {
				if (i)
					fputc(' ', f);
				put_arg(f, c.argv[i]);
			}
			if (c.flags & IFS_CMDF_BACKGROUND)
				fputs(" &", f);
			break;
		case IFS_CMD_DISPLAY_MSG:
			fputs("display_msg ", f);
			put_arg(f, c.argv[0]);
			break;
		case IFS_CMD_SETENV:
			fprintf(f, "%s=", c.argv[0]);
			put_arg(f, c.argv[1]);
			break;
		case IFS_CMD_WAITFOR:
			fputs("waitfor ", f);
			put_arg(f, c.argv[0]);
			if (c.value % 1000)
				fprintf(f, " %u.%03u", c.value / 1000, c.value % 1000);
			else
				fprintf(f, " %u", c.value / 1000);
			break;
		case IFS_CMD_REOPEN:
			fputs("reopen ", f);
			put_arg(f, c.argv[0]);
			break;
		default:
			fprintf(f, "# command type %u with %u strings (not known to this mkifs)",
				c.type, c.argc);
			break;
		}
		fputc('\n', f);
	}
}
