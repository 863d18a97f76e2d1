/* SPDX-License-Identifier: MIT */
/*
 * version.c: the version of libarchive in use, for --version. This is the
 * only file outside the archive code that includes <archive.h>.
 */
#include "version.h"

#include <archive.h>

#include "banned.h"

const char *ucp_archive_version(void)
{
	/* "libarchive 3.6.2 zlib/1.2.13 liblzma/5.4.1 ..." */
	return archive_version_details();
}
