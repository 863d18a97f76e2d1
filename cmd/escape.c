/* SPDX-License-Identifier: MIT */
/*
 * escape.c: what of a name may reach a terminal or a JSON reader as it is.
 * Shared by the reporter and the option parser (usage errors in JSON).
 */
#include "escape.h"

#include "banned.h"

size_t ucp_printable_len(const unsigned char *s)
{
	unsigned lo = 0x80, hi = 0xbf;
	size_t n, i;

	if (s[0] < 0x80)
		return s[0] >= 0x20 && s[0] != 0x7f;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4;
	else
		return 0;
	if (s[0] == 0xc2)
		lo = 0xa0; /* C1 controls */
	else if (s[0] == 0xe0 || s[0] == 0xf0)
		lo = s[0] == 0xe0 ? 0xa0 : 0x90; /* overlong */
	else if (s[0] == 0xed)
		hi = 0x9f; /* surrogates */
	else if (s[0] == 0xf4)
		hi = 0x8f; /* past U+10FFFF */
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return n;
}

bool ucp_json_string(FILE *f, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	bool lossy = false;

	(void)fputc('"', f);
	while (*s) {
		size_t n = ucp_printable_len(s);

		if (*s == '"' || *s == '\\') {
			(void)fprintf(f, "\\%c", *s);
		} else if (n == 0 && s[0] == 0xc2 && s[1] >= 0x80 &&
			   s[1] <= 0x9f) {
			(void)fprintf(f, "\\u%04x", s[1]); /* C1 */
			n = 2;
		} else if (n == 0 && (*s < 0x20 || *s == 0x7f)) {
			(void)fprintf(f, "\\u%04x", *s);
		} else if (n == 0) {
			(void)fputs("\\ufffd", f);
			lossy = true;
		} else {
			(void)fwrite(s, 1, n, f);
		}
		s += n ? n : 1;
	}
	(void)fputc('"', f);
	return lossy;
}

void ucp_json_name(FILE *f, const char *key, const char *name)
{
	const unsigned char *s = (const unsigned char *)name;

	(void)fprintf(f, "\"%s\":", key);
	if (!name) {
		(void)fputs("null", f);
		return;
	}
	if (!ucp_json_string(f, name))
		return;
	/* Not valid UTF-8: the exact bytes as well, in hexadecimal. */
	(void)fprintf(f, ",\"%s_hex\":\"", key);
	for (; *s; s++)
		(void)fprintf(f, "%02x", *s);
	(void)fputc('"', f);
}

void ucp_put_escaped(FILE *f, const char *str, bool quoted)
{
	const unsigned char *s = (const unsigned char *)str;

	while (*s) {
		size_t n = ucp_printable_len(s);

		if ((*s == '\'' || *s == '\\') && quoted)
			(void)fprintf(f, "\\%c", *s);
		else if (*s == '\n')
			(void)fputs("\\n", f);
		else if (*s == '\t')
			(void)fputs("\\t", f);
		else if (*s == '\r')
			(void)fputs("\\r", f);
		else if (n == 0)
			(void)fprintf(f, "\\x%02x", *s);
		else
			(void)fwrite(s, 1, n, f);
		s += n ? n : 1;
	}
}
