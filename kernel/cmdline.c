/* Kernel command line lookups: words separated by spaces, "key[=value]". */
#include <kernel/cmdline.h>
#include <kernel/string.h>

/* Find the word for key; return a pointer just past the key, or NULL. */
static const char *find_key(const char *s, const char *key)
{
	size_t klen = strlen(key);

	while (*s) {
		while (*s == ' ')
			s++;
		const char *w = s;
		while (*s && *s != ' ')
			s++;
		if ((size_t)(s - w) >= klen && !strncmp(w, key, klen) &&
		    (w[klen] == ' ' || w[klen] == '=' || w[klen] == '\0'))
			return w + klen;
	}
	return NULL;
}

bool cmdline_has(const char *cmdline, const char *key)
{
	return *key && find_key(cmdline, key) != NULL;
}

bool cmdline_get(const char *cmdline, const char *key, char *buf, size_t size)
{
	const char *p = *key ? find_key(cmdline, key) : NULL;

	if (!p || *p != '=' || !size)
		return false;
	p++;
	size_t n = 0;
	while (p[n] && p[n] != ' ')
		n++;
	if (n > size - 1)
		n = size - 1;
	memcpy(buf, p, n);
	buf[n] = '\0';
	return true;
}
