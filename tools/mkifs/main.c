/*
 * mkifs: build a Muon boot image (IFS) from a buildfile.
 *
 *   mkifs [-v] [-D NAME=VALUE]... [-o OUT] BUILDFILE [OUT]
 *   mkifs -l IMAGE
 *
 * -v lists the image written (files and script, read back through
 * lib/ifs.c); -l lists an existing image after validating it; -D defines
 * ${NAME} for the buildfile. The image is written to a temporary file and
 * renamed, and every failure removes OUT, so a failed build never leaves an
 * image (old or partial) behind for make to take as up to date.
 * Buildfile syntax: tools/mkifs/README.md. Exit status: 0, 1 on errors,
 * 2 on usage errors.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mkifs.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: mkifs [-v] [-D NAME=VALUE]... [-o OUT] BUILDFILE [OUT]\n"
		   "       mkifs -l IMAGE\n"
		   "  -v              list the image built (files and boot script)\n"
		   "  -o OUT          output file (or give it after BUILDFILE)\n"
		   "  -D NAME=VALUE   define ${NAME} for the buildfile\n"
		   "  -l IMAGE        validate and list an existing image\n");
}

static int list_image(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t len = 0, cap = 0, n;
	struct ifs fs;
	int r;

	if (!f) {
		fprintf(stderr, "mkifs: %s: %s\n", path, strerror(errno));
		return 1;
	}
	do {
		if (len == cap) {
			cap = cap ? cap * 2 : 65536;
			uint8_t *nb = realloc(buf, cap);
			if (!nb) {
				fprintf(stderr, "mkifs: out of memory\n");
				exit(1);
			}
			buf = nb;
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
	} while (n);
	if (ferror(f)) {
		fprintf(stderr, "mkifs: %s: %s\n", path, strerror(errno));
		fclose(f);
		free(buf);
		return 1;
	}
	fclose(f);
	r = ifs_open(&fs, buf, len);
	if (r < 0) {
		fprintf(stderr, "mkifs: %s: %s\n", path, ifs_strerror(r));
		free(buf);
		return 1;
	}
	mk_list(stdout, &fs);
	free(buf);
	return 0;
}

static int write_image(const char *out, const uint8_t *img, size_t size)
{
	char *tmp = mk_alloc(strlen(out) + 32);
	FILE *f;

	sprintf(tmp, "%s.tmp.%ld", out, (long)getpid());
	f = fopen(tmp, "wb");
	if (!f || fwrite(img, 1, size, f) != size || fflush(f) || ferror(f)) {
		fprintf(stderr, "mkifs: %s: %s\n", tmp, strerror(errno));
		if (f)
			fclose(f);
		unlink(tmp);
		free(tmp);
		return -1;
	}
	if (fclose(f) || rename(tmp, out)) {
		fprintf(stderr, "mkifs: %s: %s\n", out, strerror(errno));
		unlink(tmp);
		free(tmp);
		return -1;
	}
	free(tmp);
	return 0;
}

int main(int argc, char **argv)
{
	const char *out = NULL, *list = NULL, *buildfile;
	char **defs = mk_alloc(sizeof(char *) * (size_t)argc);
	int ndefs = 0, verbose = 0, c, status = 2;
	struct mk_image m = {0};
	uint8_t *img = NULL;
	size_t size;
	const char *why;
	struct ifs fs;

	while ((c = getopt(argc, argv, "vo:D:l:h")) != -1) {
		switch (c) {
		case 'v':
			verbose = 1;
			break;
		case 'o':
			out = optarg;
			break;
		case 'D':
			if (!strchr(optarg, '=') || optarg[0] == '=') {
				fprintf(stderr, "mkifs: -D wants NAME=VALUE, not '%s'\n", optarg);
				goto usage_error;
			}
			defs[ndefs++] = optarg;
			break;
		case 'l':
			list = optarg;
			break;
		case 'h':
			usage(stdout);
			status = 0;
			goto usage_error;
		default:
			usage(stderr);
			goto usage_error;
		}
	}
	if (list) {
		if (optind != argc || out) {
			usage(stderr);
			goto usage_error;
		}
		status = list_image(list);
		goto usage_error;
	}
	if (optind == argc || argc - optind > 2) {
		usage(stderr);
		goto usage_error;
	}
	buildfile = argv[optind];
	if (argc - optind == 2) {
		if (out && strcmp(out, argv[optind + 1])) {
			fprintf(stderr, "mkifs: two output files: -o %s and %s\n", out,
				argv[optind + 1]);
			goto usage_error;
		}
		out = argv[optind + 1];
	}
	if (!out) {
		fprintf(stderr, "mkifs: no output file (-o OUT or BUILDFILE OUT)\n");
		goto usage_error;
	}

	status = 1;
	if (bf_parse(buildfile, &m, defs, ndefs) < 0)
		goto done;
	if (mk_build(&m, &img, &size, &why) < 0) {
		fprintf(stderr, "%s: %s\n", buildfile, why);
		goto done;
	}
	/* Read it back as the kernel will: a writer bug must not ship. */
	int r = ifs_open(&fs, img, size);
	if (r < 0) {
		fprintf(stderr, "mkifs: internal error: the image built is invalid: %s\n",
			ifs_strerror(r));
		goto done;
	}
	if (write_image(out, img, size) < 0)
		goto done;
	if (verbose)
		mk_list(stdout, &fs);
	status = 0;
done:
	if (status)
		unlink(out); /* no stale image after a failed build */
	free(img);
	mk_free(&m);
usage_error:
	free(defs);
	return status;
}
