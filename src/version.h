/* SPDX-License-Identifier: MIT */
/*
 * version.h: the version of libarchive in use, for --version (version.c,
 * the one file outside the archive code that includes <archive.h>). A
 * leaf; cmd/ reaches it through ucp.h.
 */
#ifndef UCP_VERSION_H
#define UCP_VERSION_H

/* "libarchive X.Y.Z" and the compression libraries it was built with. */
const char *ucp_archive_version(void);

#endif
