/*
 * Host tests of the mkifs tool (build/host/mkifs, built by host.mk): it is
 * run on the buildfiles in tests/host/mkifs/. Good ones: exit 0, the -v
 * listing, and the image read back with lib/ifs.c (names, data, perms,
 * owners, every script command); the same image from the same input.
 * Bad ones (bad_*.build): each names its expected message on its first
 * line, "# expect: LINE: message" (or "# expect: message" for whole-file
 * errors), and must fail with exactly "buildfile:LINE: message", exit
 * status 1 and no output file left behind.
 *
 * Run from the project root (as tools/run-tests does); when run from
 * elsewhere, the root is found from the path of this binary.
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../include/muon/ifs.h"
#include "host_test.h"

#define MKIFS "build/host/mkifs"
#define FIX   "tests/host/mkifs"
#define TMP   "build/host/mkifs-test"

static char abs_tmp[4096];

struct run {
	int status; /* exit status, or -1 if it did not exit normally */
	char *out;  /* stdout */
	char *err;  /* stderr */
};

static char *slurp(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	char *p = NULL;
	size_t n = 0, cap = 0, got;

	if (!f)
		return NULL;
	do {
		if (n + 1 >= cap) {
			cap = cap ? cap * 2 : 4096;
			p = realloc(p, cap);
		}
		got = fread(p + n, 1, cap - n - 1, f);
		n += got;
	} while (got);
	fclose(f);
	p[n] = 0;
	if (size)
		*size = n;
	return p;
}

/* Run mkifs with args (a shell fragment), capturing both outputs. */
static struct run mkifs(const char *args)
{
	char cmd[8192];
	struct run r;

	snprintf(cmd, sizeof(cmd), "%s %s >%s/stdout 2>%s/stderr", MKIFS, args, TMP, TMP);
	int st = system(cmd);
	r.status = st != -1 && WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	r.out = slurp(TMP "/stdout", NULL);
	r.err = slurp(TMP "/stderr", NULL);
	if (!r.out)
		r.out = strdup("");
	if (!r.err)
		r.err = strdup("");
	return r;
}

static void run_free(struct run *r)
{
	free(r->out);
	free(r->err);
}

static int exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

/* Print a mismatch in TAP comments. */
static int same_text(const char *got, const char *want, const char *what)
{
	if (!strcmp(got, want))
		return 1;
	printf("# %s differs\n# --- got:\n%s# --- want:\n%s", what, got, want);
	return 0;
}

/* --- good buildfiles ------------------------------------------------------------------ */

static const char full_listing[] =
    "    offset       size perms   uid   gid name\n"
    "      1000         12  0700   100   200 bin/secret\n"
    "      2000         12  0555     0     0 bin/sh\n"
    "         0          0  0444     0     0 empty\n"
    "      3000         16  0640     0     5 etc/group-readable\n"
    "      4000         55  0444     0     0 etc/inline\n"
    "      5000         16  0444     0     0 etc/motd\n"
    "      6000         16  0444     0     0 etc/with space\n"
    "      7000          6  0444     0     0 files/hello.txt\n"
    "      8000         12  0555     0     0 proc\n"
    "script:\n"
    "  display_msg \"Welcome to Muon  boot\"\n"
    "  PATH=/proc/boot\n"
    "  GREETING=\"hello world\"\n"
    "  COST=\"$5\"\n"
    "  waitfor /dev/null 5\n"
    "  waitfor /dev/ser1 0.250\n"
    "  reopen /dev/console\n"
    "  reopen /dev/ser1\n"
    "  [pri=20f] proc -v \"two words\" \"single $quoted\" \"a b\" &\n"
    "  [pri=10r] bin/sh -c \"echo \\\"hi\\\"\" continued\n"
    "  [pri=10o] /proc/boot/bin/secret\n"
    "  [pri=10r] bin/sh &\n"
    "  [+restart] [pri=10r] bin/sh -e &\n";

static const char prog[] = "\177ELF program";

static void test_full(void)
{
	char args[8192];
	struct ifs fs;
	struct ifs_entry e;
	struct ifs_cmd c;
	uint32_t cur = 0;
	size_t n;

	snprintf(args, sizeof(args), "-v -D T=%s -o %s/full.ifs %s/good_full.build", abs_tmp, TMP,
		 FIX);
	struct run r = mkifs(args);
	CHECK_EQ(r.status, 0);
	CHECK(same_text(r.err, "", "stderr"));
	/* The first line has the CRC, which changes with any byte: its shape. */
	CHECK(!strncmp(
	    r.out, "image: arch x86_64, 9 files, 13 script commands, 32780 bytes, crc32 0x", 70));
	const char *rest = strchr(r.out, '\n');
	CHECK(rest && same_text(rest + 1, full_listing, "listing"));

	/* Read it back. */
	char *img = slurp(TMP "/full.ifs", &n);
	if (!CHECK(img != NULL))
		return;
	CHECK_EQ(ifs_open(&fs, img, n), 0);
	CHECK_EQ(fs.flags, IFS_F_X86_64);
	CHECK_EQ(fs.entry_count, 9);
	CHECK(ifs_lookup(&fs, "proc", &e) == 0 && e.size == sizeof(prog) - 1 &&
	      !memcmp(e.data, prog, e.size) && e.mode == 0555);
	CHECK(ifs_lookup(&fs, "bin/secret", &e) == 0 && e.mode == 0700 && e.uid == 100 &&
	      e.gid == 200);
	CHECK(ifs_lookup(&fs, "etc/motd", &e) == 0 && e.size == 16 &&
	      !memcmp(e.data, "Welcome to Muon\n", 16));
	CHECK(ifs_lookup(&fs, "etc/with space", &e) == 0 && e.size == 16);
	CHECK(ifs_lookup(&fs, "files/hello.txt", &e) == 0 && !memcmp(e.data, "hello\n", 6));
	CHECK(ifs_lookup(&fs, "empty", &e) == 0 && e.size == 0 && e.mode == 0444);
	static const char inl[] = "Line one, # kept verbatim\n\tindented ${NOT_SUBSTITUTED}\n";
	CHECK(ifs_lookup(&fs, "etc/inline", &e) == 0 && e.size == sizeof(inl) - 1 &&
	      !memcmp(e.data, inl, e.size));
	CHECK(ifs_lookup(&fs, "etc/group-readable", &e) == 0 && e.mode == 0640 && e.gid == 5);

	CHECK(ifs_script_next(&fs, &cur, &c) == 1 && c.type == IFS_CMD_DISPLAY_MSG &&
	      !strcmp(c.argv[0], "Welcome to Muon  boot"));
	CHECK(ifs_script_next(&fs, &cur, &c) == 1 && c.type == IFS_CMD_SETENV &&
	      !strcmp(c.argv[0], "PATH") && !strcmp(c.argv[1], "/proc/boot"));
	CHECK(ifs_script_next(&fs, &cur, &c) == 1 && c.type == IFS_CMD_SETENV &&
	      !strcmp(c.argv[0], "GREETING") && !strcmp(c.argv[1], "hello world"));
	CHECK(ifs_script_next(&fs, &cur, &c) == 1 && c.type == IFS_CMD_SETENV &&
	      !strcmp(c.argv[1], "$5"));
	CHECK(ifs_script_next(&fs, &cur, &c) == 1 && c.type == IFS_CMD_WAITFOR &&
	      !strcmp(c.argv[0], "/dev/null") && c.value == 5000);
	CHECK(ifs_script_next(&fs, &cur, &c) == 1 && c.type == IFS_CMD_WAITFOR && c.value == 250);
	CHECK(ifs_script_next(&fs, &cur, &c) == 1 && c.type == IFS_CMD_REOPEN && c.argc == 1 &&
	      !strcmp(c.argv[0], "/dev/console"));
	CHECK(ifs_script_next(&fs, &cur, &c) == 1 && c.type == IFS_CMD_REOPEN &&
	      !strcmp(c.argv[0], "/dev/ser1"));
	CHECK(ifs_script_next(&fs, &cur, &c) == 1 && c.type == IFS_CMD_RUN && c.argc == 5);
	CHECK(c.priority == 20 && c.policy == IFS_SCHED_FIFO && c.flags == IFS_CMDF_BACKGROUND);
	CHECK(!strcmp(c.argv[0], "proc") && !strcmp(c.argv[1], "-v") &&
	      !strcmp(c.argv[2], "two words") && !strcmp(c.argv[3], "single $quoted") &&
	      !strcmp(c.argv[4], "a b"));
	CHECK(ifs_script_next(&fs, &cur, &c) == 1 && c.type == IFS_CMD_RUN && c.argc == 4);
	CHECK(c.priority == 10 && c.policy == IFS_SCHED_RR && c.flags == 0);
	CHECK(!strcmp(c.argv[2], "echo \"hi\"") && !strcmp(c.argv[3], "continued"));
	CHECK(ifs_script_next(&fs, &cur, &c) == 1 && c.priority == 10 &&
	      c.policy == IFS_SCHED_OTHER && !strcmp(c.argv[0], "/proc/boot/bin/secret"));
	CHECK(ifs_script_next(&fs, &cur, &c) == 1 && c.priority == 10 && c.policy == IFS_SCHED_RR &&
	      c.flags == IFS_CMDF_BACKGROUND && c.argc == 1);
	CHECK(ifs_script_next(&fs, &cur, &c) == 1 && c.argc == 2 &&
	      c.flags == (IFS_CMDF_BACKGROUND | IFS_CMDF_RESTART) && !strcmp(c.argv[0], "bin/sh"));
	CHECK_EQ(ifs_script_next(&fs, &cur, &c), 0);
	run_free(&r);

	/* Same input, same bytes; OUT after the buildfile works like -o. */
	snprintf(args, sizeof(args), "-D T=%s %s/good_full.build %s/full2.ifs", abs_tmp, FIX, TMP);
	r = mkifs(args);
	CHECK(r.status == 0 && !*r.out && !*r.err);
	size_t n2;
	char *img2 = slurp(TMP "/full2.ifs", &n2);
	CHECK(img2 && n2 == n && !memcmp(img, img2, n));
	free(img2);
	run_free(&r);

	/* -l lists an existing image the way -v did. */
	r = mkifs("-l " TMP "/full.ifs");
	CHECK_EQ(r.status, 0);
	rest = strchr(r.out, '\n');
	CHECK(rest && same_text(rest + 1, full_listing, "-l listing"));
	run_free(&r);

	/* -l refuses a damaged image with the reader's message. */
	img[n - 1] ^= 1;
	FILE *f = fopen(TMP "/damaged.ifs", "wb");
	CHECK(f && fwrite(img, 1, n, f) == n && !fclose(f));
	r = mkifs("-l " TMP "/damaged.ifs");
	CHECK_EQ(r.status, 1);
	CHECK(same_text(r.err, "mkifs: " TMP "/damaged.ifs: CRC mismatch: the image is damaged\n",
			"stderr"));
	run_free(&r);
	free(img);
}

static void test_small_good(void)
{
	struct ifs fs;
	struct ifs_cmd c;
	uint32_t cur = 0;
	size_t n;

	struct run r = mkifs(FIX "/good_minimal.build " TMP "/minimal.ifs");
	CHECK(r.status == 0 && !*r.err);
	char *img = slurp(TMP "/minimal.ifs", &n);
	CHECK(img && ifs_open(&fs, img, n) == 0);
	CHECK(fs.flags == IFS_F_AARCH64 && fs.entry_count == 0);
	CHECK(ifs_script_next(&fs, &cur, &c) == 1 && c.type == IFS_CMD_DISPLAY_MSG &&
	      !strcmp(c.argv[0], "nothing to run"));
	CHECK(n < 200);
	free(img);
	run_free(&r);

	/* Programs not in the image: warnings, and the image is still built. */
	r = mkifs(FIX "/good_warn.build " TMP "/warn.ifs");
	CHECK_EQ(r.status, 0);
	CHECK(same_text(r.err, FIX "/good_warn.build:4: warning: 'nothere' is not in the image\n",
			"stderr"));
	CHECK(exists(TMP "/warn.ifs"));
	img = slurp(TMP "/warn.ifs", &n);
	CHECK(img && ifs_open(&fs, img, n) == 0 && fs.flags == 0 && fs.entry_count == 1);
	free(img);
	run_free(&r);
}

/* --- bad buildfiles and usage --------------------------------------------------------- */

static void test_bad_file(const char *name)
{
	char path[1024], want[2048], args[4096];
	char *text;

	snprintf(path, sizeof(path), "%s/%s", FIX, name);
	text = slurp(path, NULL);
	if (!CHECK(text && !strncmp(text, "# expect: ", 10))) {
		printf("#   %s: no '# expect: ' first line\n", path);
		free(text);
		return;
	}
	char *msg = text + 10, *nl = strchr(msg, '\n');
	if (nl)
		*nl = 0;
	/* "12: message" carries a line number; "message" is about the file. */
	size_t digits = strspn(msg, "0123456789");
	if (digits && msg[digits] == ':')
		snprintf(want, sizeof(want), "%s:%s\n", path, msg);
	else
		snprintf(want, sizeof(want), "%s: %s\n", path, msg);

	/* An old output must be removed, not left looking up to date. */
	FILE *f = fopen(TMP "/bad.ifs", "w");
	if (f)
		fclose(f);
	snprintf(args, sizeof(args), "-v -o %s/bad.ifs %s", TMP, path);
	struct run r = mkifs(args);
	int ok = r.status == 1 && !strcmp(r.err, want) && !*r.out && !exists(TMP "/bad.ifs");
	ht_check(ok, name, __FILE__, __LINE__);
	if (!ok)
		printf("#   status %d, stdout '%s'\n#   stderr: %s#   wanted: %s", r.status, r.out,
		       r.err, want);
	run_free(&r);
	free(text);
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_bad(void)
{
	DIR *d = opendir(FIX);
	struct dirent *de;
	char *names[256];
	int n = 0;

	if (!CHECK(d != NULL))
		return;
	while ((de = readdir(d)) && n < 256) {
		size_t len = strlen(de->d_name);
		if (!strncmp(de->d_name, "bad_", 4) && len > 6 &&
		    !strcmp(de->d_name + len - 6, ".build"))
			names[n++] = strdup(de->d_name);
	}
	closedir(d);
	qsort(names, (size_t)n, sizeof(names[0]), cmp_names);
	CHECK(n >= 40);
	for (int i = 0; i < n; i++) {
		test_bad_file(names[i]);
		free(names[i]);
	}
}

static void test_usage(void)
{
	struct run r = mkifs("");
	CHECK(r.status == 2 && strstr(r.err, "usage: mkifs"));
	run_free(&r);
	r = mkifs(FIX "/good_minimal.build");
	CHECK(r.status == 2 &&
	      same_text(r.err, "mkifs: no output file (-o OUT or BUILDFILE OUT)\n", "stderr"));
	run_free(&r);
	r = mkifs("-D NOEQUALS " FIX "/good_minimal.build x.ifs");
	CHECK(r.status == 2 &&
	      same_text(r.err, "mkifs: -D wants NAME=VALUE, not 'NOEQUALS'\n", "stderr"));
	run_free(&r);
	r = mkifs("-o a.ifs " FIX "/good_minimal.build b.ifs");
	CHECK(r.status == 2 &&
	      same_text(r.err, "mkifs: two output files: -o a.ifs and b.ifs\n", "stderr"));
	run_free(&r);
	r = mkifs("-h");
	CHECK(r.status == 0 && strstr(r.out, "usage: mkifs"));
	run_free(&r);
	r = mkifs(TMP "/nonexistent.build " TMP "/x.ifs");
	CHECK(r.status == 1 &&
	      same_text(r.err, TMP "/nonexistent.build: cannot open: No such file or directory\n",
			"stderr"));
	run_free(&r);
	r = mkifs("-l " FIX "/good_minimal.build");
	CHECK(r.status == 1 &&
	      same_text(r.err,
			"mkifs: " FIX "/good_minimal.build: not a Muon boot image (bad magic)\n",
			"stderr"));
	run_free(&r);
}

/* The root: the current directory if it has the fixtures, else two levels
 * above this binary (build/host/test_mkifs). */
static int find_root(const char *argv0)
{
	char path[4096];

	if (exists(FIX "/good_full.build"))
		return 0;
	if (!realpath(argv0, path))
		return -1;
	for (int i = 0; i < 3; i++) {
		char *s = strrchr(path, '/');
		if (!s)
			return -1;
		*s = 0;
	}
	return chdir(path[0] ? path : "/");
}

int main(int argc, char **argv)
{
	(void)argc;
	if (find_root(argv[0]) < 0 || !exists(MKIFS)) {
		printf("Bail out! run from the project root after make host-build (no %s)\n",
		       MKIFS);
		return 1;
	}
	mkdir(TMP, 0777);
	if (!realpath(TMP, abs_tmp)) {
		printf("Bail out! cannot resolve %s\n", TMP);
		return 1;
	}
	/* The "program" the full buildfile packs: an ELF magic and text. */
	FILE *f = fopen(TMP "/prog", "wb");
	if (!f || fwrite(prog, 1, sizeof(prog) - 1, f) != sizeof(prog) - 1 || fclose(f)) {
		printf("Bail out! cannot write %s/prog\n", TMP);
		return 1;
	}
	test_full();
	test_small_good();
	test_bad();
	test_usage();
	return ht_done();
}
