/* SPDX-License-Identifier: MIT */
/* tarname.c: an archive's format, compression and levels from its name. */
#include "tarname.h"

#include <stddef.h>
#include <string.h>

#include "banned.h"
#include "util.h"

static bool ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && strcmp(s + a - b, suffix) == 0;
}

enum ucp_tar_format ucp_tar_format_for(enum ucp_tar_format f, const char *name)
{
	if (f != UCP_TAR_AUTO)
		return f;
	return ends_with(name, ".zip")	  ? UCP_TAR_ZIP
	       : ends_with(name, ".cpio") ? UCP_TAR_CPIO
					  : UCP_TAR_PAX;
}

enum ucp_tar_compress ucp_tar_compress_for(enum ucp_tar_compress c,
					   const char *name)
{
	static const struct {
		const char *suffix;
		enum ucp_tar_compress c;
	} map[] = {
		{ ".gz", UCP_COMPRESS_GZIP },	{ ".tgz", UCP_COMPRESS_GZIP },
		{ ".bz2", UCP_COMPRESS_BZIP2 }, { ".tbz2", UCP_COMPRESS_BZIP2 },
		{ ".tbz", UCP_COMPRESS_BZIP2 }, { ".xz", UCP_COMPRESS_XZ },
		{ ".txz", UCP_COMPRESS_XZ },	{ ".zst", UCP_COMPRESS_ZSTD },
		{ ".tzst", UCP_COMPRESS_ZSTD }, { ".lz4", UCP_COMPRESS_LZ4 },
	};
	size_t i;

	if (c != UCP_COMPRESS_AUTO)
		return c;
	for (i = 0; i < ARRAY_SIZE(map); i++)
		if (ends_with(name, map[i].suffix))
			return map[i].c;
	return UCP_COMPRESS_NONE;
}

bool ucp_tar_levels(enum ucp_tar_compress c, enum ucp_tar_format f,
		    const char *name, unsigned *lo, unsigned *hi)
{
	/* libarchive's ranges: zstd's to 22, lz4's from 1, the rest 0-9. */
	*lo = 0;
	*hi = 9;
	if (ucp_tar_format_for(f, name) == UCP_TAR_ZIP)
		return true;
	switch (ucp_tar_compress_for(c, name)) {
	case UCP_COMPRESS_ZSTD:
		*hi = 22;
		return true;
	case UCP_COMPRESS_LZ4:
		*lo = 1;
		return true;
	case UCP_COMPRESS_GZIP:
	case UCP_COMPRESS_BZIP2:
	case UCP_COMPRESS_XZ:
		return true;
	case UCP_COMPRESS_AUTO:
	case UCP_COMPRESS_NONE:
		break;
	}
	return false;
}

bool ucp_tar_level_range(const struct ucp_config *cfg, const char *archive,
			 unsigned *lo, unsigned *hi)
{
	return ucp_tar_levels(cfg->tar_compress, cfg->tar_format, archive, lo,
			      hi);
}
