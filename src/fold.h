/* SPDX-License-Identifier: MIT */
/*
 * fold.h: names that differ in case only ('File' and 'file'), and the
 * directories that take them for one (FAT, exFAT, NTFS and SMB shares, a
 * casefolded ext4 or f2fs directory): where both are copied into one of
 * those, the later would overwrite the earlier's copy, or merge into it.
 *
 * Layer: a leaf (u64set.h for the hash).
 */
#ifndef UCP_FOLD_H
#define UCP_FOLD_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>

/*
 * name with its letters in lower case (upper with upper), in out: those
 * beyond ASCII too, where the C.UTF-8 locale is installed; bytes that are
 * no UTF-8 stay as they are.
 */
void ucp_fold_case(const char *name, bool upper, char out[NAME_MAX + 1]);

/* The hash (u64set.h) of name in lower case: one for all its spellings. */
uint64_t ucp_fold_hash(const char *name);
/* ... with its ASCII letters only in lower case (the others as they are). */
uint64_t ucp_fold_hash_ascii(const char *name);

/*
 * Whether a and b, the stats of two spellings of a name in directory
 * dirfd, are one entry (on FUSE, where a name may be numbered anew each
 * time it is asked for, one alike to the nanosecond).
 */
bool ucp_fold_one_entry(int dirfd, const struct stat *a, const struct stat *b);

/*
 * Whether the file system of directory fd may fold case: one statfs, and
 * for ext4 and f2fs, whose directories fold only when made so, one ioctl
 * (of fd's directory). Unknown: true (the question is asked again later,
 * of a directory, by ucp_fold_dir).
 */
bool ucp_fold_fs_may(int fd);

/*
 * Whether name reaches one entry of directory dirfd in lower and upper
 * case: 1 yes, -1 two entries, or one of the spellings only, 0 neither is
 * there.
 */
int ucp_fold_spellings(int dirfd, const char *name);

/*
 * Whether directory dirfd does not tell case apart, asked for name, one
 * that differs from another in case only: the answer of a file made under
 * the name tmp (a temporary's, in ASCII) and looked for in upper case: 1
 * found, -1 not. Where none can be made (tmp NULL: a dry run), 1 when both
 * of name's spellings reach one entry there, else 0: not known. (Two
 * entries for name's spellings say nothing of the directory: a file system
 * may fold letters beyond ASCII otherwise than the C.UTF-8 locale does.)
 */
int ucp_fold_dir(int dirfd, const char *name, const char *tmp);

#endif
