/* SPDX-License-Identifier: MIT */
/*
 * archive_dl.c: load libarchive on first use (see archive_dl.h) and find
 * each function ucp calls in it.
 */
#include "archive_dl.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

#include "banned.h"

#ifndef UCP_ARCHIVE_SONAME
#define UCP_ARCHIVE_SONAME "libarchive.so.13"
#endif

const char ucp_archive_soname[] = UCP_ARCHIVE_SONAME;
const char *ucp_archive_name = ucp_archive_soname;

#define UCP_ARCHIVE_DEF(name) __typeof__(name) *ucp_##name;
UCP_ARCHIVE_FUNCS(UCP_ARCHIVE_DEF)
#undef UCP_ARCHIVE_DEF

static pthread_once_t once = PTHREAD_ONCE_INIT;
static char failure[512];

/* Find name in h, or say which one is missing. */
static void *find(void *h, const char *name)
{
	void *p = dlsym(h, name);

	if (!p && !failure[0])
		(void)snprintf(failure, sizeof(failure),
			       "%s has no function %s", ucp_archive_name, name);
	return p;
}

static void load(void)
{
	void *h = dlopen(ucp_archive_name, RTLD_NOW | RTLD_LOCAL);

	if (!h) {
		const char *e = dlerror();

		(void)snprintf(failure, sizeof(failure), "%s",
			       e ? e : "cannot be loaded");
		return;
	}
	/* (The handle stays open: the library is used until exit.) */
#define UCP_ARCHIVE_FIND(name) \
	ucp_##name = (__typeof__(ucp_##name))find(h, #name);
	UCP_ARCHIVE_FUNCS(UCP_ARCHIVE_FIND)
#undef UCP_ARCHIVE_FIND
}

int ucp_archive_load(const char **why)
{
	(void)pthread_once(&once, load);
	if (failure[0]) {
		*why = failure;
		return -1;
	}
	return 0;
}
