/* SPDX-License-Identifier: MIT */
/*
 * tarlinks.c: the hard-link map of the archive writer (see tarlinks.h).
 * Open addressing with backward-shift deletion, so that forgetting an
 * inode leaves no tombstone behind.
 */
#include "tarlinks.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

struct tarlink {
	dev_t dev;
	ino_t ino;
	nlink_t left;	/* names still to come */
	char *name;	/* the first member's; NULL: an empty slot */
	bool unwritten; /* ... which the archive refused: the next is first */
};

static size_t home(const struct ucp_tarlinks *t, dev_t dev, ino_t ino)
{
	uint64_t h = (uint64_t)ino * 0x9e3779b97f4a7c15ull ^ (uint64_t)dev;

	return (size_t)(h ^ (h >> 31)) & (t->cap - 1);
}

static struct tarlink *find(const struct ucp_tarlinks *t, dev_t dev, ino_t ino)
{
	size_t i;

	if (!t->cap)
		return NULL;
	for (i = home(t, dev, ino); t->slot[i].name; i = (i + 1) & (t->cap - 1))
		if (t->slot[i].dev == dev && t->slot[i].ino == ino)
			return &t->slot[i];
	return NULL;
}

static void put(struct ucp_tarlinks *t, const struct tarlink *l)
{
	size_t i = home(t, l->dev, l->ino);

	while (t->slot[i].name)
		i = (i + 1) & (t->cap - 1);
	t->slot[i] = *l;
}

static int grow(struct ucp_tarlinks *t)
{
	struct ucp_tarlinks bigger = { 0 };
	size_t i;

	bigger.cap = t->cap ? t->cap * 2 : 64;
	bigger.slot = calloc(bigger.cap, sizeof(*bigger.slot));
	if (!bigger.slot)
		return -ENOMEM;
	for (i = 0; i < t->cap; i++)
		if (t->slot[i].name)
			put(&bigger, &t->slot[i]);
	free(t->slot);
	t->slot = bigger.slot;
	t->cap = bigger.cap;
	return 0;
}

/*
 * Empty slot l (its name is the caller's now), moving back the entries
 * after it that belong before it.
 */
static void forget(struct ucp_tarlinks *t, struct tarlink *l)
{
	size_t hole = (size_t)(l - t->slot), i = hole;

	l->name = NULL;
	for (;;) {
		size_t want;

		i = (i + 1) & (t->cap - 1);
		if (!t->slot[i].name)
			break;
		want = home(t, t->slot[i].dev, t->slot[i].ino);
		/* Whether want lies cyclically in (hole, i]: it stays. */
		if (hole < i ? want > hole && want <= i
			     : want > hole || want <= i)
			continue;
		t->slot[hole] = t->slot[i];
		t->slot[i].name = NULL;
		hole = i;
	}
	t->n--;
}

const char *ucp_tarlinks_see(struct ucp_tarlinks *t, dev_t dev, ino_t ino,
			     nlink_t nlink, const char *name, int *err)
{
	struct tarlink *l = find(t, dev, ino), add = { 0 };

	*err = 0;
	free(t->gone);
	t->gone = NULL;
	if (l && l->unwritten && l->left > 1) {
		char *now = strdup(name);

		l->left--;
		if (!now) {
			*err = -ENOMEM;
			return NULL; /* (written whole; the next tries again) */
		}
		free(l->name);
		l->name = now;
		l->unwritten = false;
		return NULL;
	}
	if (l && l->unwritten) { /* its last name: whole, and forgotten */
		t->gone = l->name;
		forget(t, l);
		return NULL;
	}
	if (l) {
		if (--l->left > 0)
			return l->name;
		/* Its last name: forgotten, the first one handed out once. */
		t->gone = l->name;
		forget(t, l);
		return t->gone;
	}
	if (nlink < 2)
		return NULL;
	if ((t->n + 1) * 4 > t->cap * 3 && grow(t) < 0) {
		*err = -ENOMEM;
		return NULL;
	}
	add.dev = dev;
	add.ino = ino;
	add.left = nlink - 1;
	add.name = strdup(name);
	if (!add.name) {
		*err = -ENOMEM;
		return NULL;
	}
	put(t, &add);
	t->n++;
	return NULL;
}

void ucp_tarlinks_unwritten(struct ucp_tarlinks *t, dev_t dev, ino_t ino)
{
	struct tarlink *l = find(t, dev, ino);

	if (l)
		l->unwritten = true;
}

size_t ucp_tarlinks_count(const struct ucp_tarlinks *t)
{
	return t->n;
}

void ucp_tarlinks_release(struct ucp_tarlinks *t)
{
	size_t i;

	for (i = 0; i < t->cap; i++)
		free(t->slot[i].name);
	free(t->slot);
	free(t->gone);
	memset(t, 0, sizeof(*t));
}
