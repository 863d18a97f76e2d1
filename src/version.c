/* SPDX-License-Identifier: MIT */
/*
 * version.c: the version of libarchive in use, for --version. This is the
 * only file outside the archive code that uses libarchive (archive_dl.h).
 */
#include "version.h"

#include "archive_dl.h"
#include "banned.h"

const char *ucp_archive_version(void)
{
	const char *why;

	if (ucp_archive_load(&why) < 0)
		return "libarchive: not loaded";
	/* "libarchive 3.6.2 zlib/1.2.13 liblzma/5.4.1 ..." */
	return archive_version_details();
}
