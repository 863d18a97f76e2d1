/* SPDX-License-Identifier: MIT */
/*
 * fuzz_list.c: libFuzzer harness for the archive reader as --list runs it:
 * ucp_tar_members over the input (tarin.c, then libarchive finding the
 * format and compression), with every member and message rendered by
 * cmd/report.c as on a terminal.
 *
 * Input: one settings byte (-v), then the archive. Checked: the run ends
 * with a verdict; every line written is valid UTF-8 with no control
 * character, whatever the member names, link targets, owner names and
 * library messages in the archive; a failing verdict comes with a message
 * on stderr; nothing leaks (LeakSanitizer). libarchive itself is fuzzed
 * upstream; this is about what ucp does with what it returns.
 */
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "options.h"
#include "progress.h"
#include "report.h"
#include "tar.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The renderer asks the engine for progress only when it draws some. */
void ucp_snapshot(struct ucp_ctx *ctx, struct ucp_snapshot *snap)
{
	(void)ctx;
	memset(snap, 0, sizeof(*snap));
}

/* Nor is a run ever cancelled here. */
bool ucp_cancel_requested(struct ucp_ctx *ctx)
{
	(void)ctx;
	return false;
}

/* Each line: valid UTF-8, no control character; the text ends a line. */
static void check_lines(const char *buf, size_t len)
{
	const unsigned char *s = (const unsigned char *)buf;
	size_t i = 0;

	while (i < len) {
		unsigned lo = 0x80, hi = 0xbf;
		size_t n = 1, k;

		if (s[i] == '\n') {
			i++;
			continue;
		}
		if (s[i] < 0x20 || s[i] == 0x7f)
			abort();
		if (s[i] >= 0x80) {
			if (s[i] >= 0xc2 && s[i] <= 0xdf)
				n = 2;
			else if (s[i] >= 0xe0 && s[i] <= 0xef)
				n = 3;
			else if (s[i] >= 0xf0 && s[i] <= 0xf4)
				n = 4;
			else
				abort();
			if (s[i] == 0xc2)
				lo = 0xa0; /* C1 controls */
			else if (s[i] == 0xe0)
				lo = 0xa0;
			else if (s[i] == 0xed)
				hi = 0x9f;
			else if (s[i] == 0xf0)
				lo = 0x90;
			else if (s[i] == 0xf4)
				hi = 0x8f;
			if (len - i < n || s[i + 1] < lo || s[i + 1] > hi)
				abort();
			for (k = 2; k < n; k++)
				if ((s[i + k] & 0xc0) != 0x80)
					abort();
		}
		i += n;
	}
	if (len > 0 && s[len - 1] != '\n')
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static atomic_int cancel;
	struct ucp_counters cnt;
	struct ucp_config cfg;
	struct ucp_events ev;
	struct ucp_tar_env env = {
		.cfg = &cfg, .ev = &ev, .cancel = &cancel, .cnt = &cnt
	};
	struct ucp_report *r;
	struct ucp_opts o;
	FILE *saved_out = stdout, *saved_err = stderr;
	char *out = NULL, *err = NULL, path[64];
	size_t outlen = 0, errlen = 0;
	enum ucp_status st;
	int fd;

	if (size == 0)
		return 0;
	fd = memfd_create("archive", MFD_CLOEXEC);
	if (fd < 0 ||
	    (size > 1 && write(fd, data + 1, size - 1) != (ssize_t)size - 1))
		abort();
	(void)snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);

	memset(&cnt, 0, sizeof(cnt));
	memset(&cfg, 0, sizeof(cfg));
	memset(&o, 0, sizeof(o));
	o.cfg.verbose = data[0] & 1;
	o.progress = UCP_PROGRESS_NONE;
	o.mode = UCP_CLI_LIST;
	stdout = open_memstream(&out, &outlen);
	stderr = open_memstream(&err, &errlen);
	if (!stdout || !stderr)
		abort();
	r = ucp_report_new(&o);
	if (!r)
		abort();
	ucp_report_events(r, &ev);
	ev.tick = NULL;
	st = ucp_tar_members(&env, path);
	ucp_report_free(r);
	if (fclose(stdout) != 0 || fclose(stderr) != 0)
		abort();
	stdout = saved_out;
	stderr = saved_err;
	(void)close(fd);

	if (st != UCP_OK && st != UCP_PARTIAL && st != UCP_FATAL)
		abort();
	if (st != UCP_OK && errlen == 0)
		abort();
	check_lines(out, outlen);
	check_lines(err, errlen);
	free(out);
	free(err);
	return 0;
}
