/* SPDX-License-Identifier: MIT */
/*
 * tarpath.h: the member-name-to-destination mapping of extraction.
 *
 * A pure function, no I/O: it decides where under the extraction
 * directory an archive member may land, or that it may not land at all.
 * The result is always a relative path without "." or ".." components,
 * without empty components and without a leading slash, so that joining
 * it to the extraction directory can never leave that directory by name.
 * (Leaving it through a symbolic link is prevented at extraction time.)
 */
#ifndef UCP_TARPATH_H
#define UCP_TARPATH_H

#include <stddef.h>

enum ucp_tarpath {
	UCP_TARPATH_OK = 0,
	UCP_TARPATH_STRIPPED, /* usable once its leading '/' was removed */
	UCP_TARPATH_SELF,     /* names the extraction directory itself */
	UCP_TARPATH_DOTDOT,   /* a ".." component: refused */
	UCP_TARPATH_NUL,      /* a NUL byte inside the name: refused */
	UCP_TARPATH_TOO_LONG, /* a component over 255 bytes, or no room */
};

/*
 * Map the member name (len bytes, which need not end in NUL) to a safe
 * relative path in out (size bytes, NUL-terminated on OK and STRIPPED).
 * "./a//b/" becomes "a/b"; "/etc/x" becomes "etc/x" with STRIPPED.
 */
enum ucp_tarpath ucp_tarpath_map(const char *name, size_t len, char *out,
				 size_t size);

/* A short English reason for a refusal verdict ("" for the others). */
const char *ucp_tarpath_reason(enum ucp_tarpath v);

#endif
