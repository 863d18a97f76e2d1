/* SPDX-License-Identifier: MIT */
/*
 * escape.h: printable UTF-8, and names as JSON strings.
 */
#ifndef UCP_ESCAPE_H
#define UCP_ESCAPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/*
 * Length of the printable character at s: 1 for printable ASCII, 2 to 4
 * for a valid UTF-8 sequence (no overlong form, surrogate or code point
 * past U+10FFFF) that is not a C1 control (U+0080 to U+009F, which some
 * terminals obey like ESC sequences); 0 when the byte must be escaped.
 */
size_t ucp_printable_len(const unsigned char *s);

/*
 * Write str with control characters and bytes that are not valid UTF-8 as
 * C escapes ("\n", "\x1b"); with quoted, a single quote as "\'" and a
 * backslash as "\\" too, so that a quoted name reads back one way only.
 */
void ucp_put_escaped(FILE *f, const char *str, bool quoted);

/*
 * Write str as a JSON string: valid UTF-8 as it is, but for the control
 * characters (C0, DEL and C1, as \u escapes) and a byte that is not part
 * of valid UTF-8, which becomes U+FFFD. True if there was such a byte:
 * the string is then not the name byte for byte.
 */
bool ucp_json_string(FILE *f, const char *str);

/*
 * Write "key":"name" as JSON (ucp_json_string), and when the name is not
 * valid UTF-8 also "key_hex":"<its bytes in hex>"; "key":null for a NULL
 * name.
 */
void ucp_json_name(FILE *f, const char *key, const char *name);

#endif
