/* SPDX-License-Identifier: MIT */
/*
 * fileslist.c: the streaming name-list reader (see fileslist.h). One read
 * buffer refilled with read(2), one bounded entry buffer; an entry that
 * outgrows it is skipped to its terminator and reported.
 */
#include "fileslist.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "banned.h"

#define READ_BUF_SIZE ((size_t)64 * 1024)

struct ucp_fileslist {
	int fd;
	unsigned flags;
	int err;	 /* sticky read error, or 0 */
	bool eof;	 /* read(2) returned 0 */
	bool skip_lf;	 /* the last entry ended with CR: eat one LF */
	size_t line;	 /* number of the entry being read */
	size_t pos, end; /* unread bytes are buf[pos..end) */
	char *buf;	 /* READ_BUF_SIZE bytes */
	char *name;	 /* UCP_FILESLIST_NAME_MAX + 1 bytes */
};

int ucp_fileslist_new(struct ucp_fileslist **out, int fd, unsigned flags)
{
	struct ucp_fileslist *fl = calloc(1, sizeof(*fl));

	if (!fl)
		return -ENOMEM;
	fl->buf = malloc(READ_BUF_SIZE);
	fl->name = malloc(UCP_FILESLIST_NAME_MAX + 1);
	if (!fl->buf || !fl->name) {
		ucp_fileslist_free(fl);
		return -ENOMEM;
	}
	fl->fd = fd;
	fl->flags = flags;
	fl->line = 1;
	*out = fl;
	return 0;
}

void ucp_fileslist_free(struct ucp_fileslist *fl)
{
	if (!fl)
		return;
	free(fl->buf);
	free(fl->name);
	free(fl);
}

static const volatile sig_atomic_t *stop_flag;

void ucp_fileslist_stop_on(const volatile sig_atomic_t *flag)
{
	stop_flag = flag;
}

/*
 * Wait until fd can be read without blocking, or the stop flag is set
 * (-EINTR). The signals are held from the test of the flag to the wait,
 * which lets them in (ppoll): one that comes between the two is not lost
 * while a read waits on a stalled pipe. 0, -EINTR or -errno.
 */
static int wait_readable(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	sigset_t all, old;
	int ret;

	(void)sigfillset(&all);
	ret = pthread_sigmask(SIG_BLOCK, &all, &old);
	if (ret)
		return -ret;
	while (ret == 0 && !*stop_flag)
		if (ppoll(&p, 1, NULL, &old) < 0 && errno != EINTR)
			ret = -errno;
		else if (p.revents)
			break;
	if (ret == 0 && *stop_flag)
		ret = -EINTR;
	(void)pthread_sigmask(SIG_SETMASK, &old, NULL);
	return ret;
}

/* Refill the read buffer: 1 with bytes, 0 at end of file, or -errno. */
static int fill(struct ucp_fileslist *fl)
{
	ssize_t n;
	int ret;

	do {
		if (stop_flag && (ret = wait_readable(fl->fd)) < 0)
			return ret;
		n = read(fl->fd, fl->buf, READ_BUF_SIZE);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	fl->pos = 0;
	fl->end = (size_t)n;
	if (n == 0)
		fl->eof = true;
	return n > 0;
}

/* Offset of the first terminator in p[0..n), or n. */
static size_t find_term(const char *p, size_t n, bool from0)
{
	size_t i;

	if (from0) {
		const char *t = memchr(p, '\0', n);

		return t ? (size_t)(t - p) : n;
	}
	for (i = 0; i < n; i++) {
		if (p[i] == '\n' || p[i] == '\r')
			break;
	}
	return i;
}

/*
 * Have unread bytes in the buffer, after eating the LF of a CR LF pair:
 * 1 when there are, 0 at the end of the list, or -errno.
 */
static int ready(struct ucp_fileslist *fl)
{
	int ret;

	for (;;) {
		if (fl->pos == fl->end) {
			if (fl->eof)
				return 0;
			ret = fill(fl);
			if (ret <= 0)
				return ret;
		}
		if (!fl->skip_lf)
			return 1;
		fl->skip_lf = false;
		if (fl->buf[fl->pos] == '\n')
			fl->pos++;
	}
}

/* The entry being read. */
struct entry_state {
	size_t n;      /* bytes in fl->name */
	bool too_long; /* bytes were dropped: the entry is too long */
	bool has_nul;  /* a NUL inside a line */
};

/*
 * Append the buffered bytes up to the next terminator to the entry.
 * Returns true when a terminator (consumed) ended it.
 */
static bool take(struct ucp_fileslist *fl, struct entry_state *st)
{
	bool from0 = fl->flags & UCP_FILESLIST_FROM0;
	const char *p = fl->buf + fl->pos;
	size_t avail = fl->end - fl->pos, t = find_term(p, avail, from0);

	if (!from0 && memchr(p, '\0', t))
		st->has_nul = true;
	if (t > UCP_FILESLIST_NAME_MAX - st->n)
		st->too_long = true;
	if (!st->too_long) {
		memcpy(fl->name + st->n, p, t);
		st->n += t;
	}
	fl->pos += t;
	if (t == avail)
		return false;
	fl->skip_lf = fl->buf[fl->pos] == '\r';
	fl->pos++;
	return true;
}

/*
 * Read the next raw entry into fl->name (NUL-terminated, *len bytes) and
 * its number into *line. Returns 1 for an entry, 0 at the end,
 * -ENAMETOOLONG or -EINVAL (a NUL in a line) for a bad entry, or a read
 * error.
 */
static int read_entry(struct ucp_fileslist *fl, size_t *len, size_t *line)
{
	struct entry_state st = { 0 };
	bool started = false;
	int ret;

	*line = fl->line;
	for (;;) {
		ret = ready(fl);
		if (ret < 0)
			return ret;
		if (ret == 0 && !started)
			return 0;
		/* At the end, the last entry needs no terminator. */
		if (ret == 0)
			break;
		started = true;
		if (take(fl, &st))
			break;
	}
	fl->line++;
	fl->name[st.n] = '\0';
	*len = st.n;
	if (st.too_long)
		return -ENAMETOOLONG;
	if (st.has_nul)
		return -EINVAL;
	return 1;
}

/*
 * Normalise the path in name[0..*len) in place (see fileslist.h).
 * Returns 0, or -EINVAL for a ".." component.
 */
static int normalise(char *name, size_t *len, bool *trailing_slash)
{
	size_t in = 0, out = 0, n = *len;

	while (in < n) {
		size_t c;

		while (in < n && name[in] == '/')
			in++;
		for (c = in; c < n && name[c] != '/'; c++)
			;
		/* name[in..c) is one component, maybe empty. */
		if (c - in == 2 && name[in] == '.' && name[in + 1] == '.')
			return -EINVAL;
		if (c > in && !(c - in == 1 && name[in] == '.')) {
			if (out > 0)
				name[out++] = '/';
			memmove(name + out, name + in, c - in);
			out += c - in;
		}
		in = c;
	}
	*trailing_slash =
		out > 0 && n > 0 &&
		(name[n - 1] == '/' ||
		 (name[n - 1] == '.' && (n == 1 || name[n - 2] == '/')));
	name[out] = '\0';
	*len = out;
	return 0;
}

int ucp_fileslist_next(struct ucp_fileslist *fl, struct ucp_fileslist_entry *e)
{
	bool from0 = fl->flags & UCP_FILESLIST_FROM0;
	size_t len = 0, line = 0;
	int ret;

	memset(e, 0, sizeof(*e));
	if (fl->err)
		return fl->err;
	for (;;) {
		ret = read_entry(fl, &len, &line);
		e->line = line;
		if (ret == -ENAMETOOLONG || ret == -EINVAL)
			return ret;
		if (ret < 0) {
			fl->err = ret;
			return ret;
		}
		if (ret == 0)
			return 0;
		if (len == 0)
			continue;
		if (!from0 && (fl->name[0] == '#' || fl->name[0] == ';'))
			continue;
		break;
	}
	/* Only an empty line is skipped: "." or "/" names the root. */
	if (!(fl->flags & UCP_FILESLIST_RAW)) {
		ret = normalise(fl->name, &len, &e->trailing_slash);
		if (ret < 0)
			return ret;
	}
	e->name = fl->name;
	e->len = len;
	return 1;
}
