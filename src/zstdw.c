/* SPDX-License-Identifier: MIT */
/* zstdw.c: a checksummed zstd stream through libzstd (see zstdw.h). */
#include "zstdw.h"

#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <zstd.h>

#include "banned.h"

#ifndef UCP_ZSTD_SONAME
#define UCP_ZSTD_SONAME "libzstd.so.1"
#endif

/* The libzstd functions used, called through pointers load fills. */
#define ZSTD_FUNCS(X)             \
	X(ZSTD_CCtx_reset)        \
	X(ZSTD_CCtx_setParameter) \
	X(ZSTD_CStreamOutSize)    \
	X(ZSTD_compressStream2)   \
	X(ZSTD_createCCtx)        \
	X(ZSTD_freeCCtx)          \
	X(ZSTD_getErrorName)      \
	X(ZSTD_isError)

#define ZSTD_PTR(name) static __typeof__(name) *p_##name;
ZSTD_FUNCS(ZSTD_PTR)
#undef ZSTD_PTR

static pthread_once_t once = PTHREAD_ONCE_INIT;
static char failure[256];

struct ucp_zstdw {
	ZSTD_CCtx *cctx;
	ucp_zstdw_sink sink;
	void *arg;
	void *out;
	size_t out_size;
	const char *err;
	bool threaded; /* workers asked for, and none started yet */
};

static const char *soname = UCP_ZSTD_SONAME;

#ifdef UCP_TEST_HOOKS
void ucp_zstdw_test_name(const char *name)
{
	soname = name ? name : UCP_ZSTD_SONAME;
}
#endif

static void load(void)
{
	void *h = dlopen(soname, RTLD_NOW | RTLD_LOCAL);

	if (!h) {
		const char *e = dlerror();

		(void)snprintf(failure, sizeof(failure), "%s",
			       e ? e : UCP_ZSTD_SONAME " cannot be loaded");
		return;
	}
	/* (The handle stays open: the library is used until exit.) */
#define ZSTD_FIND(name)                                                  \
	if (!failure[0] &&                                               \
	    !(p_##name = (__typeof__(p_##name))dlsym(h, #name)))         \
		(void)snprintf(failure, sizeof(failure), "%s has no %s", \
			       UCP_ZSTD_SONAME, #name);
	ZSTD_FUNCS(ZSTD_FIND)
#undef ZSTD_FIND
}

int ucp_zstdw_new(struct ucp_zstdw **out, int level, int threads,
		  ucp_zstdw_sink sink, void *arg, const char **why)
{
	struct ucp_zstdw *z;

	*out = NULL;
	(void)pthread_once(&once, load);
	if (failure[0]) {
		*why = failure;
		return -ENOENT;
	}
	z = calloc(1, sizeof(*z));
	if (!z)
		return -ENOMEM;
	z->sink = sink;
	z->arg = arg;
	z->out_size = p_ZSTD_CStreamOutSize();
	z->out = malloc(z->out_size);
	z->cctx = p_ZSTD_createCCtx();
	if (!z->out || !z->cctx) {
		ucp_zstdw_free(z);
		return -ENOMEM;
	}
	(void)p_ZSTD_CCtx_setParameter(z->cctx, ZSTD_c_checksumFlag, 1);
	if (level)
		(void)p_ZSTD_CCtx_setParameter(z->cctx, ZSTD_c_compressionLevel,
					       level);
	/*
	 * Jobs of 2 MiB: zstd's default (4 windows, and more buffers) held
	 * 103 MB at the peak with 2 workers, 2 MiB 41 MB, as fast (--tar of
	 * a 310 MB tree, 2 CPUs: 1.2 s), the archive 0.6% bigger than one
	 * thread's. (A libzstd built without threads refuses: the caller
	 * then compresses.)
	 */
	if (threads > 0) {
		z->threaded = !p_ZSTD_isError(p_ZSTD_CCtx_setParameter(
			z->cctx, ZSTD_c_nbWorkers, threads));
		(void)p_ZSTD_CCtx_setParameter(z->cctx, ZSTD_c_jobSize,
					       2 << 20);
	}
	*out = z;
	return 0;
}

/*
 * The first call of a context with workers starts their threads: where a
 * limit on processes lets none start (zstd says "Allocation error"), the
 * stream is compressed in this thread instead. True to try again.
 */
static bool no_workers(struct ucp_zstdw *z)
{
	if (!z->threaded)
		return false;
	z->threaded = false;
	(void)p_ZSTD_CCtx_reset(z->cctx, ZSTD_reset_session_only);
	return !p_ZSTD_isError(
		p_ZSTD_CCtx_setParameter(z->cctx, ZSTD_c_nbWorkers, 0));
}

/* Compress in (all of it, or to the frame's end) and hand out the output. */
static int pump(struct ucp_zstdw *z, ZSTD_inBuffer *in, ZSTD_EndDirective e)
{
	for (;;) {
		ZSTD_outBuffer o = { z->out, z->out_size, 0 };
		size_t pos = in->pos;
		size_t left = p_ZSTD_compressStream2(z->cctx, &o, in, e);
		int r;

		if (p_ZSTD_isError(left) && o.pos == 0 && no_workers(z)) {
			in->pos = pos;
			continue;
		}
		z->threaded = false;
		if (p_ZSTD_isError(left)) {
			z->err = p_ZSTD_getErrorName(left);
			return -EIO;
		}
		if (o.pos > 0 && (r = z->sink(z->arg, o.dst, o.pos)) < 0)
			return r;
		if (e == ZSTD_e_end ? left == 0 : in->pos == in->size)
			return 0;
	}
}

int ucp_zstdw_write(struct ucp_zstdw *z, const void *buf, size_t len)
{
	ZSTD_inBuffer in = { buf, len, 0 };

	return pump(z, &in, ZSTD_e_continue);
}

int ucp_zstdw_end(struct ucp_zstdw *z)
{
	ZSTD_inBuffer in = { NULL, 0, 0 };

	return pump(z, &in, ZSTD_e_end);
}

const char *ucp_zstdw_error(const struct ucp_zstdw *z)
{
	return z->err;
}

void ucp_zstdw_free(struct ucp_zstdw *z)
{
	if (!z)
		return;
	if (z->cctx)
		p_ZSTD_freeCCtx(z->cctx);
	free(z->out);
	free(z);
}
