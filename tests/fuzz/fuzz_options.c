/* SPDX-License-Identifier: MIT */
/*
 * fuzz_options.c: libFuzzer harness for ucp_opts_parse. The input, split
 * on NUL bytes, is the argument list (argv[0] is added); its first byte
 * picks the value of UCP_ENGINE. Checked after every parse:
 *   - it returns 0 or 2 and never exits;
 *   - 2 comes with a usage message: "ucp: ...", ending with the try-help
 *     line; 0 comes with nothing on stderr (but the UCP_ENGINE warning);
 *   - an accepted command line has the operands its mode needs, and the
 *     bounded numbers are within their bounds;
 *   - ucp_opts_free releases everything (LeakSanitizer).
 *
 * The parser opens the files named by --exclude-from, --include-from and
 * --files-from. So that it reads only small regular files, the parser
 * runs in a scratch directory of the harness's own holding a few rule and
 * list files, inputs with a '/' in any argument are skipped (no path can
 * leave that directory), and standard input is /dev/null. A crash inside
 * the parser writes its artifact in the scratch directory unless
 * -artifact_prefix is an absolute path (make fuzz gives one).
 */
#include <fcntl.h>
#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "options.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_ARGS 64

static const char try_line[] = "Try 'ucp --help' for more information.\n";

/* The files an argument may name, relative to the scratch directory. */
#define SCRATCH(name, text)                  \
	{                                    \
		name, text, sizeof(text) - 1 \
	}
static const struct {
	const char *name, *text;
	size_t len;
} scratch[] = {
	SCRATCH("rules", "# comment\n- *.o\n+ keep/\n;x\n\n/build/***\r\n"),
	SCRATCH("rules0", "+ keep\0- *.o\0!\0*~\0"),
	SCRATCH("bad", "ok\n[unclosed\n"),
	SCRATCH("list", "a\nb/c\n\nd e\n"),
	SCRATCH("dotdot", "a\n../x\n"),
};

static char scratch_dir[4096];
static int scratch_fd = -1, home_fd = -1;

/* At exit: remove the scratch directory (a crash leaves it behind). */
static void remove_scratch(void)
{
	size_t i;

	for (i = 0; i < sizeof(scratch) / sizeof(scratch[0]); i++)
		(void)unlinkat(scratch_fd, scratch[i].name, 0);
	(void)rmdir(scratch_dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *tmp = getenv("TMPDIR");
	size_t i;
	int fd;

	(void)argc;
	(void)argv;
	(void)snprintf(scratch_dir, sizeof(scratch_dir),
		       "%s/ucp-fuzz-options.XXXXXX",
		       tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(scratch_dir))
		abort();
	scratch_fd = open(scratch_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	home_fd = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (scratch_fd < 0 || home_fd < 0 || atexit(remove_scratch) != 0)
		abort();
	for (i = 0; i < sizeof(scratch) / sizeof(scratch[0]); i++) {
		int f = openat(scratch_fd, scratch[i].name,
			       O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

		if (f < 0 ||
		    write(f, scratch[i].text, scratch[i].len) !=
			    (ssize_t)scratch[i].len ||
		    close(f) != 0)
			abort();
	}
	fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (fd < 0 || dup2(fd, STDIN_FILENO) < 0)
		abort();
	(void)close(fd);
	return 0;
}

/* Does the captured stderr of a parse that returned ret look right? */
static void check_messages(int ret, const char *msg, size_t len)
{
	static const char env_warning[] = "ucp: ignoring invalid UCP_ENGINE '";
	size_t tl = sizeof(try_line) - 1;

	/* The warning about UCP_ENGINE may come first, whatever follows. */
	if (strncmp(msg, env_warning, sizeof(env_warning) - 1) == 0) {
		const char *nl = memchr(msg, '\n', len);

		if (!nl)
			abort();
		len -= (size_t)(nl + 1 - msg);
		msg = nl + 1;
	}
	if (ret == 0) {
		if (len != 0)
			abort();
		return;
	}
	if (len < 5 + tl || strncmp(msg, "ucp: ", 5) != 0 ||
	    memcmp(msg + len - tl, try_line, tl) != 0)
		abort();
}

/* What an accepted command line must hold. */
static void check_accepted(const struct ucp_opts *o)
{
	if (o->help || o->version || o->list_options)
		return;
	if (o->cfg.buffer_size != 0 && o->cfg.buffer_size < (128u << 10))
		abort();
	if (o->cfg.jobs > 1024 || o->cfg.tar_level > 23)
		abort();
	if (o->nrules > o->rules_cap)
		abort();
	if (o->nrules > 0 && !o->filter)
		abort();
	switch (o->mode) {
	case UCP_CLI_COPY:
		if (o->noperands == 0 ||
		    (o->noperands == 1 && !o->cfg.target_dir))
			abort();
		if (o->cfg.no_target_dir && o->noperands > 2)
			abort();
		if (o->cfg.sync.on && o->noperands != 2)
			abort();
		if (o->cfg.hard_link && o->cfg.symbolic_link)
			abort();
		break;
	case UCP_CLI_TAR:
		if (o->noperands < 2)
			abort();
		break;
	case UCP_CLI_UNTAR:
		if (o->noperands != 2)
			abort();
		break;
	case UCP_CLI_LIST:
		if (o->noperands != 1)
			abort();
		break;
	default:
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const engines[] = { NULL, "", "threads", "bogus" };
	char *argv[MAX_ARGS + 2], *buf, *msg = NULL;
	const char *engine;
	struct ucp_opts o;
	size_t i, start, len = 0;
	int argc = 0, ret;
	FILE *saved, *m;

	if (size == 0)
		return 0;
	engine = engines[data[0] % 4];
	data++;
	size--;
	if (memchr(data, '/', size))
		return -1;
	buf = malloc(size + 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	argv[argc++] = (char *)"ucp";
	for (start = 0, i = 0; i <= size && argc <= MAX_ARGS; i++) {
		if (i == size || buf[i] == '\0') {
			if (i < size || i > start)
				argv[argc++] = buf + start;
			start = i + 1;
		}
	}
	argv[argc] = NULL;

	m = open_memstream(&msg, &len);
	if (!m)
		abort();
	saved = stderr;
	stderr = m;
	optind = 0; /* a full getopt reset, as between two processes */
	if (fchdir(scratch_fd) != 0)
		abort();
	ret = ucp_opts_parse(argc, argv, engine, &o);
	if (fchdir(home_fd) != 0)
		abort();
	stderr = saved;
	if (fclose(m) != 0)
		abort();
	if (ret != 0 && ret != 2)
		abort();
	check_messages(ret, msg, len);
	if (ret == 0)
		check_accepted(&o);
	ucp_opts_free(&o);
	free(msg);
	free(buf);
	return 0;
}
