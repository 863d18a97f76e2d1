/* SPDX-License-Identifier: MIT */
/*
 * plan.h: the planner. What to do with one entry is decided here, and only
 * here, from what is known of it: the source's stat, the destination's
 * stat (or that nothing is there), the options and the mode (cp, sync,
 * extraction). Nothing here does I/O: the callers look, then ask, then act
 * on the answer; a row that needs more than a stat to decide (contents
 * under --checksum, a symlink's target) says so (UCP_ACT_LOOK), and the
 * caller asks again with what it found.
 *
 * Every answer names its row (struct ucp_plan.row), which --debug prints
 * beside the way the data moved, and tests/unit/test_plan.c covers the
 * rows table by table.
 *
 * Layer: a leaf of the engine. Includes types.h only; called by the modes
 * (tree, sync) and the engines (plain) and by extraction (untar).
 */
#ifndef UCP_PLAN_H
#define UCP_PLAN_H

#include <stdbool.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "types.h"

/* What is asked: cp's rules, rsync's (--sync), or tar's (--untar). */
enum ucp_plan_mode {
	UCP_PLAN_CP = 0,
	UCP_PLAN_SYNC,
	UCP_PLAN_UNTAR,
};

/* What to do with the destination. */
enum ucp_act {
	UCP_ACT_CREATE = 0, /* nothing is there: make it */
	UCP_ACT_REPLACE,    /* make it beside, rename it over what is there */
	UCP_ACT_INPLACE,    /* rewrite the existing regular file */
	UCP_ACT_SETTLE,	    /* the same already: only attributes (ch) */
	UCP_ACT_DESCEND,    /* a directory: make or merge its twin */
	UCP_ACT_CLEAR,	    /* remove the directory in the way, then create */
	UCP_ACT_SKIP,	    /* leave the destination as it is */
	UCP_ACT_OMIT_DIR,   /* a directory without -r: not copied, an error */
	UCP_ACT_LOOK,	    /* compare contents or targets, then ask again */
	UCP_ACT_ASK,	    /* -i: ask; replace on yes */
	UCP_ACT_SAME_FILE,  /* refuse: the destination is the source */
	UCP_ACT_NONDIR_OVER_DIR, /* refuse: a directory is in the way */
};

/* How a new entry is made from the source (cp mode's choices). */
enum ucp_make {
	UCP_MAKE_COPY = 0,   /* a regular file's data */
	UCP_MAKE_HARDLINK,   /* -l: a hard link to the source */
	UCP_MAKE_SYMLINK_TO, /* -s: a symbolic link to the source */
	UCP_MAKE_ATTRS,	     /* --attributes-only: attributes, no data */
	UCP_MAKE_SYMLINK,    /* the symlink recreated */
	UCP_MAKE_NODE,	     /* a FIFO or device node (a socket: skipped) */
	UCP_MAKE_DIR,	     /* a directory */
	UCP_MAKE_STREAM,     /* cp without -r: what a FIFO or device reads */
};

/*
 * What differs between source and destination, as rsync's itemize letters
 * (bit i is letter i of "cstpoguax"); NEW: the destination is new.
 */
#define UCP_CH_CONTENT 0x01u
#define UCP_CH_SIZE 0x02u
#define UCP_CH_TIME 0x04u
#define UCP_CH_PERMS 0x08u
#define UCP_CH_OWNER 0x10u
#define UCP_CH_GROUP 0x20u
#define UCP_CH_ACL 0x80u    /* the POSIX ACLs */
#define UCP_CH_XATTR 0x100u /* the other extended attributes */
#define UCP_CH_NEW 0x8000u

/* Contents (data, or a symlink's target) as far as the caller knows. */
enum ucp_same {
	UCP_SAME_UNKNOWN = 0,
	UCP_SAME_YES,
	UCP_SAME_NO,
};

struct ucp_plan_in {
	enum ucp_plan_mode mode;
	const struct stat *src; /* the source (type in st_mode at least) */
	const struct stat *dst; /* what is there, or NULL: nothing */
	bool follow;		/* symlinks in this tree are followed (-L) */
	enum ucp_same same;	/* what a UCP_ACT_LOOK row asked for */
	bool asked;		/* -i was asked and said yes */
	uid_t euid;		/* who runs: what ownership can be changed */
	gid_t egid;
	bool cleared;	   /* dst was a directory in the way, just removed: the
			      name existed (--existing makes the file) */
	bool partial;	   /* dst is in the tree a killed first --sync left: its
			      copy, maybe cut short, not one -u or
			      --ignore-existing keeps */
	bool size_unknown; /* src's size says nothing (/proc): not compared */
	bool mirror;	   /* cp rows for a mirror's replacement, which its own
			      rows chose: -u is theirs, not cp's */
	bool other_name;   /* dst, the source's inode, is another name of it
			      (a hard link, not the same directory entry):
			      --remove-destination or a backup replaces it */
};

struct ucp_plan {
	enum ucp_act act;
	enum ucp_make make;
	unsigned ch;	 /* UCP_CH_* bits (stat-visible ones; not XATTR) */
	const char *row; /* the row taken, for --debug and the tests */
};

/* Decide for one entry under the options of cfg. */
void ucp_plan(const struct ucp_config *cfg, const struct ucp_plan_in *in,
	      struct ucp_plan *out);

/*
 * The attributes --preserve asks for that differ between src and dst and
 * that a user with ids euid/egid can change: UCP_CH_PERMS, _OWNER,
 * _GROUP and _TIME (within --modify-window). Xattrs are the caller's.
 */
unsigned ucp_plan_attrs(const struct ucp_config *cfg, const struct stat *src,
			const struct stat *dst, uid_t euid, gid_t egid);

/*
 * cp mode: whether -n, or -u with dst not older than src, keeps dst, which
 * cp decides before it looks at what dst is (a directory in the way of a
 * file kept so is no error).
 */
bool ucp_plan_update_keeps(const struct ucp_config *cfg, const struct stat *src,
			   const struct stat *dst);

/*
 * Whether two times a and b are one: to the nanosecond, or the one the
 * other cut to the resolution of a file system that keeps fewer digits,
 * where the change time of its side (ac, bc; NULL: not known) shows its
 * file system keeps no more.
 */
bool ucp_plan_same_instant(const struct timespec *a, const struct timespec *ac,
			   const struct timespec *b, const struct timespec *bc);

/*
 * Whether a change time c may be of a change made at or after since: c
 * read as cut to the unit its trailing zeros show (a file system that
 * keeps whole seconds reads a change at 20.5 s as 20 s), the change may
 * lie anywhere in that unit.
 */
bool ucp_plan_changed_since(const struct timespec *c,
			    const struct timespec *since);

/* Whether two mtimes are the same under --modify-window (as above). */
bool ucp_plan_same_time(const struct ucp_config *cfg, const struct timespec *a,
			const struct timespec *ac, const struct timespec *b,
			const struct timespec *bc);

/* ucp_plan_same_time of the mtimes of a and b, with their change times. */
bool ucp_plan_same_mtime(const struct ucp_config *cfg, const struct stat *a,
			 const struct stat *b);

#endif
