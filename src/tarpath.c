/* SPDX-License-Identifier: MIT */
/*
 * tarpath.c: member names to safe relative destinations (see tarpath.h).
 *
 * The name is cut into components at every '/'. Empty and "." components
 * vanish, a ".." anywhere refuses the whole member (tar strips up to the
 * last "..", which silently moves files; refusing is easier to reason
 * about), and leading slashes are dropped with a verdict the caller turns
 * into a warning. Nothing is resolved against the file system here.
 */
#include "tarpath.h"

#include <stdbool.h>
#include <string.h>

#include "banned.h"

#define NAME_MAX_BYTES 255

const char *ucp_tarpath_reason(enum ucp_tarpath v)
{
	switch (v) {
	case UCP_TARPATH_DOTDOT:
		return "'..' in the member name";
	case UCP_TARPATH_NUL:
		return "NUL byte in the member name";
	case UCP_TARPATH_TOO_LONG:
		return "member name too long";
	case UCP_TARPATH_OK:
	case UCP_TARPATH_STRIPPED:
	case UCP_TARPATH_SELF:
		break;
	}
	return "";
}

/*
 * Append the component c (clen bytes) to out[0..*o): "" and "." vanish, ".."
 * refuses the name. OK, DOTDOT or TOO_LONG.
 */
static enum ucp_tarpath append(char *out, size_t size, size_t *o, const char *c,
			       size_t clen)
{
	if (clen == 0 || (clen == 1 && c[0] == '.'))
		return UCP_TARPATH_OK;
	if (clen == 2 && c[0] == '.' && c[1] == '.')
		return UCP_TARPATH_DOTDOT;
	if (clen > NAME_MAX_BYTES)
		return UCP_TARPATH_TOO_LONG;
	/* Room for a separator, the component and the final NUL. */
	if (*o + (*o > 0) + clen + 1 > size)
		return UCP_TARPATH_TOO_LONG;
	if (*o > 0)
		out[(*o)++] = '/';
	memcpy(out + *o, c, clen);
	*o += clen;
	return UCP_TARPATH_OK;
}

enum ucp_tarpath ucp_tarpath_map(const char *name, size_t len, char *out,
				 size_t size)
{
	bool stripped = false;
	size_t i = 0, o = 0;

	if (size == 0)
		return UCP_TARPATH_TOO_LONG;
	if (memchr(name, '\0', len))
		return UCP_TARPATH_NUL;
	while (i < len && name[i] == '/') {
		stripped = true;
		i++;
	}
	while (i < len) {
		size_t start = i;
		enum ucp_tarpath v;

		while (i < len && name[i] != '/')
			i++;
		v = append(out, size, &o, name + start, i - start);
		if (v != UCP_TARPATH_OK)
			return v;
		while (i < len && name[i] == '/')
			i++;
	}
	out[o] = '\0';
	if (o == 0)
		return UCP_TARPATH_SELF;
	return stripped ? UCP_TARPATH_STRIPPED : UCP_TARPATH_OK;
}
