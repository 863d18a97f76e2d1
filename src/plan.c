/* SPDX-License-Identifier: MIT */
/*
 * plan.c: the planner (see plan.h). Each mode's rules are one function
 * that reads top to bottom in the order the rows are tried; the first
 * row that matches decides. The row strings are what --debug prints.
 */
#include "plan.h"

#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <unistd.h>

/* ---- shared ------------------------------------------------------- */

/*
 * Whether nanoseconds a and b are one time kept at two resolutions: the
 * one whose digits end in more zeros (k of them: a file system keeping
 * times to 10^k ns) is the other cut to that. A copy's time is the
 * source's cut where the copy's file system keeps less: whole seconds
 * (ext4 with small inodes, ext3, many network and FUSE file systems),
 * 10 ms (exFAT), 100 ns (NTFS, SMB). A copy taken for another time
 * there would be copied again on every run. But only to the resolution
 * that side's file system keeps, as its change time shows too (ac, bc:
 * their nanoseconds, or -1 where not known): the kernel sets it, at its
 * file system's resolution, so the cut is to the finer of the two units
 * (either may end in more zeros by chance: one time in ten). On one that
 * keeps nanoseconds, a time of whole seconds (from tar -x of a ustar
 * archive, touch -d) is a time of its own: a source changed later in
 * that second is newer (cp -u).
 */
static long cut_unit(long ns)
{
	long unit = 1;

	while (unit < 1000000000L && ns % (unit * 10) == 0)
		unit *= 10;
	return unit;
}

static bool same_cut(long a, long b, long ac, long bc)
{
	long coarse = a, fine = b, unit = cut_unit(a), c = ac;

	if (a == b)
		return true;
	if (fine % unit == 0) { /* b is the coarser */
		coarse = b;
		fine = a;
		unit = cut_unit(b);
		c = bc;
	}
	if (c >= 0 && cut_unit(c) < unit)
		unit = cut_unit(c);
	return fine - fine % unit == coarse;
}

static long nsec_of(const struct timespec *c)
{
	return c ? c->tv_nsec : -1;
}

bool ucp_plan_same_instant(const struct timespec *a, const struct timespec *ac,
			   const struct timespec *b, const struct timespec *bc)
{
	return a->tv_sec == b->tv_sec &&
	       same_cut(a->tv_nsec, b->tv_nsec, nsec_of(ac), nsec_of(bc));
}

bool ucp_plan_changed_since(const struct timespec *c,
			    const struct timespec *since)
{
	/* (c's unit ends within its second: the unit divides c's nsec.) */
	return c->tv_sec > since->tv_sec ||
	       (c->tv_sec == since->tv_sec &&
		c->tv_nsec + cut_unit(c->tv_nsec) > since->tv_nsec);
}

bool ucp_plan_same_time(const struct ucp_config *cfg, const struct timespec *a,
			const struct timespec *ac, const struct timespec *b,
			const struct timespec *bc)
{
	long win = cfg->sync.modify_window;

	/* (The distance unsigned: two times 2^63 s apart overflow time_t.) */
	if (win > 0)
		return (a->tv_sec > b->tv_sec
				? (uint64_t)a->tv_sec - (uint64_t)b->tv_sec
				: (uint64_t)b->tv_sec - (uint64_t)a->tv_sec) <=
		       (uint64_t)win;
	return ucp_plan_same_instant(a, ac, b, bc);
}

bool ucp_plan_same_mtime(const struct ucp_config *cfg, const struct stat *a,
			 const struct stat *b)
{
	return ucp_plan_same_time(cfg, &a->st_mtim, &a->st_ctim, &b->st_mtim,
				  &b->st_ctim);
}

/* The user's supplementary groups, looked up once (kept to the end). */
static gid_t *groups;
static int ngroups;
static pthread_once_t groups_once = PTHREAD_ONCE_INIT;

static void load_groups(void)
{
	int n = getgroups(0, NULL);

	if (n <= 0)
		return;
	groups = malloc((size_t)n * sizeof(*groups));
	if (groups)
		ngroups = getgroups(n, groups);
	if (ngroups < 0)
		ngroups = 0;
}

/* Whether a user who is not root may give a file group gid. */
static bool may_give_group(gid_t gid, gid_t egid)
{
	int i;

	if (gid == egid)
		return true;
	(void)pthread_once(&groups_once, load_groups);
	for (i = 0; i < ngroups; i++)
		if (groups[i] == gid)
			return true;
	return false;
}

unsigned ucp_plan_attrs(const struct ucp_config *cfg, const struct stat *src,
			const struct stat *dst, uid_t euid, gid_t egid)
{
	unsigned what = cfg->preserve, ch = 0;
	bool root = euid == 0;
	mode_t want = src->st_mode & 07777;

	/*
	 * A copy whose owner or group could not be kept keeps no set-id
	 * bit, neither of them (meta.c, as cp -p): that is its right mode,
	 * not a difference (one bit kept here was set again on every run).
	 */
	if ((what & UCP_PRESERVE_OWNERSHIP) && !root &&
	    (src->st_uid != dst->st_uid || src->st_gid != dst->st_gid))
		want &= ~(mode_t)(S_ISUID | S_ISGID);
	if ((what & UCP_PRESERVE_MODE) && !S_ISLNK(src->st_mode) &&
	    want != (dst->st_mode & 07777))
		ch |= UCP_CH_PERMS;
	/* Only what this user could change counts as a difference. */
	if ((what & UCP_PRESERVE_OWNERSHIP) && root &&
	    src->st_uid != dst->st_uid)
		ch |= UCP_CH_OWNER;
	if ((what & UCP_PRESERVE_OWNERSHIP) && src->st_gid != dst->st_gid &&
	    (root || may_give_group(src->st_gid, egid)))
		ch |= UCP_CH_GROUP;
	if ((what & UCP_PRESERVE_TIMESTAMPS) &&
	    !ucp_plan_same_mtime(cfg, src, dst))
		ch |= UCP_CH_TIME;
	return ch;
}

static void answer(struct ucp_plan *out, enum ucp_act act, unsigned ch,
		   const char *row)
{
	out->act = act;
	out->ch = ch;
	out->row = row;
}

static bool same_inode(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

/* Whether mtime a is later than b (equal: ties count as newer when eq). */
static bool newer(const struct timespec *a, const struct timespec *b, bool eq)
{
	if (a->tv_sec != b->tv_sec)
		return a->tv_sec > b->tv_sec;
	return eq ? a->tv_nsec >= b->tv_nsec : a->tv_nsec > b->tv_nsec;
}

/* ---- cp mode ------------------------------------------------------ */

bool ucp_plan_update_keeps(const struct ucp_config *cfg, const struct stat *src,
			   const struct stat *dst)
{
	if (cfg->update == UCP_UPDATE_NONE)
		return true;
	return cfg->update == UCP_UPDATE_OLDER &&
	       (newer(&dst->st_mtim, &src->st_mtim, true) ||
		ucp_plan_same_mtime(cfg, src, dst));
}

/* How cp makes the entry src from its type and -l, -s, --attributes-only. */
static enum ucp_make cp_make(const struct ucp_config *cfg,
			     const struct ucp_plan_in *in)
{
	mode_t type = in->src->st_mode & S_IFMT;

	if (type == S_IFDIR)
		return UCP_MAKE_DIR;
	if (cfg->symbolic_link && type != S_IFSOCK)
		return UCP_MAKE_SYMLINK_TO;
	if (type == S_IFREG) {
		if (cfg->hard_link)
			return UCP_MAKE_HARDLINK;
		return cfg->attributes_only ? UCP_MAKE_ATTRS : UCP_MAKE_COPY;
	}
	if (type == S_IFLNK) {
		/* cp -al, -Pl: a hard link to the symlink itself. */
		if (cfg->hard_link && !in->follow && cfg->no_dereference)
			return UCP_MAKE_HARDLINK;
		return UCP_MAKE_SYMLINK;
	}
	/*
	 * Only -R copies a special file as one (unless --copy-contents); cp
	 * without it reads a FIFO or a device like a file (ucp /dev/null f
	 * empties f, as cp does): -l links it, --attributes-only gives a
	 * file its attributes.
	 */
	if ((!cfg->recursive || cfg->copy_contents) &&
	    (type == S_IFIFO || type == S_IFCHR || type == S_IFBLK))
		return cfg->hard_link	      ? UCP_MAKE_HARDLINK
		       : cfg->attributes_only ? UCP_MAKE_ATTRS
					      : UCP_MAKE_STREAM;
	return UCP_MAKE_NODE;
}

/*
 * cp: a directory is descended into (with -r); a new name is created; an
 * existing one is kept (-n, -u), refused (a directory, the source
 * itself), asked about (-i) or replaced.
 */
static void plan_cp(const struct ucp_config *cfg, const struct ucp_plan_in *in,
		    struct ucp_plan *out)
{
	const struct stat *src = in->src, *dst = in->dst;

	out->make = cp_make(cfg, in);
	if (out->make == UCP_MAKE_DIR) {
		if (!cfg->recursive)
			answer(out, UCP_ACT_OMIT_DIR, 0, "directory, no -r");
		else
			answer(out, UCP_ACT_DESCEND, 0, "directory");
		return;
	}
	if (!dst) {
		answer(out, UCP_ACT_CREATE, UCP_CH_NEW, "new");
		return;
	}
	if (cfg->update == UCP_UPDATE_NONE) {
		answer(out, UCP_ACT_SKIP, 0, "exists, -n keeps it");
		return;
	}
	if (!in->mirror && ucp_plan_update_keeps(cfg, src, dst)) {
		answer(out, UCP_ACT_SKIP, 0, "exists and is not older, -u");
		return;
	}
	if (S_ISDIR(dst->st_mode)) {
		answer(out, UCP_ACT_NONDIR_OVER_DIR, 0, "a directory is there");
		return;
	}
	/*
	 * (cp -bf f f: the backup keeps the file, the copy is made anew;
	 * and a hard link of the source that --remove-destination removes
	 * or a backup moves aside is replaced, as cp replaces it: the way
	 * to give a name of a cp -al snapshot a copy of its own.)
	 */
	if (same_inode(src, dst) &&
	    !(cfg->force && cfg->backup != UCP_BACKUP_NONE &&
	      S_ISREG(src->st_mode) && out->make == UCP_MAKE_COPY) &&
	    !(in->other_name &&
	      (cfg->remove_destination || cfg->backup != UCP_BACKUP_NONE))) {
		answer(out, UCP_ACT_SAME_FILE, 0, "the same file");
		return;
	}
	if (cfg->interactive && !in->asked) {
		answer(out, UCP_ACT_ASK, 0, "exists, -i asks");
		return;
	}
	/*
	 * A device or FIFO there is written into, as cp does: ucp f
	 * /dev/null, a disk image onto a disk. It keeps its attributes.
	 */
	if ((S_ISCHR(dst->st_mode) || S_ISBLK(dst->st_mode) ||
	     S_ISFIFO(dst->st_mode)) &&
	    (out->make == UCP_MAKE_COPY || out->make == UCP_MAKE_STREAM) &&
	    cfg->backup == UCP_BACKUP_NONE && !cfg->remove_destination) {
		answer(out, UCP_ACT_INPLACE, UCP_CH_CONTENT,
		       "a device or FIFO is there, written into");
		return;
	}
	/*
	 * cp rewrites an existing file, so all of its hard links see the
	 * new data; a new file renamed over one name would part them.
	 * Elsewhere a replacement through a temporary leaves no reader with
	 * a half-written file. (-b, --remove-destination and kept hard
	 * links, -a or --preserve=links, part them in cp too: the copy is
	 * to be linked as the source is, not as the destination was.)
	 */
	if (S_ISREG(dst->st_mode) && dst->st_nlink > 1 &&
	    (out->make == UCP_MAKE_COPY || out->make == UCP_MAKE_STREAM) &&
	    cfg->backup == UCP_BACKUP_NONE && !cfg->remove_destination &&
	    !(cfg->preserve & UCP_PRESERVE_LINKS)) {
		answer(out, UCP_ACT_INPLACE, UCP_CH_CONTENT,
		       "exists with other hard links, rewritten in place");
		return;
	}
	answer(out, UCP_ACT_REPLACE, UCP_CH_CONTENT, "exists, replaced");
}

/* ---- sync mode ---------------------------------------------------- */

/*
 * Whether copy dst has the time a run gave it when its attributes could
 * not all be written, its data whole (types.h): the source's time then is
 * the one it has now, so that the data is still the same.
 */
static bool attrs_marked(const struct ucp_config *cfg, const struct stat *src,
			 const struct stat *dst)
{
	struct timespec m =
		ucp_attrs_mark(cfg->sync.modify_window, src->st_mtim);

	return dst->st_mtim.tv_sec == m.tv_sec &&
	       dst->st_mtim.tv_nsec == m.tv_nsec;
}

/* UCP_CH_SIZE where the sizes differ and the source's says something. */
static unsigned size_change(const struct ucp_plan_in *in)
{
	return in->src->st_size != in->dst->st_size && !in->size_unknown
		       ? UCP_CH_SIZE
		       : 0;
}

/*
 * What rsync's quick check makes of regular file src over regular file
 * dst: the same (settle its attributes) or changed (copy it).
 */
static void sync_regular(const struct ucp_config *cfg,
			 const struct ucp_plan_in *in, struct ucp_plan *out)
{
	const struct ucp_sync_config *sc = &cfg->sync;
	const struct stat *src = in->src, *dst = in->dst;
	unsigned ch = 0;

	if (cfg->update == UCP_UPDATE_OLDER && !in->partial &&
	    newer(&dst->st_mtim, &src->st_mtim, false)) {
		answer(out, UCP_ACT_SKIP, 0, "newer copy kept, -u");
		return;
	}
	ch |= size_change(in);
	if (!ucp_plan_same_mtime(cfg, src, dst))
		ch |= UCP_CH_TIME;
	/* (Of another size, the contents differ too: rsync -c says both.) */
	if (sc->checksum && (ch & UCP_CH_SIZE))
		ch |= UCP_CH_CONTENT;
	if (sc->checksum && !(ch & UCP_CH_SIZE)) {
		if (in->same == UCP_SAME_UNKNOWN) {
			answer(out, UCP_ACT_LOOK, ch, "same size, --checksum");
			return;
		}
		if (in->same == UCP_SAME_NO)
			ch |= UCP_CH_CONTENT;
	}
	if (sc->checksum ? !(ch & (UCP_CH_SIZE | UCP_CH_CONTENT))
			 : !(ch & UCP_CH_SIZE) &&
				   (sc->size_only || !(ch & UCP_CH_TIME))) {
		answer(out, UCP_ACT_SETTLE,
		       ucp_plan_attrs(cfg, src, dst, in->euid, in->egid),
		       sc->checksum    ? "same contents, --checksum"
		       : sc->size_only ? "same size, --size-only"
				       : "same size and time");
		return;
	}
	if (!(ch & UCP_CH_SIZE) && !sc->checksum &&
	    attrs_marked(cfg, src, dst)) {
		answer(out, UCP_ACT_SETTLE,
		       ucp_plan_attrs(cfg, src, dst, in->euid, in->egid),
		       "attributes left unfinished");
		return;
	}
	/* (What the rewrite changes besides, for --itemize-changes.) */
	ch |= ucp_plan_attrs(cfg, src, dst, in->euid, in->egid);
	if (sc->inplace)
		answer(out, UCP_ACT_INPLACE, ch, "changed, --inplace");
	else
		answer(out, UCP_ACT_REPLACE, ch, "changed");
}

/* A symlink, FIFO, device or socket src over the non-directory dst. */
static void sync_node(const struct ucp_config *cfg,
		      const struct ucp_plan_in *in, struct ucp_plan *out)
{
	const struct stat *src = in->src, *dst = in->dst;
	bool same = (src->st_mode & S_IFMT) == (dst->st_mode & S_IFMT);

	if (same && S_ISLNK(src->st_mode)) {
		if (in->same == UCP_SAME_UNKNOWN) {
			answer(out, UCP_ACT_LOOK, 0, "symlink, targets unread");
			return;
		}
		same = in->same == UCP_SAME_YES;
	} else if (same && !S_ISFIFO(src->st_mode)) {
		same = src->st_rdev == dst->st_rdev;
	}
	if (same)
		answer(out, UCP_ACT_SETTLE, 0, "same node");
	else if (S_ISSOCK(src->st_mode))
		answer(out, UCP_ACT_SKIP, 0, "socket");
	else if ((src->st_mode & S_IFMT) != (dst->st_mode & S_IFMT))
		answer(out, UCP_ACT_REPLACE, UCP_CH_NEW, "type changed");
	else
		answer(out, UCP_ACT_REPLACE,
		       UCP_CH_CONTENT | ucp_plan_attrs(cfg, src, dst, in->euid,
						       in->egid),
		       "node changed");
}

/*
 * rsync -a: a directory is descended into; a new name is created (unless
 * --existing); --ignore-existing keeps what is there, of any type (only a
 * directory is merged into); a directory in the way goes with --delete; a
 * regular file goes through the quick check.
 */
static void plan_sync(const struct ucp_config *cfg,
		      const struct ucp_plan_in *in, struct ucp_plan *out)
{
	const struct ucp_sync_config *sc = &cfg->sync;
	const struct stat *src = in->src, *dst = in->dst;

	out->make = S_ISDIR(src->st_mode)   ? UCP_MAKE_DIR
		    : S_ISREG(src->st_mode) ? UCP_MAKE_COPY
		    : S_ISLNK(src->st_mode) ? UCP_MAKE_SYMLINK
					    : UCP_MAKE_NODE;
	if (!dst && sc->existing_only && !in->cleared)
		answer(out, UCP_ACT_SKIP, 0, "new, --existing");
	else if (dst && sc->ignore_existing && !in->partial &&
		 !(S_ISDIR(src->st_mode) && S_ISDIR(dst->st_mode)))
		answer(out, UCP_ACT_SKIP, 0, "exists, --ignore-existing");
	else if (S_ISDIR(src->st_mode))
		answer(out, UCP_ACT_DESCEND, 0, "directory");
	else if (!dst)
		answer(out, UCP_ACT_CREATE, UCP_CH_NEW, "new");
	else if (S_ISDIR(dst->st_mode) && !sc->delete_extraneous)
		answer(out, UCP_ACT_NONDIR_OVER_DIR, 0,
		       "a directory is there, no --delete");
	else if (S_ISDIR(dst->st_mode))
		answer(out, UCP_ACT_CLEAR, UCP_CH_NEW,
		       "a directory is there, --delete");
	else if (!S_ISREG(src->st_mode))
		sync_node(cfg, in, out);
	else if (!S_ISREG(dst->st_mode))
		answer(out, UCP_ACT_REPLACE, UCP_CH_NEW, "type changed");
	else
		sync_regular(cfg, in, out);
}

/* ---- extraction --------------------------------------------------- */

/*
 * tar -x: a member replaces a non-directory in its place (unlinked first,
 * never written through); a directory member merges into a directory; a
 * non-directory member never replaces a directory.
 */
static void plan_untar(const struct ucp_plan_in *in, struct ucp_plan *out)
{
	const struct stat *src = in->src, *dst = in->dst;

	out->make = S_ISDIR(src->st_mode)   ? UCP_MAKE_DIR
		    : S_ISREG(src->st_mode) ? UCP_MAKE_COPY
		    : S_ISLNK(src->st_mode) ? UCP_MAKE_SYMLINK
					    : UCP_MAKE_NODE;
	if (S_ISDIR(src->st_mode) && dst && !S_ISDIR(dst->st_mode))
		answer(out, UCP_ACT_REPLACE, UCP_CH_NEW,
		       "directory member, a non-directory unlinked first");
	else if (S_ISDIR(src->st_mode))
		answer(out, UCP_ACT_DESCEND, dst ? 0 : UCP_CH_NEW,
		       dst ? "directory member, merged" : "directory member");
	else if (!dst)
		answer(out, UCP_ACT_CREATE, UCP_CH_NEW, "new member");
	else if (S_ISDIR(dst->st_mode))
		answer(out, UCP_ACT_NONDIR_OVER_DIR, 0, "a directory is there");
	else
		answer(out, UCP_ACT_REPLACE, UCP_CH_CONTENT,
		       "exists, unlinked first");
}

void ucp_plan(const struct ucp_config *cfg, const struct ucp_plan_in *in,
	      struct ucp_plan *out)
{
	out->make = UCP_MAKE_COPY;
	switch (in->mode) {
	case UCP_PLAN_SYNC:
		plan_sync(cfg, in, out);
		break;
	case UCP_PLAN_UNTAR:
		plan_untar(in, out);
		break;
	default:
		plan_cp(cfg, in, out);
		break;
	}
}
