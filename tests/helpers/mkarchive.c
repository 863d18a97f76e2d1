/* SPDX-License-Identifier: MIT */
/*
 * mkarchive: write a pax archive with exactly the member names, types and
 * link targets given, however hostile, for the extraction tests.
 *
 *   mkarchive OUT TYPE NAME [ARG] ...
 *     f NAME DATA    regular file holding DATA
 *     d NAME         directory
 *     l NAME TARGET  symbolic link
 *     h NAME TARGET  hard link to TARGET
 *     c NAME         character device 1,3 (null)
 *     u NAME ID      empty regular file whose owner and group numbers are
 *                    ID (any 64-bit number: a pax header carries it)
 *     t NAME SECS    empty regular file modified at SECS (any 64-bit
 *                    number of seconds: a pax header carries it)
 */
#include <archive.h>
#include <archive_entry.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int add(struct archive *a, char type, const char *name, const char *arg)
{
	struct archive_entry *e = archive_entry_new();
	size_t len = arg && type == 'f' ? strlen(arg) : 0;
	int r;

	archive_entry_set_pathname(e, name);
	archive_entry_set_mtime(e, 1000000000, 0);
	switch (type) {
	case 'f':
		archive_entry_set_filetype(e, AE_IFREG);
		archive_entry_set_perm(e, 0644);
		archive_entry_set_size(e, (la_int64_t)len);
		break;
	case 'd':
		archive_entry_set_filetype(e, AE_IFDIR);
		archive_entry_set_perm(e, 0755);
		break;
	case 'l':
		archive_entry_set_filetype(e, AE_IFLNK);
		archive_entry_set_perm(e, 0777);
		archive_entry_set_symlink(e, arg);
		break;
	case 'h':
		archive_entry_set_filetype(e, AE_IFREG);
		archive_entry_set_perm(e, 0644);
		archive_entry_set_hardlink(e, arg);
		break;
	case 'u':
		archive_entry_set_filetype(e, AE_IFREG);
		archive_entry_set_perm(e, 0644);
		archive_entry_set_size(e, 0);
		archive_entry_set_uid(e, strtoll(arg, NULL, 10));
		archive_entry_set_gid(e, strtoll(arg, NULL, 10));
		break;
	case 't':
		archive_entry_set_filetype(e, AE_IFREG);
		archive_entry_set_perm(e, 0644);
		archive_entry_set_size(e, 0);
		archive_entry_set_mtime(e, strtoll(arg, NULL, 10), 0);
		break;
	case 'c':
		archive_entry_set_filetype(e, AE_IFCHR);
		archive_entry_set_perm(e, 0666);
		archive_entry_set_rdevmajor(e, 1);
		archive_entry_set_rdevminor(e, 3);
		break;
	default:
		archive_entry_free(e);
		return -1;
	}
	r = archive_write_header(a, e);
	if (r == ARCHIVE_OK && len)
		r = archive_write_data(a, arg, len) == (la_ssize_t)len
			    ? ARCHIVE_OK
			    : ARCHIVE_FATAL;
	archive_entry_free(e);
	return r == ARCHIVE_OK ? 0 : -1;
}

int main(int argc, char **argv)
{
	struct archive *a = archive_write_new();
	int i = 2;

	if (argc < 2) {
		fputs("usage: mkarchive OUT TYPE NAME [ARG]...\n", stderr);
		return 2;
	}
	archive_write_set_format_pax(a);
	if (archive_write_open_filename(a, argv[1]) != ARCHIVE_OK) {
		fprintf(stderr, "mkarchive: %s\n", archive_error_string(a));
		return 1;
	}
	while (i + 1 < argc) {
		char type = argv[i][0];
		bool has_arg = type != 'd' && type != 'c';
		const char *arg = has_arg && i + 2 < argc ? argv[i + 2] : NULL;

		if (has_arg && !arg) {
			fputs("mkarchive: missing argument\n", stderr);
			return 2;
		}
		if (add(a, type, argv[i + 1], arg) < 0) {
			fprintf(stderr, "mkarchive: %s: %s\n", argv[i + 1],
				archive_error_string(a));
			return 1;
		}
		i += has_arg ? 3 : 2;
	}
	if (archive_write_close(a) != ARCHIVE_OK)
		return 1;
	archive_write_free(a);
	return 0;
}
