/* SPDX-License-Identifier: MIT */
/*
 * paxprobe.c: one pax member written to memory and one read from it, to
 * learn how the loaded libarchive prints and reads a time before 1970
 * (see paxprobe.h).
 */
#include "paxprobe.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "archive_dl.h"
#include "banned.h"
#include "util.h"

#define BLOCK ((size_t)512)
#define ARCHIVE_SIZE (5 * BLOCK)

/* -1.75 s: (-2, 0.25 s) as a timespec. */
#define PROBE_SEC (-2)
#define PROBE_NSEC 250000000L

static pthread_once_t once = PTHREAD_ONCE_INIT;
static struct ucp_paxprobe probe;

/* Whether the pax header in buf printed -1.75 s as seconds and
 * nanoseconds side by side. */
static bool wrote_apart(const char *buf, size_t n)
{
	static const char apart[] = "mtime=-2.25\n";

	return memmem(buf, n, apart, sizeof(apart) - 1) != NULL;
}

/* Whether "-1.75" was read back as (-1, 0.75 s). */
static bool read_apart(int64_t sec, long nsec)
{
	return sec == -1 && nsec == 1000000000L - PROBE_NSEC;
}

static void ustar_header(unsigned char *h, const char *name, char type,
			 size_t size)
{
	unsigned int sum = 0;

	memset(h, 0, BLOCK);
	memcpy(h, name, strlen(name) + 1); /* (under 100 bytes) */
	memcpy(h + 100, "0000644", 8);
	memcpy(h + 108, "0000000", 8);
	memcpy(h + 116, "0000000", 8);
	(void)snprintf((char *)h + 124, 12, "%011zo", size);
	memcpy(h + 136, "00000000000", 12);
	memset(h + 148, ' ', 8);
	h[156] = (unsigned char)type;
	memcpy(h + 257, "ustar", 6);
	h[263] = (unsigned char)'0'; /* version "00", no NUL */
	h[264] = (unsigned char)'0';
	for (size_t i = 0; i < BLOCK; i++)
		sum += h[i];
	(void)snprintf((char *)h + 148, 7, "%06o", sum);
	h[155] = ' ';
}

/*
 * A pax archive of one empty member whose extended header says
 * mtime=-1.75, as GNU tar writes it, in buf (ARCHIVE_SIZE bytes).
 */
static void probe_archive(unsigned char *buf)
{
	static const char rec[] = "15 mtime=-1.75\n";

	memset(buf, 0, ARCHIVE_SIZE);
	ustar_header(buf, "PaxHeaders/p", 'x', sizeof(rec) - 1);
	memcpy(buf + BLOCK, rec, sizeof(rec)); /* (the rest is zeros) */
	ustar_header(buf + 2 * BLOCK, "p", '0', 0);
}

static bool probe_out(void)
{
	static char buf[16 * BLOCK];
	struct archive *a = archive_write_new();
	struct archive_entry *e = archive_entry_new();
	struct stat st = { .st_mode = S_IFREG | 0644 };
	size_t used = 0;
	bool apart = false;

	st.st_mtim.tv_sec = PROBE_SEC;
	st.st_mtim.tv_nsec = PROBE_NSEC;
	if (a && e && archive_write_set_format_pax(a) == ARCHIVE_OK &&
	    archive_write_set_bytes_per_block(a, BLOCK) == ARCHIVE_OK &&
	    archive_write_open_memory(a, buf, sizeof(buf), &used) ==
		    ARCHIVE_OK) {
		archive_entry_copy_pathname(e, "p");
		archive_entry_copy_stat(e, &st);
		if (archive_write_header(a, e) == ARCHIVE_OK &&
		    archive_write_close(a) == ARCHIVE_OK)
			apart = wrote_apart(buf, used);
	}
	if (e)
		archive_entry_free(e);
	if (a)
		archive_write_free(a);
	return apart;
}

static bool probe_in(void)
{
	static unsigned char buf[ARCHIVE_SIZE];
	struct archive *a = archive_read_new();
	struct archive_entry *e;
	bool apart = false;

	probe_archive(buf);
	if (a && archive_read_support_format_all(a) == ARCHIVE_OK &&
	    archive_read_open_memory(a, buf, sizeof(buf)) == ARCHIVE_OK &&
	    archive_read_next_header(a, &e) == ARCHIVE_OK)
		apart = read_apart(archive_entry_mtime(e),
				   archive_entry_mtime_nsec(e));
	if (a)
		archive_read_free(a);
	return apart;
}

static void run(void)
{
	probe.out = probe_out();
	probe.in = probe_in();
}

const struct ucp_paxprobe *ucp_paxprobe(void)
{
	(void)pthread_once(&once, run);
	return &probe;
}
