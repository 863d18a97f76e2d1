/* SPDX-License-Identifier: MIT */
/*
 * dirchain.h: directories below a root descriptor, reached one component
 * at a time without following symbolic links (the disk side of --untar).
 *
 * A chain keeps a descriptor open for every level of the last directory
 * asked for. The next request keeps the levels it shares with that one
 * and opens only the rest, so that extracting an archive member after
 * member costs about one openat per new directory, however deep the tree:
 * no system call ever sees more than one component, and neither PATH_MAX
 * nor the length of a member name limits the depth.
 *
 * Invariants:
 * - Every level is opened with O_DIRECTORY | O_NOFOLLOW in the level
 *   above it (the root for the first), so a symbolic link or a
 *   non-directory anywhere on the way ends the request with -ENOTDIR and
 *   nothing is ever reached outside the root by a name.
 * - Paths are relative, with no empty, "." or ".." components and none
 *   over NAME_MAX bytes: what ucp_tarpath_map makes.
 * - With path_only set, levels are opened O_PATH: enough to look names up
 *   in them (fstatat, openat, linkat), and a directory the user may
 *   search but not read is reached like any other.
 * - When descriptors run out (EMFILE, ENFILE), or more than max_open
 *   levels would be open, the oldest open levels above the one being
 *   opened are closed, and reopened from the nearest open level when a
 *   later request needs them again; a reopened level must be the
 *   directory it was (st_dev, st_ino), or the request fails with
 *   -ESTALE.
 *
 * Usage:
 *
 *	struct ucp_dirchain c;
 *	ucp_dirchain_init(&c, root_fd);
 *	fd = ucp_dirchain_open(&c, "a/b", 3, true);   // creates a and a/b
 *	if (fd >= 0)
 *		openat(fd, "file", ...);                // valid until next call
 *	ucp_dirchain_release(&c);                      // root_fd stays open
 */
#ifndef UCP_DIRCHAIN_H
#define UCP_DIRCHAIN_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct ucp_dirchain_level {
	int fd;	    /* -1 when closed for want of descriptors */
	size_t end; /* the level's path is path[0..end) */
	dev_t dev;  /* what a closed level was, checked when reopened */
	ino_t ino;
};

struct ucp_dirchain {
	int root_fd; /* borrowed */
	char *path;  /* the levels' components joined by '/', not terminated */
	size_t len, cap;
	struct ucp_dirchain_level *lv; /* lv[0] is the root's child */
	size_t n, lvcap;
	size_t max_open; /* levels kept open at most (0: any number) */
	size_t nopen;	 /* levels open */
	size_t lo;	 /* the levels below lo are closed */
	bool path_only;	 /* open levels O_PATH: for lookups only */
	/* A level that may not be read (a drop box, 0300) is opened O_PATH:
	 * names can be made and looked up in it, not listed. */
	bool path_fallback;
	/* Levels opened so far: a descriptor the chain gave out is the same
	 * directory as long as the count has not moved. */
	unsigned long opens;
	/* Told of each directory the chain makes (rel[0..len)), or NULL. */
	void (*made)(void *arg, const char *rel, size_t len);
	void *made_arg;
};

/* Start an empty chain below root_fd (borrowed; it must outlive c). */
void ucp_dirchain_init(struct ucp_dirchain *c, int root_fd);

/*
 * A descriptor of the directory rel[0..len) below the root ("" is the
 * root itself), owned by the chain and valid until the next call. With
 * create, missing levels are made (mode 0777 less the umask). Returns the
 * descriptor, or -ENOTDIR (a level is a symbolic link or no directory),
 * -ENOENT (a level is missing, without create), -ENAMETOOLONG, -ENOMEM or
 * another -errno of openat or mkdirat.
 */
int ucp_dirchain_open(struct ucp_dirchain *c, const char *rel, size_t len,
		      bool create);

/* Close every level and free the chain; the root is left open. */
void ucp_dirchain_release(struct ucp_dirchain *c);

#endif
