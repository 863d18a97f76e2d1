/* SPDX-License-Identifier: MIT */
/*
 * fault.c: the rules of UCP_FAULT and the per-operation call counters
 * (debug builds only; see fault.h).
 */
#include "fault.h"

#ifdef UCP_TEST_HOOKS

#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"
#include "util.h"

#define MAX_RULES 16

struct rule {
	enum ucp_fault_op op;
	unsigned long nth;
	bool onward; /* "nth+": also every later call */
	int what;    /* an errno, or UCP_FAULT_SHORT */
};

static struct rule rules[MAX_RULES];
static atomic_uint nrules;
static atomic_ulong calls[UCP_FAULT_NOPS];

static const char *const op_names[UCP_FAULT_NOPS] = {
	[UCP_FAULT_OPEN] = "open",	 [UCP_FAULT_CREATE] = "create",
	[UCP_FAULT_READ] = "read",	 [UCP_FAULT_WRITE] = "write",
	[UCP_FAULT_CFR] = "cfr",	 [UCP_FAULT_CLOSE] = "close",
	[UCP_FAULT_STAT] = "stat",	 [UCP_FAULT_RENAME] = "rename",
	[UCP_FAULT_META] = "meta",	 [UCP_FAULT_XATTR] = "xattr",
	[UCP_FAULT_MKDIR] = "mkdir",	 [UCP_FAULT_LINK] = "link",
	[UCP_FAULT_SYMLINK] = "symlink", [UCP_FAULT_FSYNC] = "fsync",
	[UCP_FAULT_RING] = "ring",	 [UCP_FAULT_SQPOLL] = "sqpoll",
	[UCP_FAULT_CACHED] = "cached",	 [UCP_FAULT_ENTER] = "enter",
	[UCP_FAULT_CHANGED] = "changed", [UCP_FAULT_REPLACED] = "replaced",
};

static const struct {
	const char *name;
	int err;
} errnos[] = {
	{ "EACCES", EACCES },	{ "EAGAIN", EAGAIN },
	{ "EBADF", EBADF },	{ "ECANCELED", ECANCELED },
	{ "EDQUOT", EDQUOT },	{ "EEXIST", EEXIST },
	{ "EFBIG", EFBIG },	{ "EINTR", EINTR },
	{ "EIO", EIO },		{ "EMFILE", EMFILE },
	{ "ENFILE", ENFILE },	{ "ENOENT", ENOENT },
	{ "EMLINK", EMLINK },	{ "ENOMEM", ENOMEM },
	{ "ENOSPC", ENOSPC },	{ "EPERM", EPERM },
	{ "ENOTSUP", ENOTSUP }, { "EROFS", EROFS },
	{ "EXDEV", EXDEV },
};

static int parse_op(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < UCP_FAULT_NOPS; i++)
		if (strlen(op_names[i]) == len && !memcmp(op_names[i], s, len))
			return (int)i;
	return -1;
}

static int parse_what(const char *s, size_t len)
{
	size_t i;

	if (len == 5 && !memcmp(s, "short", 5))
		return UCP_FAULT_SHORT;
	for (i = 0; i < ARRAY_SIZE(errnos); i++)
		if (strlen(errnos[i].name) == len &&
		    !memcmp(errnos[i].name, s, len))
			return errnos[i].err;
	return 0;
}

/* One rule from s up to end ("op:nth[+]:what"); 0 or -EINVAL. */
static int parse_rule(const char *s, const char *end, struct rule *r)
{
	const char *c1 = memchr(s, ':', (size_t)(end - s)), *c2;
	char *num_end;
	int op;

	if (!c1)
		return -EINVAL;
	c2 = memchr(c1 + 1, ':', (size_t)(end - c1 - 1));
	if (!c2)
		return -EINVAL;
	op = parse_op(s, (size_t)(c1 - s));
	if (op < 0 || c1[1] < '1' || c1[1] > '9')
		return -EINVAL;
	r->op = (enum ucp_fault_op)op;
	r->nth = strtoul(c1 + 1, &num_end, 10);
	r->onward = *num_end == '+';
	if (r->onward)
		num_end++;
	if (num_end != c2)
		return -EINVAL;
	r->what = parse_what(c2 + 1, (size_t)(end - c2 - 1));
	return r->what ? 0 : -EINVAL;
}

int ucp_fault_set(const char *spec)
{
	struct rule parsed[MAX_RULES];
	unsigned n = 0, i;

	while (spec && *spec) {
		const char *end = strchr(spec, ',');

		if (!end)
			end = spec + strlen(spec);
		if (n == MAX_RULES || parse_rule(spec, end, &parsed[n]) < 0)
			return -EINVAL;
		n++;
		spec = *end ? end + 1 : end;
	}
	for (i = 0; i < n; i++)
		rules[i] = parsed[i];
	for (i = 0; i < UCP_FAULT_NOPS; i++)
		atomic_store(&calls[i], 0);
	atomic_store(&nrules, n);
	return 0;
}

static char stop_point[32];
static atomic_bool stop_armed;

void ucp_test_stop_at(const char *point)
{
	atomic_store(&stop_armed, false);
	if (!point || !*point || strlen(point) >= sizeof(stop_point))
		return;
	(void)memcpy(stop_point, point, strlen(point) + 1);
	atomic_store(&stop_armed, true);
}

void ucp_test_point(const char *point)
{
	if (atomic_load_explicit(&stop_armed, memory_order_acquire) &&
	    strcmp(point, stop_point) == 0 &&
	    atomic_exchange(&stop_armed, false))
		(void)raise(SIGSTOP);
}

int ucp_fault(enum ucp_fault_op op)
{
	unsigned n = atomic_load_explicit(&nrules, memory_order_relaxed), i;
	unsigned long call;

	if (n == 0)
		return 0;
	call = atomic_fetch_add(&calls[op], 1) + 1;
	for (i = 0; i < n; i++)
		if (rules[i].op == op &&
		    (call == rules[i].nth ||
		     (rules[i].onward && call > rules[i].nth)))
			return rules[i].what;
	return 0;
}

#endif
