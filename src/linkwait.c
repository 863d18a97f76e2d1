/* SPDX-License-Identifier: MIT */
/* linkwait.c: names waiting for their file's data (linkwait.h). */
#include "linkwait.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

ssize_t ucp_linkwait_find(const struct ucp_linkwait *w, uint64_t dev,
			  uint64_t ino)
{
	size_t i = w->n;

	while (i-- > 0)
		if (w->g[i].ino == ino && w->g[i].dev == dev)
			return (ssize_t)i;
	return -1;
}

ssize_t ucp_linkwait_holding(const struct ucp_linkwait *w, const char *name)
{
	size_t i = w->n, k;

	while (i-- > 0)
		for (k = 0; k < w->g[i].n; k++)
			if (strcmp(w->g[i].name[k], name) == 0)
				return (ssize_t)i;
	return -1;
}

static int group_push(struct ucp_linkwait_group *grp, const char *name,
		      void *item)
{
	char *copy = strdup(name);

	if (!copy)
		return -ENOMEM;
	if (grp->n == grp->cap) {
		size_t cap = grp->cap ? grp->cap * 2 : 2;
		void **p = realloc(grp->item, cap * sizeof(*p));
		char **q = p ? realloc(grp->name, cap * sizeof(*q)) : NULL;

		if (p)
			grp->item = p;
		if (!q) {
			free(copy);
			return -ENOMEM;
		}
		grp->name = q;
		grp->cap = cap;
	}
	grp->name[grp->n] = copy;
	grp->item[grp->n++] = item;
	return 0;
}

static int group_new(struct ucp_linkwait *w, uint64_t dev, uint64_t ino,
		     const char *name, void *item)
{
	struct ucp_linkwait_group grp = { .dev = dev, .ino = ino };

	if (w->n == w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 4;
		struct ucp_linkwait_group *p = realloc(w->g, cap * sizeof(*p));

		if (p) {
			w->g = p;
			w->cap = cap;
		}
	}
	if (w->n == w->cap || group_push(&grp, name, item) < 0) {
		free(grp.item);
		free(grp.name);
		return -ENOMEM;
	}
	w->g[w->n++] = grp;
	return 0;
}

int ucp_linkwait_add(struct ucp_linkwait *w, ssize_t g, uint64_t dev,
		     uint64_t ino, const char *name, void *item)
{
	int ret = g < 0 ? group_new(w, dev, ino, name, item)
			: group_push(&w->g[g], name, item);

	if (ret == 0)
		w->names++;
	return ret;
}

void ucp_linkwait_take(struct ucp_linkwait *w, size_t g,
		       struct ucp_linkwait_group *out)
{
	*out = w->g[g];
	memmove(&w->g[g], &w->g[g + 1], (w->n - g - 1) * sizeof(*w->g));
	w->n--;
	w->names -= out->n;
}

void ucp_linkwait_group_release(const struct ucp_linkwait *w,
				struct ucp_linkwait_group *grp)
{
	size_t i;

	for (i = 0; i < grp->n; i++) {
		if (w->release)
			w->release(grp->item[i]);
		free(grp->name[i]);
	}
	free(grp->item);
	free(grp->name);
	memset(grp, 0, sizeof(*grp));
}

void ucp_linkwait_release(struct ucp_linkwait *w)
{
	size_t i;

	for (i = 0; i < w->n; i++)
		ucp_linkwait_group_release(w, &w->g[i]);
	free(w->g);
	w->g = NULL;
	w->n = w->cap = w->names = 0;
}
