/*
 * mkifs internals: the image being built (files and script commands, in
 * buildfile order), the buildfile parser that fills it (buildfile.c), the
 * writer that turns it into IFS bytes (image.c, also used by the host
 * tests) and the listing printed by -v / -l (listing.c).
 */
#ifndef MKIFS_H
#define MKIFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "muon/ifs.h"

struct mk_file {
	char *name;    /* name in the image, valid per ifs_name_problem() */
	uint8_t *data; /* contents (owned), NULL if size is 0 */
	size_t size;
	uint32_t mode; /* permission bits */
	uint32_t uid, gid;
	int line; /* buildfile line, for messages (0: none) */
};

struct mk_cmd {
	uint16_t type;	  /* IFS_CMD_* */
	uint16_t flags;	  /* IFS_CMDF_* */
	uint8_t priority; /* 0 = inherit */
	uint8_t policy;	  /* IFS_SCHED_* */
	uint32_t value;	  /* WAITFOR: timeout ms */
	int argc;
	char **argv; /* argc strings (owned) */
	int line;
};

struct mk_image {
	uint32_t flags; /* IFS_F_* */
	struct mk_file *files;
	size_t nfiles, files_cap;
	struct mk_cmd *cmds;
	size_t ncmds, cmds_cap;
};

/* image.c. Adding copies name, data and argv. */
void *mk_alloc(size_t n); /* calloc that exits on failure */
char *mk_strdup(const char *s);
struct mk_file *mk_add_file(struct mk_image *m, const char *name, const void *data, size_t size,
			    uint32_t mode, uint32_t uid, uint32_t gid, int line);
struct mk_cmd *mk_add_cmd(struct mk_image *m, unsigned type, int argc, char *const argv[],
			  int line);
/* Lay out and serialize: 0 and a malloc'd image, or -1 with *why set. */
int mk_build(const struct mk_image *m, uint8_t **image, size_t *size, const char **why);
void mk_free(struct mk_image *m);

/* buildfile.c: parse path into m; defs are "NAME=VALUE" strings for
 * ${NAME}. Errors go to stderr as "path:line: message"; returns 0 or -1. */
int bf_parse(const char *path, struct mk_image *m, char *const defs[], int ndefs);

/* listing.c: a human-readable listing of a validated image. */
void mk_list(FILE *f, const struct ifs *fs);

#endif
