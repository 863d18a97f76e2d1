/* SPDX-License-Identifier: MIT */
/*
 * replace.h: the one way a new entry takes its final name without a
 * reader ever seeing it half made: it is made under a temporary sibling
 * name (".ucp-" 16 hex digits ".tmp": the process id and a sequence
 * number), then renamed over the final name; on any failure the
 * temporary goes and the final name keeps what it had.
 *
 * Users: the syscall engine (plain: replaced files, symlinks, nodes,
 * links, backups), the ring engine (copy: --sync files), sync mode
 * (--link-dest, stray temporaries of killed runs) and ucp.c (a first
 * --sync's new mirror).
 *
 * Layer: a leaf (libc only). Functions return 0 or -errno and report
 * nothing: the caller names the entry.
 */
#ifndef UCP_REPLACE_H
#define UCP_REPLACE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Room for a temporary name, with its NUL. */
#define UCP_TMP_NAME_MAX 32

/* Write the temporary name of sequence number seq of process pid. */
void ucp_tmp_name(char name[UCP_TMP_NAME_MAX], pid_t pid, unsigned seq);

/* What a directory entry's name says about it, for a run of process pid. */
enum ucp_tmp_kind {
	UCP_TMP_NOT = 0, /* not a temporary name */
	UCP_TMP_OWN,	 /* one of pid's own, in use */
	UCP_TMP_LIVE,	 /* another ucp's that still runs (same tree) */
	UCP_TMP_STRAY,	 /* one whose ucp is gone (a run was killed) */
};

enum ucp_tmp_kind ucp_tmp_kind(const char *name, pid_t pid);

/*
 * Rename tmp over final (both in dirfd). On failure tmp is removed and
 * final is untouched. Returns 0 or -errno of the rename.
 */
int ucp_tmp_commit(int dirfd, const char *tmp, const char *final);

/*
 * The same, but never over an existing final (-EEXIST then, tmp kept:
 * the caller decides). Where the file system has no RENAME_NOREPLACE,
 * final is looked at first (a small window remains there, none
 * elsewhere).
 */
int ucp_tmp_commit_new(int dirfd, const char *tmp, const char *final);

/* Remove tmp (a failed or abandoned entry); errors are ignored. */
void ucp_tmp_abort(int dirfd, const char *tmp);

#endif
