/* SPDX-License-Identifier: MIT */
/*
 * fold.c: names that differ in case only, and the directories that do not
 * tell them apart (see fold.h).
 */
#include "fold.h"

#include <fcntl.h>
#include <linux/fs.h>
#include <locale.h>
#include <pthread.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>
#include <wctype.h>

#include "banned.h"
#include "u64set.h"

/* The C.UTF-8 locale, for the case of letters beyond ASCII (or none). */
static locale_t utf8_locale;
static pthread_once_t utf8_once = PTHREAD_ONCE_INIT;

static void load_utf8_locale(void)
{
	utf8_locale = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
}

/* The code point of the UTF-8 sequence at p (*len its bytes), or -1. */
static long utf8_at(const unsigned char *p, size_t *len)
{
	long cp;
	size_t n, i;

	if (p[0] < 0x80) {
		*len = 1;
		return p[0];
	}
	n = p[0] >= 0xf0 ? 4 : p[0] >= 0xe0 ? 3 : p[0] >= 0xc2 ? 2 : 0;
	if (!n || p[0] > 0xf4)
		return -1;
	cp = p[0] & (0x7f >> n);
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return -1;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return -1;
	*len = n;
	return cp;
}

/* ASCII letter cp in upper (or lower) case; any other cp as it is. */
static long ascii_case(long cp, bool upper)
{
	if (upper && cp >= 'a' && cp <= 'z')
		return cp - 'a' + 'A';
	if (!upper && cp >= 'A' && cp <= 'Z')
		return cp - 'A' + 'a';
	return cp;
}

/* cp as UTF-8 into out (room for 4 bytes); its length. */
static size_t utf8_put(long cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | cp >> 12);
		out[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | cp >> 18);
	out[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	out[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/*
 * name with its letters in lower case (upper with upper), in out: those
 * beyond ASCII too, as UTF-8, where the C.UTF-8 locale is installed (as
 * exFAT, SMB and a casefolded ext4 fold them, near enough); bytes that
 * are no UTF-8 stay as they are. (A name whose other case takes more
 * bytes than NAME_MAX leaves: the rest as it is.)
 */
void ucp_fold_case(const char *name, bool upper, char out[NAME_MAX + 1])
{
	const unsigned char *p = (const unsigned char *)name;
	size_t o = 0, len;
	char enc[4];

	(void)pthread_once(&utf8_once, load_utf8_locale);
	while (*p && o < NAME_MAX) {
		long cp = utf8_at(p, &len);
		size_t k;

		if (cp < 0) {
			out[o++] = (char)*p++;
			continue;
		}
		if (cp < 0x80)
			cp = ascii_case(cp, upper);
		else if (utf8_locale)
			cp = upper ? (long)towupper_l((wint_t)cp, utf8_locale)
				   : (long)towlower_l((wint_t)cp, utf8_locale);
		k = utf8_put(cp, enc);
		if (o + k > NAME_MAX)
			break;
		memcpy(out + o, enc, k);
		o += k;
		p += len;
	}
	out[o] = '\0';
}

uint64_t ucp_fold_hash(const char *name)
{
	char low[NAME_MAX + 1];
	size_t i;

	/* (An ASCII name, most are: lower case here, in one pass.) */
	for (i = 0; name[i] && i < NAME_MAX; i++) {
		if ((unsigned char)name[i] >= 0x80) {
			ucp_fold_case(name, false, low);
			return ucp_u64set_hash(low, strlen(low));
		}
		low[i] = (char)ascii_case(name[i], false);
	}
	return ucp_u64set_hash(low, i);
}

uint64_t ucp_fold_hash_ascii(const char *name)
{
	char low[NAME_MAX + 1];
	size_t i;

	for (i = 0; name[i] && i < NAME_MAX; i++)
		low[i] = (char)ascii_case((unsigned char)name[i], false);
	return ucp_u64set_hash(low, i);
}

/* FUSE's magic number (statfs f_type). */
#define FUSE_SUPER_MAGIC 0x65735546

/*
 * Whether a and b, the stats of two spellings of a name in one directory
 * whose listing holds only one of them, are one entry: one inode; on FUSE,
 * where a file system may number each name it is asked for anew (exFAT's
 * does), the same attributes to the nanosecond. (Two entries alike in all
 * of them would keep an extraneous one, never delete a wanted one. A hard
 * link under the other spelling is one inode too: --delete lists it, so
 * never asks; ucp_fold_dir asks a file of its own first.)
 */
bool ucp_fold_one_entry(int dirfd, const struct stat *a, const struct stat *b)
{
	struct statfs f;

	if (a->st_dev != b->st_dev)
		return false;
	if (a->st_ino == b->st_ino)
		return true;
	return fstatfs(dirfd, &f) == 0 && f.f_type == FUSE_SUPER_MAGIC &&
	       a->st_mode == b->st_mode && a->st_nlink == b->st_nlink &&
	       a->st_uid == b->st_uid && a->st_gid == b->st_gid &&
	       a->st_size == b->st_size &&
	       a->st_mtim.tv_sec == b->st_mtim.tv_sec &&
	       a->st_mtim.tv_nsec == b->st_mtim.tv_nsec &&
	       a->st_ctim.tv_sec == b->st_ctim.tv_sec &&
	       a->st_ctim.tv_nsec == b->st_ctim.tv_nsec;
}

int ucp_fold_spellings(int dirfd, const char *name)
{
	char low[NAME_MAX + 1], up[NAME_MAX + 1];
	struct stat a, b;
	bool has_a, has_b;

	ucp_fold_case(name, false, low);
	ucp_fold_case(name, true, up);
	has_a = fstatat(dirfd, low, &a, AT_SYMLINK_NOFOLLOW) == 0;
	has_b = fstatat(dirfd, up, &b, AT_SYMLINK_NOFOLLOW) == 0;
	if (!has_a && !has_b)
		return 0;
	return has_a && has_b && ucp_fold_one_entry(dirfd, &a, &b) ? 1 : -1;
}

/* File system magic numbers (statfs f_type) of those that may fold case. */
#define MSDOS_MAGIC 0x4d44
#define EXFAT_MAGIC 0x2011bab0
#define NTFS_MAGIC 0x5346544e
#define CIFS_MAGIC 0xff534d42
#define SMB2_MAGIC 0xfe534d42
#define EXT4_MAGIC 0xef53
#define F2FS_MAGIC 0xf2f52010

bool ucp_fold_fs_may(int fd)
{
	struct statfs f;
	unsigned flags = 0;

	if (fstatfs(fd, &f) < 0)
		return true;
	if (f.f_type == EXT4_MAGIC || f.f_type == F2FS_MAGIC)
		return ioctl(fd, FS_IOC_GETFLAGS, &flags) == 0 &&
		       (flags & FS_CASEFOLD_FL);
	return f.f_type == MSDOS_MAGIC || f.f_type == EXFAT_MAGIC ||
	       f.f_type == NTFS_MAGIC || f.f_type == CIFS_MAGIC ||
	       f.f_type == SMB2_MAGIC || f.f_type == FUSE_SUPER_MAGIC;
}

int ucp_fold_dir(int dirfd, const char *name, const char *tmp)
{
	char upper[NAME_MAX + 1];
	struct stat st;
	int fd, folds;

	/*
	 * (Two spellings of name that meet may be hard links of one file in
	 * a directory that tells case apart: asked only where no file can
	 * be made, a dry run's or a read-only copy's.)
	 */
	fd = tmp ? openat(dirfd, tmp,
			  O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW,
			  0600)
		 : -1;
	if (fd < 0)
		return ucp_fold_spellings(dirfd, name) > 0 ? 1 : 0;
	(void)close(fd);
	ucp_fold_case(tmp, true, upper);
	folds = strcmp(upper, tmp) != 0 && fstatat(dirfd, upper, &st,
						   AT_SYMLINK_NOFOLLOW) == 0
			? 1
			: -1;
	(void)unlinkat(dirfd, tmp, 0);
	return folds;
}
