/* SPDX-License-Identifier: MIT */
/*
 * links.c: the (dev, ino) map behind --preserve=links (see links.h). A
 * chained hash table under one mutex: claims happen once per
 * multiply-linked name, far off the per-file hot path.
 */
#include "links.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>

#include "banned.h"

struct link_ent {
	struct link_ent *next;
	dev_t dev;
	ino_t ino;
	char *first;   /* destination path of the copy */
	size_t root;   /* ... of which the destination root's, as typed */
	char *label;   /* the first name as the mode shows it, or NULL */
	bool done;     /* the copy is complete */
	bool owned;    /* a name is being copied (else the next claim is) */
	bool seeking;  /* its names wait for one in place (ucp_links_seek) */
	void **queued; /* waiters for the copy */
	size_t nqueued, cap;
};

/*
 * A label handed out before its copy failed, or the path of a copy that
 * took no more links (ucp_links_rebase): kept until the end.
 */
struct old_label {
	struct old_label *next;
	char *label;
};

struct ucp_links {
	pthread_mutex_t lock;
	struct link_ent **buckets;
	size_t nbuckets, count;
	struct old_label *old;
	size_t nseeking; /* groups seeking */
	size_t nwaiting; /* names waiting in them */
	bool unsought;	 /* ucp_links_unseek was called: no more seeking */
};

int ucp_links_new(struct ucp_links **out)
{
	struct ucp_links *l = calloc(1, sizeof(*l));

	if (!l)
		return -ENOMEM;
	l->nbuckets = 1024;
	l->buckets = calloc(l->nbuckets, sizeof(*l->buckets));
	if (!l->buckets) {
		free(l);
		return -ENOMEM;
	}
	pthread_mutex_init(&l->lock, NULL);
	*out = l;
	return 0;
}

void ucp_links_free(struct ucp_links *l)
{
	size_t i;

	if (!l)
		return;
	for (i = 0; i < l->nbuckets; i++) {
		struct link_ent *e = l->buckets[i], *n;

		for (; e; e = n) {
			n = e->next;
			/* Waiters are handed back by finish; none remain. */
			free(e->queued);
			free(e->first);
			free(e->label);
			free(e);
		}
	}
	while (l->old) {
		struct old_label *o = l->old;

		l->old = o->next;
		free(o->label);
		free(o);
	}
	free(l->buckets);
	pthread_mutex_destroy(&l->lock);
	free(l);
}

static size_t hash(dev_t dev, ino_t ino, size_t n)
{
	uint64_t h = (uint64_t)ino * 0x9e3779b97f4a7c15ull ^ (uint64_t)dev;

	return (size_t)(h ^ (h >> 29)) & (n - 1);
}

/* Double the table when it gets crowded (lock held). */
static void grow(struct ucp_links *l)
{
	size_t n = l->nbuckets * 2, i;
	struct link_ent **b = calloc(n, sizeof(*b));

	if (!b)
		return; /* keep the longer chains */
	for (i = 0; i < l->nbuckets; i++) {
		struct link_ent *e = l->buckets[i], *next;

		for (; e; e = next) {
			size_t h = hash(e->dev, e->ino, n);

			next = e->next;
			e->next = b[h];
			b[h] = e;
		}
	}
	free(l->buckets);
	l->buckets = b;
	l->nbuckets = n;
}

static struct link_ent *find(struct ucp_links *l, dev_t dev, ino_t ino)
{
	struct link_ent *e = l->buckets[hash(dev, ino, l->nbuckets)];

	while (e && (e->dev != dev || e->ino != ino))
		e = e->next;
	return e;
}

static int enqueue(struct link_ent *e, void *waiter)
{
	/* Keep room for the NULL that ucp_links_finish appends. */
	if (e->nqueued + 1 >= e->cap) {
		size_t cap = e->cap ? e->cap * 2 : 4;
		void **q = realloc(e->queued, cap * sizeof(*q));

		if (!q)
			return -ENOMEM;
		e->queued = q;
		e->cap = cap;
	}
	e->queued[e->nqueued++] = waiter;
	return 0;
}

/*
 * The copy of e failed (lock held): as if no name had claimed it, so that
 * the next one copies the data (cp's rule), not fail for want of a copy.
 * Its label may be in use (ucp_links_label): kept until the end.
 */
static void forget(struct ucp_links *l, struct link_ent *e)
{
	struct old_label *o = e->label ? malloc(sizeof(*o)) : NULL;

	/* (Out of memory: the old name stays its label.) */
	if (o) {
		o->label = e->label;
		o->next = l->old;
		l->old = o;
		e->label = NULL;
	}
	free(e->first);
	e->first = NULL;
	e->owned = false;
}

bool ucp_links_rebase(struct ucp_links *l, dev_t dev, ino_t ino,
		      const char *first, char *dst_path, size_t root_len)
{
	struct old_label *o = malloc(sizeof(*o));
	struct link_ent *e;
	bool moved = false;

	pthread_mutex_lock(&l->lock);
	e = find(l, dev, ino);
	/* (Handed out: the old path stays valid until the end.) */
	if (o && e && e->done && e->first == first) {
		o->label = e->first;
		o->next = l->old;
		l->old = o;
		o = NULL;
		e->first = dst_path;
		e->root = root_len;
		dst_path = NULL;
		moved = true;
	}
	pthread_mutex_unlock(&l->lock);
	free(o);
	free(dst_path);
	return moved;
}

const char *ucp_links_first(struct ucp_links *l, dev_t dev, ino_t ino,
			    size_t *root_len)
{
	struct link_ent *e;
	const char *first = NULL;

	pthread_mutex_lock(&l->lock);
	e = find(l, dev, ino);
	if (e && e->done) {
		first = e->first;
		*root_len = e->root;
	}
	pthread_mutex_unlock(&l->lock);
	return first;
}

/* A new entry for (dev, ino), in the table (lock held); NULL: no memory. */
static struct link_ent *add(struct ucp_links *l, dev_t dev, ino_t ino)
{
	struct link_ent *e = calloc(1, sizeof(*e));

	if (!e)
		return NULL;
	e->dev = dev;
	e->ino = ino;
	if (++l->count > l->nbuckets)
		grow(l);
	e->next = l->buckets[hash(dev, ino, l->nbuckets)];
	l->buckets[hash(dev, ino, l->nbuckets)] = e;
	return e;
}

/* ucp_links_claim with the lock held, e found for (dev, ino) or NULL. */
static int claim(struct ucp_links *l, struct link_ent *e, dev_t dev, ino_t ino,
		 char *dst_path, size_t root_len, char *label, void *waiter,
		 const char **first)
{
	int ret;

	if (!e) {
		e = add(l, dev, ino);
		if (!e) {
			free(dst_path);
			free(label);
			return -ENOMEM;
		}
		e->first = dst_path;
		e->root = root_len;
		e->label = label;
		e->owned = true;
		ret = UCP_LINK_FIRST;
	} else if (e->seeking) {
		/* The name in place the group waited for: its copy is it. */
		e->seeking = false;
		l->nseeking--;
		l->nwaiting -= e->nqueued;
		e->first = dst_path;
		e->root = root_len;
		free(e->label);
		e->label = label;
		e->owned = true;
		ret = UCP_LINK_FIRST;
	} else if (e->done) {
		*first = e->first;
		free(dst_path);
		free(label);
		ret = UCP_LINK_READY;
	} else if (!e->owned) {
		/* The last copy failed: this name copies the data anew. */
		e->first = dst_path;
		e->root = root_len;
		if (e->label)
			free(label);
		else
			e->label = label;
		e->owned = true;
		ret = UCP_LINK_FIRST;
	} else {
		free(dst_path);
		free(label);
		ret = enqueue(e, waiter);
		if (ret == 0)
			ret = UCP_LINK_QUEUED;
	}
	return ret;
}

int ucp_links_claim(struct ucp_links *l, dev_t dev, ino_t ino, char *dst_path,
		    size_t root_len, char *label, void *waiter,
		    const char **first)
{
	int ret;

	pthread_mutex_lock(&l->lock);
	ret = claim(l, find(l, dev, ino), dev, ino, dst_path, root_len, label,
		    waiter, first);
	pthread_mutex_unlock(&l->lock);
	return ret;
}

int ucp_links_seek(struct ucp_links *l, dev_t dev, ino_t ino, char *dst_path,
		   size_t root_len, char *label, void *waiter,
		   const char **first, size_t limit)
{
	struct link_ent *e;
	int ret;

	pthread_mutex_lock(&l->lock);
	e = find(l, dev, ino);
	/*
	 * Each waiting name holds its directory: past limit names, one more
	 * claims its group (a seeking one stops seeking: its names link to
	 * the copy this name makes).
	 */
	if (l->nwaiting < limit &&
	    ((e && e->seeking) || (!e && !l->unsought))) {
		if (!e && (e = add(l, dev, ino)) != NULL) {
			e->seeking = true;
			l->nseeking++;
		}
		/* (The first name in place takes the group's label.) */
		free(dst_path);
		free(label);
		ret = e ? enqueue(e, waiter) : -ENOMEM;
		if (ret == 0) {
			l->nwaiting++;
			ret = UCP_LINK_QUEUED;
		}
	} else {
		ret = claim(l, e, dev, ino, dst_path, root_len, label, waiter,
			    first);
	}
	pthread_mutex_unlock(&l->lock);
	return ret;
}

void **ucp_links_unseek(struct ucp_links *l)
{
	void **all = NULL;
	size_t n = 0, i, j;

	pthread_mutex_lock(&l->lock);
	l->unsought = true;
	for (i = 0; l->nseeking && i < l->nbuckets; i++) {
		struct link_ent *e;

		for (e = l->buckets[i]; e; e = e->next) {
			void **a;

			if (!e->seeking)
				continue;
			/* (Out of memory: left waiting, as ucp_links_free.) */
			a = realloc(all, (n + e->nqueued + 1) * sizeof(*a));
			if (!a)
				continue;
			all = a;
			for (j = 0; j < e->nqueued; j++)
				all[n++] = e->queued[j];
			all[n] = NULL;
			free(e->queued);
			e->queued = NULL;
			e->nqueued = e->cap = 0;
			e->seeking = false;
			l->nseeking--;
		}
	}
	l->nwaiting = 0;
	pthread_mutex_unlock(&l->lock);
	return all;
}

#ifdef UCP_TEST_HOOKS
size_t ucp_links_waiting(struct ucp_links *l, dev_t dev, ino_t ino)
{
	struct link_ent *e;
	size_t n;

	pthread_mutex_lock(&l->lock);
	e = find(l, dev, ino);
	n = e ? e->nqueued : 0;
	pthread_mutex_unlock(&l->lock);
	return n;
}
#endif

void **ucp_links_finish(struct ucp_links *l, dev_t dev, ino_t ino, bool ok,
			const char **first)
{
	struct link_ent *e;
	void **q = NULL;

	pthread_mutex_lock(&l->lock);
	*first = NULL;
	e = find(l, dev, ino);
	if (!e)
		goto out;
	/* (Finished already, a second word changes nothing.) */
	if (ok || e->done) {
		e->done = true;
		*first = e->first;
	} else {
		forget(l, e);
	}
	if (e->nqueued) {
		q = e->queued;
		q[e->nqueued] = NULL;
	}
	e->queued = NULL;
	e->nqueued = e->cap = 0;
out:
	pthread_mutex_unlock(&l->lock);
	return q;
}

size_t ucp_links_root_len(struct ucp_links *l, dev_t dev, ino_t ino)
{
	struct link_ent *e;
	size_t n;

	pthread_mutex_lock(&l->lock);
	e = find(l, dev, ino);
	n = e ? e->root : 0;
	pthread_mutex_unlock(&l->lock);
	return n;
}

const char *ucp_links_label(struct ucp_links *l, dev_t dev, ino_t ino)
{
	struct link_ent *e;
	const char *label;

	pthread_mutex_lock(&l->lock);
	e = find(l, dev, ino);
	label = e ? e->label : NULL;
	pthread_mutex_unlock(&l->lock);
	return label;
}
