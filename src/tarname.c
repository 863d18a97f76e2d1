/* SPDX-License-Identifier: MIT */
/* tarname.c: an archive's format, compression and levels from its name. */
#include "tarname.h"

#include <stddef.h>
#include <string.h>
#include <strings.h>

#include "banned.h"
#include "util.h"

static bool ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && strcmp(s + a - b, suffix) == 0;
}

/*
 * The compressions' suffixes, as ucp_tar_compress_for reads them; tar:
 * the suffix says tar too (.tgz), not only the compression.
 */
static const struct {
	const char *suffix;
	enum ucp_tar_compress c;
	bool tar;
} suffixes[] = {
	{ ".gz", UCP_COMPRESS_GZIP, false },
	{ ".tgz", UCP_COMPRESS_GZIP, true },
	{ ".taz", UCP_COMPRESS_GZIP, true },
	{ ".bz2", UCP_COMPRESS_BZIP2, false },
	{ ".tbz2", UCP_COMPRESS_BZIP2, true },
	{ ".tbz", UCP_COMPRESS_BZIP2, true },
	{ ".tz2", UCP_COMPRESS_BZIP2, true },
	{ ".xz", UCP_COMPRESS_XZ, false },
	{ ".txz", UCP_COMPRESS_XZ, true },
	{ ".zst", UCP_COMPRESS_ZSTD, false },
	{ ".tzst", UCP_COMPRESS_ZSTD, true },
	{ ".lz4", UCP_COMPRESS_LZ4, false },
};

/* Whether the first n bytes of s end with suffix. */
static bool ends_with_n(const char *s, size_t n, const char *suffix)
{
	size_t b = strlen(suffix);

	return n >= b && memcmp(s + n - b, suffix, b) == 0;
}

enum ucp_tar_format ucp_tar_format_for(enum ucp_tar_format f, const char *name)
{
	size_t n = strlen(name), i;

	if (f != UCP_TAR_AUTO)
		return f;
	if (ends_with(name, ".zip"))
		return UCP_TAR_ZIP;
	/* (A compressed cpio: x.cpio.gz, as cpio -o | gzip makes one.) */
	for (i = 0; i < ARRAY_SIZE(suffixes); i++)
		if (!suffixes[i].tar && ends_with(name, suffixes[i].suffix)) {
			n -= strlen(suffixes[i].suffix);
			break;
		}
	return ends_with_n(name, n, ".cpio") ? UCP_TAR_CPIO : UCP_TAR_PAX;
}

enum ucp_tar_compress ucp_tar_compress_for(enum ucp_tar_compress c,
					   const char *name)
{
	size_t i;

	if (c != UCP_COMPRESS_AUTO)
		return c;
	for (i = 0; i < ARRAY_SIZE(suffixes); i++)
		if (ends_with(name, suffixes[i].suffix))
			return suffixes[i].c;
	return UCP_COMPRESS_NONE;
}

const char *ucp_tar_unwritten_suffix(enum ucp_tar_compress c, const char *name)
{
	/* (GNU tar -a writes these through lzma, lzip, compress, lzop.) */
	static const char *const others[] = { ".lzma", ".tlz", ".lz", ".Z",
					      ".taZ",  ".lzo", ".tzo" };
	size_t n = strlen(name), i;

	if (c != UCP_COMPRESS_AUTO ||
	    ucp_tar_compress_for(c, name) != UCP_COMPRESS_NONE)
		return NULL;
	for (i = 0; i < ARRAY_SIZE(others); i++) {
		size_t b = strlen(others[i]);

		if (n >= b && strcasecmp(name + n - b, others[i]) == 0)
			return name + n - b;
	}
	for (i = 0; i < ARRAY_SIZE(suffixes); i++) {
		size_t b = strlen(suffixes[i].suffix);

		if (n >= b && strcasecmp(name + n - b, suffixes[i].suffix) == 0)
			return name + n - b;
	}
	return NULL;
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
