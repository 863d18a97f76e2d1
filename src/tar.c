/* SPDX-License-Identifier: MIT */
/*
 * tar.c: writing archives. One walker thread lists the sources depth first
 * into a window of items; worker threads take the items in order, stat and
 * open them, gather their metadata (owner names, xattrs, ACLs, sparse map)
 * and read small files whole; the calling thread hands the items to
 * libarchive strictly in walk order. A single archive stream is therefore
 * fed by many parallel reads.
 *
 * Bounds: at most WINDOW items are between the walker and the writer, and
 * prefetched data never exceeds the budget, except that the item the writer
 * waits for may always read (otherwise a large file could wait for budget
 * that only the writer, waiting for it, can release). Files over
 * PREFETCH_MAX and sparse files are streamed by the writer itself.
 *
 * The budget is one PREFETCH_MAX for each worker, within cfg->buffer_size:
 * enough for every worker to be reading while the writer writes, cold or
 * hot. A bigger one only lets the workers run further ahead of the one
 * writer, through memory that is new to the process and faults page by
 * page (3,004 files of the mixed set, hot: 32 MiB ahead took 1.4 times as
 * long as 4 MiB). The buffers are reused (bufcache.h), and up to twice the
 * budget of them is kept.
 *
 * Per-entry failures are reported by the writer in walk order and the entry
 * is left out; a failure of the archive itself (its disk is full, the pipe
 * closed) is fatal. A regular ARCHIVE is written under a temporary name in
 * its directory and renamed into place only when the run was not fatal.
 */
#include "tar.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pthread.h>
#include <pwd.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <time.h>
#include <unistd.h>

#include "archive_dl.h"
#include "banned.h"
#include "bufcache.h"
#include "fault.h"
#include "filter.h"
#include "meta.h"
#include "path.h"
#include "paxprobe.h"
#include "paxtime.h"
#include "plain.h"
#include "status.h"
#include "tarlinks.h"
#include "tarname.h"
#include "util.h"
#include "walk.h"
#include "zstdw.h"

#define WINDOW 1024u
#define PREFETCH_MAX (1u << 20)
#define IO_CHUNK (256u << 10)
#define MAX_WORKERS 64u
#define BATCH 32u /* items moved per lock round trip */

/*
 * A directory some items are opened relative to. Its descriptor is closed
 * early (fd -1) only by the walker, for a directory on its stack that no
 * item holds (refs 1: the frame's), and reopened before it is used again.
 */
struct tdir {
	int fd;
	atomic_int refs;
	atomic_int *open; /* the run's count of open tdir descriptors */
};

struct item {
	char *path;	   /* as the user would name it */
	size_t skip;	   /* leading slashes left out of the member name */
	size_t leaf;	   /* offset of the last component in path */
	struct tdir *dir;  /* parent, or NULL: path is relative to the cwd */
	struct tdir *self; /* directories: their own descriptor */
	size_t seq;	   /* position in walk order */
	struct stat st;
	bool has_st;
	unsigned char dtype;
	atomic_bool ready; /* prepared: the writer may take it */
	bool stream;	   /* the writer reads the data itself */
	bool skipped;	   /* nothing to write (a socket) */
	bool is_out;	 /* the archive itself, written through a descriptor */
	size_t reserved; /* budget held by data */
	struct archive_entry *entry;
	char *data;	 /* a small file's data, from tw->bufs */
	size_t data_n;	 /* ... asked for: its size and one byte */
	int err;	 /* positive errno of a failure */
	const char *msg; /* its words, in place of the errno's */
	enum ucp_op op;
	bool attrs_lost;   /* attributes the format cannot hold (not pax),
			      found while unsaid: said once written */
	bool holes_lost;   /* holes, stored as zeros (not pax): the same */
	bool changed;	   /* the file changed while read */
	uint64_t short_by; /* ... it shrank: the zeros padding its member */
};

/* The last owner and group names looked up by one worker. */
struct names {
	uid_t uid;
	gid_t gid;
	bool has_uid, has_gid;
	char uname[64], gname[64];
	/* The file system last looked at: whether its sizes lie (/proc). */
	dev_t fs_dev;
	bool has_fs, fs_lies;
};

struct tw {
	const struct ucp_tar_env *env;
	const char *archive;
	char *const *srcs;
	size_t nsrc;
	struct archive *a;
	bool tar_links;		   /* a tar format: later names link */
	bool copies_said;	   /* zip: later names are copies, said once */
	struct ucp_tarlinks links; /* ... to the first (tarlinks.h) */
	bool pax;
	atomic_bool attrs_noted; /* not pax: a member with attributes seen */
	atomic_bool holes_noted; /* not pax: a member with holes seen */
	bool pax_out; /* libarchive prints -1.75 as "-2.25" (paxprobe.h) */
	bool cpio;    /* POSIX odc: fields of 6 and 11 octal digits */
	bool no_past; /* ustar, gnutar, zip: no time before 1970 */
	bool ustar;   /* owners and groups of 6 octal digits */
	long long max_time;	/* the latest mtime the format holds (0: any) */
	bool zip;		/* names are UTF-8 (libarchive flags them so) */
	struct ucp_zstdw *zout; /* zstd, compressed here (zstdw.h) */
	int out_fd;
	char *tmp;	 /* temporary name of a regular ARCHIVE */
	bool tmp_failed; /* it could not be made in its directory */
	char *out_real;	 /* where a symbolic link ARCHIVE leads, or NULL */
	const char *out; /* the regular file made: ARCHIVE, or out_real */
	bool replaces;	 /* ... which exists: its mode and owner stay */
	struct stat old;
	dev_t out_dir_dev;
	ino_t out_dir_ino;
	const char *out_leaf, *tmp_leaf;
	bool has_out_dir;
	dev_t out_dev; /* the regular file "-" writes to (note_out_file) */
	ino_t out_ino;
	bool has_out_file;

	/*
	 * The window is win[head..tail) modulo WINDOW. tail and claim change
	 * under the lock; head only by the writer, also under the lock, and
	 * is read without it to spot the item everyone waits for.
	 */
	pthread_mutex_t lock;
	pthread_cond_t space, work, ready, budget_cv;
	struct item *win[WINDOW];
	_Atomic size_t head, tail;
	size_t claim;
	_Atomic size_t used; /* bytes of prefetched data */
	size_t budget;
	struct ucp_bufcache bufs; /* prefetch buffers, reused */
	atomic_int budget_waiters, writer_waiting;
	atomic_int open_dirs; /* tdir descriptors open */
	int max_dirs;	      /* ... the walker keeps them under (0: any) */
	bool walk_done;
	atomic_bool stop; /* read by the walker without the lock */
	atomic_int status;

	struct item *batch[BATCH]; /* the walker's items not yet queued */
	size_t nbatch;
	/* No thread could start: the walker writes each batch it queues. */
	bool one_thread;
	struct names one_nm;

	char *buf;	    /* the writer's streaming buffer */
	uint64_t put_bytes; /* data of the member being written, so far */
	struct ucp_tick tick;
};

struct frame {
	struct tdir *dir;
	char *path;
	size_t skip;
	dev_t dev;
	ino_t ino;
	char *names; /* child names, each NUL-terminated */
	unsigned char *types;
	size_t n, i, pos;
};

static void tdir_put(struct tdir *d)
{
	if (d && atomic_fetch_sub(&d->refs, 1) == 1) {
		if (d->fd >= 0) {
			(void)close(d->fd); /* read-only: nothing to flush */
			atomic_fetch_sub(d->open, 1);
		}
		free(d);
	}
}

static struct tdir *tdir_new(struct tw *tw, int fd)
{
	struct tdir *d = malloc(sizeof(*d));

	if (!d)
		return NULL;
	d->fd = fd;
	d->open = &tw->open_dirs;
	atomic_fetch_add(d->open, 1);
	atomic_init(&d->refs, 1);
	return d;
}

static void item_free(struct item *it)
{
	if (!it)
		return;
	tdir_put(it->dir);
	tdir_put(it->self);
	if (it->entry)
		archive_entry_free(it->entry);
	free(it->data);
	free(it->path);
	free(it);
}

/* Report e: counted, and in the run's status, unless a warning. */
static void report_e(struct tw *tw, const struct ucp_error *e)
{
	const struct ucp_events *ev = tw->env->ev;

	if (!e->warning) {
		atomic_fetch_or(&tw->status, e->err == ENOENT
						     ? UCP_RUN_VANISHED
						     : UCP_RUN_PARTIAL);
		ucp_count(&tw->env->cnt->errors, 1);
	}
	if (ev->error)
		ev->error(ev->arg, e);
}

static void report(struct tw *tw, enum ucp_op op, int err, const char *path,
		   const char *msg, bool warning)
{
	struct ucp_error e = { .op = op,
			       .err = err,
			       .path = path,
			       .msg = msg,
			       .warning = warning };

	report_e(tw, &e);
}

/*
 * The archive could not be made (err): named as the user named it, with
 * the temporary it is written to first, where that was what failed (a
 * directory that may not be written: the mkostemp pattern, a name that
 * never was, meant nothing to the user). It ends the run.
 */
static void output_failed(struct tw *tw, const char *archive, int err)
{
	char msg[160];
	struct ucp_error e = {
		.op = UCP_OP_CREATE, .err = err, .path = archive, .fatal = true
	};

	if (tw->tmp_failed) {
		(void)snprintf(msg, sizeof(msg),
			       "%s (it is written first as a temporary in its "
			       "directory, then renamed)",
			       strerror(err));
		e.msg = msg;
	}
	report_e(tw, &e);
	atomic_fetch_or(&tw->status, UCP_RUN_FATAL);
}

/*
 * "file changed as we read it" of it; where it shrank, that its member
 * holds zeros for the bytes it lost (GNU tar: "File shrank by N bytes;
 * padding with zeros"), for the member looks whole in the archive.
 */
static void report_changed(struct tw *tw, const struct item *it)
{
	char msg[96];

	if (it->short_by)
		(void)snprintf(msg, sizeof(msg),
			       "shrank by %llu bytes, padded with zeros in "
			       "the archive",
			       (unsigned long long)it->short_by);
	report(tw, UCP_OP_CHANGED, 0, it->path, it->short_by ? msg : NULL,
	       false);
}

/* An error of the archive itself: the run stops. */
static void fatal_why(struct tw *tw, int err, const char *member,
		      const char *why);

static void fatal(struct tw *tw, int err, const char *member)
{
	fatal_why(tw, err, member, NULL);
}

/* fatal, why (when not NULL) saying what went wrong at member. */
static void fatal_why(struct tw *tw, int err, const char *member,
		      const char *why)
{
	const struct ucp_events *ev = tw->env->ev;
	const char *lib = why	  ? why
			  : tw->a ? archive_error_string(tw->a)
				  : NULL;
	char *msg = NULL, *q;
	struct ucp_error e = { .op = UCP_OP_WRITE,
			       .err = err,
			       .path = tw->archive,
			       .fatal = true };

	/* (The member's whole name, however long: none is cut.) */
	q = member ? ucp_path_quotable(member) : NULL;
	if (q && asprintf(&msg, "at member '%s': %s", q,
			  lib ? lib : strerror(err ? err : EIO)) < 0)
		msg = NULL;
	free(q);
	e.msg = msg ? msg : lib;
	atomic_fetch_or(&tw->status, UCP_RUN_FATAL);
	ucp_count(&tw->env->cnt->errors, 1);
	/* A write cut short by the interrupt needs no message of its own. */
	if (ev->error && !*tw->env->cancel)
		ev->error(ev->arg, &e);
	free(msg);
	pthread_mutex_lock(&tw->lock);
	tw->stop = true;
	pthread_cond_broadcast(&tw->space);
	pthread_cond_broadcast(&tw->work);
	pthread_cond_broadcast(&tw->budget_cv);
	pthread_mutex_unlock(&tw->lock);
}

/* ---- walker --------------------------------------------------------- */

static bool write_queued(struct tw *tw);

/*
 * Queue the walker's batch for the workers; false when the run stops.
 * Directories count as directories, not in the files found: those are
 * counted here, before the workers may touch the items.
 */
static bool flush(struct tw *tw)
{
	size_t i, n = tw->nbatch, files = 0;

	if (n == 0)
		return !tw->stop;
	tw->nbatch = 0;
	for (i = 0; i < n; i++)
		files += !(tw->batch[i]->has_st &&
			   S_ISDIR(tw->batch[i]->st.st_mode));
	pthread_mutex_lock(&tw->lock);
	while (tw->tail + n - tw->head > WINDOW && !tw->stop)
		pthread_cond_wait(&tw->space, &tw->lock);
	if (tw->stop) {
		pthread_mutex_unlock(&tw->lock);
		for (i = 0; i < n; i++)
			item_free(tw->batch[i]);
		return false;
	}
	for (i = 0; i < n; i++) {
		tw->batch[i]->seq = tw->tail + i;
		tw->win[(tw->tail + i) % WINDOW] = tw->batch[i];
	}
	atomic_store(&tw->tail, tw->tail + n);
	if (n > 1)
		pthread_cond_broadcast(&tw->work);
	else
		pthread_cond_signal(&tw->work);
	/* (Where no worker started, the writer prepares them: wake it.) */
	if (atomic_load(&tw->writer_waiting))
		pthread_cond_signal(&tw->ready);
	pthread_mutex_unlock(&tw->lock);
	ucp_count(&tw->env->cnt->files_found, files);
	return !tw->one_thread || write_queued(tw);
}

/* Add it to the walker's batch; false when the run stops (it is freed). */
static bool push(struct tw *tw, struct item *it)
{
	if (tw->stop) {
		item_free(it);
		return false;
	}
	tw->batch[tw->nbatch++] = it;
	return tw->nbatch < BATCH || flush(tw);
}

static struct item *item_new(const char *parent, const char *name, size_t skip)
{
	struct item *it = calloc(1, sizeof(*it));
	size_t plen = parent ? strlen(parent) : 0, size;
	bool slash = plen > 0 && parent[plen - 1] != '/';

	if (!it)
		return NULL;
	size = plen + slash + strlen(name) + 1;
	it->path = malloc(size);
	if (!it->path) {
		free(it);
		return NULL;
	}
	(void)snprintf(it->path, size, "%s%s%s", parent ? parent : "",
		       slash ? "/" : "", name);
	it->leaf = parent ? plen + slash : 0;
	it->skip = skip;
	return it;
}

/*
 * Its name in the archive: its path without what the operand's skip
 * strips, nor the slash after that ("/etc" of operand "/", "/f" of "..").
 */
static const char *member_name(const struct item *it)
{
	const char *n = it->path + it->skip;

	while (*n == '/')
		n++;
	return n;
}

/* Read the names and types of every entry of the directory in f. */
static int list_dir(struct ucp_dirents *r, struct frame *f)
{
	size_t cap = 0, tcap = 0, len = 0;
	const char *name;
	unsigned char type;
	int ret;

	ucp_dirents_init(r, f->dir->fd);
	while ((ret = ucp_dirents_next(r, &name, &type)) > 0) {
		size_t nl = strlen(name) + 1;

		if (len + nl > cap) {
			char *nb;

			cap = UCP_MAX(cap * 2, len + nl + 256);
			nb = realloc(f->names, cap);
			if (!nb)
				return -ENOMEM;
			f->names = nb;
		}
		if (f->n == tcap) {
			unsigned char *nt;

			tcap = UCP_MAX(tcap * 2, 16);
			nt = realloc(f->types, tcap);
			if (!nt)
				return -ENOMEM;
			f->types = nt;
		}
		memcpy(f->names + len, name, nl);
		len += nl;
		f->types[f->n++] = type;
	}
	return ret;
}

static void frame_release(struct frame *f)
{
	tdir_put(f->dir);
	free(f->path);
	free(f->names);
	free(f->types);
	memset(f, 0, sizeof(*f));
}

/* Whether name in the directory of f is the archive being written. */
static bool is_output(const struct tw *tw, const struct frame *f,
		      const char *name)
{
	if (!tw->has_out_dir || f->dev != tw->out_dir_dev ||
	    f->ino != tw->out_dir_ino)
		return false;
	return strcmp(name, tw->tmp_leaf) == 0 ||
	       strcmp(name, tw->out_leaf) == 0;
}

/*
 * Open directory it (whose stat is known) as a new frame on top of the
 * stack. Returns 1 with a frame, 0 when it is only archived (-x), or
 * -errno (reported).
 */
static int open_frame(struct tw *tw, struct item *it, struct frame *f,
		      dev_t root_dev, struct ucp_dirents *r)
{
	int dirfd = it->dir ? it->dir->fd : AT_FDCWD;
	int fd, ret;

	fd = openat(dirfd, it->path + it->leaf,
		    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		report(tw, UCP_OP_OPENDIR, -ret, it->path, NULL, false);
		return ret;
	}
	it->self = tdir_new(tw, fd);
	if (!it->self) {
		(void)close(fd);
		return -ENOMEM;
	}
	if (tw->env->cfg->one_file_system && it->st.st_dev != root_dev)
		return 0;
	memset(f, 0, sizeof(*f));
	f->dir = it->self;
	atomic_fetch_add(&f->dir->refs, 1);
	f->path = strdup(it->path);
	f->skip = it->skip;
	f->dev = it->st.st_dev;
	f->ino = it->st.st_ino;
	if (!f->path) {
		frame_release(f);
		return -ENOMEM;
	}
	ret = list_dir(r, f);
	if (ret < 0) {
		report(tw, UCP_OP_READDIR, -ret, it->path, NULL, false);
		frame_release(f);
		return ret;
	}
	return 1;
}

/*
 * Whether --exclude and --include leave it out (freed then): matched by
 * its member name, as rsync matches a path below the transfer root of
 * `rsync -a src dst` ("src/d/a"). An excluded directory is not entered.
 */
static bool left_out(struct tw *tw, struct item *it)
{
	const struct ucp_filter *f = tw->env->cfg->sync.filter;
	const char *name = member_name(it);
	bool dir = it->has_st ? S_ISDIR(it->st.st_mode) : it->dtype == DT_DIR;

	if (!f || !*name ||
	    ucp_filter_match(f, name, strlen(name), dir) != UCP_FILTER_EXCLUDE)
		return false;
	item_free(it);
	return true;
}

/* The next child of the top frame as an item, or NULL at its end. */
static struct item *next_child(struct tw *tw, struct frame *f)
{
	while (f->i < f->n) {
		const char *name = f->names + f->pos;
		unsigned char type = f->types[f->i];
		struct item *it;

		f->pos += strlen(name) + 1;
		f->i++;
		if (is_output(tw, f, name))
			continue;
		it = item_new(f->path, name, f->skip);
		if (!it) {
			report(tw, UCP_OP_STAT, ENOMEM, f->path, NULL, false);
			continue;
		}
		it->dir = f->dir;
		atomic_fetch_add(&f->dir->refs, 1);
		it->dtype = type;
		/* (Left out before it is looked at where the listing says
		 * what it is: an excluded one that vanished is no error.) */
		if (type != DT_UNKNOWN && left_out(tw, it))
			continue;
		if (type == DT_DIR || type == DT_UNKNOWN) {
			if (fstatat(f->dir->fd, name, &it->st,
				    AT_SYMLINK_NOFOLLOW) < 0) {
				report(tw, UCP_OP_STAT, errno, it->path, NULL,
				       false);
				item_free(it);
				continue;
			}
			it->has_st = true;
		}
		if (type == DT_UNKNOWN && left_out(tw, it))
			continue;
		return it;
	}
	return NULL;
}

/* The stack of directories being listed, the innermost on top. */
struct walk_stack {
	struct frame *f;
	size_t depth, cap;
	size_t lo; /* the frames below lo are parked (fd -1) */
};

/* Put f on top of s; f is released when there is no room for it. */
static int stack_push(struct walk_stack *s, struct frame *f)
{
	if (s->depth == s->cap) {
		size_t cap = UCP_MAX(s->cap * 2, 16);
		struct frame *nf = realloc(s->f, cap * sizeof(*nf));

		if (!nf) {
			frame_release(f);
			return -ENOMEM;
		}
		s->f = nf;
		s->cap = cap;
	}
	s->f[s->depth++] = *f;
	return 0;
}

/*
 * Frame k of s, parked, becomes the top again: reopen it by ".." from the
 * frame above it (open, as every top is), which must give the directory
 * listed (st_dev, st_ino). On failure its remaining entries are left out,
 * reported.
 */
static void unpark(struct tw *tw, struct walk_stack *s, size_t k)
{
	struct frame *f = &s->f[k];
	int above = s->f[k + 1].dir->fd;
	struct stat st;
	int fd, err = 0;

	/* (By its path where the frame above could not be reopened.) */
	fd = above >= 0
		     ? openat(above, "..", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
		     : open(*f->path ? f->path : ".",
			    O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		err = errno;
	} else if (fstat(fd, &st) < 0 || st.st_dev != f->dev ||
		   st.st_ino != f->ino) {
		err = ESTALE;
		(void)close(fd); /* read-only */
	}
	if (err) {
		report(tw, UCP_OP_OPENDIR, err, f->path, NULL, false);
		f->i = f->n;
		return;
	}
	f->dir->fd = fd;
	atomic_fetch_add(&tw->open_dirs, 1);
	s->lo = UCP_MIN(s->lo, k);
}

static bool make_room(struct tw *tw, struct walk_stack *s);

/* The next item below the top of s, closing the listings it finishes. */
static struct item *next_item(struct tw *tw, struct walk_stack *s)
{
	struct item *it = NULL;

	while (!it && s->depth > 0) {
		it = next_child(tw, &s->f[s->depth - 1]);
		if (it)
			break;
		/* (Within the budget: the writer may hold descriptors.) */
		if (s->depth > 1 && s->f[s->depth - 2].dir->fd < 0) {
			if (!make_room(tw, s))
				return NULL;
			unpark(tw, s, s->depth - 2);
		}
		frame_release(&s->f[--s->depth]);
	}
	return it;
}

/*
 * Close the descriptors of frames below the top that no item holds, the
 * oldest first, until the walk is under its budget. Only the walker takes
 * references to a frame's directory, so one it alone holds stays so.
 */
static void park_frames(struct tw *tw, struct walk_stack *s)
{
	size_t i;

	for (i = s->lo; i + 1 < s->depth; i++) {
		struct tdir *d = s->f[i].dir;

		if (atomic_load(&tw->open_dirs) < tw->max_dirs)
			return;
		if (d->fd >= 0 && atomic_load(&d->refs) == 1) {
			(void)close(d->fd); /* read-only */
			d->fd = -1;
			atomic_fetch_sub(&tw->open_dirs, 1);
		}
		if (i == s->lo && d->fd < 0)
			s->lo++;
	}
}

/*
 * Before a directory is opened: past the budget, park frames, and if that
 * is not enough, wait for the writer to release the items that hold
 * directories open. False when the run stops.
 */
static bool make_room(struct tw *tw, struct walk_stack *s)
{
	if (tw->max_dirs <= 0)
		return true;
	while (atomic_load(&tw->open_dirs) >= tw->max_dirs) {
		struct timespec ts;

		park_frames(tw, s);
		if (atomic_load(&tw->open_dirs) < tw->max_dirs)
			break;
		if (!flush(tw) || *tw->env->cancel)
			return false;
		/* retire() signals space; the timeout is a backstop. */
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 10L * 1000000L;
		if (ts.tv_nsec >= 1000000000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000;
		}
		pthread_mutex_lock(&tw->lock);
		if (!tw->stop)
			(void)pthread_cond_timedwait(&tw->space, &tw->lock,
						     &ts);
		pthread_mutex_unlock(&tw->lock);
	}
	return true;
}

/* A directory item's listing goes on top, so that its children follow. */
static void enter_dir(struct tw *tw, struct item *it, struct walk_stack *s,
		      dev_t root_dev, struct ucp_dirents *r)
{
	struct frame f;

	if (it->has_st && S_ISDIR(it->st.st_mode) && make_room(tw, s) &&
	    open_frame(tw, it, &f, root_dev, r) > 0)
		(void)stack_push(s, &f);
}

/*
 * Where the member names of operand op start: past its leading slashes,
 * and past every component up to its last "..", as GNU tar strips them
 * (an archive must not lead outside the directory it is extracted in).
 * *dotdot: whether a ".." was.
 */
UCP_STATIC size_t member_skip(const char *op, bool *dotdot)
{
	size_t skip = 0, i = 0;

	*dotdot = false;
	while (op[skip] == '/')
		skip++;
	while (op[i]) {
		size_t start;

		while (op[i] == '/')
			i++;
		start = i;
		while (op[i] && op[i] != '/')
			i++;
		if (i - start == 2 && op[start] == '.' &&
		    op[start + 1] == '.') {
			while (op[i] == '/')
				i++;
			skip = i;
			*dotdot = true;
		}
	}
	return skip;
}

/* The operand op as an item with its stat, or NULL (reported). */
static struct item *operand_item(struct tw *tw, const char *op)
{
	bool dotdot;
	size_t skip = member_skip(op, &dotdot);
	struct item *it;

	/* "/" itself becomes ".", and its children "etc", "usr"... */
	if (dotdot) {
		char *lead = strndup(op, skip);

		report(tw, UCP_OP_STRIP_SLASH, 0, op, lead ? lead : "..", true);
		free(lead);
	} else if (skip) {
		report(tw, UCP_OP_STRIP_SLASH, 0, op, NULL, true);
	}
	it = item_new(NULL, op, skip);
	if (!it)
		return NULL;
	if (lstat(op, &it->st) < 0) {
		/* A missing operand is an error, not a file that vanished. */
		report(tw, UCP_OP_STAT, errno, op, NULL, false);
		atomic_fetch_or(&tw->status, UCP_RUN_PARTIAL);
		item_free(it);
		return NULL;
	}
	it->has_st = true;
	/* (An operand is a member too: --exclude=/src leaves out src.) */
	if (left_out(tw, it))
		return NULL;
	return it;
}

/* Walk one operand depth first, pushing items in archive order. */
static void walk_operand(struct tw *tw, const char *op, struct ucp_dirents *r)
{
	struct walk_stack s = { 0 };
	struct item *it = operand_item(tw, op);
	dev_t root_dev;

	if (!it)
		return;
	root_dev = it->st.st_dev;
	while (it) {
		/* Its listing is opened before the workers may see it. */
		enter_dir(tw, it, &s, root_dev, r);
		if (!push(tw, it) || *tw->env->cancel)
			break;
		it = next_item(tw, &s);
	}
	while (s.depth > 0)
		frame_release(&s.f[--s.depth]);
	free(s.f);
	(void)flush(tw);
}

static void *walker_main(void *arg)
{
	struct tw *tw = arg;
	struct ucp_dirents *r = malloc(sizeof(*r));
	size_t i;

	if (!r)
		report(tw, UCP_OP_OPENDIR, ENOMEM, tw->srcs[0], NULL, false);
	for (i = 0; r && i < tw->nsrc && !tw->stop; i++)
		walk_operand(tw, tw->srcs[i], r);
	free(r);
	/* (The totals are known: the progress has them whole.) */
	if (tw->env->walked)
		atomic_store(tw->env->walked, true);
	pthread_mutex_lock(&tw->lock);
	tw->walk_done = true;
	pthread_cond_broadcast(&tw->work);
	pthread_cond_broadcast(&tw->ready);
	pthread_mutex_unlock(&tw->lock);
	return NULL;
}

/* ---- workers -------------------------------------------------------- */

/*
 * The name of user id (group: of group id) into out (n bytes); "" where
 * there is none, or it does not fit.
 */
static void id_name(bool group, uint32_t id, char *out, size_t n)
{
	char buf[4096];
	const char *got = NULL;

	if (group) {
		struct group gr, *res = NULL;

		if (getgrgid_r((gid_t)id, &gr, buf, sizeof(buf), &res) == 0 &&
		    res)
			got = res->gr_name;
	} else {
		struct passwd pw, *res = NULL;

		if (getpwuid_r((uid_t)id, &pw, buf, sizeof(buf), &res) == 0 &&
		    res)
			got = res->pw_name;
	}
	out[0] = '\0';
	if (got && strlen(got) < n)
		memcpy(out, got, strlen(got) + 1);
}

/* The owner's name of the last file looked at is kept (nm): the next
 * file's owner is mostly the same. */
static const char *uname_of(struct names *nm, uid_t uid)
{
	if (!nm->has_uid || nm->uid != uid) {
		nm->has_uid = true;
		nm->uid = uid;
		id_name(false, uid, nm->uname, sizeof(nm->uname));
	}
	return nm->uname[0] ? nm->uname : NULL;
}

static const char *gname_of(struct names *nm, gid_t gid)
{
	if (!nm->has_gid || nm->gid != gid) {
		nm->has_gid = true;
		nm->gid = gid;
		id_name(true, gid, nm->gname, sizeof(nm->gname));
	}
	return nm->gname[0] ? nm->gname : NULL;
}

/*
 * The name of the user or group an ACL entry of tag (libarchive's) names
 * by number id, into buf; NULL where there is none (other tags, a number
 * without a name here). An archive holds both, as GNU tar and bsdtar write
 * them, so that it is extracted by name, as its owners are, where users
 * are numbered otherwise. (Files with ACLs are few: not cached.)
 */
static const char *acl_name(int tag, uint32_t id, char *buf, size_t n)
{
	if (tag != ARCHIVE_ENTRY_ACL_USER && tag != ARCHIVE_ENTRY_ACL_GROUP)
		return NULL;
	id_name(tag == ARCHIVE_ENTRY_ACL_GROUP, id, buf, n);
	return buf[0] ? buf : NULL;
}

/*
 * A POSIX ACL as Linux stores it in system.posix_acl_{access,default}:
 * a 4-byte version (2), then 8-byte entries of tag, permissions and id,
 * little-endian. Each entry becomes a libarchive ACL entry.
 */
static void add_acl(struct archive_entry *e, int type, const unsigned char *v,
		    size_t len)
{
	static const struct {
		unsigned tag;
		int ae;
	} tags[] = {
		{ 0x01, ARCHIVE_ENTRY_ACL_USER_OBJ },
		{ 0x02, ARCHIVE_ENTRY_ACL_USER },
		{ 0x04, ARCHIVE_ENTRY_ACL_GROUP_OBJ },
		{ 0x08, ARCHIVE_ENTRY_ACL_GROUP },
		{ 0x10, ARCHIVE_ENTRY_ACL_MASK },
		{ 0x20, ARCHIVE_ENTRY_ACL_OTHER },
	};
	char name[256];
	size_t off, i;

	if (len < 4 || v[0] != 2)
		return;
	for (off = 4; off + 8 <= len; off += 8) {
		unsigned tag = v[off] | (unsigned)v[off + 1] << 8;
		int perm = (v[off + 2] | v[off + 3] << 8) & 7;
		uint32_t id = v[off + 4] | (uint32_t)v[off + 5] << 8 |
			      (uint32_t)v[off + 6] << 16 |
			      (uint32_t)v[off + 7] << 24;

		for (i = 0; i < ARRAY_SIZE(tags); i++)
			if (tags[i].tag == tag)
				break;
		if (i == ARRAY_SIZE(tags))
			continue;
		(void)archive_entry_acl_add_entry(
			e, type, perm, tags[i].ae,
			tags[i].ae == ARCHIVE_ENTRY_ACL_USER ||
					tags[i].ae == ARCHIVE_ENTRY_ACL_GROUP
				? (int)id
				: -1,
			acl_name(tags[i].ae, id, name, sizeof(name)));
	}
}

/*
 * Copy the xattrs of fd, or of name in dirfd when fd is -1 (a symlink, a
 * FIFO, a device), into the entry; ACLs become ACL entries.
 */
static int add_xattrs(struct archive_entry *e, int fd, int dirfd,
		      const char *name)
{
	struct ucp_xattrs x;
	struct ucp_xattr a;
	size_t off = 0;
	int ret = fd >= 0 ? ucp_xattrs_load_fd(fd, &x)
			  : ucp_xattrs_load_at(dirfd, name, false, &x);

	if (ret < 0)
		return ret;
	while (ucp_xattrs_next(&x, &off, &a)) {
		const unsigned char *val = (const unsigned char *)a.value;

		if (strcmp(a.name, "system.posix_acl_access") == 0)
			add_acl(e, ARCHIVE_ENTRY_ACL_TYPE_ACCESS, val, a.len);
		else if (strcmp(a.name, "system.posix_acl_default") == 0)
			add_acl(e, ARCHIVE_ENTRY_ACL_TYPE_DEFAULT, val, a.len);
		else
			archive_entry_xattr_add_entry(e, a.name, val, a.len);
	}
	ucp_xattrs_release(&x);
	return 0;
}

/*
 * Whether the file of fd, or name in dirfd when fd is -1, has attributes
 * or an ACL (an SELinux label alone, which every file has where SELinux
 * is on, aside): what a format other than pax cannot hold.
 */
static bool has_attrs(int fd, int dirfd, const char *name)
{
	struct ucp_xattrs x;
	bool has;

	if ((fd >= 0 ? ucp_xattrs_load_fd(fd, &x)
		     : ucp_xattrs_load_at(dirfd, name, false, &x)) < 0)
		return false;
	has = x.len > 0 && !ucp_xattrs_label_only(&x);
	ucp_xattrs_release(&x);
	return has;
}

#define ZERO_BLOCK 4096u

/*
 * The map of a file that looks sparse where its file system shows no
 * holes (one extent over all of it: FUSE's ntfs-3g, NFSv3): the file read
 * (once more, as GNU tar --sparse reads it), its blocks of zeros left out.
 * True if any; false, the map cleared, where there is none or a read
 * fails (then the file is read whole, and the error said there).
 */
static bool scan_zero_blocks(struct archive_entry *e, int fd, off_t size)
{
	static const char zeros[ZERO_BLOCK];
	char *buf = malloc(IO_CHUNK);
	off_t off = 0, start = 0;
	bool holes = false;

	archive_entry_sparse_clear(e);
	while (buf && off < size) {
		ssize_t n = pread(fd, buf,
				  (size_t)UCP_MIN((off_t)IO_CHUNK, size - off),
				  off);
		size_t i;

		if (n <= 0)
			break;
		for (i = 0; i < (size_t)n; i += ZERO_BLOCK) {
			size_t k = UCP_MIN(ZERO_BLOCK, (size_t)n - i);

			if (memcmp(buf + i, zeros, k) != 0)
				continue;
			if (off + (off_t)i > start)
				archive_entry_sparse_add_entry(
					e, start, off + (off_t)i - start);
			start = off + (off_t)(i + k);
			holes = true;
		}
		off += n;
	}
	free(buf);
	if (off < size || !holes) {
		archive_entry_sparse_clear(e);
		return false;
	}
	if (size > start)
		archive_entry_sparse_add_entry(e, start, size - start);
	archive_entry_sparse_add_entry(e, size, 0);
	return true;
}

/* Record the data extents of a file with holes; true if it has any hole. */
static bool add_sparse(struct archive_entry *e, int fd, off_t size)
{
	off_t data = 0, hole;
	bool holes = false;

	while (data < size) {
		off_t at = data;

		data = lseek(fd, at, SEEK_DATA);
		/* No SEEK_DATA here: the zeros looked for instead. */
		if (data < 0 && errno != ENXIO && at == 0 &&
		    scan_zero_blocks(e, fd, size))
			return true;
		if (data < 0) {
			/* ENXIO: only a hole is left. Anything else: dense. */
			if (errno != ENXIO)
				goto dense;
			holes = true;
			break;
		}
		hole = lseek(fd, data, SEEK_HOLE);
		if (hole < 0)
			goto dense;
		if (hole > size)
			hole = size;
		if (data == 0 && hole == size && ucp_plain_shows_no_holes(fd) &&
		    scan_zero_blocks(e, fd, size))
			return true;
		archive_entry_sparse_add_entry(e, data, hole - data);
		holes = holes || data > 0 || hole < size;
		data = hole;
	}
	/* An empty map would read as "all data"; one zero extent says hole. */
	if (holes)
		archive_entry_sparse_add_entry(e, size, 0);
	else
		archive_entry_sparse_clear(e);
	/*
	 * Back to the start for read_whole: a dense file that only looks
	 * sparse (compressed by btrfs or ZFS, on sysfs) was read from its
	 * end, and archived as zeros. (A file whose holes are mapped is
	 * read at its offsets: stream_data.)
	 */
	if (!holes && lseek(fd, 0, SEEK_SET) < 0)
		holes = true; /* (then streamed: pread at the map's offsets) */
	return holes;
dense:
	archive_entry_sparse_clear(e);
	(void)lseek(fd, 0, SEEK_SET);
	return false;
}

/*
 * Take n bytes of the prefetch budget for item it, waiting while it is
 * spent, unless it is the item the writer needs next. False: run stops.
 */
static bool reserve(struct tw *tw, struct item *it, size_t n)
{
	it->reserved = n;
	if (atomic_fetch_add(&tw->used, n) + n <= tw->budget ||
	    it->seq == atomic_load(&tw->head))
		return true;
	pthread_mutex_lock(&tw->lock);
	atomic_fetch_add(&tw->budget_waiters, 1);
	while (atomic_load(&tw->used) > tw->budget &&
	       it->seq != atomic_load(&tw->head) && !tw->stop)
		pthread_cond_wait(&tw->budget_cv, &tw->lock);
	atomic_fetch_sub(&tw->budget_waiters, 1);
	pthread_mutex_unlock(&tw->lock);
	return !tw->stop;
}

/*
 * Take n bytes of the budget for it->data and read fd into it, at least
 * once, until enough bytes or its end: 1 with *got, 0 without budget (the
 * writer reads the file itself), or -errno.
 */
static int read_into(struct tw *tw, struct item *it, int fd, size_t n,
		     size_t enough, size_t *got)
{
	if (!reserve(tw, it, ucp_bufcache_size(n)))
		return 0;
	it->data_n = n;
	it->data = ucp_bufcache_get(&tw->bufs, n);
	if (!it->data)
		return -ENOMEM;
	*got = 0;
	for (;;) {
		ssize_t r = ucp_fault_read(fd, it->data + *got, n - *got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (r == 0)
			break;
		*got += (size_t)r;
		if (*got >= enough)
			break;
	}
	return 1;
}

/*
 * Whether fd, read whole, was written meanwhile: its change time moved
 * from st's (the header's), as GNU tar tests it. One read of a file
 * another rewrites in place is no snapshot (a 512 KiB read spans several
 * of a writer's passes), so small members are tested too.
 */
static bool rewritten(int fd, const struct stat *st)
{
	struct stat now;

	return fstat(fd, &now) == 0 &&
	       (now.st_ctim.tv_sec != st->st_ctim.tv_sec ||
		now.st_ctim.tv_nsec != st->st_ctim.tv_nsec ||
		now.st_size != st->st_size);
}

/*
 * Read size bytes of fd into it->data; a short file is padded with zeros.
 * A file shorter or longer than size is marked changed.
 */
static int read_whole(struct tw *tw, struct item *it, int fd, size_t size)
{
	size_t got;
	/*
	 * One byte more is asked for than the file had: a read that comes
	 * short at the size says the file ended there, with no read more;
	 * the byte past it says the file grew since it was looked at. (So
	 * an empty file is read too: it may have grown from nothing.)
	 */
	int ret = read_into(tw, it, fd, size + 1, size, &got);

	if (ret <= 0)
		return ret;
	if (got != size)
		it->changed = true;
	if (got < size) {
		memset(it->data + got, 0, size - got);
		it->short_by = size - got;
	}
	return 0;
}

/* Whether s is well-formed UTF-8 (no overlong forms, no surrogates). */
static bool utf8_valid(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		unsigned c = *p, n, min, cp;

		if (c < 0x80) {
			p++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			n = 1, min = 0x80, cp = c & 0x1f;
		else if (c >= 0xe0 && c <= 0xef)
			n = 2, min = 0x800, cp = c & 0x0f;
		else if (c >= 0xf0 && c <= 0xf4)
			n = 3, min = 0x10000, cp = c & 0x07;
		else
			return false;
		for (p++; n > 0; n--, p++) {
			if ((*p & 0xc0) != 0x80)
				return false;
			cp = (cp << 6) | (*p & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return false;
	}
	return true;
}

static int fail(struct item *it, enum ucp_op op, int err)
{
	it->op = op;
	it->err = err;
	return -err;
}

/* Fill it->st, opening a regular file into *fdp. */
static int stat_item(struct item *it, int dirfd, int *fdp)
{
	const char *leaf = it->path + it->leaf;

	if (!it->has_st && it->dtype == DT_REG) {
		*fdp = openat(dirfd, leaf,
			      O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
		if (*fdp < 0 && errno != ELOOP)
			return fail(it, UCP_OP_OPEN, errno);
		if (*fdp >= 0 && fstat(*fdp, &it->st) < 0)
			return fail(it, UCP_OP_STAT, errno);
		it->has_st = *fdp >= 0;
	}
	if (!it->has_st &&
	    fstatat(dirfd, leaf, &it->st, AT_SYMLINK_NOFOLLOW) < 0)
		return fail(it, UCP_OP_STAT, errno);
	it->has_st = true;
	if (S_ISREG(it->st.st_mode) && *fdp < 0) {
		*fdp = openat(dirfd, leaf,
			      O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
		if (*fdp < 0)
			return fail(it, UCP_OP_OPEN, errno);
	}
	return 0;
}

/* The target of symlink it, into its entry. 0 or -errno (it->err set). */
static int add_symlink(struct item *it, int dirfd)
{
	char target[4097];
	ssize_t n = readlinkat(dirfd, it->path + it->leaf, target,
			       sizeof(target) - 1);

	if (n < 0)
		return fail(it, UCP_OP_READLINK, errno);
	target[n] = '\0';
	archive_entry_copy_symlink(it->entry, target);
	return 0;
}

/*
 * Whether the format holds the mtime of it; else it->msg says why. A time
 * before 1970: libarchive's gnutar writes it as 1970 itself, its ustar
 * refuses it as "too large", and a zip's is read back as after 2038 (by
 * libarchive) or as 1980 (by unzip). After the format's last: see
 * tw->max_time.
 */
static bool time_fits(const struct tw *tw, struct item *it)
{
	if (tw->no_past && it->st.st_mtime < 0) {
		it->msg = "a time before 1970 does not fit this format; "
			  "--format=pax keeps it";
		return false;
	}
	if (tw->max_time && (long long)it->st.st_mtime > tw->max_time) {
		it->msg = tw->zip ? "a time after 2106 does not fit the zip "
				    "format; --format=pax keeps it"
				  : "a time after 2242 does not fit this "
				    "format; --format=pax keeps it";
		return false;
	}
	return true;
}

/*
 * The archive entry of it: name, stat, owner names, symlink target and,
 * in pax, xattrs and ACLs (from fd, a directory's own, or by name). 0 or
 * -errno (it->err set).
 */
/*
 * The attributes and ACLs of it (open as fd, or -1: by name in dirfd)
 * into e, in pax; in another format, which holds none, whether it is the
 * first member that had some (attrs_lost). 0 or what fail returns.
 */
static int entry_attrs(struct tw *tw, struct item *it, struct archive_entry *e,
		       int fd, int dirfd)
{
	int ret;

	if (tw->pax) {
		ret = add_xattrs(e, fd, dirfd, it->path + it->leaf);
		return ret < 0 ? fail(it, UCP_OP_XATTR, -ret) : 0;
	}
	if (!atomic_load(&tw->attrs_noted))
		it->attrs_lost = has_attrs(fd, dirfd, it->path + it->leaf);
	return 0;
}

static int make_entry(struct tw *tw, struct names *nm, struct item *it,
		      int dirfd, int fd)
{
	const char *name = member_name(it);
	struct archive_entry *e;
	struct stat st;
	int ret;

	/*
	 * libarchive writes what odc's fields cannot hold cut to them (a time
	 * before 1970 as one in 2242, uid 3000000 as 262143): refused, as
	 * the tar formats refuse what they cannot hold.
	 */
	if (tw->cpio &&
	    (it->st.st_mtime < 0 || it->st.st_mtime > 077777777777LL ||
	     it->st.st_uid > 0777777 || it->st.st_gid > 0777777 ||
	     ((S_ISCHR(it->st.st_mode) || S_ISBLK(it->st.st_mode)) &&
	      it->st.st_rdev > 0777777))) {
		it->msg = "does not fit the cpio format (a time before 1970 or "
			  "after 2242, an owner, group or device number above "
			  "262143); --format=pax keeps it";
		return fail(it, UCP_OP_WRITE, EOVERFLOW);
	}
	/* (libarchive's own refusal, "Numeric user ID too large", said
	 * not what would keep it.) */
	if (tw->ustar && (it->st.st_uid > 0777777 || it->st.st_gid > 0777777)) {
		it->msg = "an owner or group above 262143 does not fit the "
			  "ustar format; --format=pax keeps it";
		return fail(it, UCP_OP_WRITE, EOVERFLOW);
	}
	if (!time_fits(tw, it))
		return fail(it, UCP_OP_WRITE, EOVERFLOW);
	/*
	 * A zip's names are flagged UTF-8 by libarchive whatever they are:
	 * other bytes make an archive that unzip shows garbled, Python
	 * cannot open, and libarchive cannot read back.
	 */
	if (tw->zip && !utf8_valid(name)) {
		it->msg = "a name that is not UTF-8 does not fit the zip "
			  "format; --format=pax keeps it";
		return fail(it, UCP_OP_WRITE, EILSEQ);
	}
	e = archive_entry_new();
	if (!e)
		return fail(it, UCP_OP_STAT, ENOMEM);
	it->entry = e;
	archive_entry_copy_pathname(e, *name ? name : ".");
	st = it->st;
	if (tw->pax_out) { /* a pax time before 1970 (paxtime.h) */
		ucp_paxtime_out(&st.st_atim);
		ucp_paxtime_out(&st.st_mtim);
		ucp_paxtime_out(&st.st_ctim);
	}
	archive_entry_copy_stat(e, &st);
	archive_entry_copy_uname(e, uname_of(nm, it->st.st_uid));
	archive_entry_copy_gname(e, gname_of(nm, it->st.st_gid));
	if (S_ISLNK(it->st.st_mode) && (ret = add_symlink(it, dirfd)) < 0)
		return ret;
	return entry_attrs(tw, it, e,
			   fd >= 0    ? fd
			   : it->self ? it->self->fd
				      : -1,
			   dirfd);
}

#ifdef UCP_TEST_HOOKS
static atomic_bool test_stop_before_data, test_stop_open;

void ucp_tar_test_stop_before_data(bool on)
{
	atomic_store(&test_stop_before_data, on);
}

void ucp_tar_test_stop_open(bool on)
{
	atomic_store(&test_stop_open, on);
}
#endif

/*
 * Whether libarchive's pax writer keeps the name of sparse member e: not
 * one of more than 100 bytes that it cannot translate to UTF-8 (one that
 * is not UTF-8; in the C locale, one that is not ASCII), written as its
 * bytes (hdrcharset=BINARY) and cut to the 100 of the ustar name field,
 * so that two such members could come out as one file. Such a file is
 * archived whole, its holes as zeros (bsdtar writes it cut, GNU tar
 * whole). The question is libarchive's own.
 */
static bool sparse_nameable(struct archive_entry *e)
{
	const char *name = archive_entry_pathname(e);

	return !name || strlen(name) <= 100 ||
	       archive_entry_pathname_utf8(e) != NULL;
}

/*
 * Whether file fd (of size bytes) shows a hole: a format without sparse
 * members stores it as zeros (a terabyte of them for a disk image). Its
 * offset is left at the start.
 */
static bool has_hole(int fd, off_t size)
{
	off_t h = lseek(fd, 0, SEEK_HOLE);

	(void)lseek(fd, 0, SEEK_SET);
	return h >= 0 && h < size;
}

/*
 * The data of regular file it (open as fd): read now when small, else
 * left for the writer to stream (big and sparse files; later hard links
 * carry no data at all).
 */
static void prepare_data(struct tw *tw, struct item *it, int fd)
{
	int ret;

#ifdef UCP_TEST_HOOKS
	if (atomic_exchange(&test_stop_before_data, false))
		(void)raise(SIGSTOP);
#endif
	if (tw->pax && it->st.st_size > 0 &&
	    (off_t)it->st.st_blocks * 512 < it->st.st_size &&
	    sparse_nameable(it->entry) &&
	    add_sparse(it->entry, fd, it->st.st_size)) {
		it->stream = true;
		return;
	}
	if (!tw->pax && (off_t)it->st.st_blocks * 512 < it->st.st_size &&
	    !atomic_load(&tw->holes_noted))
		it->holes_lost = has_hole(fd, it->st.st_size);
	/* (An empty file is read whatever its links: it may have grown.) */
	if (it->st.st_size > PREFETCH_MAX ||
	    (it->st.st_nlink > 1 && it->st.st_size > 0)) {
		it->stream = true;
		return;
	}
	ret = read_whole(tw, it, fd, (size_t)it->st.st_size);
	if (ret < 0)
		fail(it, UCP_OP_READ, -ret);
	else if (!it->changed)
		it->changed = rewritten(fd, &it->st);
}

/*
 * Whether the file system of it (open as fd) shows sizes that are not its
 * files' (/proc: 0, sysfs: 4096): one fstatfs a file system a worker.
 */
static bool sizes_lie(struct names *nm, const struct item *it, int fd)
{
	struct statfs sf;

	if (!nm->has_fs || nm->fs_dev != it->st.st_dev) {
		nm->has_fs = true;
		nm->fs_dev = it->st.st_dev;
		nm->fs_lies =
			fstatfs(fd, &sf) == 0 && ucp_plain_sizes_lie(sf.f_type);
	}
	return nm->fs_lies;
}

/*
 * A file of such a file system is read to its end (up to PREFETCH_MAX),
 * and its member takes the size read, as copy mode copies it (its size
 * said 0: an empty member, and "changed as we read it").
 */
static int read_to_end(struct tw *tw, struct item *it, int fd)
{
	int64_t was = it->st.st_size;
	size_t got;
	int ret = read_into(tw, it, fd, PREFETCH_MAX, PREFETCH_MAX, &got);

	if (ret <= 0)
		return ret;
	it->changed = got == PREFETCH_MAX; /* (more than the member holds) */
	it->st.st_size = (off_t)got;
	archive_entry_set_size(it->entry, (la_int64_t)got);
	ucp_count(&tw->env->cnt->bytes_found, (uint64_t)got - (uint64_t)was);
	return 0;
}

/* Build the archive entry of it and read its data when small. */
static void prepare(struct tw *tw, struct names *nm, struct item *it)
{
	int dirfd = it->dir ? it->dir->fd : AT_FDCWD, fd = -1;

	if (stat_item(it, dirfd, &fd) < 0)
		goto out;
	if (tw->has_out_file && S_ISREG(it->st.st_mode) &&
	    it->st.st_dev == tw->out_dev && it->st.st_ino == tw->out_ino) {
		it->is_out = true;
		goto out;
	}
	ucp_count(&tw->env->cnt->bytes_found,
		  S_ISREG(it->st.st_mode) ? (uint64_t)it->st.st_size : 0);
	if (S_ISSOCK(it->st.st_mode)) {
		it->skipped = true;
		goto out;
	}
	if (make_entry(tw, nm, it, dirfd, fd) != 0 || !S_ISREG(it->st.st_mode))
		goto out;
	if (it->st.st_size <= 4096 && fd >= 0 && sizes_lie(nm, it, fd)) {
		int ret = read_to_end(tw, it, fd);

		if (ret < 0)
			fail(it, UCP_OP_READ, -ret);
	} else {
		prepare_data(tw, it, fd);
	}
out:
	if (fd >= 0)
		(void)close(fd); /* read-only */
}

/*
 * Mark it ready and wake the writer if it sleeps for it (see wait_head):
 * it waits for the head item only, which no worker but its own readies
 * (waking it for another's, to sleep again, was a futex call or two a
 * member). Once ready, it is the writer's, which may write and free it at
 * once: its place in the window is read before.
 */
static void set_ready(struct tw *tw, struct item *it)
{
	size_t seq = it->seq;

	atomic_store(&it->ready, true);
	if (atomic_load(&tw->writer_waiting) && seq == atomic_load(&tw->head)) {
		pthread_mutex_lock(&tw->lock);
		pthread_cond_signal(&tw->ready);
		pthread_mutex_unlock(&tw->lock);
	}
}

static void *worker_main(void *arg)
{
	struct tw *tw = arg;
	unsigned nworkers = UCP_MAX(1, tw->env->cfg->jobs);
	struct item *mine[BATCH];
	struct names nm;
	size_t n, i;

	memset(&nm, 0, sizeof(nm));
	pthread_mutex_lock(&tw->lock);
	for (;;) {
		while (tw->claim == tw->tail && !tw->walk_done && !tw->stop)
			pthread_cond_wait(&tw->work, &tw->lock);
		if (tw->stop || tw->claim == tw->tail)
			break;
		/* A share of what is queued, so that no worker hoards it. */
		n = (tw->tail - tw->claim) / nworkers;
		n = UCP_MAX(1, UCP_MIN(n, BATCH / 4));
		for (i = 0; i < n; i++)
			mine[i] = tw->win[(tw->claim + i) % WINDOW];
		tw->claim += n;
		pthread_mutex_unlock(&tw->lock);
		for (i = 0; i < n; i++) {
			prepare(tw, &nm, mine[i]);
			set_ready(tw, mine[i]);
		}
		pthread_mutex_lock(&tw->lock);
	}
	pthread_mutex_unlock(&tw->lock);
	return NULL;
}

/* ---- writer --------------------------------------------------------- */

static void tick(struct tw *tw)
{
	const struct ucp_events *ev = tw->env->ev;

	if (ev->tick && ucp_tick_due(&tw->tick))
		ev->tick(ev->arg);
}

/*
 * Sleep until the head item is ready or the walk is over; false at the
 * end of the run. The flag and the recheck under the lock pair with
 * set_ready; the timeout keeps the ticks going and bounds any lost wakeup.
 */
static bool wait_head(struct tw *tw)
{
	struct timespec until;
	bool more = true;
	size_t head;

	pthread_mutex_lock(&tw->lock);
	atomic_store(&tw->writer_waiting, 1);
	head = atomic_load(&tw->head);
	if (tw->stop || *tw->env->cancel ||
	    (head == tw->tail && tw->walk_done)) {
		more = false;
	} else if (head == tw->tail ||
		   !atomic_load(&tw->win[head % WINDOW]->ready)) {
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += 100 * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		(void)pthread_cond_timedwait(&tw->ready, &tw->lock, &until);
	}
	atomic_store(&tw->writer_waiting, 0);
	pthread_mutex_unlock(&tw->lock);
	return more;
}

/* Move head past n written items: their slots go back to the walker. */
static void retire(struct tw *tw, size_t n)
{
	pthread_mutex_lock(&tw->lock);
	atomic_store(&tw->head, atomic_load(&tw->head) + n);
	pthread_cond_signal(&tw->space);
	if (atomic_load(&tw->budget_waiters))
		pthread_cond_broadcast(&tw->budget_cv);
	pthread_mutex_unlock(&tw->lock);
}

/* Give back the budget of a written item. */
static void release_budget(struct tw *tw, struct item *it)
{
	if (it->reserved) {
		atomic_fetch_sub(&tw->used, it->reserved);
		it->reserved = 0;
	}
}

/*
 * Hand n bytes to libarchive; false on a fatal archive error. The bytes
 * count as done as they are written, and the progress line is redrawn in
 * the middle of a large member too.
 */
static bool put(struct tw *tw, struct item *it, const void *p, size_t n)
{
	while (n > 0) {
		la_ssize_t w = archive_write_data(tw->a, p, n);

		if (w <= 0) {
			fatal(tw, archive_errno(tw->a), member_name(it));
			return false;
		}
		p = (const char *)p + w;
		n -= (size_t)w;
		tw->put_bytes += (uint64_t)w;
		ucp_count(&tw->env->cnt->bytes_done, (uint64_t)w);
		tick(tw);
	}
	return true;
}

static bool put_zeros(struct tw *tw, struct item *it, uint64_t n)
{
	memset(tw->buf, 0, IO_CHUNK);
	while (n > 0) {
		size_t k = n > IO_CHUNK ? IO_CHUNK : (size_t)n;

		/* An interrupt is seen inside a large member too. */
		if (*tw->env->cancel)
			return false;
		if (!put(tw, it, tw->buf, k))
			return false;
		n -= k;
	}
	return true;
}

/* Copy [off, off + len) of fd; a short file leaves *eof set. */
static int copy_range(struct tw *tw, struct item *it, int fd, uint64_t off,
		      uint64_t len, bool *eof)
{
	while (len > 0 && !*eof) {
		size_t want = len > IO_CHUNK ? IO_CHUNK : (size_t)len;
		ssize_t n;

		if (*tw->env->cancel)
			return -EPIPE; /* the archive is abandoned */
		n = ucp_fault_pread(fd, tw->buf, want, (off_t)off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0) {
			*eof = true;
			break;
		}
		if (!put(tw, it, tw->buf, (size_t)n))
			return -EPIPE;
		off += (uint64_t)n;
		len -= (uint64_t)n;
	}
	return 0;
}

/*
 * Stream the data of a big or sparse file: its extents, zeros in between
 * (the pax writer drops the bytes of holes it knows from the map). Returns
 * 0, -errno of a read failure, or -EPIPE after a fatal archive error.
 */
/*
 * Open the file of item it for its data, before its header is written:
 * the descriptor, or -errno (-ESTALE: another file is under its name now).
 * A file gone (or swapped) then is left out, said, and the archive goes
 * on; after the header, it could only be abandoned (a user who renamed a
 * file of theirs at that moment failed a root's whole backup).
 */
static int open_data(struct item *it)
{
	int dirfd = it->dir ? it->dir->fd : AT_FDCWD, fd;
	struct stat st;

	/* (O_NONBLOCK: a FIFO put in its place must not hang the run.) */
	fd = openat(dirfd, it->path + it->leaf,
		    O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	/*
	 * The header says its type and owner: a file removed and made anew
	 * (a directory, another user's file) may have the freed inode
	 * number, but not them all. Its permission bits changed alone (a
	 * chmod meanwhile): the same file, changed as we read it, as GNU
	 * tar says of it.
	 */
	if (fstat(fd, &st) < 0 || st.st_ino != it->st.st_ino ||
	    st.st_dev != it->st.st_dev ||
	    (st.st_mode & S_IFMT) != (it->st.st_mode & S_IFMT) ||
	    st.st_uid != it->st.st_uid || st.st_gid != it->st.st_gid) {
		(void)close(fd); /* read-only */
		return -ESTALE;
	}
	if (st.st_mode != it->st.st_mode)
		it->changed = true;
	return fd;
}

/* The data of item it from fd (open_data), which is closed here. */
static int stream_data(struct tw *tw, struct item *it, int fd)
{
	int ret = 0;
	uint64_t pos = 0;
	la_int64_t off, len;
	bool eof = false;
	char c;

	if (archive_entry_sparse_reset(it->entry) > 0) {
		while (ret == 0 && !eof &&
		       archive_entry_sparse_next(it->entry, &off, &len) ==
			       ARCHIVE_OK) {
			if ((uint64_t)off > pos &&
			    !put_zeros(tw, it, (uint64_t)off - pos))
				ret = -EPIPE;
			if (ret == 0)
				ret = copy_range(tw, it, fd, (uint64_t)off,
						 (uint64_t)len, &eof);
			pos = (uint64_t)(off + len);
		}
	} else {
		ret = copy_range(tw, it, fd, 0, (uint64_t)it->st.st_size, &eof);
	}
	/* libarchive pads a member cut short, and a final hole, with zeros. */
	if (eof) {
		it->changed = true;
		if ((uint64_t)it->st.st_size > tw->put_bytes)
			it->short_by = (uint64_t)it->st.st_size - tw->put_bytes;
	}
	/* A byte past the size: the file grew since it was looked at. */
	if (ret == 0 && !eof && ucp_fault_pread(fd, &c, 1, it->st.st_size) > 0)
		it->changed = true;
	/*
	 * Rewritten in place since it was looked at (its change time moved,
	 * as GNU tar tests it): the member may hold old and new bytes.
	 */
	if (ret == 0 && !it->changed)
		it->changed = rewritten(fd, &it->st);
	(void)close(fd); /* read-only */
	return ret;
}

/* stream_data, with a big member shown on the progress line meanwhile. */
static int stream_shown(struct tw *tw, struct item *it, int fd)
{
	bool big = (uint64_t)it->st.st_size >= UCP_CURRENT_MIN;
	int ret;

	if (big)
		ucp_current_set(tw->env->cur, it, strdup(it->path),
				(uint64_t)it->st.st_size);
	ret = stream_data(tw, it, fd);
	if (big)
		ucp_current_clear(tw->env->cur, it);
	return ret;
}

/*
 * A tar format: a later name of a multiply-linked file becomes a hard-link
 * member naming the first (tarlinks.h). Out of memory, it is written whole.
 */
static void link_member(struct tw *tw, const struct item *it,
			struct archive_entry *e)
{
	const char *first;
	int err;

	if (S_ISDIR(it->st.st_mode) || it->st.st_nlink < 2)
		return;
	first = ucp_tarlinks_see(&tw->links, it->st.st_dev, it->st.st_ino,
				 it->st.st_nlink, archive_entry_pathname(e),
				 &err);
	if (first)
		archive_entry_copy_hardlink(e, first);
}

/*
 * zip holds no hard link: a later name of a multiply-linked file is a copy
 * of its own, said once (with its member's name) as the attributes a
 * format cannot hold are. The map only tells later names from first ones.
 */
static void zip_copy_noted(struct tw *tw, const struct item *it)
{
	int err;

	/* (A hard-linked symbolic link too: a link of its own each.) */
	if (!tw->zip || tw->copies_said ||
	    !(S_ISREG(it->st.st_mode) || S_ISLNK(it->st.st_mode)) ||
	    it->st.st_nlink < 2 ||
	    !ucp_tarlinks_see(&tw->links, it->st.st_dev, it->st.st_ino,
			      it->st.st_nlink, it->path, &err))
		return;
	tw->copies_said = true;
	report(tw, UCP_OP_WRITE, 0, it->path,
	       "stored as a copy of its own, as every later name of a "
	       "hard-linked file: the zip format holds no hard links "
	       "(--format=pax keeps them)",
	       true);
}

/*
 * The bytes of written member it (entry e): its size, also when it was
 * padded or cut short; a tar format's hard-link member has no data, and
 * its bytes leave the total (--stats counted each name's).
 */
static void count_bytes(struct tw *tw, const struct item *it,
			struct archive_entry *e)
{
	if (!S_ISREG(it->st.st_mode))
		return;
	if (tw->tar_links && archive_entry_hardlink(e))
		ucp_count(&tw->env->cnt->bytes_found,
			  -(uint64_t)it->st.st_size);
	else if ((uint64_t)it->st.st_size > tw->put_bytes)
		ucp_count(&tw->env->cnt->bytes_done,
			  (uint64_t)it->st.st_size - tw->put_bytes);
}

/*
 * Whether a's warning is only that a name could not be translated to
 * UTF-8 for a pax header: one that is not UTF-8 (or, in the C locale, not
 * ASCII). libarchive stores it as its bytes, marked so
 * (hdrcharset=BINARY), which GNU tar, bsdtar and ucp read back byte for
 * byte: nothing is lost (sparse_nameable sees to the one case where it
 * was), and a warning for each such name would only fill a cron job's
 * log, where GNU tar says nothing.
 */
static bool translation_noise(struct archive *a)
{
	const char *msg = archive_error_string(a);

	return msg && strncmp(msg, "Can't translate ", 16) == 0;
}

/*
 * libarchive's words for member (some begin "NAME: "), without the name,
 * which the message gives already.
 */
static const char *unnamed(const char *msg, const char *member)
{
	size_t n = member ? strlen(member) : 0;

	if (msg && n && strncmp(msg, member, n) == 0 && msg[n] == ':' &&
	    msg[n + 1] == ' ')
		return msg + n + 2;
	return msg;
}

/*
 * A file whose data is read while it is written (not read ahead): opened
 * now, before its header (open_data). The descriptor; -1 for any other
 * item; -ESTALE when it is gone or another file now, said, and left out.
 */
static int data_first(struct tw *tw, struct item *it)
{
	int fd;

	if (!S_ISREG(it->st.st_mode) || it->st.st_size == 0 || it->data)
		return -1;
#ifdef UCP_TEST_HOOKS
	if (atomic_exchange(&test_stop_open, false))
		(void)raise(SIGSTOP);
#endif
	fd = open_data(it);
	if (fd >= 0)
		return fd;
	if (fd == -ESTALE)
		report(tw, UCP_OP_REPLACED, 0, it->path, NULL, false);
	else
		report(tw, UCP_OP_OPEN, -fd, it->path, NULL, false);
	return -ESTALE;
}

/*
 * The data of file member it, its header written: read ahead, or from fd
 * (data_first). False when the run ends (the archive abandoned, or its
 * output gone).
 */
static bool write_data(struct tw *tw, struct item *it, int fd,
		       const char *member)
{
	int ret;

	if (it->data)
		return put(tw, it, it->data, (size_t)it->st.st_size);
	ret = fd >= 0 ? stream_shown(tw, it, fd) : -ENOENT;
	if (ret == -EPIPE)
		return false;
	if (ret < 0) {
		/*
		 * The header is out, and the member's data cannot be had:
		 * it is not padded into a valid-looking member (a reader
		 * would take the zeros for the file); the archive is
		 * abandoned, without its end, so that any reader fails on
		 * it.
		 */
		report(tw, UCP_OP_READ, -ret, it->path, NULL, false);
		fatal_why(tw, -ret, member,
			  "its data could not be read; the archive is "
			  "abandoned");
		return false;
	}
	return true;
}

/* Whether item it is not written (said, counted). */
static bool not_written(struct tw *tw, const struct item *it)
{
	if (it->skipped) {
		report(tw, UCP_OP_SKIP_SOCKET, 0, it->path, NULL, true);
		ucp_count(&tw->env->cnt->skipped, 1);
		return true;
	}
	if (it->is_out) { /* (as tar does, but without a word) */
		ucp_count(&tw->env->cnt->skipped, 1);
		return true;
	}
	if (it->err) {
		report(tw, it->op, it->err, it->path, it->msg, false);
		return true;
	}
	return false;
}

/*
 * What the format of the archive cannot hold, said once a run, at the
 * first member written that had it (the workers only find it, while it
 * is unsaid): attributes, holes.
 */
static void format_losses(struct tw *tw, const struct item *it)
{
	if (it->attrs_lost && !atomic_exchange(&tw->attrs_noted, true))
		report(tw, UCP_OP_XATTR, 0, it->path,
		       "extended attributes, ACLs and file capabilities are "
		       "left out of every member: this archive format holds "
		       "none (--format=pax keeps them)",
		       true);
	if (it->holes_lost && !atomic_exchange(&tw->holes_noted, true))
		report(tw, UCP_OP_WRITE, 0, it->path,
		       "its holes are stored as zeros, as every file's: this "
		       "archive format holds none (--format=pax keeps them)",
		       true);
}

/* Write one ready item; false after a fatal error. */
static bool write_item(struct tw *tw, struct item *it)
{
	const struct ucp_events *ev = tw->env->ev;
	struct archive_entry *e = it->entry;
	const char *member = member_name(it);
	int r, fd;

	if (not_written(tw, it))
		return true;
	/* (Before the link map takes it for a group's first name.) */
	fd = data_first(tw, it);
	if (fd == -ESTALE)
		return true;
	if (tw->tar_links)
		link_member(tw, it, e);
	zip_copy_noted(tw, it);
	/*
	 * (A later name of its file: a link member, no data. The tar
	 * formats set its size to 0 in the header, gnutar in e too: its
	 * descriptor was kept open for good, one a file of several names,
	 * until the run had none left.)
	 */
	if (fd >= 0 && (archive_entry_size(e) == 0 ||
			(tw->tar_links && archive_entry_hardlink(e)))) {
		(void)close(fd); /* read-only */
		fd = -1;
	}
	r = archive_write_header(tw->a, e);
	if (r >= ARCHIVE_WARN)
		format_losses(tw, it);
	if (r < ARCHIVE_WARN && fd >= 0)
		(void)close(fd); /* read-only */
	if (r == ARCHIVE_FATAL) {
		fatal(tw, archive_errno(tw->a), member);
		return false;
	}
	if (r < ARCHIVE_WARN) {
		report(tw, UCP_OP_WRITE, 0, it->path,
		       unnamed(archive_error_string(tw->a), member), false);
		/* A group's first name refused: its data goes with the next. */
		if (tw->tar_links && !archive_entry_hardlink(e) &&
		    !S_ISDIR(it->st.st_mode) && it->st.st_nlink > 1)
			ucp_tarlinks_unwritten(&tw->links, it->st.st_dev,
					       it->st.st_ino);
		return true;
	}
	if (r == ARCHIVE_WARN && !translation_noise(tw->a))
		report(tw, UCP_OP_WRITE, 0, it->path,
		       unnamed(archive_error_string(tw->a), member), true);
	tw->put_bytes = 0;
	if (archive_entry_size(e) > 0 && S_ISREG(it->st.st_mode)) {
		if (!write_data(tw, it, fd, member))
			return false;
	} else if (fd >= 0) {
		(void)close(fd); /* read-only: no data after all */
	}
	/* (A file that shrank is padded, as by tar, which says so too.) */
	if (it->changed)
		report_changed(tw, it);
	ucp_tar_count_done(tw->env->cnt, it->st.st_mode,
			   archive_entry_hardlink(e) != NULL);
	count_bytes(tw, it, e);
	if (tw->env->cfg->verbose && ev->copied)
		ev->copied(ev->arg, it->path, member, NULL, NULL);
	return true;
}

/* ---- setup ---------------------------------------------------------- */

static int set_format(struct archive *a, enum ucp_tar_format f,
		      const char *name)
{
	switch (ucp_tar_format_for(f, name)) {
	case UCP_TAR_USTAR:
		return archive_write_set_format_ustar(a);
	case UCP_TAR_GNUTAR:
		return archive_write_set_format_gnutar(a);
	case UCP_TAR_CPIO:
		/* POSIX odc: every hard link carries its data, no deferral. */
		return archive_write_set_format_cpio(a);
	case UCP_TAR_ZIP:
		return archive_write_set_format_zip(a);
	case UCP_TAR_AUTO:
	case UCP_TAR_PAX:
		break;
	}
	/*
	 * Full pax, not the restricted variant: that one leaves sub-second
	 * times out of entries that need no extended header otherwise.
	 */
	if (archive_write_set_format_pax(a) != ARCHIVE_OK)
		return ARCHIVE_FATAL;
	/*
	 * Attributes under GNU tar's keys (SCHILY.xattr) only: libarchive's
	 * own (LIBARCHIVE.xattr), which it writes too by default, drew one
	 * "unknown extended header keyword" warning an attribute from GNU
	 * tar. The format options are the archive's, set once: a name with
	 * bytes libarchive %-encodes ('%', '=', outside printable ASCII)
	 * comes out of bsdtar and GNU tar so encoded (as bsdtar's own
	 * archives' do from GNU tar); ucp --untar decodes it (untar.c).
	 * (libarchive before 3.4 lacks the option, and writes both.)
	 */
	(void)archive_write_set_format_option(a, "pax", "xattrheader",
					      "SCHILY");
	return ARCHIVE_OK;
}

static int set_filter(struct archive *a, enum ucp_tar_compress c)
{
	switch (c) {
	case UCP_COMPRESS_GZIP:
		return archive_write_add_filter_gzip(a);
	case UCP_COMPRESS_BZIP2:
		return archive_write_add_filter_bzip2(a);
	case UCP_COMPRESS_XZ:
		return archive_write_add_filter_xz(a);
	case UCP_COMPRESS_ZSTD:
		return archive_write_add_filter_zstd(a);
	case UCP_COMPRESS_LZ4:
		return archive_write_add_filter_lz4(a);
	case UCP_COMPRESS_AUTO:
	case UCP_COMPRESS_NONE:
		break;
	}
	return ARCHIVE_OK;
}

static int put_out(void *arg, const void *buf, size_t len);

/*
 * zstd compressed here, with its checksum (zstdw.h), by a worker per CPU
 * (fewer with a smaller -j; at most 4, each holds some 7 MB); libarchive's
 * own filter, without a checksum, where libzstd is missing.
 */
static int open_zstd(struct tw *tw)
{
	const struct ucp_config *cfg = tw->env->cfg;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	const char *why = NULL;
	int n = cpus > 0 ? (int)UCP_MIN(cpus, 4) : 1;
	int level = cfg->tar_level ? (int)cfg->tar_level - 1 : 0;

	if (cfg->jobs && (int)cfg->jobs < n)
		n = (int)cfg->jobs;
	/*
	 * Above level 9 a worker's tables and window take tens of MB (two
	 * held 129 MB at level 12, 231 MB at 19, where libarchive's one
	 * thread held 69 and 106 MB), and one worker with 2 MiB jobs took
	 * 21 s at 19 against 15 s: compressed by the writer alone, as
	 * libarchive did.
	 */
	if (level > 9)
		n = 0;
	return ucp_zstdw_new(&tw->zout, level, n, put_out, tw, &why);
}

/* The end of the zstd frame, after the archive's. */
static void end_zstd(struct tw *tw)
{
	int r = tw->zout ? ucp_zstdw_end(tw->zout) : 0;

	if (r < 0) {
		const char *z = ucp_zstdw_error(tw->zout);

		if (z)
			archive_set_error(tw->a, -r, "%s", z);
		else
			archive_set_error(tw->a, -r, "%s", strerror(-r));
		fatal(tw, -r, NULL);
	}
}

/* Create the archive object for tw->archive with format and filter. */
static int setup_archive(struct tw *tw)
{
	const struct ucp_config *cfg = tw->env->cfg;
	enum ucp_tar_compress c = cfg->tar_compress;
	int fmt;

	tw->a = archive_write_new();
	if (!tw->a)
		return -ENOMEM;
	c = ucp_tar_compress_for(c, tw->archive);
	if (set_format(tw->a, cfg->tar_format, tw->archive) != ARCHIVE_OK)
		return -EINVAL;
	fmt = archive_format(tw->a);
	tw->pax = (fmt & ARCHIVE_FORMAT_BASE_MASK) == ARCHIVE_FORMAT_TAR &&
		  fmt != ARCHIVE_FORMAT_TAR_USTAR &&
		  fmt != ARCHIVE_FORMAT_TAR_GNUTAR;
	tw->pax_out = tw->pax && ucp_paxprobe()->out;
	tw->cpio = (fmt & ARCHIVE_FORMAT_BASE_MASK) == ARCHIVE_FORMAT_CPIO;
	tw->zip = fmt == ARCHIVE_FORMAT_ZIP;
	tw->ustar = fmt == ARCHIVE_FORMAT_TAR_USTAR;
	tw->no_past = fmt == ARCHIVE_FORMAT_TAR_USTAR ||
		      fmt == ARCHIVE_FORMAT_TAR_GNUTAR ||
		      fmt == ARCHIVE_FORMAT_ZIP;
	/*
	 * libarchive's gnutar clamps a later time to its 11 octal digits
	 * (2242), its zip keeps 32 bits of it (2106, then 1970 again).
	 */
	if (fmt == ARCHIVE_FORMAT_TAR_USTAR || fmt == ARCHIVE_FORMAT_TAR_GNUTAR)
		tw->max_time = 077777777777LL;
	else if (fmt == ARCHIVE_FORMAT_ZIP)
		tw->max_time = 0xffffffffLL;
	if (fmt != ARCHIVE_FORMAT_ZIP && c == UCP_COMPRESS_ZSTD &&
	    open_zstd(tw) == 0)
		c = UCP_COMPRESS_NONE; /* (for libarchive: a plain stream) */
	else if (fmt != ARCHIVE_FORMAT_ZIP &&
		 set_filter(tw->a, c) != ARCHIVE_OK)
		return -EINVAL;
	/*
	 * A checksum on every lz4 block, which readers check as they go: the
	 * stream's own covers the whole, and is checked only at its end,
	 * after the damaged data was written out.
	 */
	if (fmt != ARCHIVE_FORMAT_ZIP && c == UCP_COMPRESS_LZ4)
		(void)archive_write_set_filter_option(tw->a, "lz4",
						      "block-checksum", "1");
	if (cfg->tar_level && !tw->zout) {
		char lvl[16];

		(void)snprintf(lvl, sizeof(lvl), "%u", cfg->tar_level - 1);
		if (fmt == ARCHIVE_FORMAT_ZIP)
			(void)archive_write_set_format_option(
				tw->a, "zip", "compression-level", lvl);
		else if (c != UCP_COMPRESS_NONE &&
			 archive_write_set_filter_option(tw->a, NULL,
							 "compression-level",
							 lvl) < ARCHIVE_WARN)
			return -EINVAL;
	}
	/*
	 * Big writes. Only a plain tar stream is padded to tar's 10240-byte
	 * records; padding would be junk after a compressed stream or a zip.
	 */
	(void)archive_write_set_bytes_per_block(tw->a, 65536);
	(void)archive_write_set_bytes_in_last_block(
		tw->a,
		c == UCP_COMPRESS_NONE && (fmt & ARCHIVE_FORMAT_BASE_MASK) ==
						  ARCHIVE_FORMAT_TAR
			? 10240
			: 1);
	tw->tar_links = (fmt & ARCHIVE_FORMAT_BASE_MASK) == ARCHIVE_FORMAT_TAR;
	return 0;
}

/*
 * An output descriptor that leads to a regular file (standard output
 * redirected into one): that file is left out of the walk by its
 * identity, as the temporary is by its name.
 */
static void note_out_file(struct tw *tw)
{
	struct stat st;

	if (fstat(tw->out_fd, &st) == 0 && S_ISREG(st.st_mode)) {
		tw->out_dev = st.st_dev;
		tw->out_ino = st.st_ino;
		tw->has_out_file = true;
	}
}

/*
 * The temporary archive being written, removed should the process exit
 * before close_output: libarchive ends the process itself (exit) when it
 * runs out of memory, which would leave it behind.
 */
static _Atomic(const char *) exit_tmp;
static pthread_once_t exit_once = PTHREAD_ONCE_INIT;

static void remove_exit_tmp(void)
{
	const char *tmp = atomic_exchange(&exit_tmp, NULL);

	if (tmp)
		(void)unlink(tmp);
}

static void watch_exit(void)
{
	(void)atexit(remove_exit_tmp);
}

/*
 * tw->out: ARCHIVE, or where ARCHIVE leads when it is a symbolic link (to
 * an archive there, or not yet). 0 or -errno.
 */
static int out_through_link(struct tw *tw)
{
	tw->out = tw->archive;
	if (lstat(tw->archive, &tw->old) < 0 || !S_ISLNK(tw->old.st_mode))
		return 0;
	tw->out_real = ucp_path_through_links(tw->archive);
	if (!tw->out_real)
		return -errno;
	tw->out = tw->out_real;
	return 0;
}

/*
 * The output: fd 1 for "-", a special file as it is, or a temp sibling of
 * the regular file to make. As with tar (which writes into the file), an
 * existing archive keeps its mode and owner, and a symbolic link to one
 * is written through: the file it leads to is replaced, or made.
 */
static int open_output(struct tw *tw)
{
	const char *slash;
	size_t dlen, llen;
	struct stat st;
	int ret;

	if (strcmp(tw->archive, "-") == 0) {
		tw->out_fd = STDOUT_FILENO;
		note_out_file(tw);
		return 0;
	}
	/* (No name: no file, as open(2) says; not a temporary in ".".) */
	if (!tw->archive[0])
		return -ENOENT;
	if (stat(tw->archive, &st) == 0 && !S_ISREG(st.st_mode)) {
		tw->out_fd = open(tw->archive, O_WRONLY | O_CLOEXEC);
		if (tw->out_fd < 0)
			return -errno;
		note_out_file(tw);
		return 0;
	}
	ret = out_through_link(tw);
	if (ret < 0)
		return ret;
	tw->replaces = stat(tw->out, &tw->old) == 0;
	slash = strrchr(tw->out, '/');
	dlen = slash ? (size_t)(slash - tw->out) + 1 : 0;
	tw->out_leaf = tw->out + dlen;
	/* ".LEAF.ucp-XXXXXX", LEAF cut to keep it a name (NAME_MAX). */
	llen = UCP_MIN(strlen(tw->out_leaf), (size_t)NAME_MAX - 12);
	tw->tmp = malloc(dlen + llen + 16);
	if (!tw->tmp)
		return -ENOMEM;
	memcpy(tw->tmp, tw->out, dlen);
	memcpy(tw->tmp + dlen, ".", 1);
	memcpy(tw->tmp + dlen + 1, tw->out_leaf, llen);
	memcpy(tw->tmp + dlen + 1 + llen, ".ucp-XXXXXX", 12);
	tw->tmp_leaf = tw->tmp + dlen;
	tw->out_fd = mkostemp(tw->tmp, O_CLOEXEC);
	if (tw->out_fd < 0) {
		/* Where the directory is there, the error says the
		 * temporary could not be made in it (output_failed). */
		ret = -errno;
		tw->tmp_failed = ret != -ENOENT && ret != -ENOTDIR;
		free(tw->tmp);
		tw->tmp = NULL;
		return ret;
	}
	(void)pthread_once(&exit_once, watch_exit);
	atomic_store(&exit_tmp, tw->tmp);
	if (fstat(tw->out_fd, &st) == 0) {
		char *dir = strndup(tw->out, dlen ? dlen : 0);
		struct stat dst;

		if (dir && stat(dlen ? dir : ".", &dst) == 0) {
			tw->out_dir_dev = dst.st_dev;
			tw->out_dir_ino = dst.st_ino;
			tw->has_out_dir = true;
		}
		free(dir);
	}
	return 0;
}

/* libarchive's writer: all of buf to the output, or -1 with the error. */
/* Write all of buf to the archive's descriptor: 0, or -errno. */
static int put_out(void *arg, const void *buf, size_t len)
{
	struct tw *tw = arg;
	size_t done = 0;

	while (done < len) {
		ssize_t n;

		/*
		 * A signal cuts a write to a stalled pipe short (--tar -),
		 * after some bytes or none: the run ends there.
		 */
		if (*tw->env->cancel)
			return -EINTR;
		n = ucp_fault_write(tw->out_fd, (const char *)buf + done,
				    len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		done += (size_t)n;
	}
	return 0;
}

static la_ssize_t write_cb(struct archive *a, void *arg, const void *buf,
			   size_t len)
{
	struct tw *tw = arg;
	int r = tw->zout ? ucp_zstdw_write(tw->zout, buf, len)
			 : put_out(tw, buf, len);

	if (r < 0) {
		const char *z = tw->zout ? ucp_zstdw_error(tw->zout) : NULL;

		archive_set_error(a, -r, "%s", z ? z : strerror(-r));
		return -1;
	}
	return (la_ssize_t)len;
}

/* Keep the first failure, -errno of step o (close_output). */
static void first_step(int *ret, enum ucp_op *op, enum ucp_op o)
{
	if (*ret == 0) {
		*ret = -errno;
		*op = o;
	}
}

/*
 * Put the finished archive in place, or remove the temporary one. 0, or
 * -errno with *op the step that failed (a close reports a write-back
 * error too).
 */
static int close_output(struct tw *tw, bool keep, enum ucp_op *op)
{
	struct ucp_meta_env menv;
	int ret = 0;

	if (!tw->tmp)
		return 0;
	atomic_store(&exit_tmp, NULL);
	ucp_meta_env_init(&menv, tw->env->cfg);
	/* (Only root gives a file away; chown before chmod, which it clears.)
	 */
	if (keep && tw->replaces && menv.euid == 0 &&
	    fchown(tw->out_fd, tw->old.st_uid, tw->old.st_gid) < 0)
		first_step(&ret, op, UCP_OP_CHOWN);
	if (keep && ret == 0 &&
	    fchmod(tw->out_fd, tw->replaces ? tw->old.st_mode & 07777
					    : 0666 & ~menv.umask) < 0)
		first_step(&ret, op, UCP_OP_CHMOD);
	if (ucp_fault_close(tw->out_fd) < 0)
		first_step(&ret, op, UCP_OP_CLOSE);
	tw->out_fd = -1;
	if (keep && ret == 0 &&
	    (ucp_fault_fail(UCP_FAULT_RENAME) < 0 ||
	     rename(tw->tmp, tw->out) < 0))
		first_step(&ret, op, UCP_OP_RENAME);
	if (!keep || ret < 0)
		(void)unlink(tw->tmp);
	return ret;
}

static void drain(struct tw *tw, pthread_t walker, pthread_t *workers,
		  unsigned nworkers)
{
	unsigned i;

	pthread_mutex_lock(&tw->lock);
	tw->stop = true;
	pthread_cond_broadcast(&tw->space);
	pthread_cond_broadcast(&tw->work);
	pthread_cond_broadcast(&tw->budget_cv);
	pthread_mutex_unlock(&tw->lock);
	pthread_join(walker, NULL);
	for (i = 0; i < nworkers; i++)
		pthread_join(workers[i], NULL);
	while (tw->head < tw->tail) {
		item_free(tw->win[tw->head % WINDOW]);
		tw->head++;
	}
}

/*
 * Write every ready item from the head on, up to BATCH of them, then
 * retire them together. Returns false after a fatal error.
 */
static bool write_ready(struct tw *tw, size_t *done)
{
	size_t head = atomic_load(&tw->head), tail = atomic_load(&tw->tail);
	bool ok = true;

	*done = 0;
	while (ok && *done < BATCH && head + *done < tail) {
		struct item *it = tw->win[(head + *done) % WINDOW];

		if (!atomic_load(&it->ready))
			break;
		ok = write_item(tw, it);
		release_budget(tw, it);
		ucp_bufcache_put(&tw->bufs, it->data, it->data_n);
		it->data = NULL;
		item_free(it);
		(*done)++;
	}
	if (*done)
		retire(tw, *done);
	return ok;
}

/*
 * The next queued item no worker took, prepared by the caller (when no
 * worker thread could start). False when there is none.
 */
static bool prepare_next(struct tw *tw, struct names *nm)
{
	struct item *it = NULL;

	pthread_mutex_lock(&tw->lock);
	if (tw->claim < tw->tail && !tw->stop)
		it = tw->win[tw->claim++ % WINDOW];
	pthread_mutex_unlock(&tw->lock);
	if (!it)
		return false;
	prepare(tw, nm, it);
	set_ready(tw, it);
	return true;
}

/*
 * One thread for all (flush): each queued item prepared and written in
 * turn, its budget back before the next. False when the run stops.
 */
static bool write_queued(struct tw *tw)
{
	size_t done;

	while (prepare_next(tw, &tw->one_nm)) {
		if (!write_ready(tw, &done)) {
			tw->stop = true;
			return false;
		}
		tick(tw);
	}
	return !tw->stop && !*tw->env->cancel;
}

/*
 * Run walker, workers and the writer loop; the archive is open. Where a
 * limit on processes leaves no thread to start, the walker (or the
 * writer) does the workers' part itself.
 */
static void pump(struct tw *tw)
{
	pthread_t walker, workers[MAX_WORKERS];
	unsigned n = UCP_MAX(1, UCP_MIN(tw->env->cfg->jobs, MAX_WORKERS)), i;
	struct names nm;
	size_t done;
	int err;

	memset(&nm, 0, sizeof(nm));
	err = pthread_create(&walker, NULL, walker_main, tw);
	if (err) {
		ucp_status_threads_short(tw->env->ev, 0, n, err);
		tw->one_thread = true;
		(void)walker_main(tw);
		/* (What a stop left unwritten.) */
		while (tw->head < tw->tail) {
			item_free(tw->win[tw->head % WINDOW]);
			tw->head++;
		}
		return;
	}
	for (i = 0; i < n && !err; i++)
		err = pthread_create(&workers[i], NULL, worker_main, tw);
	if (err) {
		ucp_status_threads_short(tw->env->ev, --i, n, err);
		n = i;
	}
	for (;;) {
		/* (No worker: the head item is the writer's to prepare.) */
		if (n == 0)
			(void)prepare_next(tw, &nm);
		if (!write_ready(tw, &done))
			break;
		tick(tw);
		if (done == 0 && !wait_head(tw))
			break;
		if (tw->stop || *tw->env->cancel)
			break;
	}
	drain(tw, walker, workers, n);
}

/* How long the cut's blocks wait for room in a full pipe (ms). */
#define CUT_WAIT_MS 3000

/*
 * poll(p, 1, ms), but a signal (a second SIGTERM from timeout(1), which
 * does not end the run) does not cut the wait short: it goes on for what
 * is left of ms.
 */
static int poll_out(struct pollfd *p, int ms)
{
	struct timespec start, now;
	long long left = ms;
	int n;

	(void)clock_gettime(CLOCK_MONOTONIC, &start);
	while ((n = poll(p, 1, (int)left)) < 0 && errno == EINTR) {
		(void)clock_gettime(CLOCK_MONOTONIC, &now);
		left = ms - ((long long)(now.tv_sec - start.tv_sec) * 1000 +
			     (now.tv_nsec - start.tv_nsec) / 1000000);
		if (left <= 0)
			return 0;
	}
	return n;
}

/*
 * An archive abandoned on its way down a pipe (or to a device) ends where
 * it was cut; but that may be at a member's end, on a block boundary,
 * where a reader takes the stream for whole and succeeds (GNU tar passes
 * over a short last block, too). Blocks that are no header (0xff bytes:
 * zeros would be the archive's end) make a reader fail: two of them, for
 * GNU tar and libarchive pass over one bad block at the very end (seen:
 * exit 0 with one, an error with two). (What it writes to is not ucp's to
 * remove.)
 */
static void cut_stream(struct tw *tw)
{
	struct pollfd p = { .fd = tw->out_fd, .events = POLLOUT };
	char cut[1024];
	int n;

	if (tw->tmp || tw->out_fd < 0)
		return;
	/*
	 * A pipe is full most of the time where its reader is slower than
	 * ucp: the blocks wait for room a while (a pipe with room for a
	 * page takes 1024 bytes whole), but no longer, for a reader that
	 * stalled (the interrupt may be for that) must not hold the run.
	 */
	n = poll_out(&p, CUT_WAIT_MS);
	if (n != 1 || !(p.revents & POLLOUT))
		return;
	memset(cut, 0xff, sizeof(cut));
	(void)ucp_fault_write(tw->out_fd, cut, sizeof(cut));
}

/*
 * An interrupted archive is not freed: after archive_write_fail, libarchive
 * 3.6 frees it without its output filter's state (a leak it reports under
 * LeakSanitizer), and without archive_write_fail, freeing it closes it,
 * which writes every byte left of the current member (a gigabyte of
 * padding through the compressor). The last one is kept reachable here
 * until the process ends, moments later.
 */
static void abandon(struct archive *a)
{
	static struct archive *abandoned;

	if (abandoned)
		archive_write_free(abandoned);
	abandoned = a;
}

enum ucp_status ucp_tar_write(const struct ucp_tar_env *env, char *const *srcs,
			      size_t nsrc, const char *archive)
{
	struct tw *tw;
	enum ucp_op op = UCP_OP_RENAME;
	int ret, bits;

	if (!ucp_tar_load(env))
		return UCP_FATAL;
	tw = calloc(1, sizeof(*tw));
	if (!tw)
		return UCP_FATAL;
	tw->env = env;
	tw->archive = archive;
	tw->srcs = srcs;
	tw->nsrc = nsrc;
	tw->out_fd = -1;
	tw->budget = UCP_MIN(env->cfg->buffer_size,
			     (size_t)PREFETCH_MAX * UCP_MAX(1, env->cfg->jobs));
	ucp_bufcache_init(&tw->bufs, 2 * tw->budget);
	tw->max_dirs = env->max_dirs;
	pthread_mutex_init(&tw->lock, NULL);
	pthread_cond_init(&tw->space, NULL);
	pthread_cond_init(&tw->work, NULL);
	pthread_cond_init(&tw->ready, NULL);
	pthread_cond_init(&tw->budget_cv, NULL);
	ucp_tick_start(&tw->tick, env->cfg->tick_ms);
	tw->buf = malloc(IO_CHUNK);
	ret = tw->buf ? setup_archive(tw) : -ENOMEM;
	if (ret < 0) {
		fatal(tw, -ret, NULL);
	} else if ((ret = open_output(tw)) < 0) {
		output_failed(tw, archive, -ret);
	} else if (archive_write_open2(tw->a, tw, NULL, write_cb, NULL, NULL) !=
		   ARCHIVE_OK) {
		fatal(tw, archive_errno(tw->a), NULL);
	} else {
		pump(tw);
		/*
		 * Interrupted or failed: nothing more is written, not even the
		 * end, so that a reader of a pipe sees the archive cut short
		 * rather than whole (freeing it would close it, end and all).
		 */
		if (*env->cancel ||
		    (atomic_load(&tw->status) & UCP_RUN_FATAL)) {
			(void)archive_write_fail(tw->a);
			cut_stream(tw);
		} else if (archive_write_close(tw->a) != ARCHIVE_OK)
			fatal(tw, archive_errno(tw->a), NULL);
		else
			end_zstd(tw);
	}
	bits = atomic_load(&tw->status);
	if (*env->cancel)
		bits |= UCP_RUN_FATAL;
	ret = close_output(tw, !(bits & UCP_RUN_FATAL), &op);
	if (ret < 0) {
		report(tw, op, -ret, archive, NULL, false);
		bits |= UCP_RUN_FATAL;
	}
	if (tw->a && (bits & UCP_RUN_FATAL))
		abandon(tw->a);
	else if (tw->a)
		archive_write_free(tw->a);
	ucp_tarlinks_release(&tw->links);
	ucp_zstdw_free(tw->zout);
	free(tw->tmp);
	free(tw->out_real);
	free(tw->buf);
	ucp_bufcache_release(&tw->bufs);
	pthread_mutex_destroy(&tw->lock);
	pthread_cond_destroy(&tw->space);
	pthread_cond_destroy(&tw->work);
	pthread_cond_destroy(&tw->ready);
	pthread_cond_destroy(&tw->budget_cv);
	free(tw);
	return ucp_status_verdict(bits, *env->cancel);
}
