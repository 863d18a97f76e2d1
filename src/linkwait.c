/* SPDX-License-Identifier: MIT */
/* linkwait.c: names waiting for their file's data (linkwait.h). */
#include "linkwait.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

ssize_t ucp_linkwait_find(const struct ucp_linkwait *w, const char *key)
{
	size_t i = w->n;

	while (i-- > 0)
		if (strcmp(w->g[i].key, key) == 0)
			return (ssize_t)i;
	return -1;
}

static int group_push(struct ucp_linkwait_group *grp, void *item)
{
	if (grp->n == grp->cap) {
		size_t cap = grp->cap ? grp->cap * 2 : 2;
		void **p = realloc(grp->item, cap * sizeof(*p));

		if (!p)
			return -ENOMEM;
		grp->item = p;
		grp->cap = cap;
	}
	grp->item[grp->n++] = item;
	return 0;
}

static int group_new(struct ucp_linkwait *w, const char *key, void *item)
{
	struct ucp_linkwait_group grp = { .key = strdup(key) };

	if (!grp.key || group_push(&grp, item) < 0) {
		free(grp.key);
		free(grp.item);
		return -ENOMEM;
	}
	if (w->n == w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 4;
		struct ucp_linkwait_group *p = realloc(w->g, cap * sizeof(*p));

		if (!p) {
			free(grp.key);
			free(grp.item);
			return -ENOMEM;
		}
		w->g = p;
		w->cap = cap;
	}
	w->g[w->n++] = grp;
	return 0;
}

int ucp_linkwait_add(struct ucp_linkwait *w, ssize_t g, const char *key,
		     void *item)
{
	if (g < 0)
		return group_new(w, key, item);
	return group_push(&w->g[g], item);
}

void ucp_linkwait_take(struct ucp_linkwait *w, size_t g,
		       struct ucp_linkwait_group *out)
{
	*out = w->g[g];
	memmove(&w->g[g], &w->g[g + 1], (w->n - g - 1) * sizeof(*w->g));
	w->n--;
}

void ucp_linkwait_group_release(const struct ucp_linkwait *w,
				struct ucp_linkwait_group *grp)
{
	size_t i;

	for (i = 0; i < grp->n; i++)
		if (w->release)
			w->release(grp->item[i]);
	free(grp->item);
	free(grp->key);
	memset(grp, 0, sizeof(*grp));
}

void ucp_linkwait_release(struct ucp_linkwait *w)
{
	size_t i;

	for (i = 0; i < w->n; i++)
		ucp_linkwait_group_release(w, &w->g[i]);
	free(w->g);
	w->g = NULL;
	w->n = w->cap = 0;
}
