/* SPDX-License-Identifier: MIT */
/*
 * fileslist.h: a streaming reader of name lists (--files-from=FILE, and the
 * pattern files of --include-from/--exclude-from).
 *
 * Entries end with a newline (also a CR, or CR LF) or, with
 * UCP_FILESLIST_FROM0, with a NUL byte; the last entry need not be
 * terminated. Without FROM0, empty entries and entries starting with '#' or
 * ';' are skipped (comments); with FROM0 only empty entries are, as any
 * other name is legal there.
 *
 * Memory is fixed at creation: one read buffer and one entry of at most
 * UCP_FILESLIST_NAME_MAX bytes, whatever the size of the list.
 *
 * Unless UCP_FILESLIST_RAW, each entry is a path relative to the transfer
 * root and is normalised: leading '/' are removed (as rsync does), empty
 * and "." components are dropped ("./a//b/." is "a/b"), and a trailing
 * '/' is reported in trailing_slash. An entry with a ".." component is
 * rejected (-EINVAL), not resolved: resolving it by its text could name
 * something other than what the path reaches through a symbolic link, and
 * a list that climbs out of the source is a mistake worth reporting. An
 * entry that is only slashes and dots ("." or "/") is the root itself, an
 * empty name.
 *
 * Usage:
 *	struct ucp_fileslist *fl;
 *	struct ucp_fileslist_entry e;
 *	int ret = ucp_fileslist_new(&fl, fd, UCP_FILESLIST_FROM0);
 *	while (ret == 0 && (ret = ucp_fileslist_next(fl, &e)) != 0) {
 *		if (ret == -ENAMETOOLONG || ret == -EINVAL) {
 *			(report e.line, then go on with the next entry)
 *			ret = 0;
 *			continue;
 *		}
 *		if (ret < 0)
 *			break;		(read error: the list is unusable)
 *		use(e.name, e.len);
 *		ret = 0;
 *	}
 *	ucp_fileslist_free(fl);
 */
#ifndef UCP_FILESLIST_H
#define UCP_FILESLIST_H

#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

/* Longest entry, in bytes before normalisation. */
#define UCP_FILESLIST_NAME_MAX ((size_t)PATH_MAX * 4)

enum {
	UCP_FILESLIST_FROM0 = 1 << 0, /* NUL-terminated entries */
	UCP_FILESLIST_RAW = 1 << 1,   /* hand entries back unchanged */
};

struct ucp_fileslist_entry {
	const char *name;    /* NUL-terminated; valid until the next call */
	size_t len;	     /* bytes in name */
	size_t line;	     /* 1-based line (or entry, with FROM0) number */
	bool trailing_slash; /* written as "dir/" (never set when RAW) */
};

struct ucp_fileslist;

/*
 * Read entries from fd (borrowed: never closed here; "-" for standard
 * input is the caller's business). flags: UCP_FILESLIST_*. 0 or -ENOMEM.
 */
int ucp_fileslist_new(struct ucp_fileslist **out, int fd, unsigned flags);

/*
 * A read of a list cut short by a signal is tried again, unless *flag
 * (the process's "a signal asked us to stop", or NULL: none) is set: then
 * the list fails with -EINTR. For lists read from a pipe whose writer
 * stalls: Ctrl-C still ends the run.
 */
void ucp_fileslist_stop_on(const volatile sig_atomic_t *flag);
/* NULL is a no-op. */
void ucp_fileslist_free(struct ucp_fileslist *fl);

/*
 * Fill *e with the next entry. Returns 1 for an entry, 0 at the end of the
 * list, or a negative errno:
 *   -ENAMETOOLONG  the entry at e->line is longer than
 *                  UCP_FILESLIST_NAME_MAX; it is skipped;
 *   -EINVAL        the entry at e->line has a ".." component or a NUL
 *                  byte (newline mode); it is skipped;
 *   other          read(2) failed; every later call returns it again.
 * After -ENAMETOOLONG or -EINVAL the next call goes on with the next entry.
 */
int ucp_fileslist_next(struct ucp_fileslist *fl, struct ucp_fileslist_entry *e);

#endif
