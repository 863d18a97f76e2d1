/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for src/plan.c: every row of the planner, as tables of
 * (mode, source, destination, options) -> (action, how, changes, row).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "plan.h"

/* Options a row sets, as bits. */
enum {
	O_R = 1 << 0,	      /* -r */
	O_N = 1 << 1,	      /* -n */
	O_U = 1 << 2,	      /* -u */
	O_I = 1 << 3,	      /* -i */
	O_L = 1 << 4,	      /* -l */
	O_S = 1 << 5,	      /* -s */
	O_ATTRS = 1 << 6,     /* --attributes-only */
	O_P = 1 << 7,	      /* -P (no_dereference) */
	O_DELETE = 1 << 8,    /* --delete */
	O_EXISTING = 1 << 9,  /* --existing */
	O_IGNORE = 1 << 10,   /* --ignore-existing */
	O_CHECKSUM = 1 << 11, /* --checksum */
	O_SIZE_ONLY = 1 << 12,
	O_INPLACE = 1 << 13,
	O_PRESERVE = 1 << 14, /* -a: mode, ownership, times */
	O_WINDOW = 1 << 15,   /* --modify-window=2 */
	O_FOLLOW = 1 << 16,   /* the tree is followed (-L) */
	O_BACKUP = 1 << 17,   /* -b */
	O_REMOVE = 1 << 18,   /* --remove-destination */
	O_NOSIZE = 1 << 19,   /* the source's size says nothing (/proc) */
	O_CONTENTS = 1 << 20, /* --copy-contents */
};

/* A side of a row: type, size, mtime (s, ns), mode bits, inode. */
struct side {
	mode_t type; /* 0: nothing there */
	off_t size;
	time_t sec;
	long nsec;
	mode_t perm;
	ino_t ino;
	dev_t rdev;
	nlink_t nlink; /* 0: 1 */
	long cnsec;    /* its change time's nanoseconds (0: a file system
			  of whole seconds, or not known) */
};

struct row {
	int line;
	enum ucp_plan_mode mode;
	unsigned opts;
	struct side src, dst;
	enum ucp_same same;
	enum ucp_act act;
	enum ucp_make make;
	unsigned ch;
	const char *row;
};

#define REG(size, sec)                                  \
	{                                               \
		S_IFREG, size, sec, 0, 0644, 1, 0, 0, 0 \
	}
#define DIR_                                            \
	{                                               \
		S_IFDIR, 4096, 100, 0, 0755, 2, 0, 0, 0 \
	}
#define LNK                                          \
	{                                            \
		S_IFLNK, 5, 100, 0, 0777, 3, 0, 0, 0 \
	}
#define FIFO                                         \
	{                                            \
		S_IFIFO, 0, 100, 0, 0644, 4, 0, 0, 0 \
	}
#define SOCK                                          \
	{                                             \
		S_IFSOCK, 0, 100, 0, 0755, 5, 0, 0, 0 \
	}
#define NONE                              \
	{                                 \
		0, 0, 0, 0, 0, 0, 0, 0, 0 \
	}
/* A destination file: another inode. */
#define DREG(size, sec)                                 \
	{                                               \
		S_IFREG, size, sec, 0, 0644, 9, 0, 0, 0 \
	}

/* Files with an mtime of sec seconds and ns nanoseconds. */
#define REGNS(size, sec, ns)                             \
	{                                                \
		S_IFREG, size, sec, ns, 0644, 1, 0, 0, 0 \
	}
#define DREGNS(size, sec, ns)                            \
	{                                                \
		S_IFREG, size, sec, ns, 0644, 9, 0, 0, 0 \
	}
/* ... whose change time has cns nanoseconds (the file system's unit). */
#define DREG100(size, sec, ns, cns)                        \
	{                                                  \
		S_IFREG, size, sec, ns, 0644, 9, 0, 0, cns \
	}
/* ... on a file system that keeps nanoseconds, as its change time shows. */
#define DREGFINE(size, sec, ns) DREG100(size, sec, ns, 123456789)

static void fill(struct stat *st, const struct side *s)
{
	memset(st, 0, sizeof(*st));
	st->st_mode = s->type | s->perm;
	st->st_size = s->size;
	st->st_mtim.tv_sec = s->sec;
	st->st_mtim.tv_nsec = s->nsec;
	st->st_ctim.tv_sec = s->sec;
	st->st_ctim.tv_nsec = s->cnsec;
	st->st_ino = s->ino;
	st->st_dev = 1;
	st->st_rdev = s->rdev;
	st->st_nlink = s->nlink ? s->nlink : 1;
	st->st_uid = 1000;
	st->st_gid = 1000;
}

static void configure(struct ucp_config *cfg, unsigned o)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->recursive = o & O_R;
	cfg->update = (o & O_N)	  ? UCP_UPDATE_NONE
		      : (o & O_U) ? UCP_UPDATE_OLDER
				  : UCP_UPDATE_ALL;
	cfg->interactive = o & O_I;
	cfg->hard_link = o & O_L;
	cfg->symbolic_link = o & O_S;
	cfg->attributes_only = o & O_ATTRS;
	cfg->copy_contents = o & O_CONTENTS;
	cfg->no_dereference = o & O_P;
	cfg->sync.delete_extraneous = o & O_DELETE;
	cfg->sync.existing_only = o & O_EXISTING;
	cfg->sync.ignore_existing = o & O_IGNORE;
	cfg->sync.checksum = o & O_CHECKSUM;
	cfg->sync.size_only = o & O_SIZE_ONLY;
	cfg->sync.inplace = o & O_INPLACE;
	cfg->sync.modify_window = (o & O_WINDOW) ? 2 : 0;
	cfg->backup = (o & O_BACKUP) ? UCP_BACKUP_SIMPLE : UCP_BACKUP_NONE;
	cfg->remove_destination = o & O_REMOVE;
	if (o & O_PRESERVE)
		cfg->preserve = UCP_PRESERVE_MODE | UCP_PRESERVE_OWNERSHIP |
				UCP_PRESERVE_TIMESTAMPS;
}

static void check_rows(const struct row *rows, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const struct row *r = &rows[i];
		struct ucp_config cfg;
		struct stat src, dst;
		struct ucp_plan_in in = { .mode = r->mode,
					  .src = &src,
					  .same = r->same,
					  .follow = r->opts & O_FOLLOW,
					  .size_unknown = r->opts & O_NOSIZE,
					  .euid = 1000,
					  .egid = 1000 };
		struct ucp_plan p;

		configure(&cfg, r->opts);
		fill(&src, &r->src);
		fill(&dst, &r->dst);
		in.dst = r->dst.type ? &dst : NULL;
		ucp_plan(&cfg, &in, &p);
		if (p.act != r->act || p.make != r->make || p.ch != r->ch ||
		    strcmp(p.row, r->row) != 0) {
			print_error("row at line %d: got act %d make %d ch %#x "
				    "'%s', want act %d make %d ch %#x '%s'\n",
				    r->line, p.act, p.make, p.ch, p.row, r->act,
				    r->make, r->ch, r->row);
			fail();
		}
	}
}

#define ROWS(t) check_rows(t, sizeof(t) / sizeof(t[0]))

static void test_cp_rows(void **state)
{
	static const struct row rows[] = {
		{ __LINE__, UCP_PLAN_CP, O_R, DIR_, NONE, 0, UCP_ACT_DESCEND,
		  UCP_MAKE_DIR, 0, "directory" },
		{ __LINE__, UCP_PLAN_CP, 0, DIR_, NONE, 0, UCP_ACT_OMIT_DIR,
		  UCP_MAKE_DIR, 0, "directory, no -r" },
		{ __LINE__, UCP_PLAN_CP, 0, REG(10, 100), NONE, 0,
		  UCP_ACT_CREATE, UCP_MAKE_COPY, UCP_CH_NEW, "new" },
		{ __LINE__, UCP_PLAN_CP, O_L, REG(10, 100), NONE, 0,
		  UCP_ACT_CREATE, UCP_MAKE_HARDLINK, UCP_CH_NEW, "new" },
		{ __LINE__, UCP_PLAN_CP, O_S, REG(10, 100), NONE, 0,
		  UCP_ACT_CREATE, UCP_MAKE_SYMLINK_TO, UCP_CH_NEW, "new" },
		{ __LINE__, UCP_PLAN_CP, O_ATTRS, REG(10, 100), NONE, 0,
		  UCP_ACT_CREATE, UCP_MAKE_ATTRS, UCP_CH_NEW, "new" },
		{ __LINE__, UCP_PLAN_CP, 0, LNK, NONE, 0, UCP_ACT_CREATE,
		  UCP_MAKE_SYMLINK, UCP_CH_NEW, "new" },
		/* cp -al, -Pl: a hard link to the symlink itself. */
		{ __LINE__, UCP_PLAN_CP, O_L | O_P, LNK, NONE, 0,
		  UCP_ACT_CREATE, UCP_MAKE_HARDLINK, UCP_CH_NEW, "new" },
		{ __LINE__, UCP_PLAN_CP, O_L, LNK, NONE, 0, UCP_ACT_CREATE,
		  UCP_MAKE_SYMLINK, UCP_CH_NEW, "new" },
		{ __LINE__, UCP_PLAN_CP, O_L | O_P | O_FOLLOW, LNK, NONE, 0,
		  UCP_ACT_CREATE, UCP_MAKE_SYMLINK, UCP_CH_NEW, "new" },
		{ __LINE__, UCP_PLAN_CP, O_S, LNK, NONE, 0, UCP_ACT_CREATE,
		  UCP_MAKE_SYMLINK_TO, UCP_CH_NEW, "new" },
		/*
		 * Only -R copies a FIFO as one; without it cp reads it (and
		 * a device) like a file.
		 */
		{ __LINE__, UCP_PLAN_CP, O_R, FIFO, NONE, 0, UCP_ACT_CREATE,
		  UCP_MAKE_NODE, UCP_CH_NEW, "new" },
		{ __LINE__, UCP_PLAN_CP, 0, FIFO, NONE, 0, UCP_ACT_CREATE,
		  UCP_MAKE_STREAM, UCP_CH_NEW, "new" },
		{ __LINE__, UCP_PLAN_CP, 0, FIFO, DREG(5, 50), 0,
		  UCP_ACT_REPLACE, UCP_MAKE_STREAM, UCP_CH_CONTENT,
		  "exists, replaced" },
		{ __LINE__, UCP_PLAN_CP, O_S, FIFO, NONE, 0, UCP_ACT_CREATE,
		  UCP_MAKE_SYMLINK_TO, UCP_CH_NEW, "new" },
		/*
		 * Without -R, -l links the FIFO itself, and
		 * --attributes-only gives a file its attributes: neither
		 * makes a node (over a file that was there).
		 */
		{ __LINE__, UCP_PLAN_CP, O_L, FIFO, NONE, 0, UCP_ACT_CREATE,
		  UCP_MAKE_HARDLINK, UCP_CH_NEW, "new" },
		{ __LINE__, UCP_PLAN_CP, O_ATTRS, FIFO, NONE, 0, UCP_ACT_CREATE,
		  UCP_MAKE_ATTRS, UCP_CH_NEW, "new" },
		{ __LINE__, UCP_PLAN_CP, O_ATTRS, FIFO, DREG(5, 50), 0,
		  UCP_ACT_REPLACE, UCP_MAKE_ATTRS, UCP_CH_CONTENT,
		  "exists, replaced" },
		{ __LINE__, UCP_PLAN_CP, O_R | O_ATTRS, FIFO, NONE, 0,
		  UCP_ACT_CREATE, UCP_MAKE_NODE, UCP_CH_NEW, "new" },
		/* --copy-contents: with -R too, a FIFO is read as a file. */
		{ __LINE__, UCP_PLAN_CP, O_R | O_CONTENTS, FIFO, NONE, 0,
		  UCP_ACT_CREATE, UCP_MAKE_STREAM, UCP_CH_NEW, "new" },
		{ __LINE__, UCP_PLAN_CP, O_R, FIFO, NONE, 0, UCP_ACT_CREATE,
		  UCP_MAKE_NODE, UCP_CH_NEW, "new" },
		/* -s makes no link to a socket: it is skipped as a node. */
		{ __LINE__, UCP_PLAN_CP, O_S, SOCK, NONE, 0, UCP_ACT_CREATE,
		  UCP_MAKE_NODE, UCP_CH_NEW, "new" },
		/* Existing destinations. */
		{ __LINE__, UCP_PLAN_CP, 0, REG(10, 100), DREG(5, 50), 0,
		  UCP_ACT_REPLACE, UCP_MAKE_COPY, UCP_CH_CONTENT,
		  "exists, replaced" },
		{ __LINE__, UCP_PLAN_CP, O_N, REG(10, 100), DREG(5, 50), 0,
		  UCP_ACT_SKIP, UCP_MAKE_COPY, 0, "exists, -n keeps it" },
		{ __LINE__, UCP_PLAN_CP, O_U, REG(10, 100), DREG(5, 100), 0,
		  UCP_ACT_SKIP, UCP_MAKE_COPY, 0,
		  "exists and is not older, -u" },
		{ __LINE__, UCP_PLAN_CP, O_U, REG(10, 100), DREG(5, 200), 0,
		  UCP_ACT_SKIP, UCP_MAKE_COPY, 0,
		  "exists and is not older, -u" },
		{ __LINE__, UCP_PLAN_CP, O_U, REG(10, 100), DREG(5, 99), 0,
		  UCP_ACT_REPLACE, UCP_MAKE_COPY, UCP_CH_CONTENT,
		  "exists, replaced" },
		/*
		 * A copy whose file system keeps coarser times than the
		 * source's (its time is the source's cut) is not older; one
		 * the source is newer than in its kept digits is.
		 */
		{ __LINE__, UCP_PLAN_CP, O_U, REGNS(10, 100, 700000001),
		  DREGNS(10, 100, 0), 0, UCP_ACT_SKIP, UCP_MAKE_COPY, 0,
		  "exists and is not older, -u" },
		{ __LINE__, UCP_PLAN_CP, O_U, REGNS(10, 100, 789123456),
		  DREGNS(10, 100, 780000000), 0, UCP_ACT_SKIP, UCP_MAKE_COPY, 0,
		  "exists and is not older, -u" },
		{ __LINE__, UCP_PLAN_CP, O_U, REGNS(10, 100, 790000000),
		  DREGNS(10, 100, 780000000), 0, UCP_ACT_REPLACE, UCP_MAKE_COPY,
		  UCP_CH_CONTENT, "exists, replaced" },
		/*
		 * ... but where the copy's file system keeps nanoseconds (its
		 * change time has them), a time of fewer digits is its own:
		 * older than a source changed later in that second (cp -u).
		 */
		{ __LINE__, UCP_PLAN_CP, O_U, REGNS(10, 100, 500000000),
		  DREGFINE(10, 100, 0), 0, UCP_ACT_REPLACE, UCP_MAKE_COPY,
		  UCP_CH_CONTENT, "exists, replaced" },
		{ __LINE__, UCP_PLAN_CP, O_U, REGNS(10, 100, 123000000),
		  DREGFINE(10, 100, 100000000), 0, UCP_ACT_REPLACE,
		  UCP_MAKE_COPY, UCP_CH_CONTENT, "exists, replaced" },
		{ __LINE__, UCP_PLAN_CP, O_U, REGNS(10, 100, 500000000),
		  DREGFINE(10, 100, 500000000), 0, UCP_ACT_SKIP, UCP_MAKE_COPY,
		  0, "exists and is not older, -u" },
		{ __LINE__, UCP_PLAN_CP, 0, REG(10, 100), DIR_, 0,
		  UCP_ACT_NONDIR_OVER_DIR, UCP_MAKE_COPY, 0,
		  "a directory is there" },
		/* -n comes before the directory check, as in cp. */
		{ __LINE__, UCP_PLAN_CP, O_N, REG(10, 100), DIR_, 0,
		  UCP_ACT_SKIP, UCP_MAKE_COPY, 0, "exists, -n keeps it" },
		{ __LINE__, UCP_PLAN_CP, 0, REG(10, 100), REG(10, 100), 0,
		  UCP_ACT_SAME_FILE, UCP_MAKE_COPY, 0, "the same file" },
		{ __LINE__, UCP_PLAN_CP, O_I, REG(10, 100), DREG(5, 50), 0,
		  UCP_ACT_ASK, UCP_MAKE_COPY, 0, "exists, -i asks" },
		/* A device or FIFO there is written into, as cp does. */
		{ __LINE__,
		  UCP_PLAN_CP,
		  0,
		  REG(10, 100),
		  { S_IFCHR, 0, 1, 0, 0666, 9, 0x103, 0, 0 },
		  0,
		  UCP_ACT_INPLACE,
		  UCP_MAKE_COPY,
		  UCP_CH_CONTENT,
		  "a device or FIFO is there, written into" },
		{ __LINE__, UCP_PLAN_CP, 0, REG(10, 100), FIFO, 0,
		  UCP_ACT_INPLACE, UCP_MAKE_COPY, UCP_CH_CONTENT,
		  "a device or FIFO is there, written into" },
		{ __LINE__,
		  UCP_PLAN_CP,
		  O_REMOVE,
		  REG(10, 100),
		  { S_IFCHR, 0, 1, 0, 0666, 9, 0x103, 0, 0 },
		  0,
		  UCP_ACT_REPLACE,
		  UCP_MAKE_COPY,
		  UCP_CH_CONTENT,
		  "exists, replaced" },
		{ __LINE__,
		  UCP_PLAN_CP,
		  O_R,
		  LNK,
		  { S_IFCHR, 0, 1, 0, 0666, 9, 0x103, 0, 0 },
		  0,
		  UCP_ACT_REPLACE,
		  UCP_MAKE_SYMLINK,
		  UCP_CH_CONTENT,
		  "exists, replaced" },
		/* A file with other hard links is rewritten, as cp does. */
		{ __LINE__,
		  UCP_PLAN_CP,
		  0,
		  REG(10, 100),
		  { S_IFREG, 5, 50, 0, 0644, 9, 0, 2, 0 },
		  0,
		  UCP_ACT_INPLACE,
		  UCP_MAKE_COPY,
		  UCP_CH_CONTENT,
		  "exists with other hard links, rewritten in place" },
		{ __LINE__,
		  UCP_PLAN_CP,
		  O_BACKUP,
		  REG(10, 100),
		  { S_IFREG, 5, 50, 0, 0644, 9, 0, 2, 0 },
		  0,
		  UCP_ACT_REPLACE,
		  UCP_MAKE_COPY,
		  UCP_CH_CONTENT,
		  "exists, replaced" },
		{ __LINE__,
		  UCP_PLAN_CP,
		  O_REMOVE,
		  REG(10, 100),
		  { S_IFREG, 5, 50, 0, 0644, 9, 0, 2, 0 },
		  0,
		  UCP_ACT_REPLACE,
		  UCP_MAKE_COPY,
		  UCP_CH_CONTENT,
		  "exists, replaced" },
		{ __LINE__,
		  UCP_PLAN_CP,
		  O_S,
		  REG(10, 100),
		  { S_IFREG, 5, 50, 0, 0644, 9, 0, 2, 0 },
		  0,
		  UCP_ACT_REPLACE,
		  UCP_MAKE_SYMLINK_TO,
		  UCP_CH_CONTENT,
		  "exists, replaced" },
		/* The same file is refused before -i asks. */
		{ __LINE__, UCP_PLAN_CP, O_I, REG(10, 100), REG(10, 100), 0,
		  UCP_ACT_SAME_FILE, UCP_MAKE_COPY, 0, "the same file" },
	};

	(void)state;
	ROWS(rows);
}

static void test_sync_rows(void **state)
{
	static const struct row rows[] = {
		{ __LINE__, UCP_PLAN_SYNC, 0, DIR_, NONE, 0, UCP_ACT_DESCEND,
		  UCP_MAKE_DIR, 0, "directory" },
		{ __LINE__, UCP_PLAN_SYNC, O_EXISTING, DIR_, NONE, 0,
		  UCP_ACT_SKIP, UCP_MAKE_DIR, 0, "new, --existing" },
		{ __LINE__, UCP_PLAN_SYNC, O_EXISTING, DIR_, DIR_, 0,
		  UCP_ACT_DESCEND, UCP_MAKE_DIR, 0, "directory" },
		{ __LINE__, UCP_PLAN_SYNC, 0, REG(10, 100), NONE, 0,
		  UCP_ACT_CREATE, UCP_MAKE_COPY, UCP_CH_NEW, "new" },
		{ __LINE__, UCP_PLAN_SYNC, O_EXISTING, REG(10, 100), NONE, 0,
		  UCP_ACT_SKIP, UCP_MAKE_COPY, 0, "new, --existing" },
		{ __LINE__, UCP_PLAN_SYNC, 0, REG(10, 100), DIR_, 0,
		  UCP_ACT_NONDIR_OVER_DIR, UCP_MAKE_COPY, 0,
		  "a directory is there, no --delete" },
		{ __LINE__, UCP_PLAN_SYNC, O_DELETE, REG(10, 100), DIR_, 0,
		  UCP_ACT_CLEAR, UCP_MAKE_COPY, UCP_CH_NEW,
		  "a directory is there, --delete" },
		{ __LINE__, UCP_PLAN_SYNC, O_IGNORE, REG(10, 100), DREG(5, 50),
		  0, UCP_ACT_SKIP, UCP_MAKE_COPY, 0,
		  "exists, --ignore-existing" },
		/* --ignore-existing keeps what is there, of any type. */
		{ __LINE__, UCP_PLAN_SYNC, O_IGNORE, DIR_, DREG(5, 50), 0,
		  UCP_ACT_SKIP, UCP_MAKE_DIR, 0, "exists, --ignore-existing" },
		{ __LINE__, UCP_PLAN_SYNC, O_IGNORE | O_DELETE, REG(10, 100),
		  DIR_, 0, UCP_ACT_SKIP, UCP_MAKE_COPY, 0,
		  "exists, --ignore-existing" },
		{ __LINE__, UCP_PLAN_SYNC, O_IGNORE, DIR_, DIR_, 0,
		  UCP_ACT_DESCEND, UCP_MAKE_DIR, 0, "directory" },
		/* The quick check: size and mtime. */
		{ __LINE__, UCP_PLAN_SYNC, 0, REG(10, 100), DREG(10, 100), 0,
		  UCP_ACT_SETTLE, UCP_MAKE_COPY, 0, "same size and time" },
		{ __LINE__, UCP_PLAN_SYNC, 0, REG(10, 100), DREG(11, 100), 0,
		  UCP_ACT_REPLACE, UCP_MAKE_COPY, UCP_CH_SIZE, "changed" },
		{ __LINE__, UCP_PLAN_SYNC, 0, REG(10, 100), DREG(10, 101), 0,
		  UCP_ACT_REPLACE, UCP_MAKE_COPY, UCP_CH_TIME, "changed" },
		/* A size that says nothing (/proc: 0) is not compared. */
		{ __LINE__, UCP_PLAN_SYNC, O_NOSIZE, REG(0, 100), DREG(37, 100),
		  0, UCP_ACT_SETTLE, UCP_MAKE_COPY, 0, "same size and time" },
		{ __LINE__, UCP_PLAN_SYNC, O_NOSIZE, REG(0, 100), DREG(37, 101),
		  0, UCP_ACT_REPLACE, UCP_MAKE_COPY, UCP_CH_TIME, "changed" },
		{ __LINE__, UCP_PLAN_SYNC, O_NOSIZE | O_CHECKSUM, REG(0, 100),
		  DREG(37, 100), UCP_SAME_UNKNOWN, UCP_ACT_LOOK, UCP_MAKE_COPY,
		  0, "same size, --checksum" },
		{ __LINE__, UCP_PLAN_SYNC, O_INPLACE, REG(10, 100),
		  DREG(11, 101), 0, UCP_ACT_INPLACE, UCP_MAKE_COPY,
		  UCP_CH_SIZE | UCP_CH_TIME, "changed, --inplace" },
		{ __LINE__, UCP_PLAN_SYNC, O_WINDOW, REG(10, 100),
		  DREG(10, 102), 0, UCP_ACT_SETTLE, UCP_MAKE_COPY, 0,
		  "same size and time" },
		/*
		 * Nanoseconds: equal, or a copy's time the source's cut to
		 * the resolution of the copy's file system (the one whose
		 * digits end in more zeros): whole seconds, 10 ms, 1 us.
		 */
		{ __LINE__, UCP_PLAN_SYNC, 0, REGNS(10, 100, 789123456),
		  DREGNS(10, 100, 789123456), 0, UCP_ACT_SETTLE, UCP_MAKE_COPY,
		  0, "same size and time" },
		{ __LINE__, UCP_PLAN_SYNC, 0, REGNS(10, 100, 789123456),
		  DREGNS(10, 100, 0), 0, UCP_ACT_SETTLE, UCP_MAKE_COPY, 0,
		  "same size and time" },
		{ __LINE__, UCP_PLAN_SYNC, 0, REGNS(10, 100, 789123456),
		  DREGNS(10, 100, 780000000), 0, UCP_ACT_SETTLE, UCP_MAKE_COPY,
		  0, "same size and time" },
		{ __LINE__, UCP_PLAN_SYNC, 0, REGNS(10, 100, 789123000),
		  DREGNS(10, 100, 789123456), 0, UCP_ACT_SETTLE, UCP_MAKE_COPY,
		  0, "same size and time" },
		{ __LINE__, UCP_PLAN_SYNC, 0, REGNS(10, 100, 789123456),
		  DREGNS(10, 100, 789123457), 0, UCP_ACT_REPLACE, UCP_MAKE_COPY,
		  UCP_CH_TIME, "changed" },
		/* A cut where the copy's file system keeps nanoseconds: a
		 * time of its own (rsync compares nanoseconds there). */
		{ __LINE__, UCP_PLAN_SYNC, 0, REGNS(10, 100, 789123456),
		  DREGFINE(10, 100, 0), 0, UCP_ACT_REPLACE, UCP_MAKE_COPY,
		  UCP_CH_TIME, "changed" },
		{ __LINE__, UCP_PLAN_SYNC, 0, REGNS(10, 100, 789123456),
		  DREGFINE(10, 100, 789123456), 0, UCP_ACT_SETTLE,
		  UCP_MAKE_COPY, 0, "same size and time" },
		/*
		 * 100 ns kept: a copy whose time ends in more zeros by chance
		 * (789123000, the source's 789123056 cut) is the source's,
		 * whatever zeros its change time has; one cut further is not.
		 */
		{ __LINE__, UCP_PLAN_SYNC, 0, REGNS(10, 100, 789123056),
		  DREG100(10, 100, 789123000, 456789100), 0, UCP_ACT_SETTLE,
		  UCP_MAKE_COPY, 0, "same size and time" },
		{ __LINE__, UCP_PLAN_SYNC, 0, REGNS(10, 100, 789123456),
		  DREG100(10, 100, 789123400, 456789100), 0, UCP_ACT_SETTLE,
		  UCP_MAKE_COPY, 0, "same size and time" },
		{ __LINE__, UCP_PLAN_SYNC, 0, REGNS(10, 100, 789123456),
		  DREG100(10, 100, 789100000, 456789100), 0, UCP_ACT_REPLACE,
		  UCP_MAKE_COPY, UCP_CH_TIME, "changed" },
		{ __LINE__, UCP_PLAN_CP, O_U, REGNS(10, 100, 789123056),
		  DREG100(10, 100, 789123000, 456789100), 0, UCP_ACT_SKIP,
		  UCP_MAKE_COPY, 0, "exists and is not older, -u" },
		{ __LINE__, UCP_PLAN_SYNC, 0, REGNS(10, 100, 789123456),
		  DREGNS(10, 100, 790000000), 0, UCP_ACT_REPLACE, UCP_MAKE_COPY,
		  UCP_CH_TIME, "changed" },
		{ __LINE__, UCP_PLAN_SYNC, 0, REGNS(10, 100, 500),
		  DREGNS(10, 100, 600), 0, UCP_ACT_REPLACE, UCP_MAKE_COPY,
		  UCP_CH_TIME, "changed" },
		{ __LINE__, UCP_PLAN_SYNC, 0, REGNS(10, 100, 0),
		  DREGNS(10, 101, 0), 0, UCP_ACT_REPLACE, UCP_MAKE_COPY,
		  UCP_CH_TIME, "changed" },
		/*
		 * A copy a run marked unfinished: its attributes (a second
		 * and a nanosecond before the source's time) are tried
		 * again, not its data; its data (a second before: a source
		 * that kept changing) is copied again. With the window,
		 * both marks lie that much further back.
		 */
		{ __LINE__, UCP_PLAN_SYNC, 0, REGNS(10, 100, 5),
		  DREGNS(10, 99, 4), 0, UCP_ACT_SETTLE, UCP_MAKE_COPY, 0,
		  "attributes left unfinished" },
		{ __LINE__, UCP_PLAN_SYNC, 0, REGNS(10, 100, 0),
		  DREGNS(10, 98, 999999999), 0, UCP_ACT_SETTLE, UCP_MAKE_COPY,
		  0, "attributes left unfinished" },
		{ __LINE__, UCP_PLAN_SYNC, O_WINDOW, REGNS(10, 100, 5),
		  DREGNS(10, 97, 4), 0, UCP_ACT_SETTLE, UCP_MAKE_COPY, 0,
		  "attributes left unfinished" },
		{ __LINE__, UCP_PLAN_SYNC, 0, REGNS(10, 100, 5),
		  DREGNS(10, 99, 5), 0, UCP_ACT_REPLACE, UCP_MAKE_COPY,
		  UCP_CH_TIME, "changed" },
		{ __LINE__, UCP_PLAN_SYNC, 0, REGNS(10, 100, 5),
		  DREGNS(11, 99, 4), 0, UCP_ACT_REPLACE, UCP_MAKE_COPY,
		  UCP_CH_SIZE | UCP_CH_TIME, "changed" },
		{ __LINE__, UCP_PLAN_SYNC, O_WINDOW, REG(10, 100),
		  DREG(10, 103), 0, UCP_ACT_REPLACE, UCP_MAKE_COPY, UCP_CH_TIME,
		  "changed" },
		{ __LINE__, UCP_PLAN_SYNC, O_SIZE_ONLY, REG(10, 100),
		  DREG(10, 200), 0, UCP_ACT_SETTLE, UCP_MAKE_COPY, 0,
		  "same size, --size-only" },
		/* -u: a strictly newer copy stays; an equal one is compared. */
		{ __LINE__, UCP_PLAN_SYNC, O_U, REG(10, 100), DREG(11, 101), 0,
		  UCP_ACT_SKIP, UCP_MAKE_COPY, 0, "newer copy kept, -u" },
		{ __LINE__, UCP_PLAN_SYNC, O_U, REG(10, 100), DREG(11, 100), 0,
		  UCP_ACT_REPLACE, UCP_MAKE_COPY, UCP_CH_SIZE, "changed" },
		/* --checksum looks at contents of same-size files only. */
		{ __LINE__, UCP_PLAN_SYNC, O_CHECKSUM, REG(10, 100),
		  DREG(10, 200), UCP_SAME_UNKNOWN, UCP_ACT_LOOK, UCP_MAKE_COPY,
		  UCP_CH_TIME, "same size, --checksum" },
		{ __LINE__, UCP_PLAN_SYNC, O_CHECKSUM, REG(10, 100),
		  DREG(10, 200), UCP_SAME_YES, UCP_ACT_SETTLE, UCP_MAKE_COPY, 0,
		  "same contents, --checksum" },
		{ __LINE__, UCP_PLAN_SYNC, O_CHECKSUM, REG(10, 100),
		  DREG(10, 100), UCP_SAME_NO, UCP_ACT_REPLACE, UCP_MAKE_COPY,
		  UCP_CH_CONTENT, "changed" },
		/* (Another size is other contents: 'c' too, as rsync -c.) */
		{ __LINE__, UCP_PLAN_SYNC, O_CHECKSUM, REG(10, 100),
		  DREG(12, 100), UCP_SAME_UNKNOWN, UCP_ACT_REPLACE,
		  UCP_MAKE_COPY, UCP_CH_SIZE | UCP_CH_CONTENT, "changed" },
		/* Type changes. */
		{ __LINE__, UCP_PLAN_SYNC, 0, REG(10, 100), LNK, 0,
		  UCP_ACT_REPLACE, UCP_MAKE_COPY, UCP_CH_NEW, "type changed" },
		{ __LINE__, UCP_PLAN_SYNC, 0, LNK, DREG(10, 100), 0,
		  UCP_ACT_REPLACE, UCP_MAKE_SYMLINK, UCP_CH_NEW,
		  "type changed" },
		/* rsync's "cLc.t......": a new target, and its time. */
		{ __LINE__,
		  UCP_PLAN_SYNC,
		  O_PRESERVE,
		  LNK,
		  { S_IFLNK, 5, 90, 0, 0777, 8, 0, 0, 0 },
		  UCP_SAME_NO,
		  UCP_ACT_REPLACE,
		  UCP_MAKE_SYMLINK,
		  UCP_CH_CONTENT | UCP_CH_TIME,
		  "node changed" },
		/* Symlinks: their targets decide. */
		{ __LINE__, UCP_PLAN_SYNC, 0, LNK, LNK, UCP_SAME_UNKNOWN,
		  UCP_ACT_LOOK, UCP_MAKE_SYMLINK, 0,
		  "symlink, targets unread" },
		{ __LINE__, UCP_PLAN_SYNC, 0, LNK, LNK, UCP_SAME_YES,
		  UCP_ACT_SETTLE, UCP_MAKE_SYMLINK, 0, "same node" },
		{ __LINE__, UCP_PLAN_SYNC, 0, LNK, LNK, UCP_SAME_NO,
		  UCP_ACT_REPLACE, UCP_MAKE_SYMLINK, UCP_CH_CONTENT,
		  "node changed" },
		{ __LINE__, UCP_PLAN_SYNC, 0, FIFO, FIFO, 0, UCP_ACT_SETTLE,
		  UCP_MAKE_NODE, 0, "same node" },
		{ __LINE__, UCP_PLAN_SYNC, 0, SOCK, DREG(1, 1), 0, UCP_ACT_SKIP,
		  UCP_MAKE_NODE, 0, "socket" },
		{ __LINE__, UCP_PLAN_SYNC, 0, SOCK, NONE, 0, UCP_ACT_CREATE,
		  UCP_MAKE_NODE, UCP_CH_NEW, "new" },
	};

	(void)state;
	ROWS(rows);
}

static void test_sync_devices(void **state)
{
	static const struct row rows[] = {
		{ __LINE__,
		  UCP_PLAN_SYNC,
		  0,
		  { S_IFCHR, 0, 1, 0, 0600, 6, 0x101, 0, 0 },
		  { S_IFCHR, 0, 1, 0, 0600, 7, 0x101, 0, 0 },
		  0,
		  UCP_ACT_SETTLE,
		  UCP_MAKE_NODE,
		  0,
		  "same node" },
		{ __LINE__,
		  UCP_PLAN_SYNC,
		  0,
		  { S_IFCHR, 0, 1, 0, 0600, 6, 0x101, 0, 0 },
		  { S_IFCHR, 0, 1, 0, 0600, 7, 0x102, 0, 0 },
		  0,
		  UCP_ACT_REPLACE,
		  UCP_MAKE_NODE,
		  UCP_CH_CONTENT,
		  "node changed" },
		{ __LINE__,
		  UCP_PLAN_SYNC,
		  0,
		  { S_IFCHR, 0, 1, 0, 0600, 6, 0x101, 0, 0 },
		  { S_IFBLK, 0, 1, 0, 0600, 7, 0x101, 0, 0 },
		  0,
		  UCP_ACT_REPLACE,
		  UCP_MAKE_NODE,
		  UCP_CH_NEW,
		  "type changed" },
	};

	(void)state;
	ROWS(rows);
}

/* A settled file carries the attributes that differ (with -a). */
static void test_sync_settle_attrs(void **state)
{
	static const struct row rows[] = {
		{ __LINE__,
		  UCP_PLAN_SYNC,
		  O_PRESERVE,
		  REG(10, 100),
		  { S_IFREG, 10, 100, 0, 0600, 9, 0, 0, 0 },
		  0,
		  UCP_ACT_SETTLE,
		  UCP_MAKE_COPY,
		  UCP_CH_PERMS,
		  "same size and time" },
		{ __LINE__,
		  UCP_PLAN_SYNC,
		  0,
		  REG(10, 100),
		  { S_IFREG, 10, 100, 0, 0600, 9, 0, 0, 0 },
		  0,
		  UCP_ACT_SETTLE,
		  UCP_MAKE_COPY,
		  0,
		  "same size and time" },
		{ __LINE__, UCP_PLAN_SYNC, O_PRESERVE | O_SIZE_ONLY,
		  REG(10, 100), DREG(10, 200), 0, UCP_ACT_SETTLE, UCP_MAKE_COPY,
		  UCP_CH_TIME, "same size, --size-only" },
		/* A file rewritten lists the attributes it changes too. */
		{ __LINE__,
		  UCP_PLAN_SYNC,
		  O_PRESERVE,
		  REG(10, 100),
		  { S_IFREG, 11, 101, 0, 0600, 9, 0, 0, 0 },
		  0,
		  UCP_ACT_REPLACE,
		  UCP_MAKE_COPY,
		  UCP_CH_SIZE | UCP_CH_TIME | UCP_CH_PERMS,
		  "changed" },
		{ __LINE__,
		  UCP_PLAN_SYNC,
		  O_PRESERVE | O_INPLACE,
		  REG(10, 100),
		  { S_IFREG, 10, 101, 0, 0600, 9, 0, 0, 0 },
		  0,
		  UCP_ACT_INPLACE,
		  UCP_MAKE_COPY,
		  UCP_CH_TIME | UCP_CH_PERMS,
		  "changed, --inplace" },
	};

	(void)state;
	ROWS(rows);
}

static void test_untar_rows(void **state)
{
	static const struct row rows[] = {
		{ __LINE__, UCP_PLAN_UNTAR, 0, DIR_, NONE, 0, UCP_ACT_DESCEND,
		  UCP_MAKE_DIR, UCP_CH_NEW, "directory member" },
		{ __LINE__, UCP_PLAN_UNTAR, 0, DIR_, DIR_, 0, UCP_ACT_DESCEND,
		  UCP_MAKE_DIR, 0, "directory member, merged" },
		{ __LINE__, UCP_PLAN_UNTAR, 0, DIR_, DREG(1, 1), 0,
		  UCP_ACT_REPLACE, UCP_MAKE_DIR, UCP_CH_NEW,
		  "directory member, a non-directory unlinked first" },
		{ __LINE__, UCP_PLAN_UNTAR, 0, REG(10, 100), DIR_, 0,
		  UCP_ACT_NONDIR_OVER_DIR, UCP_MAKE_COPY, 0,
		  "a directory is there" },
		{ __LINE__, UCP_PLAN_UNTAR, 0, REG(10, 100), NONE, 0,
		  UCP_ACT_CREATE, UCP_MAKE_COPY, UCP_CH_NEW, "new member" },
		{ __LINE__, UCP_PLAN_UNTAR, 0, REG(10, 100), LNK, 0,
		  UCP_ACT_REPLACE, UCP_MAKE_COPY, UCP_CH_CONTENT,
		  "exists, unlinked first" },
		{ __LINE__, UCP_PLAN_UNTAR, 0, LNK, DIR_, 0,
		  UCP_ACT_NONDIR_OVER_DIR, UCP_MAKE_SYMLINK, 0,
		  "a directory is there" },
	};

	(void)state;
	ROWS(rows);
}

/* Ownership counts only where this user could change it. */
/*
 * --modify-window: times 2^64 - 1 seconds apart are far apart (the
 * difference as a signed time_t overflowed: undefined, and in practice
 * -1, "the same time"); times within the window are the same.
 */
static void test_modify_window_extremes(void **state)
{
	struct ucp_config cfg = { 0 };
	struct timespec a = { .tv_sec = INT64_MAX },
			b = { .tv_sec = INT64_MIN };

	(void)state;
	cfg.sync.modify_window = 1;
	assert_false(ucp_plan_same_time(&cfg, &a, NULL, &b, NULL));
	assert_false(ucp_plan_same_time(&cfg, &b, NULL, &a, NULL));
	b.tv_sec = INT64_MAX - 1;
	assert_true(ucp_plan_same_time(&cfg, &a, NULL, &b, NULL));
	b.tv_sec = INT64_MAX - 2;
	assert_false(ucp_plan_same_time(&cfg, &b, NULL, &a, NULL));
}

/*
 * A source's change time read at its file system's resolution: one in
 * whole seconds (or 10 ms) may be of a change after a copy made within
 * that unit; one to the nanosecond only where it is not before.
 */
static void test_changed_since(void **state)
{
	static const struct {
		struct timespec c, since;
		bool changed;
	} rows[] = {
		{ { 20, 0 }, { 20, 37894573 }, true }, /* whole seconds */
		{ { 20, 0 }, { 21, 0 }, false },       /* the next second */
		{ { 20, 0 }, { 19, 999999999 }, true },
		{ { 20, 30000000 }, { 20, 37894573 }, true }, /* 10 ms */
		{ { 20, 30000000 }, { 20, 40000000 }, false },
		{ { 20, 990000000 }, { 20, 995000000 }, true },
		{ { 20, 990000000 }, { 21, 0 }, false },	/* ends in 20 */
		{ { 20, 123456789 }, { 20, 123456789 }, true }, /* fine */
		{ { 20, 123456788 }, { 20, 123456789 }, false },
		{ { 21, 1 }, { 20, 999999999 }, true },
		{ { INT64_MAX, 0 }, { INT64_MAX, 999999999 }, true },
		{ { INT64_MIN, 0 }, { INT64_MAX, 0 }, false },
		{ { INT64_MAX, 0 }, { INT64_MIN, 0 }, true },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		if (ucp_plan_changed_since(&rows[i].c, &rows[i].since) !=
		    rows[i].changed)
			fail_msg("row %zu", i);
	}
}

static void test_attrs_owner(void **state)
{
	struct ucp_config cfg;
	struct stat a, b;
	struct side s = REG(1, 1);

	(void)state;
	configure(&cfg, O_PRESERVE);
	fill(&a, &s);
	fill(&b, &s);
	b.st_uid = 0;
	b.st_gid = 0;
	/* As root: both differ. */
	assert_int_equal(ucp_plan_attrs(&cfg, &a, &b, 0, 0),
			 UCP_CH_OWNER | UCP_CH_GROUP);
	/* As the source's owner: only the group (one of the user's). */
	assert_int_equal(ucp_plan_attrs(&cfg, &a, &b, 1000, 1000),
			 UCP_CH_GROUP);
	/* As someone else: nothing this user could fix. */
	assert_int_equal(ucp_plan_attrs(&cfg, &a, &b, 2000, 2000), 0);
	/* A symlink's permission bits never count. */
	a.st_mode = S_IFLNK | 0777;
	b.st_mode = S_IFLNK | 0755;
	b.st_uid = a.st_uid;
	b.st_gid = a.st_gid;
	assert_int_equal(ucp_plan_attrs(&cfg, &a, &b, 1000, 1000), 0);
	/*
	 * A user's copy of another's set-group-ID file of one of the user's
	 * groups: the owner is not kept, so neither set-id bit is (as cp
	 * -p); the copy without them is right (it was set again each run).
	 */
	a.st_mode = S_IFREG | 02755;
	a.st_uid = 2000;
	b.st_mode = S_IFREG | 0755;
	b.st_uid = 1000;
	assert_int_equal(ucp_plan_attrs(&cfg, &a, &b, 1000, 1000), 0);
	/* Owner kept, group not: the same. */
	a.st_mode = S_IFREG | 04755;
	a.st_uid = 1000;
	a.st_gid = 3000;
	assert_int_equal(ucp_plan_attrs(&cfg, &a, &b, 1000, 1000), 0);
	/* Both kept: the bit is owed. */
	a.st_gid = 1000;
	assert_int_equal(ucp_plan_attrs(&cfg, &a, &b, 1000, 1000),
			 UCP_CH_PERMS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cp_rows),
		cmocka_unit_test(test_sync_rows),
		cmocka_unit_test(test_sync_devices),
		cmocka_unit_test(test_sync_settle_attrs),
		cmocka_unit_test(test_untar_rows),
		cmocka_unit_test(test_attrs_owner),
		cmocka_unit_test(test_modify_window_extremes),
		cmocka_unit_test(test_changed_since),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
