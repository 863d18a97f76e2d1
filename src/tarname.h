/* SPDX-License-Identifier: MIT */
/*
 * tarname.h: what an archive's name says (--tar): its format and its
 * compression by suffix, and the compression levels those take. No
 * libarchive here: the CLI checks --level with it before a run.
 *
 * Layer: a leaf (types.h only).
 */
#ifndef UCP_TARNAME_H
#define UCP_TARNAME_H

#include <stdbool.h>

#include "types.h"

/* The format of an archive written as name with --format f (AUTO: by the
 * name's suffix: .zip, .cpio, else pax). */
enum ucp_tar_format ucp_tar_format_for(enum ucp_tar_format f, const char *name);
/*
 * The compression of an archive written as name with --compress c (AUTO:
 * by the name's suffix, NONE without one).
 */
enum ucp_tar_compress ucp_tar_compress_for(enum ucp_tar_compress c,
					   const char *name);
/*
 * The suffix of name that says a compression ucp does not write from a
 * name (.lzma, .lz, .Z, .lzo and their tar forms, or one of its own in
 * another case: .GZ), where nothing else gives one (c AUTO, no suffix of
 * its own); NULL otherwise. Such an archive would be written plain.
 */
const char *ucp_tar_unwritten_suffix(enum ucp_tar_compress c, const char *name);
/*
 * The compression levels [*lo, *hi] that an archive name of format f with
 * --compress c takes; false when it is not compressed (no level applies).
 */
bool ucp_tar_levels(enum ucp_tar_compress c, enum ucp_tar_format f,
		    const char *name, unsigned *lo, unsigned *hi);
/* ucp_tar_levels of archive written with cfg's format and compression. */
bool ucp_tar_level_range(const struct ucp_config *cfg, const char *archive,
			 unsigned *lo, unsigned *hi);

#endif
