/* SPDX-License-Identifier: MIT */
/*
 * sync.c: sync mode, comparing each entry with its destination (see
 * sync.h).
 */
#include "sync.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/fs.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "banned.h"
#include "copy.h"
#include "dirchain.h"
#include "fault.h"
#include "filter.h"
#include "fold.h"
#include "hash.h"
#include "meta.h"
#include "path.h"
#include "pathset.h"
#include "plain.h"
#include "plan.h"
#include "replace.h"
#include "subtree.h"
#include "tree.h"
#include "u64set.h"
#include "util.h"

/*
 * Entries of an existing directory read ahead, with both sides stat'ed
 * a batch at a time (see read_ahead).
 */
#define AHEAD (UCP_COPY_STAT_MAX / 2)

struct ahead {
	int serr, derr; /* errno of the source and destination stats */
	struct stat sst, dst;
	char name[NAME_MAX + 1];
};

/* A name of the mirror's listing that may be a source name's spelling. */
struct maybe_alias {
	char *name;
	unsigned char type;
};

struct sync_worker {
	/*
	 * The names of the directory the worker scans. A collision of two
	 * hashes can only keep an extraneous file, never delete a wanted one.
	 */
	struct ucp_u64set names;
	/*
	 * (The same names with their letters in one case are the worker's
	 * folds, of its folds_of: on a file system that does not tell case
	 * apart, "Docs" in the mirror is the entry the source's "docs" was
	 * copied into, case_alias.)
	 */
	struct ucp_u64set listed;  /* the names the mirror's listing holds */
	struct maybe_alias *maybe; /* listed names folds matched, for after */
	size_t nmaybe, capmaybe;
	struct ucp_dirents *dents; /* destination listing */
	struct ahead *ahead;	   /* AHEAD entries */
	unsigned nahead, next;	   /* read ahead, and handed out */
	bool ents_end;		   /* the source listing is at its end */
	/* --link-dest and kin: below each reference root (open_refs) */
	struct ucp_dirchain *refs;
	unsigned nrefs;
};

/* An entry --delete removes after the run. */
struct doomed {
	bool dir;
	char path[]; /* relative to the destination root */
};

struct ucp_sync {
	struct sync_worker *ws;
	unsigned nworkers;
	pthread_mutex_t lock; /* for the list and the count below */
	struct doomed **doomed;
	size_t ndoomed, cap;
	uint64_t cleared; /* entries deleted to make way (clear_in_the_way) */
	/* The source's root and the directories above it (note_source). */
	struct ucp_sync_dirid {
		dev_t dev;
		ino_t ino;
	} * up;
	size_t nup;
};

/* Levels above the source noted at most (ucp_sync_note_source). */
#define UP_MAX 4096

void ucp_sync_note_source(struct ucp_sync *s, int src_fd)
{
	struct stat st, prev = { 0 };
	int fd = fcntl(src_fd, F_DUPFD_CLOEXEC, 0), next;
	size_t cap = 0;

	while (fd >= 0 && s->nup < UP_MAX && fstat(fd, &st) == 0 &&
	       (s->nup == 0 || st.st_ino != prev.st_ino ||
		st.st_dev != prev.st_dev)) {
		if (s->nup == cap) {
			struct ucp_sync_dirid *p;

			cap = cap ? 2 * cap : 16;
			p = realloc(s->up, cap * sizeof(*p));
			if (!p)
				break;
			s->up = p;
		}
		s->up[s->nup].dev = st.st_dev;
		s->up[s->nup++].ino = st.st_ino;
		prev = st;
		next = openat(fd, "..", O_PATH | O_DIRECTORY | O_CLOEXEC);
		(void)close(fd); /* a directory, read-only */
		fd = next;
	}
	if (fd >= 0)
		(void)close(fd); /* a directory, read-only */
}

/* Whether directory st is the source's root or above it. */
static bool holds_source(const struct ucp_sync *s, const struct stat *st)
{
	size_t i;

	for (i = 0; i < s->nup; i++)
		if (s->up[i].ino == st->st_ino && s->up[i].dev == st->st_dev)
			return true;
	return false;
}

int ucp_sync_new(struct ucp_sync **out, unsigned nworkers)
{
	struct ucp_sync *s = calloc(1, sizeof(*s));
	unsigned i;

	if (!s)
		return -ENOMEM;
	s->nworkers = nworkers;
	s->ws = calloc(nworkers, sizeof(*s->ws));
	if (!s->ws) {
		free(s);
		return -ENOMEM;
	}
	for (i = 0; i < nworkers; i++) {
		s->ws[i].dents = malloc(sizeof(*s->ws[i].dents));
		s->ws[i].ahead = malloc(AHEAD * sizeof(*s->ws[i].ahead));
		if (!s->ws[i].dents || !s->ws[i].ahead) {
			ucp_sync_free(s);
			return -ENOMEM;
		}
	}
	pthread_mutex_init(&s->lock, NULL);
	*out = s;
	return 0;
}

void ucp_sync_free(struct ucp_sync *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->nworkers; i++) {
		unsigned r;

		ucp_u64set_release(&s->ws[i].names);
		ucp_u64set_release(&s->ws[i].listed);
		free(s->ws[i].maybe);
		free(s->ws[i].dents);
		free(s->ws[i].ahead);
		for (r = 0; r < s->ws[i].nrefs; r++)
			ucp_dirchain_release(&s->ws[i].refs[r]);
		free(s->ws[i].refs);
	}
	for (i = 0; i < s->ndoomed; i++)
		free(s->doomed[i]);
	free(s->doomed);
	free(s->ws);
	pthread_mutex_destroy(&s->lock);
	free(s->up);
	free(s);
}

static uint64_t name_hash(const char *name)
{
	return ucp_u64set_hash(name, strlen(name));
}

/*
 * Whether name in dirfd, which the source lacks though it has a name that
 * differs in case only, is the entry that name was copied into: the
 * directory does not tell case apart (FAT, exFAT, a casefolded ext4
 * directory, an SMB share), so that both spellings reach one entry; the
 * listing, whole (listed, listed_ok), holds one of them only. Then deleting
 * it would delete the copy. (Where the other spelling is an entry of its
 * own in the listing, a case-sensitive directory's, name is another file:
 * a hard link to it too.)
 */
static bool case_alias(int dirfd, const char *name,
		       const struct ucp_u64set *listed, bool listed_ok)
{
	char other[NAME_MAX + 1];
	struct stat a, b;

	ucp_fold_case(name, false, other);
	if (strcmp(other, name) == 0)
		ucp_fold_case(name, true, other);
	if (strcmp(other, name) == 0 ||
	    (listed_ok && ucp_u64set_has(listed, name_hash(other))))
		return false;
	return fstatat(dirfd, name, &a, AT_SYMLINK_NOFOLLOW) == 0 &&
	       fstatat(dirfd, other, &b, AT_SYMLINK_NOFOLLOW) == 0 &&
	       ucp_fold_one_entry(dirfd, &a, &b);
}

/* ---- reporting ---------------------------------------------------- */

static char type_char(mode_t m)
{
	switch (m & S_IFMT) {
	case S_IFREG:
		return 'f';
	case S_IFDIR:
		return 'd';
	case S_IFLNK:
		return 'L';
	case S_IFCHR:
	case S_IFBLK:
		return 'D';
	default:
		return 'S';
	}
}

/* What changed (UCP_CH_* of plan.h), as rsync's letters: c s t p o g u a x. */
#define CH_CONTENT UCP_CH_CONTENT
#define CH_SIZE UCP_CH_SIZE
#define CH_TIME UCP_CH_TIME
#define CH_PERMS UCP_CH_PERMS
#define CH_OWNER UCP_CH_OWNER
#define CH_GROUP UCP_CH_GROUP
#define CH_ACL UCP_CH_ACL
#define CH_XATTR UCP_CH_XATTR
#define CH_NEW UCP_CH_NEW
/* The attributes are written: some differ, ACLs or others. */
#define CH_ATTRS (CH_ACL | CH_XATTR)

/* rsync's symlink line: "rel -> target" (rel is taken). */
static char *with_target(struct ucp_dir *d, const char *leaf, char *rel)
{
	char target[PATH_MAX];
	ssize_t n = readlinkat(d->src_fd, leaf, target, sizeof(target) - 1);
	size_t size;
	char *line;

	if (n < 0)
		return rel;
	target[n] = '\0';
	size = strlen(rel) + (size_t)n + 5;
	line = malloc(size);
	if (line)
		(void)snprintf(line, size, "%s -> %s", rel, target);
	free(rel);
	return line;
}

static char *with_link(char *rel, const char *first)
{
	size_t size = strlen(rel) + strlen(first) + 5;
	char *line = malloc(size);

	if (line)
		(void)snprintf(line, size, "%s => %s", rel, first);
	free(rel);
	return line;
}

/*
 * The name an itemized line shows for leaf in d (NULL: d itself), and what
 * follows it: a symbolic link's target, a link group's first name, a
 * directory's slash. Malloc'd, or NULL.
 */
static char *item_name(const struct ucp_worker *w, struct ucp_dir *d,
		       const char *leaf, char y, mode_t mode)
{
	char *rel = ucp_dir_rel(d, leaf), *r;
	size_t len;

	if (!rel)
		return NULL;
	/* A later name of a link group: " => " the group's first, as rsync
	 * prints it (a symbolic link's too, in place of its target). */
	if (y == 'h' && w->link_to)
		return with_link(rel, w->link_to);
	if (S_ISLNK(mode) && leaf && y != '*')
		return with_target(d, leaf, rel);
	if (!S_ISDIR(mode))
		return rel;
	len = strlen(rel);
	r = realloc(rel, len + 3);
	if (!r) {
		free(rel);
		return NULL;
	}
	/* The root is "./", as rsync prints it. */
	memcpy(r + len, len ? "/" : "./", len ? 2 : 3);
	return r;
}

static unsigned xattrs_diff(const struct ucp_xattrs *a,
			    const struct ucp_xattrs *b,
			    const struct ucp_run *run);
static void open_refs(struct ucp_worker *w, struct ucp_dir *d);
static int contents_cmp(struct ucp_worker *w, struct ucp_dir *d,
			const char *sname, int ddir, const char *dname,
			const struct stat *sst, bool report);

/*
 * The twin of rel (the source's entry, stat sst) under the references of
 * root, rsync's basis: the first whose file has the source's size and
 * time, else the first of its type. Its descriptor and *rst, or -1.
 */
static int basis_of(const struct ucp_run *run, const struct ucp_dir *root,
		    const char *rel, const struct stat *sst, struct stat *rst)
{
	struct stat st;
	unsigned i;
	int first = -1;

	for (i = 0; i < root->nref; i++) {
		if (root->ref_fds[i] < 0 ||
		    fstatat(root->ref_fds[i], rel[0] ? rel : ".", &st,
			    AT_SYMLINK_NOFOLLOW) < 0 ||
		    (st.st_mode & S_IFMT) != (sst->st_mode & S_IFMT))
			continue;
		if (first < 0 ||
		    (S_ISREG(st.st_mode) && st.st_size == sst->st_size &&
		     ucp_plan_same_mtime(run->cfg, &st, sst))) {
			first = root->ref_fds[i];
			*rst = st;
		}
		if (!S_ISREG(st.st_mode) ||
		    (st.st_size == sst->st_size &&
		     ucp_plan_same_mtime(run->cfg, &st, sst)))
			break;
	}
	return first;
}

/*
 * --itemize-changes with --link-dest or --reflink-dest: a new entry
 * (leaf of d, or d itself) is listed as rsync lists it, against its basis
 * (basis_of): what differs from that, and 'c' for an entry made without
 * new data (a directory, a node, a file of the basis's size and time).
 * False where there is no line: such an entry that differs in nothing
 * (a file copied where no link could be made, as rsync copies its basis).
 */
static bool against_basis(struct ucp_worker *w, struct ucp_dir *d,
			  const char *leaf, char *y, unsigned *what)
{
	const struct ucp_run *run = w->run;
	const struct ucp_dir *root = d;
	struct ucp_xattrs a = { 0 }, b = { 0 };
	const char *sname = leaf ? leaf : ".";
	bool follow = leaf && d->follow;
	struct stat sst, rst;
	unsigned ch;
	char *rel;
	int rfd;

	while (root->parent)
		root = root->parent;
	if (!root->ref_fds || d->src_fd < 0 ||
	    fstatat(d->src_fd, sname, &sst, follow ? 0 : AT_SYMLINK_NOFOLLOW) <
		    0 ||
	    !(rel = ucp_dir_rel(d, leaf)))
		return true;
	rfd = basis_of(run, root, rel, &sst, &rst);
	if (rfd < 0) {
		free(rel);
		return true;
	}
	ch = ucp_plan_attrs(run->cfg, &sst, &rst, run->meta.euid,
			    run->meta.egid);
	if ((run->cfg->preserve & UCP_META_LOAD) &&
	    ucp_xattrs_load_at(d->src_fd, sname, follow, &a) == 0 &&
	    ucp_xattrs_load_at(rfd, rel[0] ? rel : ".", false, &b) == 0)
		ch |= xattrs_diff(&a, &b, run);
	ucp_xattrs_release(&a);
	ucp_xattrs_release(&b);
	if (S_ISREG(sst.st_mode) && sst.st_size != rst.st_size)
		ch |= CH_SIZE;
	/* (Made anew, a link, FIFO or device shows 'c', as rsync's.) */
	if (!S_ISREG(sst.st_mode) && !S_ISDIR(sst.st_mode))
		ch |= CH_CONTENT;
	/*
	 * A file of the basis's size and time whose bytes differ (copied
	 * under --checksum): new data, '>' and 'c' (>fc).
	 */
	if (S_ISREG(sst.st_mode) && !(ch & CH_SIZE) &&
	    run->cfg->sync.checksum &&
	    ucp_plan_same_mtime(run->cfg, &sst, &rst) &&
	    contents_cmp(w, d, sname, rfd, rel, &sst, false) != 1)
		ch |= CH_CONTENT;
	free(rel);
	*y = !S_ISREG(sst.st_mode) ||
			     (!(ch & (CH_SIZE | CH_CONTENT)) &&
			      ucp_plan_same_mtime(run->cfg, &sst, &rst))
		     ? 'c'
		     : '>';
	*what = ch;
	return *y == '>' || ch;
}

static void itemize(struct ucp_worker *w, struct ucp_dir *d, const char *leaf,
		    char y, mode_t mode, unsigned what)
{
	const struct ucp_run *run = w->run;
	static const char letters[] = "cstpoguax";
	char code[12], *rel;
	unsigned i;

	/* A dry run's -v lists what the run would make, as rsync -nv. */
	if (run->cfg->sync.dry_run && leaf &&
	    (y == '>' || y == 'c' || y == 'h'))
		ucp_report_copied(w, d, leaf, leaf, "not made: a dry run");
	if (!run->cfg->itemize || !run->ev->itemize)
		return;
	if ((what & CH_NEW) && (y == '>' || y == 'c') &&
	    run->cfg->sync.nref_dirs && !against_basis(w, d, leaf, &y, &what))
		return;
	code[0] = y;
	code[1] = type_char(mode);
	/* (rsync: an existing name made a hard link shows no letters.) */
	for (i = 0; i < 9; i++)
		code[2 + i] = (char)((what & CH_NEW)	  ? '+'
				     : (what & (1u << i)) ? letters[i]
				     : y == 'h' && !what  ? ' '
							  : '.');
	code[11] = '\0';
	rel = item_name(w, d, leaf, y, mode);
	if (!rel)
		return;
	run->ev->itemize(run->ev->arg, code, rel);
	free(rel);
}

/*
 * What the rules spare inside a tree being deleted (as rsync does: an
 * excluded or protected file in an extraneous directory stays, and so do
 * the directories above it). f NULL: nothing is spared. The rules are the
 * command line's and those of the merge files (dir-merge) of the
 * directories above the tree; merge files inside it are not read.
 */
struct rm_spare {
	const struct ucp_filter *f;
	const struct ucp_filter_dir *fdir; /* per-directory rules, or NULL */
	enum ucp_filter_side side;
	const char *base; /* the deleted tree's path under the root */
	bool one_fs;	  /* -x: a directory on another file system than */
	dev_t dev;	  /* ... this one (the mirror's) stays, as rsync -x */
};

/* Whether sp spares anything at all (else the whole tree goes). */
static bool spares_some(const struct rm_spare *sp)
{
	return sp->f || sp->one_fs;
}

/* The -x part of an rm_spare for run. */
static void spare_mounts(const struct ucp_run *run, struct rm_spare *sp)
{
	sp->one_fs = run->cfg->one_file_system && run->has_root_id;
	sp->dev = run->root_dev;
}

/* Whether a rule of sp spares rel[0..len) (a path under the root). */
static bool rule_spares(const struct rm_spare *sp, const char *rel, size_t len,
			bool dir)
{
	return ucp_filter_match_in(sp->f, sp->fdir, rel, len, dir, sp->side) ==
	       UCP_FILTER_EXCLUDE;
}

/*
 * Whether the rules of sp spare rel (a path under the root, inside the
 * tree sp->base), or a directory above it inside that tree: what
 * remove_tree leaves (it does not go into a spared directory).
 */
static bool spared_in_tree(const struct rm_spare *sp, const char *rel, bool dir)
{
	size_t len = strlen(rel), i;

	if (!sp->f)
		return false;
	for (i = strlen(sp->base) + 1; i < len; i++)
		if (rel[i] == '/' && rule_spares(sp, rel, i, true))
			return true;
	return rule_spares(sp, rel, len, dir);
}

/*
 * The directories remove_tree is inside, each with the name of the child
 * being entered. Only the first RM_KEEP levels keep their descriptor; a
 * deeper one is closed, and reached again by ".." from its emptied child
 * (and must then be the directory it was: st_dev and st_ino), so that a
 * tree of any depth is removed with a bounded number of descriptors.
 */
#define RM_KEEP 16

/* What list_one works for: the listing of one tree (itemize_tree). */
struct listing {
	const struct ucp_run *run; /* where lines are told, or NULL */
	const char *rel;	   /* the tree's path under the root */
	bool self;		   /* the tree's top is listed (and counted) */
	const struct rm_spare *sp;
	/* keeps[l]: the directory being listed at level l keeps an entry */
	bool *keeps;
	size_t cap;
	/* a dry run's deletions: counted against the --max-delete limit */
	uint64_t *count;
	long long limit;
	bool spent;
	bool top_kept; /* the tree's top keeps an entry (so it stays) */
	size_t keep;   /* directory descriptors the walk keeps (rm_keep) */
};

/* Room in ls->keeps for level l (the walk goes to any depth). */
static bool keeps_room(struct listing *ls, size_t l)
{
	size_t cap = ls->cap ? ls->cap : 64;
	bool *k;

	if (l < ls->cap)
		return true;
	while (cap <= l)
		cap *= 2;
	k = realloc(ls->keeps, cap * sizeof(*k));
	if (!k)
		return false;
	memset(k + ls->cap, 0, (cap - ls->cap) * sizeof(*k));
	ls->keeps = k;
	ls->cap = cap;
	return true;
}

/* A dry run's deletion of one more entry: false when the budget is spent. */
static bool listing_counts(struct listing *ls)
{
	if (!ls->count)
		return true;
	if (ls->limit >= 0 && *ls->count >= (uint64_t)ls->limit) {
		ls->spent = true;
		return false;
	}
	(*ls->count)++;
	return true;
}

/*
 * --itemize-changes of a deletion: entry rel (a directory when dir) went
 * ("*deleting", a directory with a '/'), or, with kept, is a directory
 * that stays for what the rules spare in it.
 */
static void say_deleted(const struct ucp_run *run, const char *rel, bool dir,
			bool kept)
{
	char *shown;

	/* (-v: rsync -v's line, "deleting rel".) */
	if (!run || !(run->cfg->itemize || run->cfg->verbose) ||
	    !run->ev->itemize)
		return;
	if (kept) {
		run->ev->itemize(run->ev->arg,
				 "cannot delete non-empty directory:", rel);
		return;
	}
	shown = dir ? ucp_path_join(rel, "") : NULL;
	run->ev->itemize(run->ev->arg,
			 run->cfg->itemize ? "*deleting  " : "deleting",
			 shown ? shown : rel);
	free(shown);
}

/* The run, where deletions are to be told (--itemize-changes, -v). */
static const struct ucp_run *teller(const struct ucp_run *run)
{
	return run->cfg->itemize || run->cfg->verbose ? run : NULL;
}

/* One entry of a listed tree (ucp_subtree_fn): told, counted. */
static int list_one(void *arg, const char *sub, size_t l,
		    enum ucp_subtree_kind kind)
{
	struct listing *ls = arg;
	/* (Unread: a directory it cannot read, which a rule may spare.) */
	bool dir = kind != UCP_SUBTREE_FILE;
	bool spared, kept;
	char *line;
	int ret = 0;

	if (!keeps_room(ls, l))
		return -ENOMEM;
	line = l == 0 ? strdup(ls->rel) : ucp_path_join(ls->rel, sub);
	if (!line)
		return -ENOMEM;
	/*
	 * Spared (or under a spared directory), or a directory that keeps
	 * one: it stays, and so does the directory above it.
	 */
	spared = l > 0 && spared_in_tree(ls->sp, line, dir);
	kept = spared || (dir && ls->keeps[l]);
	if (dir)
		ls->keeps[l] = false;
	if (kept && l > 0)
		ls->keeps[l - 1] = true;
	if (l == 0)
		ls->top_kept = kept;
	if (l > 0 || ls->self) {
		if (!kept && !listing_counts(ls))
			ret = 1; /* the dry run's budget is spent */
		else if (!kept || (dir && !spared))
			say_deleted(ls->run, line, dir, kept);
	}
	free(line);
	return ret;
}

/*
 * The directory descriptors a deletion's walk keeps open: RM_KEEP, or
 * fewer where the limit on open files leaves fewer to the directories.
 */
static size_t rm_keep(const struct ucp_run *run)
{
	return run && run->dir_budget > 0
		       ? UCP_MAX(1,
				 UCP_MIN(RM_KEEP, (size_t)run->dir_budget / 2))
		       : RM_KEEP;
}

/*
 * --itemize-changes for the directory tree dirfd/name about to be deleted
 * (ls->rel: its path under the root): one "*deleting" line per entry that
 * goes, each directory after its contents, as rsync prints them; the tree
 * itself too with ls->self. What the rules of ls->sp spare is not listed,
 * and a directory that keeps some of it says "cannot delete non-empty
 * directory", as rsync does. ls->top_kept: the tree itself stays.
 *
 * With ls->count, the walk is a dry run's deletion: each entry that would
 * go counts, and at ls->limit (unless -1) the walk stops, in the order the
 * real deletion takes (remove_tree: readdir's, each directory after its
 * contents). Returns 0, 1 when the budget stopped it, or -errno when the
 * tree could not be walked to its end.
 */
static int itemize_tree(struct listing *ls, int dirfd, const char *name)
{
	int ret;

	ls->keeps = NULL;
	ls->cap = 0;
	ls->spent = false;
	ls->top_kept = false;
	ret = ucp_subtree_walk(dirfd, name, ls->keep, list_one, ls);
	free(ls->keeps);
	ls->keeps = NULL;
	return ret < 0 ? ret : ls->spent;
}

void ucp_sync_copied(struct ucp_worker *w, struct ucp_dir *d, const char *name,
		     mode_t mode, unsigned ch)
{
	d->dirty = true;
	itemize(w, d, name, '>', mode, ch);
}

void ucp_sync_linked(struct ucp_worker *w, struct ucp_dir *d, const char *name,
		     mode_t mode, unsigned ch)
{
	d->dirty = true;
	/*
	 * (A name whose own twin a --link-dest reference has is linked as
	 * from there: unlisted, as rsync lists it. Not a waiter linked
	 * meanwhile, which had none.)
	 */
	if (w->ref_twin <= 0 || name != w->ref_name)
		itemize(w, d, name, 'h', mode, ch);
}

void ucp_sync_dir_created(struct ucp_worker *w, struct ucp_dir *d)
{
	if (d->parent) {
		itemize(w, d->parent, d->name, 'c', S_IFDIR, CH_NEW);
		return;
	}
	/* (The references, to list the root against: against_basis.) */
	if (w->run->cfg->itemize)
		open_refs(w, d);
	itemize(w, d, NULL, 'c', S_IFDIR, CH_NEW);
}

/* ---- comparing ---------------------------------------------------- */

/* Whether list x holds attribute a with the same value. */
static bool holds(const struct ucp_xattrs *x, const struct ucp_xattr *a)
{
	struct ucp_xattr b;
	size_t off = 0;

	while (ucp_xattrs_next(x, &off, &b))
		if (b.len == a->len && strcmp(b.name, a->name) == 0 &&
		    memcmp(b.value, a->value, a->len) == 0)
			return true;
	return false;
}

static bool is_acl(const char *name)
{
	return strncmp(name, "system.posix_acl_", 17) == 0;
}

/*
 * Whether attribute name counts in a comparison, of one part (ACLs: acl)
 * in run: only what the run keeps (ACLs with the mode, the others with
 * xattr, security.selinux with context), or every run would list a
 * change it never makes; and by a user not root, only user.* attributes
 * and ACLs: the others it sees (security.*) its copy never gets, and
 * counted, they had every -c run give the file its attributes again.
 */
static bool counts(const char *name, bool acl, const struct ucp_run *run)
{
	unsigned keep = run->cfg->preserve;
	bool root = run->meta.euid == 0;

	if (is_acl(name) != acl)
		return false;
	if (acl)
		return (keep & UCP_PRESERVE_MODE) != 0;
	if (!(keep & UCP_PRESERVE_XATTR))
		return root && (keep & UCP_PRESERVE_CONTEXT) &&
		       strcmp(name, "security.selinux") == 0;
	return root || strncmp(name, "user.", 5) == 0;
}

/*
 * Whether the attribute lists hold the same names with the same values,
 * among their ACLs (acl) or among the others, of those that count.
 */
static bool same_part(const struct ucp_xattrs *a, const struct ucp_xattrs *b,
		      bool acl, const struct ucp_run *run)
{
	struct ucp_xattr x;
	size_t off = 0, na = 0, nb = 0;

	while (ucp_xattrs_next(b, &off, &x))
		nb += counts(x.name, acl, run);
	for (off = 0; ucp_xattrs_next(a, &off, &x);) {
		if (!counts(x.name, acl, run))
			continue;
		if (!holds(b, &x))
			return false;
		na++;
	}
	return na == nb;
}

/* Which of the lists' parts differ: CH_ACL, CH_XATTR, both or none. */
static unsigned xattrs_diff(const struct ucp_xattrs *a,
			    const struct ucp_xattrs *b,
			    const struct ucp_run *run)
{
	if (a->len == b->len && a->len == 0)
		return 0;
	return (same_part(a, b, true, run) ? 0 : CH_ACL) |
	       (same_part(a, b, false, run) ? 0 : CH_XATTR);
}

/*
 * Which xattrs of dst (name in ddir, or ddir itself when name is NULL)
 * differ from the source's (name in sdir, or src_x when already loaded;
 * follow: of what a symbolic link there leads to, -L): CH_ACL, CH_XATTR
 * or both; then *sx gets the source's list unless src_x was given.
 */
static unsigned xattrs_differ(int sdir, bool follow, int ddir, const char *name,
			      const struct ucp_xattrs *src_x,
			      struct ucp_xattrs *sx, const struct ucp_run *run)
{
	struct ucp_xattrs a = { 0 }, b = { 0 };
	unsigned differ;

	if (src_x)
		a = *src_x;
	else if (ucp_xattrs_load_at(sdir, name, follow, &a) < 0)
		return 0;
	if ((name ? ucp_xattrs_load_at(ddir, name, false, &b)
		  : ucp_xattrs_load_fd(ddir, &b)) < 0) {
		if (!src_x)
			ucp_xattrs_release(&a);
		return 0;
	}
	/* Only root sees and sets trusted.*: compare what we can. */
	differ = xattrs_diff(&a, &b, run);
	ucp_xattrs_release(&b);
	if (src_x)
		return differ;
	if (differ) {
		*sx = a;
		a.buf = NULL;
	}
	ucp_xattrs_release(&a);
	return differ;
}

/*
 * --itemize-changes of a file whose data is written again (plan p over
 * in->dst): its attributes and ACL are given the source's too, and the
 * line says so where they differ, as rsync's "x" and "a" do. (Two
 * listxattr calls such a file, only when listing.)
 */
static void itemize_rewritten_xattrs(struct ucp_worker *w, struct ucp_dir *d,
				     const char *name,
				     const struct ucp_plan_in *in,
				     struct ucp_plan *p)
{
	struct ucp_xattrs sx = { 0 };

	if (!w->run->cfg->itemize || !in->dst ||
	    (p->act != UCP_ACT_REPLACE && p->act != UCP_ACT_INPLACE) ||
	    !S_ISREG(in->src->st_mode) || !S_ISREG(in->dst->st_mode) ||
	    !(w->run->cfg->preserve & UCP_META_LOAD) || (p->ch & CH_NEW))
		return;
	p->ch |= xattrs_differ(d->src_fd, d->follow, d->dst_fd, name, NULL, &sx,
			       w->run);
	ucp_xattrs_release(&sx);
}

/*
 * Whether the source's file name in sdir has a file capability: chown
 * strips it (as it does set-id bits), so an owner put right must write it
 * again, after. Then *sx gets the source's list. (follow: -L.)
 */
static bool capability_after_chown(int sdir, bool follow, const char *name,
				   struct ucp_xattrs *sx)
{
	struct ucp_xattrs a = { 0 };
	struct ucp_xattr one;
	size_t off = 0;

	if (ucp_xattrs_load_at(sdir, name, follow, &a) < 0)
		return false;
	while (ucp_xattrs_next(&a, &off, &one))
		if (strcmp(one.name, "security.capability") == 0) {
			*sx = a;
			return true;
		}
	ucp_xattrs_release(&a);
	return false;
}

/*
 * The attributes of dst (name in ddir, or ddir itself when name is NULL)
 * that differ from those of the source (stat sst, name in sdir), as CH_*
 * bits: the planner's, and the xattrs; *sx gets the source's xattrs when
 * they differ (to write them). src_x is the source's list when already
 * loaded.
 */
static unsigned meta_diff(struct ucp_worker *w, const struct stat *sst,
			  const struct stat *dst, int sdir, int ddir,
			  const char *name, const struct ucp_xattrs *src_x,
			  struct ucp_xattrs *sx)
{
	/*
	 * Attributes cannot have changed on the source since the copy was
	 * last written when the source's ctime is older than the copy's:
	 * then listing both sides' xattrs (two syscalls a file, as many as
	 * the whole quick check) is skipped. Older taken at the source's
	 * resolution: one that keeps whole seconds reads a change made just
	 * after the copy, in its second, as before it. Not where another
	 * attribute differs: a change to the copy (a chmod) moved its ctime
	 * past the source's change that this run is to mirror. Nor where the
	 * copy has other links: making one (cp -al of a backup rotation, a link
	 * from --link-dest) moved its ctime too.
	 */
	bool xattrs_may_differ =
		ucp_plan_changed_since(&sst->st_ctim, &dst->st_ctim) ||
		(!S_ISDIR(dst->st_mode) && dst->st_nlink > 1);
	const struct ucp_run *run = w->run;
	unsigned ch = ucp_plan_attrs(run->cfg, sst, dst, run->meta.euid,
				     run->meta.egid);
	/* (-L: a mirror's entries all follow, as its directories do.) */
	bool follow = run->cfg->dereference;

	/* (ACLs with the mode, the other attributes with xattr.) */
	if ((run->cfg->preserve & UCP_META_LOAD) &&
	    (xattrs_may_differ || ch || run->cfg->sync.checksum))
		ch |= xattrs_differ(sdir, follow, ddir, name, src_x, sx, run);
	if ((ch & (CH_OWNER | CH_GROUP)) && !(ch & CH_ATTRS) && name &&
	    (run->cfg->preserve & UCP_PRESERVE_XATTR) &&
	    S_ISREG(sst->st_mode) &&
	    capability_after_chown(sdir, follow, name, sx))
		ch |= CH_XATTR;
	return ch;
}

/*
 * Give dname the source's attributes that differ (bits ch from
 * meta_diff). Returns 0 or the -errno it reported.
 */
/*
 * The mirror's entry dname of dirfd, the one compared (dst): opened for its
 * attributes to be set through the descriptor, a regular file (returned),
 * or only looked at, another type (a FIFO opened would let a writer
 * waiting on it go on) or a user's own file of mode 000 (-2: its
 * attributes set by name). -1 with errno when it is not there or is
 * another file now: one put in its place since, a hard link to a file
 * outside the mirror say, must not be given the source's owner or mode.
 */
static int open_compared(int dirfd, const char *dname, const struct stat *dst)
{
	bool by_fd = S_ISREG(dst->st_mode);
	struct stat now;
	int fd = -1;

	if (by_fd) {
		fd = openat(dirfd, dname,
			    O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY |
				    O_CLOEXEC);
		/* (A symbolic link put in its name: another file.) */
		if (fd < 0 && errno == ELOOP) {
			errno = ESTALE;
			return -1;
		}
	}
	if (fd < 0 && (!by_fd || errno == EACCES)) {
		by_fd = false;
		fd = openat(dirfd, dname, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	}
	if (fd < 0)
		return -1;
	if (fstat(fd, &now) < 0 || now.st_dev != dst->st_dev ||
	    now.st_ino != dst->st_ino) {
		(void)close(fd); /* read-only */
		errno = ESTALE;
		return -1;
	}
	if (by_fd)
		return fd;
	(void)close(fd); /* an O_PATH descriptor */
	return -2;
}

/* What meta_fix sets for the differences ch. */
static unsigned fix_what(const struct ucp_run *run, unsigned ch)
{
	unsigned keep = run->cfg->preserve, what = 0;

	/* chown clears set-id bits and an ACL moves the mode: chmod after. */
	/* The copy's owner differs: set it, whoever the source's is. */
	if (ch & (CH_OWNER | CH_GROUP))
		what |= UCP_PRESERVE_OWNERSHIP | UCP_META_FORCE_OWNER;
	if (ch & CH_ATTRS)
		what |= keep & UCP_META_XATTRS;
	if ((ch & (CH_PERMS | CH_OWNER | CH_GROUP | CH_ATTRS)) &&
	    (keep & UCP_PRESERVE_MODE))
		what |= UCP_PRESERVE_MODE | UCP_META_FORCE_MODE;
	/* Writing attributes leaves the times alone; set them if they differ.
	 */
	if (ch & CH_TIME)
		what |= UCP_PRESERVE_TIMESTAMPS;
	else if (keep & UCP_PRESERVE_TIMESTAMPS)
		what |= UCP_META_MARK_TIMES;
	return what;
}

/*
 * The ACLs of the entry (as fix_entry names it) that the source's list x
 * has not: its access ACL, and a directory's default ACL. 0 or -errno.
 */
static int drop_acls(int dirfd, const char *dname, int fd,
		     const struct stat *sst, const struct ucp_xattrs *x)
{
	int own = fd >= 0 ? fd : dname ? -1 : dirfd;

	if (S_ISDIR(sst->st_mode) && own >= 0)
		return ucp_meta_drop_dir_acls(own, x);
	return ucp_meta_drop_acl(dirfd, dname ? dname : ".", own, x);
}

/*
 * meta_fix's work on the entry: through fd (>= 0), else by its name dname
 * of dirfd, or dirfd itself (dname NULL: a directory's own descriptor).
 */
static int fix_entry(struct ucp_worker *w, struct ucp_dir *d, int dirfd,
		     const char *dname, int fd, const struct stat *sst,
		     unsigned ch, struct ucp_xattrs *x)
{
	unsigned what = fix_what(w->run, ch);
	enum ucp_op op = UCP_OP_CHMOD;
	int ret;

	/* Names the source no longer has go first (writing sets the rest). */
	if ((ch & CH_ATTRS) && (w->run->cfg->preserve & UCP_PRESERVE_XATTR)) {
		ret = ucp_xattrs_prune_at(dirfd, dname, fd, x);
		if (ret < 0) {
			ucp_report(w, d, dirfd == d->dst_fd ? dname : NULL,
				   true, UCP_OP_XATTR, -ret);
			return ret;
		}
	} else if ((ch & CH_ACL) &&
		   (w->run->cfg->preserve & UCP_PRESERVE_MODE)) {
		/* Without xattr, the ACLs alone: those the source has not. */
		ret = drop_acls(dirfd, dname, fd, sst, x);
		if (ret < 0) {
			ucp_report(w, d, dirfd == d->dst_fd ? dname : NULL,
				   true, UCP_OP_ACL, -ret);
			return ret;
		}
	}
	if (fd >= 0 || !dname)
		ret = ucp_meta_apply_fd(fd >= 0 ? fd : dirfd, sst, what,
					&w->run->meta, x, &op);
	else
		ret = ucp_meta_apply(dirfd, dname, sst, what, &w->run->meta, x,
				     &op);
	/*
	 * (A destination without attributes: a warning, once a run, which
	 * meta.c hands on for the file that says it; not a failure.)
	 */
	if (ret < 0)
		ucp_report_meta(w, d, dirfd == d->dst_fd ? dname : NULL, op,
				ret, x);
	if (ret < 0 && !(ret == -ENOTSUP && op == UCP_OP_XATTR))
		return ret;
	d->dirty = true;
	return 0;
}

static int meta_fix(struct ucp_worker *w, struct ucp_dir *d, int dirfd,
		    const char *dname, const struct stat *sst,
		    const struct stat *dst, unsigned ch, struct ucp_xattrs *x)
{
	int ret, fd = -2;

	if (w->run->cfg->sync.dry_run || !ch)
		return 0;
	if (dname) {
		ucp_test_point("settle");
		fd = open_compared(dirfd, dname, dst);
		if (fd == -1 && errno == ESTALE) {
			ucp_report(w, d, dname, true, UCP_OP_REPLACED, 0);
			return -ESTALE;
		}
		if (fd == -1) {
			ucp_report(w, d, dname, true, UCP_OP_OPEN, errno);
			return -errno;
		}
	}
	ret = fix_entry(w, d, dirfd, dname, fd >= 0 ? fd : -1, sst, ch, x);
	if (fd >= 0)
		(void)close(fd); /* read-only */
	return ret;
}

/* Whether a hash in progress gives up: the run is asked to stop. */
static bool hash_stopping(const void *run)
{
	return ucp_run_stopping(run);
}

#ifdef UCP_TEST_HOOKS
/*
 * (Once resumed, it waits up to 10 s for the request to stop that a test
 * sends with SIGCONT: the signal may come to another thread a moment
 * after this one goes on.)
 */
static void test_stop_before_hash(const struct ucp_run *run,
				  const struct stat *st)
{
	const struct timespec ms = { 0, 1000000 };
	int i;

	if (st->st_size < ((off_t)1 << 20) ||
	    !atomic_exchange(&ucp_test_plain_stop_before_data, false))
		return;
	(void)raise(SIGSTOP);
	for (i = 0; i < 10000 && !ucp_run_stopping(run); i++)
		(void)nanosleep(&ms, NULL);
}
#else
static void test_stop_before_hash(const struct ucp_run *run,
				  const struct stat *st)
{
	(void)run;
	(void)st;
}
#endif

/*
 * Whether regular file sname of d's source and dname of directory ddir
 * hold the same bytes: 1 yes, 0 no, -1 when the source cannot be read
 * (reported when report is set).
 */
static int contents_cmp(struct ucp_worker *w, struct ucp_dir *d,
			const char *sname, int ddir, const char *dname,
			const struct stat *sst, bool report)
{
	unsigned char a[16], b[16];
	/* (A size that says nothing, on /proc: both to their ends.) */
	uint64_t size = d->sizes_lie ? UCP_HASH_TO_END : (uint64_t)sst->st_size;
	const struct ucp_hash_stop stop = { hash_stopping, w->run };
	int sfd, dfd, ra, rb;

	/* (O_NONBLOCK: a FIFO put in either place must not hang the run;
	 * regular files ignore it.) */
	sfd = openat(d->src_fd, sname,
		     O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (sfd < 0) {
		if (report)
			ucp_report(w, d, sname, false, UCP_OP_OPEN, errno);
		return -1;
	}
	dfd = openat(ddir, dname,
		     O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (dfd < 0) {
		(void)close(sfd);
		return 0;
	}
	test_stop_before_hash(w->run, sst);
	ra = ucp_hash_fd(sfd, size, w->buf, w->run->chunk, &stop, a);
	rb = ra == 0 ? ucp_hash_fd(dfd, size, w->buf, w->run->chunk, &stop, b)
		     : ra;
	(void)close(sfd);
	(void)close(dfd);
	if (ra < 0 && ra != -EAGAIN && ra != -ECANCELED && report)
		ucp_report(w, d, sname, false, UCP_OP_READ, -ra);
	return ra == 0 && rb == 0 && memcmp(a, b, sizeof(a)) == 0;
}

/* Whether the copy of name stays: its bytes are the source's, or the
 * source could not be read (reported: the copy is left alone). */
static bool same_contents(struct ucp_worker *w, struct ucp_dir *d,
			  const char *name, const struct stat *sst)
{
	return contents_cmp(w, d, name, d->dst_fd, name, sst, true) != 0;
}

/* ---- entries ------------------------------------------------------ */

/*
 * The per-directory rules that apply in d (may be NULL) on side: its own,
 * or its nearest ancestor's.
 */
static const struct ucp_filter_dir *filter_dir(const struct ucp_dir *d,
					       enum ucp_filter_side side)
{
	bool recv = side != UCP_FILTER_SENDER;

	while (d && !(recv ? d->filter_dir_recv : d->filter_dir))
		d = d->parent;
	if (!d)
		return NULL;
	return recv ? d->filter_dir_recv : d->filter_dir;
}

/*
 * Whether the filter excludes leaf name of d on side: from the copy
 * (UCP_FILTER_SENDER), or from --delete (the receiver's sides).
 */
static bool excluded_on(struct ucp_worker *w, struct ucp_dir *d,
			const char *name, bool dir, enum ucp_filter_side side)
{
	const struct ucp_filter *f = w->run->cfg->sync.filter;
	const struct ucp_pathset *list = w->run->cfg->sync.files_from;
	char *rel;
	bool ex;

	/* --delete-excluded: what --files-from lacks is not spared. */
	if (side == UCP_FILTER_PROTECTED)
		list = NULL;
	if ((!f && !list) || d->pseudo)
		return false;
	rel = ucp_dir_rel(d, name);
	if (!rel)
		return false;
	/*
	 * --files-from: what the list lacks is as if excluded; a directory
	 * that only leads to listed paths is taken whatever the rules say,
	 * as rsync never filters those (a rule "- d/" dropped d/f, listed).
	 */
	if (list && ucp_pathset_has(list, rel, strlen(rel)) &&
	    !ucp_pathset_listed(list, rel, strlen(rel)))
		ex = false;
	else
		ex = (f && ucp_filter_match_in(f, filter_dir(d, side), rel,
					       strlen(rel), dir,
					       side) == UCP_FILTER_EXCLUDE) ||
		     (list && !ucp_pathset_has(list, rel, strlen(rel)));
	free(rel);
	return ex;
}

/* Whether the filter keeps leaf name of d out of the copy. */
static bool excluded(struct ucp_worker *w, struct ucp_dir *d, const char *name,
		     bool dir)
{
	return excluded_on(w, d, name, dir, UCP_FILTER_SENDER);
}

/*
 * --link-dest: hard-link name of reference directory rfd as to (name, or
 * a temporary when name exists). A link shares the inode, so its
 * attributes must match the source's too. Returns 0, or 1 to try the next
 * reference.
 */
/*
 * Whether name's xattrs differ in sdir (follow: -L) and rdir (either
 * unreadable: yes).
 */
static bool ref_xattrs_differ(int sdir, bool follow, int rdir, const char *name,
			      const struct ucp_run *run)
{
	struct ucp_xattrs a = { 0 }, b = { 0 };
	bool differ = ucp_xattrs_load_at(sdir, name, follow, &a) < 0 ||
		      ucp_xattrs_load_at(rdir, name, false, &b) < 0 ||
		      xattrs_diff(&a, &b, run) != 0;

	ucp_xattrs_release(&a);
	ucp_xattrs_release(&b);
	return differ;
}

/*
 * Whether name in reference directory rfd (stat rst) has the attributes
 * the source's copy is to have: a link shares them. As a mirror's copy is
 * compared (ucp_plan_attrs): a user who may not give the source's owner
 * (or group) to a copy takes a reference's as its own would be, or its
 * files would be copied again on every run where rsync links them.
 */
static bool ref_attrs_match(struct ucp_worker *w, struct ucp_dir *d, int rfd,
			    const char *name, const struct stat *sst,
			    const struct stat *rst)
{
	const struct ucp_run *run = w->run;
	unsigned what = run->cfg->preserve;

	if (ucp_plan_attrs(run->cfg, sst, rst, run->meta.euid, run->meta.egid) &
	    (UCP_CH_PERMS | UCP_CH_OWNER | UCP_CH_GROUP))
		return false;
	/*
	 * Its attributes and ACLs too (two listxattr calls a file linked),
	 * as rsync -X and -A compare them: a later run would not mend them
	 * (meta_diff looks only where the source changed).
	 */
	return !(what & UCP_META_LOAD) ||
	       !ref_xattrs_differ(d->src_fd, d->follow, rfd, name, w->run);
}

static int link_reference(struct ucp_worker *w, struct ucp_dir *d, int rfd,
			  const char *name, const struct stat *sst,
			  const struct stat *rst, const char *to)
{
	if (!ref_attrs_match(w, d, rfd, name, sst, rst))
		return 1;
	return linkat(rfd, name, d->dst_fd, to, 0) < 0 ? 1 : 0;
}

/*
 * --reflink-dest: clone name of reference directory dirfd into temporary
 * tmp and give it the source's attributes. Returns 0, or 1 to try the
 * next reference (tmp is gone then).
 */
static int clone_reference(struct ucp_worker *w, struct ucp_dir *d, int dirfd,
			   const char *name, const struct stat *sst,
			   const char *tmp)
{
	unsigned what = w->run->cfg->preserve;
	mode_t mode = (what & UCP_PRESERVE_MODE)
			      ? sst->st_mode & 07777
			      : sst->st_mode & 0777 & ~w->run->meta.umask;
	int rfd, tfd, ret = -1;

	rfd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (rfd < 0)
		return 1;
	tfd = openat(d->dst_fd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
		     0600);
	if (tfd >= 0) {
		ret = ioctl(tfd, FICLONE, rfd);
		(void)close(tfd);
	}
	(void)close(rfd);
	if (tfd < 0)
		return 1;
	if (ret < 0 || ucp_plain_meta_as(w, d, name, tmp, name, sst) < 0 ||
	    ucp_meta_lchmod(d->dst_fd, tmp, mode) < 0) {
		ucp_tmp_abort(d->dst_fd, tmp);
		return 1;
	}
	return 0;
}

/* Whether symbolic links name of afd and of bfd lead to the same place. */
static bool same_target_at(int afd, int bfd, const char *name)
{
	char a[PATH_MAX], b[PATH_MAX];
	ssize_t na, nb;

	na = readlinkat(afd, name, a, sizeof(a));
	nb = readlinkat(bfd, name, b, sizeof(b));
	return na >= 0 && na == nb && memcmp(a, b, (size_t)na) == 0;
}

/*
 * Whether rst, name in reference directory rfd, is the source's twin:
 * a regular file of the same size and time, and with --checksum the same
 * contents (a link shares the time too, so both must match).
 */
static bool ref_twin(struct ucp_worker *w, struct ucp_dir *d, int rfd,
		     const char *name, const struct stat *sst,
		     const struct stat *rst)
{
	if ((rst->st_mode & S_IFMT) != (sst->st_mode & S_IFMT) ||
	    !ucp_plan_same_mtime(w->run->cfg, rst, sst))
		return false;
	if (S_ISLNK(sst->st_mode))
		return same_target_at(d->src_fd, rfd, name);
	if (S_ISCHR(sst->st_mode) || S_ISBLK(sst->st_mode))
		return rst->st_rdev == sst->st_rdev;
	if (!S_ISREG(sst->st_mode))
		return S_ISFIFO(sst->st_mode);
	return rst->st_size == sst->st_size &&
	       (!w->run->cfg->sync.checksum ||
		contents_cmp(w, d, name, rfd, name, sst, false) == 1);
}

/*
 * Make name as to from the first reference directory whose name is the
 * source's twin (ref_twin) and, for a link, has its attributes: rsync's
 * order. Returns 0 when done (or, in a dry run, when one would do), 1 to
 * copy normally.
 */
static int from_first_reference(struct ucp_worker *w, struct ucp_dir *d,
				const char *name, const struct stat *sst,
				const char *to)
{
	const struct ucp_sync_config *sc = &w->run->cfg->sync;
	struct stat rst;
	unsigned i;
	int rfd, ret;

	for (i = 0; i < d->nref; i++) {
		rfd = d->ref_fds[i];
		if (rfd < 0 ||
		    fstatat(rfd, name, &rst, AT_SYMLINK_NOFOLLOW) < 0 ||
		    !ref_twin(w, d, rfd, name, sst, &rst))
			continue;
		/*
		 * (A dry run: a clone takes any attributes, a link not;
		 * neither is made across file systems, where the real run
		 * copies.)
		 */
		if (sc->dry_run && w->run->has_root_id &&
		    rst.st_dev != w->run->root_dev)
			continue;
		if (sc->dry_run &&
		    (sc->ref_clone ||
		     ref_attrs_match(w, d, rfd, name, sst, &rst)))
			return 0;
		if (sc->dry_run)
			continue;
		if (sc->ref_clone)
			ret = clone_reference(w, d, rfd, name, sst, to);
		else
			ret = link_reference(w, d, rfd, name, sst, &rst, to);
		if (ret == 0)
			return 0;
	}
	return 1;
}

/*
 * Whether a reference directory holds the twin that from_first_reference
 * would make name from (not made here): a link group waits for a name
 * that has one (plain.c's seeks).
 */
static bool reference_has(struct ucp_worker *w, struct ucp_dir *d,
			  const char *name, const struct stat *sst)
{
	const struct ucp_run *run = w->run;
	struct stat rst;
	unsigned i;
	int rfd;

	for (i = 0; d->ref_fds && i < d->nref; i++) {
		rfd = d->ref_fds[i];
		if (rfd >= 0 &&
		    fstatat(rfd, name, &rst, AT_SYMLINK_NOFOLLOW) == 0 &&
		    (!run->has_root_id || rst.st_dev == run->root_dev) &&
		    ref_twin(w, d, rfd, name, sst, &rst) &&
		    (run->cfg->sync.ref_clone ||
		     ref_attrs_match(w, d, rfd, name, sst, &rst)))
			return true;
	}
	return false;
}

/*
 * --link-dest/--reflink-dest: make name from a reference copy that
 * matches the source. Returns 0 when done, 1 to copy normally, or the
 * -errno it reported.
 */
static int from_reference(struct ucp_worker *w, struct ucp_dir *d,
			  const char *name, const struct stat *sst, bool exists)
{
	const struct ucp_sync_config *sc = &w->run->cfg->sync;
	char tmp[UCP_TMP_NAME_MAX];
	int ret;

	if (!d->ref_fds)
		return 1;
	/* A clone is always renamed into place, a link when name exists. */
	exists = exists || sc->ref_clone;
	ucp_plain_tmpname(w->run, tmp);
	if (from_first_reference(w, d, name, sst, exists ? tmp : name))
		return 1;
	/* (Counted as the run counts it: the dry run's fell short.) */
	if (sc->dry_run) {
		ucp_file_unchanged(&w->cnt, sst);
		return 0;
	}
	ret = exists ? ucp_tmp_commit(d->dst_fd, tmp, name) : 0;
	if (ret < 0) {
		ucp_report(w, d, name, true, UCP_OP_RENAME, -ret);
		return ret;
	}
	d->dirty = true;
	ucp_file_unchanged(&w->cnt, sst);
	return 0;
}

/*
 * A later name of a hard-link group becomes a link to the first (in a dry
 * run, would). True when name is dealt with so; false when it is copied,
 * *owner set for the group's first name.
 */
static bool as_link(struct ucp_worker *w, struct ucp_dir *d, const char *name,
		    const struct stat *sst, unsigned ch, bool *owner)
{
	if (w->run->cfg->sync.dry_run) {
		int r = ucp_plain_link_dry(w, d, name, sst, false, ch);

		if (r == 0)
			return false;
		if (r == 3)
			return true; /* (listed once linked, as in the run) */
		ucp_count(&w->cnt.links_done, 1);
		ucp_settle_bytes(&w->cnt, S_ISREG(sst->st_mode), sst->st_size);
		ucp_file_done(&w->cnt);
		if (w->ref_twin <= 0) /* (see ucp_sync_linked) */
			itemize(w, d, name, 'h', sst->st_mode, ch);
		return true;
	}
	/* (Listed once the link is made: ucp_sync_linked.) */
	/* (Its bytes are counted once it is to be copied.) */
	if (!ucp_plain_link_claim(w, d, name, sst, ch, false, owner))
		return false;
	d->dirty = true;
	return true;
}

/*
 * as_link for a regular file, told first whether a --link-dest reference
 * has its twin (w->ref_twin, for plain.c's seeks). A file handed over was
 * looked for there by its finder.
 */
static bool file_as_link(struct ucp_worker *w, struct ucp_dir *d,
			 const char *name, const struct stat *sst, unsigned ch,
			 bool *owner)
{
	bool linked;

	if (w->run->cfg->sync.nref_dirs && w->run->links && !w->handed &&
	    sst->st_nlink > 1) {
		w->ref_twin = reference_has(w, d, name, sst) ? 1 : -1;
		w->ref_name = name;
	}
	linked = as_link(w, d, name, sst, ch, owner);
	w->ref_twin = 0;
	w->ref_name = NULL;
	return linked;
}

/*
 * An append-only directory takes a temporary but neither renames it over
 * the copy dst there nor removes it: that copy is not replaced (the
 * rename's error, as rsync's), and no temporary stays for good. True when
 * so (reported; a link group's claim, owner, given up).
 */
static bool append_only_keeps(struct ucp_worker *w, struct ucp_dir *d,
			      const char *name, const struct stat *sst,
			      const struct stat *dst, bool owner)
{
	const struct ucp_sync_config *sc = &w->run->cfg->sync;

	if (!dst || sc->dry_run || (sc->inplace && S_ISREG(dst->st_mode)) ||
	    !ucp_plain_dst_append_only(d))
		return false;
	ucp_report(w, d, name, true, UCP_OP_RENAME, EPERM);
	if (owner)
		ucp_plain_link_finish(w, sst, false);
	return true;
}

/* Copy regular file name (new, or replacing dst). */
static void copy_file(struct ucp_worker *w, struct ucp_dir *d, const char *name,
		      const struct stat *sst, const struct stat *dst,
		      unsigned ch)
{
	const struct ucp_sync_config *sc = &w->run->cfg->sync;
	bool owner = false;
	int ret;

	/*
	 * A later name of a hard-link group links to the first, whether the
	 * first was copied or made from a reference; the first is made as
	 * any file is. (A file handed over was looked for in the references
	 * by its finder already, while d was listed: its twins are closed.
	 * A name new to a mirror that was there before the run may have twins
	 * there, in names met later, a file renamed or given one more name:
	 * its group waits for one of those rather than copy the data again,
	 * as rsync -H links it to them; ucp_plain_link_claim. So does a name
	 * no --link-dest reference has, for one that a reference has.)
	 */
	if (file_as_link(w, d, name, sst, dst ? ch : CH_NEW, &owner))
		return;
	if (sc->nref_dirs && !w->handed &&
	    from_reference(w, d, name, sst, dst != NULL) == 0) {
		if (owner)
			ucp_plain_link_finish(w, sst, true);
		return;
	}
	if (append_only_keeps(w, d, name, sst, dst, owner))
		return;
	/*
	 * (--fsync needs the descriptor, which the ring closes itself; a
	 * file whose size says nothing, on /proc, is read to its end.)
	 */
	if (w->cp && !sc->dry_run && !sc->inplace && !sc->fsync &&
	    !d->sizes_lie) {
		/* The ring copies it; ucp_sync_copied reports it when done. */
		struct ucp_copy_job job = {
			.sname = name,
			.dname = name,
			.how = UCP_COPY_VIA_TMP,
			.links = owner ? UCP_LINKS_OWNER : UCP_LINKS_NONE,
			.ch = dst ? ch : CH_NEW,
			.fresh = !dst,
		};

		if (ucp_copy_start(w, d, &job))
			return;
	}
	/* No twin: a big one may go to an idle worker (mirror_entry_st). */
	if (!dst && !owner && !sc->dry_run &&
	    ucp_sched_hand_over(w, d, name, name, sst))
		return;
	ucp_count(&w->cnt.bytes_found, (uint64_t)sst->st_size);
	if (sc->dry_run) {
		ucp_file_done(&w->cnt);
		ret = 0;
	} else if (sc->inplace && dst && S_ISREG(dst->st_mode)) {
		ret = ucp_plain_inplace(w, d, name, name, sst);
	} else {
		ret = ucp_plain_copy_tmp(w, d, name, name, sst, dst);
	}
	/* (Listed before its group's later names, which finish links.) */
	if (ret == 0) {
		d->dirty = true;
		itemize(w, d, name, '>', sst->st_mode, dst ? ch : CH_NEW);
	}
	if (owner)
		ucp_plain_link_finish(w, sst, ret == 0);
}

/*
 * Create a non-regular, non-directory entry (new, or replacing what is
 * there: exists), ch saying what changed. (Not a socket: compare() skips
 * those before any plan.)
 */
static void make_other(struct ucp_worker *w, struct ucp_dir *d,
		       const char *name, const struct stat *sst, unsigned ch,
		       bool exists)
{
	bool owner = false;
	int ret = 0;

	/* A later name of a link group is listed as one (h), as rsync -H. */
	if (as_link(w, d, name, sst, ch, &owner))
		return;
	/* A reference's twin is linked, unlisted, as a file's (rsync's). */
	if (w->run->cfg->sync.nref_dirs && !w->run->cfg->sync.ref_clone &&
	    from_reference(w, d, name, sst, exists) == 0) {
		if (owner)
			ucp_plain_link_finish(w, sst, true);
		return;
	}
	/*
	 * A device node a user cannot make (only root may): skipped, said,
	 * as rsync run by a user skips it, not an error that would fail
	 * every run and hold back --delete; the mirror's entry of its name
	 * stays.
	 */
	if ((S_ISCHR(sst->st_mode) || S_ISBLK(sst->st_mode)) &&
	    w->run->meta.euid != 0) {
		ucp_report(w, d, name, false, UCP_OP_SKIP_DEVICE, 0);
		ucp_count(&w->cnt.skipped, 1);
		ret = -EPERM;
	} else if (!w->run->cfg->sync.dry_run) {
		ret = ucp_plain_other_claimed(w, d, name, name, sst);
	} else {
		/* (Counted as the run counts what it makes.) */
		if (S_ISLNK(sst->st_mode))
			ucp_count(&w->cnt.symlinks_done, 1);
		ucp_file_done(&w->cnt);
	}
	if (ret == 0) {
		d->dirty = true;
		itemize(w, d, name, 'c', sst->st_mode, ch);
	}
	if (owner)
		ucp_plain_link_finish(w, sst, ret == 0);
}

/* How remove_tree goes about it. */
struct rm_how {
	const struct ucp_run *tell; /* --itemize-changes: say what went */
	bool untold_top;	    /* ... but the tree itself (in the way) */
	char **where;		    /* the path of what could not go, or NULL */
	const atomic_int *cancel;   /* set: stop (-ECANCELED), or NULL */
	size_t keep;		    /* descriptors kept (rm_keep; 0: RM_KEEP) */
};

/* Remove the directory tree dirfd/name now; 0 or -errno. */
static int remove_tree(int dirfd, const char *name, uint64_t *count,
		       long long limit, const struct rm_spare *sp,
		       const struct rm_how *how);

static void twin_writable(struct ucp_worker *w, struct ucp_dir *d);

/* An unchanged entry: fix what differs of its attributes. */
static void settle(struct ucp_worker *w, struct ucp_dir *d, const char *name,
		   const struct stat *sst, const struct stat *dst)
{
	struct ucp_xattrs x = { 0 };
	unsigned ch;

	ch = meta_diff(w, sst, dst, d->src_fd, d->dst_fd, name, NULL, &x);
	/*
	 * A copy linked to other names where the source file has none: its
	 * attributes mended in place would be theirs too, and the next run
	 * would mend theirs back over it, run after run. A copy of its own,
	 * as when the data changed.
	 */
	if (ch && !S_ISDIR(sst->st_mode) && sst->st_nlink == 1 &&
	    dst->st_nlink > 1 && !w->run->cfg->sync.inplace) {
		ucp_xattrs_release(&x);
		/*
		 * (A symbolic link, FIFO or device too: made again, as
		 * when it changed; lchown and utimensat on it changed a
		 * snapshot's, and two names split in the source never
		 * settled.)
		 */
		twin_writable(w, d);
		if (S_ISREG(sst->st_mode))
			copy_file(w, d, name, sst, dst, ch);
		else
			make_other(w, d, name, sst, ch, true);
		return;
	}
	if (ch && meta_fix(w, d, d->dst_fd, name, sst, dst, ch, &x) == 0)
		itemize(w, d, name, '.', sst->st_mode, ch);
	ucp_xattrs_release(&x);
	ucp_file_unchanged(&w->cnt, sst);
}

/*
 * The destination twin of name in d: 1 with *dst filled when it exists,
 * 0 when it does not (or d has no destination yet: a new directory under
 * --dry-run), -1 when the stat failed (reported). pre is the stat taken
 * ahead (pre_err its errno), or NULL to take it here.
 */
static int twin(struct ucp_worker *w, struct ucp_dir *d, const char *name,
		const struct stat *pre, int pre_err, struct stat *dst)
{
	int err = ENOENT;

	if (pre) {
		err = pre_err;
		if (!err)
			*dst = *pre;
	} else if (d->dst_fd >= 0 &&
		   fstatat(d->dst_fd, name, dst, AT_SYMLINK_NOFOLLOW) < 0) {
		err = errno;
	} else if (d->dst_fd >= 0) {
		err = 0;
	}
	if (d->dst_fd < 0 || err == ENOENT)
		return 0;
	if (err) {
		ucp_report(w, d, name, true, UCP_OP_STAT, err);
		return -1;
	}
	return 1;
}

/* What the planner asks to look at: a file's contents, a symlink's target. */
static enum ucp_same look(struct ucp_worker *w, struct ucp_dir *d,
			  const char *name, const struct stat *sst)
{
	bool same = S_ISLNK(sst->st_mode)
			    ? same_target_at(d->src_fd, d->dst_fd, name)
			    : same_contents(w, d, name, sst);

	return same ? UCP_SAME_YES : UCP_SAME_NO;
}

/*
 * A name in place that is a later name of its hard-link group: it is (or
 * is made, and listed once as such; in a dry run, would be) a link to the
 * group's copy. True when so; false for the first name, which settles.
 */
static bool settled_as_link(struct ucp_worker *w, struct ucp_dir *d,
			    const char *name, const struct stat *sst)
{
	int r;

	if (!w->run->cfg->sync.dry_run)
		return ucp_plain_link_existing(w, d, name, sst);
	r = ucp_plain_link_dry(w, d, name, sst, true, 0);
	if (r == 1) { /* counted as the run's link_now counts it */
		ucp_count(&w->cnt.links_done, 1);
		ucp_settle_bytes(&w->cnt, S_ISREG(sst->st_mode), sst->st_size);
		ucp_file_done(&w->cnt);
		itemize(w, d, name, 'h', sst->st_mode, 0);
	} else if (r == 2) {
		/* Linked already: unchanged, as the run counts it (the dry
		 * run's counts and progress fell short of the run's). */
		ucp_file_unchanged(&w->cnt, sst);
	}
	return r != 0;
}

/*
 * Before the first change in d's copy: one without owner write (a
 * read-only directory, mirrored so by an earlier run) gets it for the
 * run, as rsync gives it, and ucp_sync_finalize_dir puts its mode back.
 * Not for root, who needs none, nor in a dry run. One worker does it;
 * another at the same directory waits for it (a chmod).
 */
static void twin_writable(struct ucp_worker *w, struct ucp_dir *d)
{
	int expect = 0;
	struct stat st;

	if (d->created || d->pseudo || w->run->cfg->sync.dry_run ||
	    w->run->meta.euid == 0 || d->dst_fd < 0)
		return;
	if (!atomic_compare_exchange_strong(&d->writable, &expect, 1)) {
		while (atomic_load(&d->writable) != 2)
			sched_yield();
		return;
	}
	if (fstat(d->dst_fd, &st) == 0 && !(st.st_mode & S_IWUSR) &&
	    st.st_uid == w->run->meta.euid &&
	    fchmod(d->dst_fd, (st.st_mode & 07777) | S_IWUSR) == 0) {
		d->ro_mode = st.st_mode;
		d->made_writable = true;
	}
	atomic_store(&d->writable, 2);
}

/*
 * clear_in_the_way's count, listing and removal of name of d (rel: its
 * path under the root), under the sync lock: the count is the run's. *kept: the
 * rules spare something in it, so it stays (in a dry run, would), its
 * other entries gone. 0, -EDQUOT past the limit, or -errno.
 */
static int clear_locked(struct ucp_worker *w, struct ucp_dir *d,
			const char *name, const char *rel,
			const struct rm_how *how, bool *kept)
{
	const struct ucp_sync_config *sc = &w->run->cfg->sync;
	struct ucp_sync *s = w->run->sync;
	enum ucp_filter_side side = sc->delete_excluded ? UCP_FILTER_PROTECTED
							: UCP_FILTER_RECEIVER;
	struct rm_spare sp = { .f = sc->filter,
			       .fdir = filter_dir(d, side),
			       .side = side,
			       .base = rel };
	uint64_t n = s->cleared;
	struct listing ls = { .rel = rel,
			      .sp = &sp,
			      .count = &n,
			      .limit = sc->max_delete,
			      .keep = rm_keep(w->run) };
	int ret;

	spare_mounts(w->run, &sp);
	/*
	 * Counted first, the directory too (unless it stays), so that the
	 * limit takes all of it or none; then listed, and removed.
	 */
	ret = itemize_tree(&ls, d->dst_fd, name);
	if (ret != 0)
		return ret > 0 ? -EDQUOT : ret;
	*kept = ls.top_kept;
	if (!*kept && sc->max_delete >= 0 && n >= (uint64_t)sc->max_delete)
		return -EDQUOT;
	if (sc->dry_run) {
		ls.run = w->run;
		ls.count = NULL;
		ret = itemize_tree(&ls, d->dst_fd, name);
		s->cleared = n + !*kept;
		return ret < 0 ? ret : 0;
	}
	/* (Listed as it goes: only what went, as rsync lists it.) */
	return remove_tree(d->dst_fd, name, &s->cleared, sc->max_delete, &sp,
			   how);
}

/*
 * A deletion under name of d (rel: its path under the root) failed at
 * where (under the root too; NULL: name itself): reported by that path.
 */
static void report_under(struct ucp_worker *w, struct ucp_dir *d,
			 const char *name, const char *rel, const char *where,
			 int err)
{
	size_t n = strlen(rel);
	char *leaf = NULL;

	if (where && strncmp(where, rel, n) == 0 && where[n] == '/')
		leaf = ucp_path_join(name, where + n + 1);
	ucp_report(w, d, leaf ? leaf : name, true, UCP_OP_DELETE, err);
	free(leaf);
}

/*
 * The directory name of d, in the way of a non-directory, with --delete:
 * it goes as the deletion pass takes what the source lacks, not after
 * errors (unless --ignore-errors), not past --max-delete (the count is the
 * run's, which that pass goes on from), and never what the rules spare.
 * Its contents are itemized as they go (rsync does not list the directory
 * itself then). True when it is gone (in a dry run: would be); otherwise
 * the copy is not made, and the message says why.
 */
static bool clear_in_the_way(struct ucp_worker *w, struct ucp_dir *d,
			     const char *name)
{
	struct ucp_run *run = w->run;
	const struct ucp_sync_config *sc = &run->cfg->sync;
	struct ucp_sync *s = run->sync;
	char *rel = ucp_dir_rel(d, name), *where = NULL;
	struct rm_how how = { .tell = teller(run),
			      .untold_top = true,
			      .where = &where,
			      .cancel = run->cancel,
			      .keep = rm_keep(run) };
	const char *why = NULL;
	bool gone = false, kept = false;
	int r;

	if (!rel) {
		ucp_report(w, d, name, true, UCP_OP_DELETE, ENOMEM);
		goto out;
	}
	if ((atomic_load(&run->status) & (UCP_RUN_PARTIAL | UCP_RUN_FATAL)) &&
	    !sc->ignore_errors) {
		why = "not deleted after errors (--ignore-errors deletes "
		      "anyway)";
		goto out;
	}
	twin_writable(w, d);
	pthread_mutex_lock(&s->lock);
	r = clear_locked(w, d, name, rel, &how, &kept);
	pthread_mutex_unlock(&s->lock);
	if (r == -EDQUOT) {
		atomic_fetch_or(&run->status, UCP_RUN_MAXDEL);
		why = "the --max-delete limit is reached";
	} else if (r == -ECANCELED && *run->cancel) {
		/* (A signal: the run ends, nothing to say.) */
	} else if (r < 0) {
		/* The entry that could not go, deep in the tree too. */
		report_under(w, d, name, rel, where, -r);
	} else if (kept ||
		   (!sc->dry_run && faccessat(d->dst_fd, name, F_OK,
					      AT_SYMLINK_NOFOLLOW) == 0)) {
		why = "it holds entries the filter rules keep";
	} else {
		gone = true;
	}
out:
	if (why)
		ucp_report2_why(w, d, name, name, UCP_OP_NONDIR_OVER_DIR, why);
	free(where);
	free(rel);
	return gone;
}

/* What count_kept_tree counts. */
struct kept_tree {
	int dirfd;
	const char *top;
	uint64_t files, bytes;
};

static int count_kept(void *arg, const char *sub, size_t level,
		      enum ucp_subtree_kind kind)
{
	struct kept_tree *k = arg;
	struct stat st;
	char *path;

	(void)level;
	if (kind != UCP_SUBTREE_FILE)
		return 0;
	k->files++;
	if (asprintf(&path, "%s/%s", k->top, sub) < 0)
		return 0;
	if (fstatat(k->dirfd, path, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	    S_ISREG(st.st_mode))
		k->bytes += (uint64_t)st.st_size;
	free(path);
	return 0;
}

/*
 * Source directory name of d, which the mirror keeps something else in
 * the place of (--ignore-existing): the entries in it, which the counting
 * walk's totals have, are counted as kept, or the bar ended short of
 * them. (A walk of that tree, only where there are totals.)
 */
static void count_kept_tree(struct ucp_worker *w, struct ucp_dir *d,
			    const char *name)
{
	struct kept_tree k = { .dirfd = d->src_fd, .top = name };

	if (!w->run->totals_ahead)
		return;
	(void)ucp_subtree_walk(d->src_fd, name, 1, count_kept, &k);
	ucp_count(&w->cnt.skipped, k.files);
	ucp_count(&w->cnt.bytes_settled, k.bytes);
}

/* Carry out plan p for entry name of d (source sst; dst, or NULL). */
static void act(struct ucp_worker *w, struct ucp_dir *d, const char *name,
		const struct stat *sst, const struct stat *dst,
		const struct ucp_plan *p)
{
	switch (p->act) {
	case UCP_ACT_DESCEND:
		/* A file in the way of a directory goes (make_dst_dir). */
		if (!dst || !S_ISDIR(dst->st_mode))
			twin_writable(w, d);
		ucp_tree_queue_child(w, d, name, sst);
		break;
	case UCP_ACT_SKIP:
		if (dst && !S_ISDIR(sst->st_mode))
			ucp_file_unchanged(&w->cnt, sst);
		else if (dst && S_ISDIR(sst->st_mode))
			count_kept_tree(w, d, name);
		break;
	case UCP_ACT_NONDIR_OVER_DIR:
		ucp_report2(w, d, name, name, UCP_OP_NONDIR_OVER_DIR);
		break;
	case UCP_ACT_SETTLE:
		/*
		 * A later name of a hard-link group is (or is made, and then
		 * listed once as such) a link to the group's copy, whose
		 * attributes its first name settles.
		 */
		/*
		 * (A copy of its own may be relinked: not where the copy
		 * has as many links as the source, all of them, likely.)
		 */
		if (sst->st_nlink > 1 && dst && dst->st_nlink != sst->st_nlink)
			twin_writable(w, d);
		if (!S_ISDIR(sst->st_mode) && settled_as_link(w, d, name, sst))
			break;
		settle(w, d, name, sst, dst);
		break;
	default: /* CREATE, REPLACE, INPLACE */
		twin_writable(w, d);
		if (S_ISREG(sst->st_mode))
			copy_file(w, d, name, sst, dst, p->ch);
		else
			make_other(w, d, name, sst, p->ch, dst != NULL);
		break;
	}
}

/*
 * Whether source entry name of d (m: its type; fold: fold_hash of it)
 * folds to the name of one looked at before it, kept in the worker's
 * folds (the two differ in case only: 'File' and 'file'). Where the
 * mirror's directory does not tell case apart, both would be one entry
 * there, each run overwriting what the other made (and --delete removing
 * the other's entries, of a directory): the later is not copied, an
 * error, as copy mode says it ("File exists"). True then. (Not for a file
 * of another directory, redone here: the folds are not its.)
 */
static bool case_twin(struct ucp_worker *w, struct ucp_dir *d, const char *name,
		      mode_t m, uint64_t fold)
{
	/* (A name handled anew was met already: no twin of its own.) */
	int met = w->folds_of == d ? ucp_tree_fold_met(w, name, fold) : 0;

	return !w->redo && met &&
	       ucp_tree_twin(w, d, name, m, !w->run->cfg->sync.dry_run,
			     met == 2);
}

/*
 * Entry name of d, whose source stat is sst. pre is the destination's
 * stat taken ahead (pre_err its errno), or NULL to take it here.
 */
static void compare(struct ucp_worker *w, struct ucp_dir *d, const char *name,
		    const struct stat *sst_in, const struct stat *pre,
		    int pre_err)
{
	const struct ucp_config *cfg = w->run->cfg;
	struct sync_worker *sw = &w->run->sync->ws[w->id];
	struct stat sst = *sst_in, dst;
	struct ucp_plan_in in = { .mode = UCP_PLAN_SYNC,
				  .src = &sst,
				  .follow = d->follow,
				  .euid = w->run->meta.euid,
				  .egid = w->run->meta.egid,
				  .partial = d->in_tmp,
				  .size_unknown = d->sizes_lie };
	struct ucp_plan p;
	int there;

	/* Excluded: not copied, and not in the set (see protected()). */
	if (excluded(w, d, name, S_ISDIR(sst.st_mode)))
		return;
	/*
	 * A socket is skipped (said), and not in the set either: what the
	 * mirror has under its name is what the source lacks (--delete), as
	 * rsync without --specials has it.
	 */
	if (S_ISSOCK(sst.st_mode)) {
		ucp_report(w, d, name, false, UCP_OP_SKIP_SOCKET, 0);
		ucp_count(&w->cnt.files_found, 1);
		ucp_count(&w->cnt.skipped, 1);
		return;
	}
	/*
	 * (A directory this run made: its names' folds are kept as they are
	 * read, new_dir_twin.)
	 */
	if (d->scan_dst || (!d->created && d->dst_fd >= 0 &&
			    ucp_tree_may_fold(w->run, d->dst_fd))) {
		uint64_t fold = ucp_fold_hash(name);

		if (case_twin(w, d, name, sst.st_mode, fold))
			return;
		if ((d->scan_dst &&
		     ucp_u64set_add(&sw->names, name_hash(name)) < 0) ||
		    ucp_tree_fold_add(w, name, fold) < 0) {
			/* Without the name, --delete could remove its copy. */
			ucp_report(w, d, name, false, UCP_OP_STAT, ENOMEM);
			return;
		}
	}
	there = twin(w, d, name, pre, pre_err, &dst);
	if (there < 0)
		return;
	in.dst = there ? &dst : NULL;
	ucp_plan(cfg, &in, &p);
	if (p.act == UCP_ACT_LOOK) {
		in.same = look(w, d, name, &sst);
		ucp_plan(cfg, &in, &p);
	}
	if (!S_ISDIR(sst.st_mode) && (in.dst || p.act != UCP_ACT_SKIP))
		ucp_count(&w->cnt.files_found, 1);
	itemize_rewritten_xattrs(w, d, name, &in, &p);
	if (p.act == UCP_ACT_CLEAR) {
		/* A directory in the way goes only with --delete. */
		if (!clear_in_the_way(w, d, name))
			return;
		in.dst = NULL;
		in.cleared = true;
		ucp_plan(cfg, &in, &p);
	}
	w->row = p.row;
	act(w, d, name, &sst, in.dst, &p);
	w->row = NULL;
}

/*
 * Source entry name of d could not be looked at (err). Under -L, a link
 * that leads nowhere did not vanish (that would allow --delete, exit 24):
 * an error, as copy mode says it, and no deletions.
 */
static void source_stat_failed(struct ucp_worker *w, struct ucp_dir *d,
			       const char *name, int err)
{
	struct stat st;

	if (err == ENOENT &&
	    fstatat(d->src_fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	    S_ISLNK(st.st_mode))
		ucp_report_missing(w, d, name, UCP_OP_STAT, err);
	else
		ucp_report(w, d, name, false, UCP_OP_STAT, err);
}

/*
 * A file in a directory this run created, in a new mirror still under its
 * temporary name: nothing to compare, and no temporary of its own needed
 * (the whole tree is one), so it is copied as cp mode copies, big files
 * handed over to an idle worker too. (A new directory is not listed after
 * its scan: its names need no keeping.) False if name is not such a file.
 */
static bool new_tree_file(struct ucp_worker *w, struct ucp_dir *d,
			  const char *name)
{
	const struct ucp_sync_config *sc = &w->run->cfg->sync;
	/* (--fsync needs the descriptor, which the ring closes.) */
	struct ucp_copy_job job = { .sname = name,
				    .dname = name,
				    .how = UCP_COPY_DIRECT,
				    .ch = CH_NEW };
	int ret;

	if (!d->created || !d->in_tmp || sc->dry_run || sc->nref_dirs ||
	    sc->existing_only || excluded(w, d, name, false))
		return false;
	ucp_count(&w->cnt.files_found, 1);
	if (w->cp && !sc->fsync && !d->sizes_lie && ucp_copy_start(w, d, &job))
		return true;
	ret = ucp_plain_file(w, d, name, name, NULL);
	/* (A link is listed once made: ucp_sync_linked.) */
	if (ret >= 0 && ret != UCP_PLAIN_HANDED && ret != UCP_PLAIN_LINKED)
		ucp_sync_copied(w, d, name, S_IFREG, CH_NEW);
	return true;
}

/*
 * Whether name, of d_type type, is excluded as the listing says what it
 * is: then it is never looked at (an excluded temporary that vanished
 * was "cannot stat", exit 24, where rsync says nothing). Not where the
 * type is unknown, nor a link -L follows to what may be a directory.
 */
static bool excluded_listed(struct ucp_worker *w, struct ucp_dir *d,
			    const char *name, unsigned char type)
{
	return w->run->cfg->sync.filter && type != DT_UNKNOWN &&
	       !(type == DT_LNK && d->follow) &&
	       excluded(w, d, name, type == DT_DIR);
}

/*
 * case_twin for entry name (d_type type) of a directory this run made,
 * whose files go to the copy without compare(): its names' folds kept
 * here. (Without the memory, none is kept: no twin is told.)
 */
static bool new_dir_twin(struct ucp_worker *w, struct ucp_dir *d,
			 const char *name, unsigned char type)
{
	uint64_t fold = ucp_fold_hash(name);

	if (case_twin(w, d, name, type == DT_UNKNOWN ? S_IFREG : DTTOIF(type),
		      fold))
		return true;
	/* (A file of another directory, redone here: its names not kept.) */
	if (w->folds_of == d)
		(void)ucp_tree_fold_add(w, name, fold);
	return false;
}

void ucp_sync_entry(struct ucp_worker *w, struct ucp_dir *d, const char *name,
		    unsigned char type)
{
	const struct ucp_sync_config *sc = &w->run->cfg->sync;
	int flags = d->follow ? 0 : AT_SYMLINK_NOFOLLOW;
	struct stat sst;

	if (excluded_listed(w, d, name, type))
		return;
	if (d->created && new_dir_twin(w, d, name, type))
		return;
	if (type == DT_REG && new_tree_file(w, d, name))
		return;
	/*
	 * A file in a directory this run created has no twin to compare
	 * with: straight to the ring, whose statx is the only stat it gets.
	 * (Under --existing the planner says no to it: a directory that
	 * replaced a file is made, and nothing in it.)
	 */
	if (type == DT_REG && d->created && w->cp && !d->sizes_lie &&
	    !sc->dry_run && !sc->inplace && !sc->fsync && !sc->nref_dirs &&
	    !sc->existing_only && !excluded(w, d, name, false)) {
		struct ucp_copy_job job = { .sname = name,
					    .dname = name,
					    .how = UCP_COPY_VIA_TMP,
					    .links = UCP_LINKS_CLAIM,
					    .ch = CH_NEW,
					    .fresh = true };

		/* (Its completion comes later, from the ring.) */
		if (ucp_copy_start(w, d, &job)) {
			ucp_count(&w->cnt.files_found, 1);
			return;
		}
	}
	if (fstatat(d->src_fd, name, &sst, flags) < 0) {
		source_stat_failed(w, d, name, errno);
		return;
	}
	compare(w, d, name, &sst, NULL, 0);
}

/*
 * Read up to AHEAD entries of d and stat both sides of each: the
 * destination's through the ring, in one submission, and the source's
 * with syscalls while the kernel's io_uring workers do those. Returns
 * false when there were none.
 *
 * Measured on a no-change re-sync of 100,000 files (2 CPUs): all on the
 * ring cost a context switch for every other stat, as each completion
 * woke the waiting worker (0.25-0.29 s); half on the ring keeps the
 * worker busy until the ring is done (4,300 switches, 0.24-0.26 s);
 * two fstatat a file took 0.28-0.30 s.
 */
static bool read_ahead(struct ucp_worker *w, struct ucp_dir *d)
{
	struct sync_worker *sw = &w->run->sync->ws[w->id];
	struct ucp_stat_req reqs[2 * AHEAD];
	int flags = d->follow ? 0 : AT_SYMLINK_NOFOLLOW;
	unsigned n = 0, i;

	sw->nahead = sw->next = 0;
	while (sw->nahead < AHEAD) {
		struct ahead *a = &sw->ahead[sw->nahead];
		const char *name;
		unsigned char type;
		size_t len;
		int ret = ucp_dirents_next(w->ents, &name, &type);

		if (ret < 0)
			ucp_report(w, d, NULL, false, UCP_OP_READDIR, -ret);
		if (ret <= 0) {
			sw->ents_end = true;
			break;
		}
		if (excluded_listed(w, d, name, type))
			continue;
		len = strlen(name);
		if (len > NAME_MAX) { /* (not from a Linux file system) */
			ucp_report(w, d, name, false, UCP_OP_STAT,
				   ENAMETOOLONG);
			continue;
		}
		memcpy(a->name, name, len + 1);
		reqs[n++] = (struct ucp_stat_req){ .dirfd = d->src_fd,
						   .name = a->name,
						   .flags = flags,
						   .st = &a->sst,
						   .here = d->dst_fd >= 0 };
		a->derr = ENOENT;
		if (d->dst_fd >= 0)
			reqs[n++] = (struct ucp_stat_req){
				.dirfd = d->dst_fd,
				.name = a->name,
				.flags = AT_SYMLINK_NOFOLLOW,
				.st = &a->dst
			};
		sw->nahead++;
	}
	ucp_copy_stat(w, reqs, n);
	for (i = 0, n = 0; i < sw->nahead; i++) {
		sw->ahead[i].serr = reqs[n++].err;
		if (d->dst_fd >= 0)
			sw->ahead[i].derr = reqs[n++].err;
	}
	return sw->nahead > 0;
}

bool ucp_sync_next(struct ucp_worker *w, struct ucp_dir *d)
{
	struct sync_worker *sw = &w->run->sync->ws[w->id];
	const char *name;
	unsigned char type;
	struct ahead *a;
	int ret;

	/*
	 * In a directory the mirror already has, every entry costs a stat
	 * of each side: read_ahead moves half of them to the ring. (What
	 * it read stays to be done if the ring went meanwhile.)
	 */
	if (sw->next < sw->nahead || (w->cp && !d->created && !d->pseudo)) {
		if (sw->next == sw->nahead &&
		    (sw->ents_end || !read_ahead(w, d)))
			return false;
		a = &sw->ahead[sw->next++];
		if (a->serr)
			source_stat_failed(w, d, a->name, a->serr);
		else
			compare(w, d, a->name, &a->sst, &a->dst, a->derr);
		return true;
	}
	ret = ucp_dirents_next(w->ents, &name, &type);
	if (ret < 0)
		ucp_report(w, d, NULL, false, UCP_OP_READDIR, -ret);
	if (ret <= 0)
		return false;
	ucp_sync_entry(w, d, name, type);
	return true;
}

/* ---- directories -------------------------------------------------- */

bool ucp_sync_must_list(const struct ucp_run *run, const struct ucp_dir *d,
			const struct stat *dst)
{
	/*
	 * The copy is listed after the scan to find names the source lacks
	 * (--delete) and temporaries of an interrupted run. Without --delete
	 * only the latter, and a directory holding one still has the time
	 * its creation gave it: a run restores a directory's time only after
	 * all of its entries are done. A copy whose time is the source's has
	 * none (and one listing and a hash for every name less is a tenth of
	 * a no-change run), also where its file system keeps the time cut.
	 */
	return run->cfg->sync.delete_extraneous ||
	       !(run->cfg->preserve & UCP_PRESERVE_TIMESTAMPS) ||
	       !ucp_plan_same_instant(&dst->st_mtim, &dst->st_ctim,
				      &d->sst.st_mtim, &d->sst.st_ctim);
}

/* Reference directory ref is not there: files it would give are copied. */
static void ref_missing(struct ucp_run *run, const char *ref)
{
	const struct ucp_sync_config *sc = &run->cfg->sync;
	struct ucp_error e = {
		.op = UCP_OP_REF_MISSING,
		.path = ref,
		.msg = sc->ref_clone ? "--reflink-dest" : "--link-dest",
		.warning = true,
	};

	if (run->ev->error)
		run->ev->error(run->ev->arg, &e);
}

/*
 * The worker's chains below the reference roots (root: the tree's root,
 * whose twins are open), made when first needed; NULL without memory.
 */
static struct ucp_dirchain *ref_chains(struct ucp_worker *w,
				       const struct ucp_dir *root)
{
	struct sync_worker *sw = &w->run->sync->ws[w->id];
	unsigned i;

	if (sw->refs)
		return sw->refs;
	sw->refs = calloc(root->nref, sizeof(*sw->refs));
	if (!sw->refs)
		return NULL;
	for (i = 0; i < root->nref; i++) {
		ucp_dirchain_init(&sw->refs[i], root->ref_fds[i]);
		sw->refs[i].max_open = UCP_SYNC_REF_LEVELS;
		sw->refs[i].path_only = true;
	}
	sw->nrefs = root->nref;
	return sw->refs;
}

/*
 * Reference directory ref of root d, relative to the destination: its
 * descriptor, or where a dry run made none, its path.
 */
static int open_ref_root(const struct ucp_dir *d, const char *ref)
{
	const int flags = O_PATH | O_DIRECTORY | O_CLOEXEC;
	const char *slash;
	char *path;
	size_t len;
	int fd;

	if (ref[0] == '/')
		return open(ref, flags);
	if (d->dst_fd >= 0)
		return openat(d->dst_fd, ref, flags);
	/*
	 * The destination is not there: "../x" is x beside it (a path
	 * through it would not resolve), and anything below it is not
	 * there either.
	 */
	if (strncmp(ref, "../", 3) != 0 || !d->dst_path) {
		errno = ENOENT;
		return -1;
	}
	/* (The parent of "bk/new/" is "bk", as of "bk/new".) */
	len = strlen(d->dst_path);
	while (len > 1 && d->dst_path[len - 1] == '/')
		len--;
	slash = memrchr(d->dst_path, '/', len);
	path = slash ? ucp_path_join_n(d->dst_path,
				       (size_t)(slash - d->dst_path), ref + 3)
		     : strdup(ref + 3);
	if (!path) {
		errno = ENOENT;
		return -1;
	}
	fd = open(path, flags);
	free(path);
	return fd;
}

/*
 * Open d's twins in the reference directories: a root's are the DIRs
 * given (a relative DIR is relative to the destination, as in rsync), and
 * stay open for the run; a subdirectory's are reached below its root's,
 * one name at a time without following symbolic links, through the
 * worker's chains (about one openat a directory, however deep, and a
 * bounded number of descriptors), and are open only while d is listed
 * (close_refs). Twins are only looked up, never listed: every level is
 * opened O_PATH, so that a reference directory the user may search but
 * not read serves as well as rsync's paths into it do.
 */
static void open_refs(struct ucp_worker *w, struct ucp_dir *d)
{
	const struct ucp_sync_config *sc = &w->run->cfg->sync;
	const struct ucp_dir *root = d;
	struct ucp_dirchain *chains = NULL;
	char *rel = NULL;
	const char *ref;
	unsigned i;
	int at;

	while (root->parent)
		root = root->parent;
	if (!sc->nref_dirs || d->pseudo || d->ref_fds ||
	    (d != root && !root->ref_fds))
		return;
	if (d != root &&
	    (!(chains = ref_chains(w, root)) || !(rel = ucp_dir_rel(d, NULL))))
		return; /* as if there were none: a full copy */
	d->ref_fds = malloc(sc->nref_dirs * sizeof(*d->ref_fds));
	if (!d->ref_fds) {
		free(rel);
		return;
	}
	d->nref = sc->nref_dirs;
	for (i = 0; i < d->nref; i++) {
		if (d != root) {
			/* (The chain's own descriptor lasts until its next
			 * use: d gets a copy.) */
			at = root->ref_fds[i] < 0
				     ? -1
				     : ucp_dirchain_open(&chains[i], rel,
							 strlen(rel), false);
			d->ref_fds[i] =
				at < 0 ? -1 : fcntl(at, F_DUPFD_CLOEXEC, 0);
			continue;
		}
		ref = sc->ref_dirs[i];
		d->ref_fds[i] = open_ref_root(d, ref);
		if (d->ref_fds[i] < 0 && errno == ENOENT)
			ref_missing(w->run, ref);
	}
	free(rel);
}

/* d is listed: its twins are not needed any more (a root's stay). */
static void close_refs(struct ucp_dir *d)
{
	unsigned i;

	if (!d->ref_fds || !d->parent)
		return;
	for (i = 0; i < d->nref; i++)
		if (d->ref_fds[i] >= 0)
			(void)close(d->ref_fds[i]);
	free(d->ref_fds);
	d->ref_fds = NULL;
	d->nref = 0;
}

/* What load_filter_dir hung on d (its release). */
static void free_filter_dirs(struct ucp_dir *d)
{
	ucp_filter_dir_free(d->filter_dir);
	ucp_filter_dir_free(d->filter_dir_recv);
	d->filter_dir = d->filter_dir_recv = NULL;
}

struct recv_pick {
	struct ucp_worker *w;
	struct ucp_dir *d;
};

/*
 * Where --delete finds merge file name of a directory: as rsync's
 * --delete-after, in the destination after the copy. One that is copied
 * is then the source's; one that is not, the destination's own.
 */
static int recv_dir(void *arg, const char *name)
{
	const struct recv_pick *p = arg;

	/*
	 * The source's, which the copy brings; where the source has none,
	 * the one the mirror holds, as the deletion pass reads it (its
	 * rules kept entries below the directory but not in it).
	 */
	if (!excluded(p->w, p->d, name, false) &&
	    (p->d->created ||
	     faccessat(p->d->src_fd, name, F_OK, AT_SYMLINK_NOFOLLOW) == 0))
		return p->d->src_fd;
	return p->d->created ? -1 : p->d->dst_fd;
}

/*
 * What was wrong with a rule file (ret: -errno), in buf: "line N: why", or
 * NULL when no line was at fault (a read error: ret says it).
 */
static const char *rule_file_fault(char *buf, size_t size,
				   const struct ucp_filter_dir_error *err,
				   int ret)
{
	if (!err->line)
		return NULL;
	(void)snprintf(buf, size, "line %zu: %s", err->line,
		       ucp_filter_fault(-ret));
	return buf;
}

/*
 * A rule file of d that could not be used (a bad line, or a read error).
 * Its directory on the sender's side is not copied: what its other rules
 * exclude would be (keys, say). For --delete's side, the run's error
 * holds the deletions back.
 */
static void bad_rule_file(struct ucp_worker *w, struct ucp_dir *d, bool dst,
			  const struct ucp_filter_dir_error *err, int ret)
{
	char *path = ucp_dir_path(d, dst, err->name);
	char *dir = dst ? NULL : ucp_dir_path(d, false, NULL);
	char msg[96];
	struct ucp_error e = {
		.op = UCP_OP_RULE_FILE,
		.err = -ret,
		.path = path ? path : "?",
		.path2 = dst   ? NULL
			 : dir ? dir
			       : "?",
		.msg = rule_file_fault(msg, sizeof(msg), err, ret),
	};

	ucp_report_error(w, &e);
	free(path);
	free(dir);
}

/*
 * The rules of d's merge files (dir-merge): what is copied follows the
 * source's; what --delete spares, what the destination will hold. -1 when
 * the source's cannot be used: then d is not copied.
 */
static int load_filter_dir(struct ucp_worker *w, struct ucp_dir *d)
{
	const struct ucp_filter *f = w->run->cfg->sync.filter;
	struct ucp_filter_dir_error err = { 0 };
	struct recv_pick pick = { w, d };
	char *rel;
	size_t base;
	int ret;

	if (!f || !ucp_filter_merges(f) || d->pseudo || d->src_fd < 0)
		return 0;
	rel = ucp_dir_rel(d, NULL);
	if (!rel) {
		ucp_report(w, d, NULL, false, UCP_OP_STAT, ENOMEM);
		return -1;
	}
	base = *rel ? strlen(rel) + 1 : 0;
	free(rel);
	d->release = free_filter_dirs;
	ret = ucp_filter_dir_load(f, filter_dir(d->parent, UCP_FILTER_SENDER),
				  d->src_fd, base, &d->filter_dir, &err);
	if (ret < 0) {
		bad_rule_file(w, d, false, &err, ret);
		return -1;
	}
	if (!w->run->cfg->sync.delete_extraneous)
		return 0;
	ret = ucp_filter_dir_load_with(
		f, filter_dir(d->parent, UCP_FILTER_RECEIVER), recv_dir, &pick,
		base, &d->filter_dir_recv, &err);
	if (ret < 0)
		bad_rule_file(w, d, recv_dir(&pick, err.name) != d->src_fd,
			      &err, ret);
	return 0;
}

int ucp_sync_dir_start(struct ucp_worker *w, struct ucp_dir *d)
{
	struct sync_worker *sw = &w->run->sync->ws[w->id];
	struct stat dst;

	ucp_u64set_clear(&sw->names);
	/* (w->folds are d's since ucp_tree_open_dir.) */
	sw->nahead = sw->next = 0;
	sw->ents_end = false;
	/* (make_dst_dir decided it for the others, from its own look.) */
	if (!d->parent && !d->pseudo && d->dst_fd >= 0 && !d->created) {
		d->dst_seen = fstat(d->dst_fd, &dst) == 0;
		d->scan_dst =
			!d->dst_seen || ucp_sync_must_list(w->run, d, &dst);
		if (d->dst_seen) {
			d->dst_mtim = dst.st_mtim;
			d->dst_ctim = dst.st_ctim;
		}
	}
	if (load_filter_dir(w, d) < 0)
		return -1;
	open_refs(w, d);
	return 0;
}

/*
 * A directory of the mirror to delete that is the source, or holds it (a
 * bind mount of the source in its mirror: the paths did not show it, and
 * the run deleted the source itself). Said, an error, which keeps every
 * deletion from going. One stat a directory to delete.
 */
static bool source_in(struct ucp_worker *w, struct ucp_dir *d, const char *name)
{
	struct stat st;
	char *path;
	struct ucp_error e = {
		.op = UCP_OP_DELETE,
		.msg = "the source is this directory, or inside it (a bind "
		       "mount): not deleted",
	};

	if (!w->run->sync->nup ||
	    fstatat(d->dst_fd, name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
	    !holds_source(w->run->sync, &st))
		return false;
	path = ucp_dir_path(d, true, name);
	e.path = path ? path : name;
	ucp_report_error(w, &e);
	free(path);
	return true;
}

static void doom(struct ucp_worker *w, struct ucp_dir *d, const char *name,
		 bool dir)
{
	struct ucp_sync *s = w->run->sync;
	char *rel;
	size_t len;
	struct doomed *e;

	if (dir && source_in(w, d, name))
		return;
	rel = ucp_dir_rel(d, name);
	len = rel ? strlen(rel) + 1 : 0;
	e = rel ? malloc(sizeof(*e) + len) : NULL;
	if (!e) {
		free(rel);
		ucp_report(w, d, name, true, UCP_OP_STAT, ENOMEM);
		return;
	}
	e->dir = dir;
	memcpy(e->path, rel, len);
	free(rel);
	pthread_mutex_lock(&s->lock);
	if (s->ndoomed == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;
		struct doomed **n = realloc(s->doomed, cap * sizeof(*n));

		if (!n) {
			pthread_mutex_unlock(&s->lock);
			free(e);
			ucp_report(w, d, name, true, UCP_OP_STAT, ENOMEM);
			return;
		}
		s->doomed = n;
		s->cap = cap;
	}
	s->doomed[s->ndoomed++] = e;
	pthread_mutex_unlock(&s->lock);
}

/*
 * A name of the mirror that is a temporary: true when it is one (dealt
 * with here), false for any other name.
 */
static bool temporary_seen(struct ucp_worker *w, struct ucp_dir *d,
			   const char *name, unsigned char type)
{
	const struct ucp_sync_config *sc = &w->run->cfg->sync;
	struct stat st;

	switch (ucp_tmp_kind(name, w->run->pid)) {
	case UCP_TMP_STRAY:
		/* (A directory is never one of ucp's temporaries.) */
		if (type == DT_DIR ||
		    (type == DT_UNKNOWN &&
		     fstatat(d->dst_fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		     S_ISDIR(st.st_mode)))
			return false;
		/* A dead run's temporary goes, unless a rule keeps the name
		 * (a file that only looks like one). */
		if (!sc->dry_run &&
		    !excluded_on(w, d, name, false,
				 sc->delete_excluded ? UCP_FILTER_PROTECTED
						     : UCP_FILTER_RECEIVER))
			(void)unlinkat(d->dst_fd, name, 0);
		return true;
	case UCP_TMP_LIVE:
		/* Its run needs it; see ucp_sync_finalize_dir. */
		d->foreign_tmp = true;
		return true;
	case UCP_TMP_OWN:
		return true;
	default:
		return false;
	}
}

/* -x: whether device dev is another file system than the mirror's. */
static bool other_dev(const struct ucp_run *run, dev_t dev)
{
	return run->cfg->one_file_system && run->has_root_id &&
	       dev != run->root_dev;
}

/* -x: whether d's copy is on another file system than the mirror's root. */
static bool other_fs(const struct ucp_run *run, const struct ucp_dir *d)
{
	struct stat st;

	return run->cfg->one_file_system && run->has_root_id &&
	       fstat(d->dst_fd, &st) == 0 && other_dev(run, st.st_dev);
}

/*
 * Whether name of d's copy, which the source lacks, goes with --delete
 * (*type: its d_type, made known): not a mount point under -x (rsync -x),
 * nor an excluded name (with --delete-excluded, one protect rules keep).
 */
static bool extraneous_goes(struct ucp_worker *w, struct ucp_dir *d,
			    const char *name, unsigned char *type)
{
	const struct ucp_run *run = w->run;
	const struct ucp_sync_config *sc = &run->cfg->sync;
	struct stat st;

	if (*type == DT_UNKNOWN ||
	    (*type == DT_DIR && run->cfg->one_file_system)) {
		if (fstatat(d->dst_fd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			return false;
		*type = S_ISDIR(st.st_mode) ? DT_DIR : DT_REG;
		if (*type == DT_DIR && other_dev(run, st.st_dev))
			return false;
	}
	return !excluded_on(w, d, name, *type == DT_DIR,
			    sc->delete_excluded ? UCP_FILTER_PROTECTED
						: UCP_FILTER_RECEIVER);
}

/*
 * Keep name (of d_type type) of the mirror's listing for after the
 * listing: a source name differs from it in case only. False when there
 * is no memory for it (it is kept then: taken for that name's entry).
 */
static bool defer_alias(struct sync_worker *sw, const char *name,
			unsigned char type)
{
	struct maybe_alias *m;

	if (sw->nmaybe == sw->capmaybe) {
		size_t cap = sw->capmaybe ? sw->capmaybe * 2 : 8;

		m = realloc(sw->maybe, cap * sizeof(*m));
		if (!m)
			return false;
		sw->maybe = m;
		sw->capmaybe = cap;
	}
	m = &sw->maybe[sw->nmaybe];
	m->name = strdup(name);
	m->type = type;
	if (!m->name)
		return false;
	sw->nmaybe++;
	return true;
}

/* The deferred names: those that are no source name's entry go. */
static void doom_deferred(struct ucp_worker *w, struct ucp_dir *d,
			  bool listed_ok)
{
	const struct ucp_sync_config *sc = &w->run->cfg->sync;
	struct sync_worker *sw = &w->run->sync->ws[w->id];
	size_t i;

	for (i = 0; i < sw->nmaybe; i++) {
		struct maybe_alias *m = &sw->maybe[i];

		if (!case_alias(d->dst_fd, m->name, &sw->listed, listed_ok) &&
		    sc->delete_extraneous &&
		    extraneous_goes(w, d, m->name, &m->type))
			doom(w, d, m->name, m->type == DT_DIR);
		free(m->name);
	}
	sw->nmaybe = 0;
}

void ucp_sync_dir_scanned(struct ucp_worker *w, struct ucp_dir *d)
{
	const struct ucp_sync_config *sc = &w->run->cfg->sync;
	struct sync_worker *sw = &w->run->sync->ws[w->id];
	bool listed_ok = true;
	unsigned char type;
	const char *name;
	int ret;

	/* What was read ahead and not handed out is dropped (a stop). */
	sw->nahead = sw->next = 0;
	close_refs(d);
	if (!d->scan_dst || ucp_run_stopping(w->run) || other_fs(w->run, d))
		return;
	ucp_u64set_clear(&sw->listed);
	ucp_dirents_init(sw->dents, d->dst_fd);
	while ((ret = ucp_dirents_next(sw->dents, &name, &type)) > 0) {
		if (ucp_u64set_add(&sw->listed, name_hash(name)) < 0)
			listed_ok = false;
		if (ucp_u64set_has(&sw->names, name_hash(name)) ||
		    temporary_seen(w, d, name, type))
			continue;
		/*
		 * Decided once the listing is whole (case_alias); without
		 * the memory to wait, kept, taken for that name's entry.
		 */
		if (ucp_u64set_has(&w->folds, ucp_fold_hash(name))) {
			(void)defer_alias(sw, name, type);
			continue;
		}
		if (sc->delete_extraneous && extraneous_goes(w, d, name, &type))
			doom(w, d, name, type == DT_DIR);
	}
	if (ret < 0) {
		ucp_report(w, d, NULL, true, UCP_OP_READDIR, -ret);
		listed_ok = false;
	}
	doom_deferred(w, d, listed_ok);
	/* The listing moved dst_fd's offset only: *at calls do not mind. */
}

/* Whether d's time before the run wrote in it was the source's. */
static bool same_dir_time(const struct ucp_worker *w, const struct ucp_dir *d)
{
	return ucp_plan_same_time(w->run->cfg, &d->dst_mtim, &d->dst_ctim,
				  &d->sst.st_mtim, &d->sst.st_ctim);
}

/*
 * --itemize-changes of mirror directory d, whose attributes ch were put
 * right (quiet_perms: its mode only as the run had changed it).
 */
static void tell_dir(struct ucp_worker *w, struct ucp_dir *d, unsigned ch,
		     bool quiet_perms)
{
	/*
	 * A time the run moved by writing in d, which was right before, is
	 * put back without a word, as rsync says nothing of it (and a dry
	 * run would not see it).
	 */
	if ((ch & CH_TIME) && d->dst_seen && same_dir_time(w, d))
		ch &= ~CH_TIME;
	if (quiet_perms)
		ch &= ~CH_PERMS;
	/*
	 * A time that was not the source's before the run is a change, also
	 * when it needed no fix here: the run's own write in d came in the
	 * same tick of the file system's clock as the source's change. (As
	 * rsync says it: it looks before it writes.)
	 */
	if (d->dst_seen && !d->foreign_tmp &&
	    (w->run->cfg->preserve & UCP_PRESERVE_TIMESTAMPS) &&
	    !same_dir_time(w, d))
		ch |= CH_TIME;
	if (ch && d->parent)
		itemize(w, d->parent, d->name, '.', S_IFDIR, ch);
	else if (ch)
		itemize(w, d, NULL, '.', S_IFDIR, ch);
}

void ucp_sync_finalize_dir(struct ucp_worker *w, struct ucp_dir *d)
{
	const struct ucp_sync_config *sc = &w->run->cfg->sync;
	struct ucp_xattrs sx = { 0 }, x = { 0 };
	struct stat dst;
	bool quiet_perms;
	bool fixed = true;
	unsigned ch;

	ucp_test_point("finalize");
	if (d->dst_fd < 0 || fstat(d->dst_fd, &dst) < 0)
		return;
	/* (Its mode is the one it had: the owner's bits were the run's.) */
	if (d->made_writable)
		dst.st_mode = (dst.st_mode & S_IFMT) | (d->ro_mode & 07777);
	sx.buf = d->xattr_buf;
	sx.len = d->xattr_len;
	/*
	 * The run's own writes in d moved its change time past the source's:
	 * the attributes are compared as of the time d had before (and
	 * always in a tree a killed first run left, whose directories were
	 * to get theirs last).
	 */
	if (w->run->tmp_root)
		dst.st_ctim = (struct timespec){ 0, 0 };
	else if (d->dst_seen)
		dst.st_ctim = d->dst_ctim;
	/*
	 * A time that was not the source's: a run left d unfinished (its
	 * attributes could not be written, and its time is set last), or d
	 * changed; its attributes are compared whatever the change times.
	 */
	if (d->dst_seen && !same_dir_time(w, d))
		dst.st_ctim = (struct timespec){ 0, 0 };
	ch = meta_diff(w, &d->sst, &dst, -1, d->dst_fd, NULL, &sx, &x);
	/*
	 * A directory holding another live run's temporary keeps a time
	 * that is not the source's, so that a later run lists it and
	 * removes that temporary should its run die (ucp_sync_must_list).
	 */
	if (d->foreign_tmp)
		ch &= ~CH_TIME;
	/* Owner write given for the run only: put back, not listed. */
	quiet_perms = d->made_writable &&
		      (d->ro_mode & 07777) == (d->sst.st_mode & 07777);
	/*
	 * Through d's own descriptor, not its path: a new mirror's root may
	 * have been given its final name meanwhile (another run into it).
	 */
	if (ch)
		fixed = meta_fix(w, d, d->dst_fd, NULL, &d->sst, NULL, ch,
				 &sx) == 0;
	if (fixed)
		tell_dir(w, d, ch, quiet_perms);
	/* Without the mode kept, owner write given is taken back here. */
	if (d->made_writable && !(ch & CH_PERMS) &&
	    fchmod(d->dst_fd, d->ro_mode & 07777) < 0)
		ucp_report(w, d, NULL, true, UCP_OP_CHMOD, errno);
	if (sc->fsync && d->dirty && !sc->dry_run &&
	    (ucp_fault_fail(UCP_FAULT_FSYNC) < 0 || fsync(d->dst_fd) < 0))
		ucp_report(w, d, NULL, true, UCP_OP_FSYNC, errno);
}

/* ---- the mode ----------------------------------------------------- */

/* cp mode's opening, then the names of the previous directory go. */
static int mirror_open_dir(struct ucp_worker *w, struct ucp_dir *d)
{
	if (ucp_tree_open_dir(w, d) < 0)
		return -1;
	return ucp_sync_dir_start(w, d);
}

/* ucp_sync_entry takes the source leaf only; dname is not used. */
static void mirror_entry(struct ucp_worker *w, struct ucp_dir *d,
			 const char *sname, const char *dname,
			 unsigned char type)
{
	(void)dname;
	ucp_sync_entry(w, d, sname, type);
}

/*
 * A file handed over by another worker (one with no twin: in a new tree,
 * see new_tree_file; elsewhere, through a temporary of its own, as its
 * finder would have copied it), or one the ring found is no longer a
 * regular file.
 */
static void mirror_entry_st(struct ucp_worker *w, struct ucp_dir *d,
			    const char *sname, const char *dname,
			    const struct stat *st)
{
	if (S_ISREG(st->st_mode) && new_tree_file(w, d, sname))
		return;
	if (S_ISREG(st->st_mode) && w->handed) {
		ucp_count(&w->cnt.files_found, 1);
		copy_file(w, d, sname, st, NULL, CH_NEW);
		return;
	}
	ucp_tree_entry_st(w, d, sname, dname, st);
}

/* An existing directory of a mirror: only what differs changes. */
static void mirror_finalize_dir(struct ucp_worker *w, struct ucp_dir *d)
{
	if (d->pseudo || d->dst_fd < 0)
		return;
	if (!d->created) {
		ucp_sync_finalize_dir(w, d);
		return;
	}
	ucp_tree_finalize_dir(w, d);
}

/*
 * The walk is over: the new names whose hard-link group waited for a twin
 * in the mirror (copy_file) that never came are copied now.
 */
static bool mirror_walk_done(struct ucp_worker *w)
{
	return ucp_plain_links_unseek(w);
}

const struct ucp_mode_ops ucp_sync_mode = {
	.open_dir = mirror_open_dir,
	.walk_done = mirror_walk_done,
	.next = ucp_sync_next,
	.entry = mirror_entry,
	.entry_st = mirror_entry_st,
	.dir_scanned = ucp_sync_dir_scanned,
	.finalize_dir = mirror_finalize_dir,
	.must_list = ucp_sync_must_list,
	.dir_created = ucp_sync_dir_created,
	.copied = ucp_sync_copied,
	.linked = ucp_sync_linked,
};

/* ---- deleting ----------------------------------------------------- */

struct rm_level {
	int fd; /* -1 when closed */
	char *name;
	dev_t dev;
	ino_t ino;
	struct rm_kept *kept; /* its subdirectories that stay (spared) */
	mode_t was;	      /* name's mode before rm_writable, or 0 */
};

/* Names of subdirectories of one level that could not be emptied. */
struct rm_kept {
	struct rm_kept *next;
	char name[];
};

struct rm_stack {
	struct rm_level *lv;
	size_t depth, cap;
	size_t keep;	/* the levels that keep their descriptor */
	mode_t top_was; /* the tree's own mode before rm_writable, or 0 */
};

/* Push directory fd (closed here past st->keep), with name (taken). */
static int rm_push(struct rm_stack *st, int fd, char *name)
{
	struct rm_level *l;
	struct stat sb;

	if (st->depth == st->cap) {
		size_t nc = st->cap ? st->cap * 2 : 16;
		struct rm_level *nl = realloc(st->lv, nc * sizeof(*nl));

		if (!nl)
			return -ENOMEM;
		st->lv = nl;
		st->cap = nc;
	}
	l = &st->lv[st->depth];
	l->fd = fd;
	if (st->depth >= st->keep) {
		if (fstat(fd, &sb) < 0)
			return -errno;
		(void)close(fd); /* a directory, read-only */
		l->fd = -1;
		l->dev = sb.st_dev;
		l->ino = sb.st_ino;
	}
	st->depth++;
	l->name = name;
	l->was = 0;
	return 0;
}

/*
 * The descriptor of the top level of st, the parent of the emptied
 * directory child: kept, or reopened by ".." from child.
 */
static int rm_parent(struct rm_stack *st, int child)
{
	struct rm_level *l = &st->lv[st->depth - 1];
	struct stat sb;
	int fd;

	if (l->fd >= 0)
		return l->fd;
	fd = openat(child, "..", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &sb) < 0 || sb.st_dev != l->dev || sb.st_ino != l->ino) {
		(void)close(fd); /* read-only */
		return -ESTALE;
	}
	return l->fd = fd;
}

static void kept_free(struct rm_kept *k)
{
	while (k) {
		struct rm_kept *next = k->next;

		free(k);
		k = next;
	}
}

static bool kept_has(const struct rm_kept *k, const char *name)
{
	for (; k; k = k->next)
		if (strcmp(k->name, name) == 0)
			return true;
	return false;
}

static int kept_add(struct rm_kept **k, const char *name)
{
	size_t len = strlen(name) + 1;
	struct rm_kept *n = malloc(sizeof(*n) + len);

	if (!n)
		return -ENOMEM;
	memcpy(n->name, name, len);
	n->next = *k;
	*k = n;
	return 0;
}

static void rm_stack_free(struct rm_stack *st)
{
	while (st->depth > 0) {
		struct rm_level *l = &st->lv[--st->depth];

		if (l->fd >= 0)
			(void)close(l->fd);
		free(l->name);
		kept_free(l->kept);
	}
	free(st->lv);
}

/*
 * The path under the root of entry name of the level the stack st is at,
 * below base (allocated; NULL without memory).
 */
static char *tree_path(const char *base, const struct rm_stack *st,
		       const char *name)
{
	size_t len = strlen(base) + strlen(name) + 2, i;
	char *rel, *p;

	for (i = 0; i < st->depth; i++)
		len += strlen(st->lv[i].name) + 1;
	rel = malloc(len);
	if (!rel)
		return NULL;
	p = stpcpy(rel, base);
	for (i = 0; i < st->depth; i++)
		p = stpcpy(stpcpy(p, "/"), st->lv[i].name);
	(void)stpcpy(stpcpy(p, "/"), name);
	return rel;
}

/*
 * Whether the rules spare entry name (a directory or not) of the level
 * the stack st is at, below sp->base.
 */
static bool spared(const struct rm_spare *sp, const struct rm_stack *st,
		   const char *name, bool dir)
{
	char *rel;
	bool keep;

	if (!sp->f)
		return false;
	rel = tree_path(sp->base, st, name);
	if (!rel)
		return true; /* when in doubt, keep */
	keep = rule_spares(sp, rel, strlen(rel), dir);
	free(rel);
	return keep;
}

/* Whether the --max-delete budget (limit, -1: none) is spent. */
static bool spent(const uint64_t *count, long long limit)
{
	return limit >= 0 && *count >= (uint64_t)limit;
}

/* What one pass over a directory being emptied works with. */
struct rm_pass {
	struct ucp_dirents *r;
	uint64_t *count;
	long long limit;
	const struct rm_spare *sp;
	struct rm_stack *st;
	const struct rm_kept *kept; /* its subdirectories that stay */
	const struct rm_how *how;   /* what it tells, where it says it failed */
};

/*
 * Entry name of the level the pass is at could not go (-err): its path
 * under the root, for the message, if none is yet (name NULL: the tree's
 * top). Returns -err.
 */
static int rm_failed(const struct rm_pass *ps, const char *name, int err)
{
	if (ps->how->where && !*ps->how->where)
		*ps->how->where = name ? tree_path(ps->sp->base, ps->st, name)
				       : strdup(ps->sp->base);
	return -err;
}

/*
 * --itemize-changes of a deletion as it happens: entry name of the level
 * the pass is at went ("*deleting", a directory with a '/'), or, with
 * kept, stays for what the rules spare in it.
 */
static void tell_deleted(const struct rm_pass *ps, const char *name, bool dir,
			 bool kept)
{
	char *rel;

	if (!ps->how->tell)
		return;
	rel = tree_path(ps->sp->base, ps->st, name);
	if (rel)
		say_deleted(ps->how->tell, rel, dir, kept);
	free(rel);
}

/*
 * A directory of the tree that its owner may not change (a read-only
 * directory of the source, mirrored so): a user who owns it gives it
 * owner rwx, as rsync does, so that what is in it can go; *was keeps its
 * mode, to be put back should the directory stay (entries spared). Root
 * needs none of this. true when the mode was changed.
 */
static bool rm_writable(int dirfd, const char *name, mode_t *was)
{
	struct stat sb;
	uid_t me = geteuid();
	int r;

	if (me == 0 || *was != 0)
		return false;
	r = name ? fstatat(dirfd, name, &sb, AT_SYMLINK_NOFOLLOW)
		 : fstat(dirfd, &sb);
	if (r < 0 || !S_ISDIR(sb.st_mode) || sb.st_uid != me ||
	    (sb.st_mode & S_IRWXU) == S_IRWXU)
		return false;
	/* (By name not through a symbolic link swapped in meanwhile.) */
	r = name ? ucp_meta_lchmod(dirfd, name, (sb.st_mode & 07777) | S_IRWXU)
		 : fchmod(dirfd, (sb.st_mode & 07777) | S_IRWXU);
	if (r < 0)
		return false;
	*was = S_IFDIR | (sb.st_mode & 07777);
	return true;
}

/* Where the mode of the directory the pass is in is kept (rm_writable). */
static mode_t *rm_was(struct rm_stack *st)
{
	return st->depth > 0 ? &st->lv[st->depth - 1].was : &st->top_was;
}

/*
 * fstatat of entry e of directory fd of the pass; a directory its owner
 * may read but not search (0400) is given owner rwx first (rm_writable),
 * so that a mount point in it is seen as one (-x) before it is emptied.
 */
static int rm_stat(const struct rm_pass *ps, int fd, const char *e,
		   struct stat *sb)
{
	if (fstatat(fd, e, sb, AT_SYMLINK_NOFOLLOW) == 0)
		return 0;
	if (errno != EACCES || !rm_writable(fd, NULL, rm_was(ps->st)))
		return -1;
	return fstatat(fd, e, sb, AT_SYMLINK_NOFOLLOW);
}

/* Whether entry e (d_type type) of the directory of pass stays. */
static bool stays(const struct rm_pass *ps, int fd, const char *e,
		  unsigned char type)
{
	struct stat sb;

	if (!spares_some(ps->sp))
		return false;
	if (kept_has(ps->kept, e))
		return true;
	if ((type == DT_UNKNOWN || (ps->sp->one_fs && type == DT_DIR)) &&
	    rm_stat(ps, fd, e, &sb) == 0) {
		type = S_ISDIR(sb.st_mode) ? DT_DIR : DT_REG;
		if (ps->sp->one_fs && type == DT_DIR &&
		    sb.st_dev != ps->sp->dev)
			return true;
	}
	return ps->sp->f && spared(ps->sp, ps->st, e, type == DT_DIR);
}

/*
 * A directory made writable that stays gets its mode back; false if it
 * could not (left writable: the next run removes it or mends it). One
 * that went (ENOENT) is fine.
 */
static bool rm_unwritable(int dirfd, const char *name, mode_t *was)
{
	mode_t m = *was;
	int r;

	*was = 0;
	if (m == 0)
		return true;
	r = ucp_meta_lchmod(dirfd, name, m & 07777);
	return r == 0 || r == -ENOENT;
}

/*
 * A pass that stopped (an error, --max-delete, a signal) leaves the
 * directories it made writable: from *fd (the directory it is in, closed
 * here) up, each gets its mode back.
 */
static void rm_unwind(struct rm_stack *st, int *fd)
{
	for (;;) {
		mode_t *was = rm_was(st);
		int parent;

		/* (Failing, left writable: the next run removes it.) */
		if (*was != 0)
			(void)fchmod(*fd, *was & 07777);
		*was = 0;
		if (st->depth == 0)
			return;
		parent = rm_parent(st, *fd);
		(void)close(*fd);
		*fd = -1;
		if (parent < 0)
			return;
		st->depth--;
		*fd = st->lv[st->depth].fd;
		free(st->lv[st->depth].name);
		kept_free(st->lv[st->depth].kept);
	}
}

/* unlinkat of entry e of fd, made writable first if need be: 0 or errno. */
static int rm_unlink(const struct rm_pass *ps, int fd, const char *e)
{
	int err;

	if (unlinkat(fd, e, 0) == 0)
		return 0;
	err = errno;
	if (err == EACCES && rm_writable(fd, NULL, rm_was(ps->st)))
		err = unlinkat(fd, e, 0) == 0 ? 0 : errno;
	errno = err;
	return err;
}

/*
 * Unlink every non-directory of directory fd that the rules do not spare.
 * Returns 0 when nothing more can go, 1 with *sub (allocated) naming a
 * subdirectory to empty first, or -errno (-EDQUOT: the budget is spent).
 */
static int empty_dir(const struct rm_pass *ps, int fd, char **sub)
{
	uint64_t *count = ps->count;
	long long limit = ps->limit;
	struct ucp_dirents *r = ps->r;
	const char *e;
	unsigned char type;
	int n;

	(void)lseek(fd, 0, SEEK_SET);
	ucp_dirents_init(r, fd);
	while ((n = ucp_dirents_next(r, &e, &type)) > 0) {
		if (ps->how->cancel && atomic_load(ps->how->cancel))
			return -ECANCELED;
		if (stays(ps, fd, e, type))
			continue;
		if (spent(count, limit))
			return -EDQUOT;
		if (rm_unlink(ps, fd, e) == 0) {
			(*count)++;
			tell_deleted(ps, e, false, false);
			continue;
		}
		/* (Gone already: another run's deletion, or a user's.) */
		if (errno == ENOENT)
			continue;
		/*
		 * (Linux says EISDIR for a directory; EPERM may mean one too,
		 * or a file that may not go: an immutable one, or one in an
		 * immutable directory.)
		 */
		if (errno != EISDIR && errno != EPERM)
			return rm_failed(ps, e, errno);
		if (errno == EPERM && type != DT_DIR && type != DT_UNKNOWN)
			return rm_failed(ps, e, EPERM);
		*sub = strdup(e);
		return *sub ? 1 : -ENOMEM;
	}
	return n < 0 ? n : 0;
}

/* Whether directory name of dirfd holds nothing (false when unreadable). */
static bool dir_is_empty(int dirfd, const char *name)
{
	int fd = openat(dirfd, name,
			O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	DIR *dir = fd < 0 ? NULL : fdopendir(fd);
	struct dirent *e;
	bool empty = true;

	if (!dir) {
		if (fd >= 0)
			(void)close(fd); /* a directory, read-only */
		return false;
	}
	/* (At the limit only; readdir's buffer is the heap's, not a stack's.)
	 */
	while (empty && (e = readdir(dir)))
		empty = strcmp(e->d_name, ".") == 0 ||
			strcmp(e->d_name, "..") == 0;
	(void)closedir(dir);
	return empty;
}

/*
 * Remove empty directory name of dirfd, counting it; one that spared
 * entries keep (ENOTEMPTY) goes on kept instead. (Without kept: the tree's
 * top, which remove_tree tells of itself.)
 */
static int rm_empty(const struct rm_pass *ps, int dirfd, const char *name,
		    struct rm_kept **kept)
{
	/*
	 * At the limit, a directory that keeps what the rules spare in it
	 * stays, and staying is no deletion: only an empty one is stopped
	 * (the run said "deletions stopped" and exited 25 where nothing
	 * more would go, as rsync does not).
	 */
	if (spent(ps->count, ps->limit)) {
		if (!spares_some(ps->sp) || dir_is_empty(dirfd, name))
			return -EDQUOT;
		errno = ENOTEMPTY;
	} else if (unlinkat(dirfd, name, AT_REMOVEDIR) == 0) {
		(*ps->count)++;
		if (kept)
			tell_deleted(ps, name, true, false);
		return 0;
	} else if (errno == ENOENT) {
		return 0; /* gone already */
	}
	if (errno == ENOTEMPTY && spares_some(ps->sp) && kept) {
		tell_deleted(ps, name, true, true);
		return kept_add(kept, name);
	}
	/* (Spared entries keep the top: no failure, remove_tree.) */
	if (errno == ENOTEMPTY && spares_some(ps->sp))
		return -ENOTEMPTY;
	return rm_failed(ps, kept ? name : NULL, errno);
}

/* tell_deleted for the tree's top (sp->base). */
static void tell_top(const struct rm_pass *ps, bool kept)
{
	if (!ps->how->untold_top)
		say_deleted(ps->how->tell, ps->sp->base, true, kept);
}

/*
 * Open directory name of dirfd to empty it, made readable first if need
 * be (rm_writable, *was). The descriptor or -errno.
 */
static int rm_open(int dirfd, const char *name, mode_t *was)
{
	int fd = openat(dirfd, name,
			O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0 && errno == EACCES && rm_writable(dirfd, name, was))
		fd = openat(dirfd, name,
			    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

/*
 * Go down into subdirectory sub (taken) of *fd: *fd goes on the stack
 * with the names kept at its level, and becomes sub's descriptor. 0 or
 * -errno (*fd unchanged).
 */
static int rm_descend(const struct rm_pass *ps, struct rm_stack *st, int *fd,
		      char *sub, struct rm_kept **kept)
{
	mode_t was = 0;
	int sfd = rm_open(*fd, sub, &was);
	int ret;

	/* (Gone already: its level is listed again, without it.) */
	if (sfd == -ENOENT) {
		free(sub);
		return 0;
	}
	ret = sfd < 0 ? rm_failed(ps, sub, -sfd) : rm_push(st, *fd, sub);

	if (ret < 0) {
		free(sub);
		if (sfd >= 0)
			(void)close(sfd);
		return ret;
	}
	st->lv[st->depth - 1].kept = *kept;
	st->lv[st->depth - 1].was = was;
	*kept = NULL;
	*fd = sfd;
	return 0;
}

/*
 * *fd holds nothing more that may go: back up to its parent (which *fd
 * becomes, with its kept names) and remove it there. 0 or -errno.
 */
static int rm_ascend(const struct rm_pass *ps, struct rm_stack *st, int *fd,
		     struct rm_kept **kept)
{
	int ret = rm_parent(st, *fd);

	(void)close(*fd);
	*fd = -1;
	if (ret < 0)
		return ret;
	*fd = st->lv[--st->depth].fd;
	*kept = st->lv[st->depth].kept;
	st->lv[st->depth].kept = NULL;
	ret = rm_empty(ps, *fd, st->lv[st->depth].name, kept);
	(void)rm_unwritable(*fd, st->lv[st->depth].name,
			    &st->lv[st->depth].was);
	free(st->lv[st->depth].name);
	return ret;
}

/*
 * Remove dirfd/name and everything under it that the rules of sp do not
 * spare, without recursion and with at most how->keep + 2 descriptors
 * (trees of any depth). Each entry removed counts; at limit (unless -1)
 * it stops with -EDQUOT. A directory that keeps spared entries stays.
 * With tell, each entry is itemized as it goes (sp->base: the tree's path
 * under the root), so that the listing is what went.
 */
static int remove_tree(int dirfd, const char *name, uint64_t *count,
		       long long limit, const struct rm_spare *sp,
		       const struct rm_how *how)
{
	struct rm_stack st = { .keep = how->keep ? how->keep : RM_KEEP };
	struct rm_kept *kept = NULL; /* of the level at fd */
	struct rm_pass ps = { .r = malloc(sizeof(*ps.r)),
			      .count = count,
			      .limit = limit,
			      .sp = sp,
			      .st = &st,
			      .how = how };
	int fd = -1, ret = -ENOMEM;

	if (ps.r) {
		fd = rm_open(dirfd, name, &st.top_was);
		ret = fd < 0 ? fd : 0;
	}
	/* (The whole tree gone already: nothing failed.) */
	if (ret == -ENOENT) {
		free(ps.r);
		return 0;
	}
	while (ret == 0) {
		char *sub = NULL;

		ps.kept = kept;
		ret = empty_dir(&ps, fd, &sub);
		if (ret == 1) {
			ret = rm_descend(&ps, &st, &fd, sub, &kept);
			continue;
		}
		if (ret < 0)
			break;
		kept_free(kept);
		kept = NULL;
		if (st.depth > 0) {
			ret = rm_ascend(&ps, &st, &fd, &kept);
			continue;
		}
		/* Back at the top: the tree itself. */
		(void)close(fd);
		fd = -1;
		ret = rm_empty(&ps, dirfd, name, NULL);
		(void)rm_unwritable(dirfd, name, &st.top_was);
		if (ret == -ENOTEMPTY && spares_some(sp)) {
			ret = 0; /* it keeps what was spared */
			tell_top(&ps, true);
		} else if (ret == 0) {
			tell_top(&ps, false);
		}
		break;
	}
	if (ret < 0 && fd >= 0)
		rm_unwind(&st, &fd);
	if (fd >= 0)
		(void)close(fd);
	kept_free(kept);
	rm_stack_free(&st);
	free(ps.r);
	return ret;
}

/*
 * The directories the deletions happen in, reached one component at a
 * time below the roots (paths of any length, a bounded number of open
 * descriptors): the destination's, and the source's for the times.
 */
struct del_chains {
	struct ucp_dirchain dst, src;
	bool dry_run;
	/*
	 * The per-directory rules (dir-merge) of the directories on the
	 * path to the doomed entries' parent, read again after the copy:
	 * rules[i] is those of the directory path[0..ends[i]) (rules[0]:
	 * the root's), NULL where it has none.
	 */
	struct ucp_filter_dir **rules;
	size_t *ends;
	size_t nrules, caprules;
	char *path;
	const struct ucp_filter *filter; /* the command line's rules */
	const char *root;		 /* the mirror, for messages */
	char *bad; /* a directory whose rules could not be read: what is
		      in it stays, said once */
};

/*
 * Deleting moved the times of directory rel (relative to root, "" for the
 * root itself): give it its source's again.
 */
static void restore_times(struct ucp_run *run, struct del_chains *dc,
			  const char *rel)
{
	size_t len = strlen(rel);
	struct stat st;
	int sfd, dfd;

	if (!(run->cfg->preserve & UCP_PRESERVE_TIMESTAMPS) ||
	    dc->src.root_fd < 0)
		return;
	sfd = ucp_dirchain_open(&dc->src, rel, len, false);
	if (sfd < 0 || fstat(sfd, &st) < 0)
		return;
	dfd = ucp_dirchain_open(&dc->dst, rel, len, false);
	if (dfd >= 0) {
		struct timespec ts[2] = { st.st_atim, st.st_mtim };

		(void)futimens(dfd, ts);
	}
}

/* qsort order of the doomed entries: by path, as rsync deletes. */
static int doomed_order(const void *a, const void *b)
{
	const struct doomed *x = *(struct doomed *const *)a;
	const struct doomed *y = *(struct doomed *const *)b;

	return strcmp(x->path, y->path);
}

/* The length of the directory part of rel ("a/b" of "a/b/c", 0 for "c"). */
static size_t parent_len(const char *rel)
{
	const char *slash = strrchr(rel, '/');

	return slash ? (size_t)(slash - rel) : 0;
}

/*
 * --max-delete stopped the deletions with entries left that would go
 * (would_go), less the done that a dry run counted as gone in the first:
 * say how many, as rsync does ("Deletions stopped due to --max-delete
 * limit (N skipped)").
 */
static void say_skipped(struct ucp_run *run, const char *dst, uint64_t entries,
			uint64_t done)
{
	char msg[48];

	(void)snprintf(msg, sizeof(msg), "%llu skipped",
		       (unsigned long long)(entries - done));
	if (run->ev->error) {
		struct ucp_error e = { .op = UCP_OP_MAX_DELETE,
				       .path = dst,
				       .msg = msg,
				       .warning = true };

		run->ev->error(run->ev->arg, &e);
	}
}

/* Report a problem of the deletions (no worker context there). */
static void delete_error(struct ucp_run *run, enum ucp_op op, int err,
			 const char *path)
{
	struct ucp_error e = { .op = op, .err = err, .path = path };

	if (run->ev->error)
		run->ev->error(run->ev->arg, &e);
}

/* A rule file the deletion could not use (path): nothing goes below it. */
static void delete_rule_error(struct ucp_run *run,
			      const struct ucp_filter_dir_error *err, int ret,
			      const char *path)
{
	char msg[96];
	struct ucp_error e = { .op = UCP_OP_RULE_FILE,
			       .err = -ret,
			       .path = path,
			       .msg = rule_file_fault(msg, sizeof(msg), err,
						      ret) };

	if (run->ev->error)
		run->ev->error(run->ev->arg, &e);
}

/* Where the rules of a directory are read from (ucp_filter_pick_fn). */
struct del_pick {
	struct del_chains *dc;
	const char *rel;
	size_t len;
};

/*
 * Whether the command line's rules keep merge file name of directory
 * rel[0..len) out of the copy (-FF's "- .rsync-filter").
 */
static bool merge_excluded(const struct del_chains *dc, const char *rel,
			   size_t len, const char *name)
{
	char *path = ucp_path_join_n(rel, len, name);
	bool ex;

	if (!path)
		return false;
	ex = ucp_filter_match(dc->filter, path, strlen(path), false) ==
	     UCP_FILTER_EXCLUDE;
	free(path);
	return ex;
}

/*
 * As at the walk (recv_dir): after the copy the destination holds the
 * merge files that are copied and its own of those that are not; a dry
 * run copied nothing, so there the source's is read where it would have
 * been copied (the command line's rules do not exclude it, as -FF does).
 */
static int del_rules_dir(void *arg, const char *name)
{
	const struct del_pick *p = arg;
	int fd;

	if (p->dc->dry_run && !merge_excluded(p->dc, p->rel, p->len, name)) {
		fd = ucp_dirchain_open(&p->dc->src, p->rel, p->len, false);
		if (fd >= 0 &&
		    faccessat(fd, name, F_OK, AT_SYMLINK_NOFOLLOW) == 0)
			return fd;
	}
	fd = ucp_dirchain_open(&p->dc->dst, p->rel, p->len, false);
	return fd < 0 ? -1 : fd;
}

/* The nearest rules of the first n levels of dc, or NULL. */
static const struct ucp_filter_dir *del_rules_top(const struct del_chains *dc,
						  size_t n)
{
	while (n > 0 && !dc->rules[n - 1])
		n--;
	return n ? dc->rules[n - 1] : NULL;
}

/* Forget the rules of the levels from k on. */
static void del_rules_cut(struct del_chains *dc, size_t k)
{
	while (dc->nrules > k)
		ucp_filter_dir_free(dc->rules[--dc->nrules]);
}

/*
 * The per-directory rules that apply in directory rel[0..len) (below the
 * root): the levels shared with the last request are kept, the others
 * read. 0 with *out (NULL: none), or -errno after reporting it.
 */
/* The levels of dc whose directories lead to rel[0..len) too. */
static size_t del_rules_shared(const struct del_chains *dc, const char *rel,
			       size_t len)
{
	size_t k = 0, e;

	while (k < dc->nrules) {
		e = dc->ends[k];
		if (e > len || (e > 0 && e < len && rel[e] != '/') ||
		    memcmp(dc->path, rel, e) != 0)
			break;
		k++;
	}
	return k;
}

/* Room in dc for the levels of a path of len bytes: 0 or -ENOMEM. */
static int del_rules_room(struct del_chains *dc, size_t len)
{
	size_t cap = len + 64;
	char *p;
	struct ucp_filter_dir **r;
	size_t *e;

	if (len + 1 <= dc->caprules && dc->path)
		return 0;
	p = realloc(dc->path, cap);
	if (p)
		dc->path = p;
	r = realloc(dc->rules, cap * sizeof(*dc->rules));
	if (r)
		dc->rules = r;
	e = realloc(dc->ends, cap * sizeof(*dc->ends));
	if (e)
		dc->ends = e;
	if (!p || !r || !e)
		return -ENOMEM;
	dc->caprules = cap;
	return 0;
}

/* Where the next level of dc ends on the way to rel[0..len). */
static size_t del_rules_next_end(const struct del_chains *dc, const char *rel,
				 size_t len)
{
	size_t end;
	const char *slash;

	if (dc->nrules == 0)
		return 0; /* the root */
	end = dc->ends[dc->nrules - 1];
	end += end > 0; /* past the '/' */
	slash = memchr(rel + end, '/', len - end);
	return slash ? (size_t)(slash - rel) : len;
}

/* Read the rules of directory rel[0..end) as dc's next level. */
static int del_rules_load(struct ucp_run *run, struct del_chains *dc,
			  const char *rel, size_t end)
{
	struct ucp_filter_dir_error err = { 0 };
	struct del_pick pick = { dc, rel, end };
	struct ucp_filter_dir *fd = NULL;
	int ret = ucp_filter_dir_load_with(
		run->cfg->sync.filter, del_rules_top(dc, dc->nrules),
		del_rules_dir, &pick, end ? end + 1 : 0, &fd, &err);

	if (ret < 0) {
		char *path =
			err.name ? ucp_path_join_n(rel, end, err.name) : NULL;
		char *full = ucp_path_join(dc->root, path ? path : rel);

		delete_rule_error(run, &err, ret,
				  full	 ? full
				  : path ? path
					 : rel);
		free(full);
		free(path);
		free(dc->bad);
		dc->bad = strndup(rel, end);
		return ret;
	}
	dc->rules[dc->nrules] = fd;
	dc->ends[dc->nrules++] = end;
	return 0;
}

/* Whether rel[0..len) is directory dir (a path under the root, "" the
 * root itself) or below it. */
static bool in_dir(const char *rel, size_t len, const char *dir)
{
	size_t n = strlen(dir);

	return n == 0 || (len >= n && strncmp(rel, dir, n) == 0 &&
			  (len == n || rel[n] == '/'));
}

static int del_rules(struct ucp_run *run, struct del_chains *dc,
		     const char *rel, size_t len,
		     const struct ucp_filter_dir **out)
{
	const struct ucp_filter *f = run->cfg->sync.filter;
	int ret;

	*out = NULL;
	if (!f || !ucp_filter_merges(f))
		return 0;
	/* (Below a directory whose rules could not be read: said.) */
	if (dc->bad && in_dir(rel, len, dc->bad))
		return -EIO;
	del_rules_cut(dc, del_rules_shared(dc, rel, len));
	ret = del_rules_room(dc, len);
	if (ret < 0)
		return ret;
	memcpy(dc->path, rel, len);
	while (dc->nrules == 0 || dc->ends[dc->nrules - 1] < len) {
		ret = del_rules_load(run, dc, rel,
				     del_rules_next_end(dc, rel, len));
		if (ret < 0)
			return ret;
	}
	*out = del_rules_top(dc, dc->nrules);
	return 0;
}

/* Whether doomed entry i is in another directory than entry i - 1. */
static bool new_parent(struct doomed *const *doomed, size_t i)
{
	const char *a = doomed[i]->path, *b = doomed[i - 1]->path;
	size_t n = parent_len(a);

	return n != parent_len(b) || strncmp(a, b, n) != 0;
}

/* The directory of doomed entry p is done with: its times again. */
static void parent_done(struct ucp_run *run, struct del_chains *dc,
			struct doomed *p)
{
	size_t n = parent_len(p->path);
	char c = p->path[n];

	p->path[n] = '\0';
	restore_times(run, dc, p->path);
	p->path[n] = c;
}

/*
 * A dry run's deletion of doomed entry e: count what would go, sparing
 * what sp spares, and list it where tell is the run, up to limit (-1:
 * none). 0, -EDQUOT when the limit stopped it, or the -errno of a tree
 * that could not be walked to its end.
 */
static int count_doomed(struct ucp_run *run, struct del_chains *dc,
			const struct doomed *e, const struct rm_spare *sp,
			uint64_t *count, const struct ucp_run *tell,
			long long limit)
{
	size_t n = parent_len(e->path);
	struct listing ls = { .run = tell,
			      .rel = e->path,
			      .self = true,
			      .sp = sp,
			      .count = count,
			      .limit = limit,
			      .keep = rm_keep(run) };
	int dirfd, ret;

	if (!e->dir) {
		(*count)++;
		say_deleted(tell, e->path, false, false);
		return 0;
	}
	dirfd = ucp_dirchain_open(&dc->dst, e->path, n, false);
	if (dirfd < 0)
		return dirfd == -ENOENT ? 0 : dirfd;
	ret = itemize_tree(&ls, dirfd, e->path + n + (n > 0));
	return ret > 0 ? -EDQUOT : ret;
}

/* What the rules spare inside doomed entry e (a directory). */
static struct rm_spare doomed_spare(const struct ucp_run *run,
				    const struct doomed *e,
				    const struct ucp_filter_dir *fdir)
{
	const struct ucp_sync_config *sc = &run->cfg->sync;
	struct rm_spare sp = { .f = sc->filter,
			       .fdir = fdir,
			       .side = sc->delete_excluded
					       ? UCP_FILTER_PROTECTED
					       : UCP_FILTER_RECEIVER,
			       .base = e->path };

	spare_mounts(run, &sp);
	return sp;
}

/*
 * How many entries the n doomed entries from left would take with them,
 * their rules' spared ones left out (a directory that keeps one is no
 * deletion either): what --max-delete has yet to stop.
 */
static uint64_t would_go(struct ucp_run *run, struct del_chains *dc,
			 struct doomed *const *left, size_t n)
{
	uint64_t count = 0;

	for (size_t i = 0; i < n; i++) {
		const struct doomed *e = left[i];
		const struct ucp_filter_dir *fdir = NULL;
		struct rm_spare sp;

		/* (One whose rules cannot be read stays: delete_all.) */
		if (e->dir &&
		    del_rules(run, dc, e->path, parent_len(e->path), &fdir) < 0)
			continue;
		sp = doomed_spare(run, e, fdir);
		(void)count_doomed(run, dc, e, &sp, &count, NULL, -1);
	}
	return count;
}

/*
 * Delete doomed entry e under root, sparing in a directory what sp spares,
 * and itemize what went: 0, -EDQUOT at the limit, or -errno.
 */
static int delete_in(struct ucp_run *run, int dirfd, const char *leaf,
		     const struct doomed *e, const struct rm_spare *sp,
		     uint64_t *count, char **where);

/* (*where: the path under the root of what could not go, when known.) */
static int delete_one(struct ucp_run *run, struct del_chains *dc,
		      const struct doomed *e, const struct rm_spare *sp,
		      uint64_t *count, char **where)
{
	size_t n = parent_len(e->path);
	const char *leaf = e->path + n + (n > 0);
	int dirfd = ucp_dirchain_open(&dc->dst, e->path, n, false);
	struct stat st;
	int ret;

	if (dirfd == -ENOENT)
		return 0; /* gone with its parent */
	if (dirfd < 0)
		return dirfd;
	ret = delete_in(run, dirfd, leaf, e, sp, count, where);
	/*
	 * A parent without owner write (a read-only directory, mirrored
	 * so): given it for the removal, and its mode put back, as a change
	 * in it is made (twin_writable).
	 */
	if (ret == -EACCES && run->meta.euid != 0 && fstat(dirfd, &st) == 0 &&
	    !(st.st_mode & S_IWUSR) && st.st_uid == run->meta.euid &&
	    fchmod(dirfd, (st.st_mode & 07777) | S_IWUSR) == 0) {
		free(*where);
		*where = NULL;
		ret = delete_in(run, dirfd, leaf, e, sp, count, where);
		if (fchmod(dirfd, st.st_mode & 07777) < 0 && ret == 0)
			ret = -errno;
	}
	return ret;
}

/* delete_one's removal of leaf, in its parent dirfd. */
static int delete_in(struct ucp_run *run, int dirfd, const char *leaf,
		     const struct doomed *e, const struct rm_spare *sp,
		     uint64_t *count, char **where)
{
	if (e->dir) {
		struct rm_how how = { .tell = teller(run),
				      .where = where,
				      .cancel = run->cancel,
				      .keep = rm_keep(run) };

		return remove_tree(dirfd, leaf, count,
				   run->cfg->sync.max_delete, sp, &how);
	}
	if (unlinkat(dirfd, leaf, 0) == 0) {
		(*count)++;
		say_deleted(run, e->path, false, false);
	} else if (errno != ENOENT) {
		return -errno;
	}
	return 0;
}

#ifdef UCP_TEST_HOOKS
atomic_long ucp_test_delete_stop_at = -1;

static void test_stop_delete(size_t n)
{
	if (atomic_load(&ucp_test_delete_stop_at) == (long)n) {
		atomic_store(&ucp_test_delete_stop_at, -1);
		(void)raise(SIGSTOP);
	}
}
#else
static void test_stop_delete(size_t n)
{
	(void)n;
}
#endif

/*
 * Doomed entry e could not go (err), at where (NULL: e itself): said by its
 * path under the mirror, as the other errors, deep in a tree too. Its bit.
 */
static int delete_failed(struct ucp_run *run, const char *dst,
			 const struct doomed *e, const char *where, int err)
{
	char *full = ucp_path_join(dst, where ? where : e->path);

	delete_error(run, UCP_OP_DELETE, err, full ? full : e->path);
	free(full);
	return UCP_RUN_PARTIAL;
}

/*
 * delete_all's step in a dry run: UCP_RUN_MAXDEL when the limit stopped
 * it (*done: how many of e's were counted), UCP_RUN_PARTIAL when e's tree
 * could not be walked (reported), else 0.
 */
static int dry_step(struct ucp_run *run, struct del_chains *dc, const char *dst,
		    const struct doomed *e, const struct rm_spare *sp,
		    uint64_t *count, uint64_t *done)
{
	uint64_t before = *count;
	int ret = count_doomed(run, dc, e, sp, count, run,
			       run->cfg->sync.max_delete);

	if (ret == -EDQUOT) {
		*done = *count - before;
		return UCP_RUN_MAXDEL;
	}
	return ret < 0 ? delete_failed(run, dst, e, NULL, -ret) : 0;
}

/*
 * Whether --max-delete's limit stops the deletions at doomed entry i,
 * count gone: *bits takes UCP_RUN_MAXDEL only where something more would
 * go (would_go).
 */
static bool limit_reached(struct ucp_run *run, struct del_chains *dc, size_t i,
			  uint64_t count, int *bits)
{
	long long max = run->cfg->sync.max_delete;
	struct ucp_sync *s = run->sync;

	if (max < 0 || count < (uint64_t)max)
		return false;
	if (would_go(run, dc, s->doomed + i, s->ndoomed - i))
		*bits |= UCP_RUN_MAXDEL;
	return true;
}

/*
 * Carry out the deletions from the sorted list; returns UCP_RUN_* bits and
 * the index where it stopped in *stop (in a dry run, with how many of
 * that entry's were counted in *done; a real run's are gone).
 */

static int delete_all(struct ucp_run *run, struct del_chains *dc,
		      const char *dst, uint64_t *count, size_t *stop,
		      uint64_t *done)
{
	const struct ucp_sync_config *sc = &run->cfg->sync;
	struct ucp_sync *s = run->sync;
	char *where = NULL;
	int bits = 0;
	size_t i;

	for (i = 0; i < s->ndoomed; i++) {
		struct doomed *e = s->doomed[i];
		const struct ucp_filter_dir *fdir = NULL;
		struct rm_spare sp;
		int ret;

		test_stop_delete(i + 1);
		/* A signal: nothing more goes (the run ends). */
		if (*run->cancel)
			break;
		if (i > 0 && !sc->dry_run && new_parent(s->doomed, i))
			parent_done(run, dc, s->doomed[i - 1]);
		if (limit_reached(run, dc, i, *count, &bits))
			break;
		/*
		 * The rules of the parent are read before anything in it
		 * goes, its own merge file too (which sorts before most of
		 * its names). An entry whose rules cannot be read stays.
		 */
		if (del_rules(run, dc, e->path, parent_len(e->path), &fdir) <
		    0) {
			bits |= UCP_RUN_PARTIAL;
			continue;
		}
		sp = doomed_spare(run, e, fdir);
		if (sc->dry_run) {
			bits |= dry_step(run, dc, dst, e, &sp, count, done);
			if (bits & UCP_RUN_MAXDEL)
				break;
			continue;
		}
		ret = delete_one(run, dc, e, &sp, count, &where);
		if (ret == -EDQUOT || (ret == -ECANCELED && *run->cancel)) {
			free(where);
			bits |= ret == -EDQUOT ? UCP_RUN_MAXDEL : 0;
			break;
		}
		if (ret < 0)
			bits |= delete_failed(run, dst, e, where, -ret);
		free(where);
		where = NULL;
	}
	*stop = i;
	return bits;
}

/* Whether directory fd is the mirror's root the copy went into. */
static bool same_root(const struct ucp_run *run, int fd)
{
	struct stat st;

	return !run->has_root_id ||
	       (fstat(fd, &st) == 0 && st.st_dev == run->root_dev &&
		st.st_ino == run->root_ino);
}

int ucp_sync_delete(struct ucp_run *run, const char *src, const char *dst)
{
	const struct ucp_sync_config *sc = &run->cfg->sync;
	struct ucp_sync *s = run->sync;
	struct del_chains dc = { .dry_run = sc->dry_run,
				 .filter = sc->filter,
				 .root = dst };
	/* (The deletions made way for copies count towards the limit.) */
	uint64_t cleared = s ? s->cleared : 0, count = cleared, done = 0;
	int root, sroot, bits;
	size_t i;

	ucp_count(&run->workers[0].cnt.deleted, cleared);
	if (!s || !s->ndoomed)
		return 0;
	if ((atomic_load(&run->status) & (UCP_RUN_PARTIAL | UCP_RUN_FATAL)) &&
	    !sc->ignore_errors) {
		delete_error(run, UCP_OP_DELETE_SKIPPED, 0, dst);
		return 0;
	}
	test_stop_delete(0);
	if (*run->cancel)
		return 0;
	root = open(dst, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	/*
	 * A new mirror's partial tree that another run into it gave its
	 * name meanwhile: there, if it is the same directory (below).
	 */
	if (root < 0 && errno == ENOENT && run->tmp_root && run->final_root &&
	    strcmp(dst, run->tmp_root) == 0) {
		root = open(run->final_root,
			    O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (root >= 0)
			dst = run->final_root;
		else
			errno = ENOENT;
	}
	/*
	 * By its name again: it must still be the directory the copy went
	 * into, not what took its name meanwhile (a symbolic link to
	 * elsewhere, made by a user who may write its parent).
	 */
	if (root >= 0 && !same_root(run, root)) {
		struct ucp_error e = {
			.op = UCP_OP_OPENDIR,
			.err = ESTALE,
			.path = dst,
			.msg = "replaced during the run; nothing deleted",
		};

		(void)close(root); /* read-only */
		if (run->ev->error)
			run->ev->error(run->ev->arg, &e);
		return UCP_RUN_PARTIAL;
	}
	if (root < 0 && !sc->dry_run) {
		delete_error(run, UCP_OP_OPENDIR, errno, dst);
		return UCP_RUN_PARTIAL;
	}
	sroot = open(src, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ucp_dirchain_init(&dc.dst, root);
	ucp_dirchain_init(&dc.src, sroot);
	if (run->dir_budget > 0)
		dc.dst.max_open = dc.src.max_open = (size_t)run->dir_budget / 2;
	/*
	 * The workers found them in the order they listed directories: in
	 * the order of their paths, a dry run and a real one (and so
	 * --max-delete) take the same entries in the same order.
	 */
	qsort(s->doomed, s->ndoomed, sizeof(*s->doomed), doomed_order);
	bits = delete_all(run, &dc, dst, &count, &i, &done);
	if (root >= 0 && !sc->dry_run && i > 0)
		parent_done(run, &dc, s->doomed[i - 1]);
	if ((bits & UCP_RUN_MAXDEL) && i < s->ndoomed)
		say_skipped(run, dst,
			    would_go(run, &dc, s->doomed + i, s->ndoomed - i),
			    done);
	ucp_dirchain_release(&dc.dst);
	ucp_dirchain_release(&dc.src);
	del_rules_cut(&dc, 0);
	free(dc.rules);
	free(dc.ends);
	free(dc.path);
	free(dc.bad);
	if (sroot >= 0)
		(void)close(sroot); /* read-only */
	if (root >= 0)
		(void)close(root);
	ucp_count(&run->workers[0].cnt.deleted, count - cleared);
	return bits;
}
