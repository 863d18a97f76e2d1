/* SPDX-License-Identifier: MIT */
/* replace.c: temporary names and their commit (see replace.h). */
#include "replace.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "banned.h"
#include "fault.h"

#define PREFIX ".ucp-"
#define SUFFIX ".tmp"
#define HEX 16 /* 8 digits of the pid, 8 of the sequence */

/* The process's key for tmp_seq, drawn once (never 0). */
static uint64_t tmp_key(void)
{
	static _Atomic uint64_t key;
	uint64_t k = atomic_load_explicit(&key, memory_order_relaxed), none = 0;
	struct timespec ts;

	if (k)
		return k;
	if (getrandom(&k, sizeof(k), GRND_NONBLOCK) != (ssize_t)sizeof(k)) {
		(void)clock_gettime(CLOCK_MONOTONIC, &ts);
		k = (uint64_t)ts.tv_nsec * 0x9e3779b97f4a7c15ull ^
		    (uint64_t)ts.tv_sec ^ (uint64_t)getpid() << 32;
	}
	k |= 1;
	/* (Two threads may draw at once: the first stored wins.) */
	if (!atomic_compare_exchange_strong(&key, &none, k))
		k = none;
	return k;
}

/*
 * The sequence number as a name shows it: a keyed bijection of 32 bits,
 * so that names stay unique in a run, and no one who sees the last
 * temporary's name can tell the next one's and make it first (which
 * would fail that copy: the temporary is made with O_EXCL).
 */
static uint32_t tmp_seq(uint32_t x)
{
	uint64_t k = tmp_key();

	x ^= (uint32_t)k;
	x *= 0x9e3779b1u;
	x ^= x >> 16;
	x += (uint32_t)(k >> 32);
	x *= 0x85ebca6bu;
	x ^= x >> 13;
	return x;
}

/* The inverse of odd a modulo 2^32 (Newton's iteration). */
static uint32_t odd_inverse(uint32_t a)
{
	uint32_t x = a;
	int i;

	for (i = 0; i < 5; i++)
		x *= 2 - a * x;
	return x;
}

/* tmp_seq's inverse: the sequence number a name of this process shows. */
static uint32_t tmp_unseq(uint32_t y)
{
	uint64_t k = tmp_key();
	uint32_t x = y ^ y >> 13 ^ y >> 26;

	x *= odd_inverse(0x85ebca6bu);
	x -= (uint32_t)(k >> 32);
	x ^= x >> 16;
	x *= odd_inverse(0x9e3779b1u);
	return x ^ (uint32_t)k;
}

/* Past the highest sequence number this process named (for itself). */
static _Atomic uint32_t named;

void ucp_tmp_name(char name[UCP_TMP_NAME_MAX], pid_t pid, unsigned seq)
{
	uint32_t was = atomic_load_explicit(&named, memory_order_relaxed);
	uint32_t next = seq == UINT32_MAX ? UINT32_MAX : seq + 1;

	/* (pid is this process's: tests name others' too, harmlessly.) */
	while (next > was && !atomic_compare_exchange_weak(&named, &was, next))
		;
	(void)snprintf(name, UCP_TMP_NAME_MAX, PREFIX "%08x%08x" SUFFIX,
		       (unsigned)pid, (unsigned)tmp_seq(seq));
}

/* Read /proc/PID/comm (pid 0: this process) into buf; false if unknown. */
static bool comm_of(pid_t pid, char *buf, size_t n)
{
	char path[40];
	ssize_t got;
	int fd;

	if (pid)
		(void)snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
	else
		(void)snprintf(path, sizeof(path), "/proc/self/comm");
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	got = read(fd, buf, n - 1);
	(void)close(fd);
	if (got <= 0)
		return false;
	buf[got] = '\0';
	return true;
}

/*
 * Whether process pid runs this program's file (started under another
 * name: a link such as "mirror" to ucp). Only where we may look at its
 * executable (our own user's, or as root).
 */
static bool same_executable(pid_t pid)
{
	char path[40];
	struct stat a, b;

	(void)snprintf(path, sizeof(path), "/proc/%d/exe", (int)pid);
	return stat("/proc/self/exe", &a) == 0 && stat(path, &b) == 0 &&
	       a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

/*
 * Whether process pid runs and is this program (a pid reused by another
 * program, or a kernel thread, does not count): by its command name, or
 * by its executable. Without /proc, whether it runs.
 */
static bool same_program(pid_t pid)
{
	char a[32], b[32];

	if (kill(pid, 0) < 0 && errno == ESRCH)
		return false;
	if (!comm_of(0, a, sizeof(a)))
		return true;
	return (comm_of(pid, b, sizeof(b)) && strcmp(a, b) == 0) ||
	       same_executable(pid);
}

enum ucp_tmp_kind ucp_tmp_kind(const char *name, pid_t pid)
{
	const size_t pre = sizeof(PREFIX) - 1;
	char mine[UCP_TMP_NAME_MAX], hex[9] = { 0 };
	pid_t other;
	size_t i;

	if (strlen(name) != pre + HEX + sizeof(SUFFIX) - 1 ||
	    strncmp(name, PREFIX, pre) != 0 ||
	    strcmp(name + pre + HEX, SUFFIX) != 0)
		return UCP_TMP_NOT;
	for (i = pre; i < pre + HEX; i++)
		if (!strchr("0123456789abcdef", name[i]))
			return UCP_TMP_NOT;
	(void)snprintf(mine, sizeof(mine), "%08x", (unsigned)pid);
	/*
	 * This process's pid: its own name where the sequence is one it
	 * named (its key inverts it); else a dead run's of the same pid, as
	 * each run in a new PID namespace has (a container's).
	 */
	if (strncmp(name + pre, mine, 8) == 0) {
		memcpy(hex, name + pre + 8, 8);
		return tmp_unseq((uint32_t)strtoul(hex, NULL, 16)) <
				       atomic_load(&named)
			       ? UCP_TMP_OWN
			       : UCP_TMP_STRAY;
	}
	memcpy(hex, name + pre, 8);
	other = (pid_t)strtoul(hex, NULL, 16);
	return other > 0 && same_program(other) ? UCP_TMP_LIVE : UCP_TMP_STRAY;
}

int ucp_tmp_commit(int dirfd, const char *tmp, const char *final)
{
	int err;

	if (ucp_fault_fail(UCP_FAULT_RENAME) == 0 &&
	    renameat(dirfd, tmp, dirfd, final) == 0)
		return 0;
	err = errno;
	(void)unlinkat(dirfd, tmp, 0);
	return -err;
}

int ucp_tmp_commit_new(int dirfd, const char *tmp, const char *final)
{
	struct stat st;

	if (ucp_fault_fail(UCP_FAULT_RENAME) < 0)
		return -errno;
	if (renameat2(dirfd, tmp, dirfd, final, RENAME_NOREPLACE) == 0)
		return 0;
	if (errno != EINVAL)
		return -errno;
	/* No RENAME_NOREPLACE here: rename would take an empty directory. */
	if (fstatat(dirfd, final, &st, AT_SYMLINK_NOFOLLOW) == 0)
		return -EEXIST;
	return renameat(dirfd, tmp, dirfd, final) == 0 ? 0 : -errno;
}

void ucp_tmp_abort(int dirfd, const char *tmp)
{
	(void)unlinkat(dirfd, tmp, 0);
}
