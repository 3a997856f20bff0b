/*
 * The environment: environ (set by __libc_start from the envp proc
 * passes), getenv, setenv, unsetenv and putenv.
 *
 * No allocator yet, so changes live in static storage: the first change
 * copies environ's pointers into a table of ENV_MAX entries, and each
 * setenv string takes one of ENV_SLOTS slots of ENV_SLOT_SIZE bytes
 * (freed again when the variable is unset or replaced). Past either
 * limit setenv and putenv fail with ENOMEM. Not thread-safe (POSIX does
 * not ask it of these calls).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define ENV_MAX	      128 /* variables in all */
#define ENV_SLOTS     32  /* setenv strings */
#define ENV_SLOT_SIZE 256 /* bytes each, "NAME=value" and its terminator */

/* "NAME=value" strings, NULL-terminated; crt0's __libc_start sets it. */
char **environ;

static char *table[ENV_MAX + 1];
static char slots[ENV_SLOTS][ENV_SLOT_SIZE];
static bool slot_used[ENV_SLOTS];

static bool valid_name(const char *name)
{
	return name && *name && !strchr(name, '=');
}

/* The entry of environ holding name (n bytes), or NULL. */
static char **find(const char *name, size_t n)
{
	if (!environ)
		return NULL;
	for (char **e = environ; *e; e++)
		if (!strncmp(*e, name, n) && (*e)[n] == '=')
			return e;
	return NULL;
}

char *getenv(const char *name)
{
	if (!valid_name(name))
		return NULL;
	size_t n = strlen(name);
	char **e = find(name, n);
	return e ? *e + n + 1 : NULL;
}

/* Make environ our table (copying the start-up one into it). */
static int own_table(void)
{
	if (environ == table)
		return 0;
	size_t n = 0;
	while (environ && environ[n])
		n++;
	if (n > ENV_MAX)
		return -1;
	for (size_t i = 0; i < n; i++)
		table[i] = environ[i];
	table[n] = NULL;
	environ = table;
	return 0;
}

/* If s is one of our slots, free it. */
static void release(char *s)
{
	for (int i = 0; i < ENV_SLOTS; i++)
		if (s == slots[i])
			slot_used[i] = false;
}

/* Put s ("NAME=value", the name n bytes) in place of NAME's entry, or
 * append it. */
static int install(const char *name, size_t n, char *s)
{
	if (own_table()) {
		errno = ENOMEM;
		return -1;
	}
	char **at = find(name, n);
	if (at) {
		release(*at);
		*at = s;
		return 0;
	}
	size_t k = 0;
	while (table[k])
		k++;
	if (k == ENV_MAX) {
		errno = ENOMEM;
		return -1;
	}
	table[k] = s;
	table[k + 1] = NULL;
	return 0;
}

int setenv(const char *name, const char *value, int overwrite)
{
	if (!valid_name(name)) {
		errno = EINVAL;
		return -1;
	}
	size_t n = strlen(name), v = strlen(value);
	if (find(name, n) && !overwrite)
		return 0;
	int slot = 0;
	while (slot < ENV_SLOTS && slot_used[slot])
		slot++;
	if (slot == ENV_SLOTS || n + 1 + v + 1 > ENV_SLOT_SIZE) {
		errno = ENOMEM;
		return -1;
	}
	char *s = slots[slot];
	memcpy(s, name, n);
	s[n] = '=';
	memcpy(s + n + 1, value, v + 1);
	slot_used[slot] = true;
	if (install(name, n, s)) {
		slot_used[slot] = false;
		return -1;
	}
	return 0;
}

int unsetenv(const char *name)
{
	if (!valid_name(name)) {
		errno = EINVAL;
		return -1;
	}
	size_t n = strlen(name);
	char **at = find(name, n);
	if (!at)
		return 0;
	if (own_table()) {
		errno = ENOMEM;
		return -1;
	}
	/* Remove every copy. */
	while ((at = find(name, n))) {
		release(*at);
		do
			at[0] = at[1];
		while (*at++);
	}
	return 0;
}

int putenv(char *s)
{
	char *eq = strchr(s, '=');

	if (!eq || eq == s) {
		errno = EINVAL;
		return -1;
	}
	return install(s, (size_t)(eq - s), s);
}
