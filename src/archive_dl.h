/* SPDX-License-Identifier: MIT */
/*
 * archive_dl.h: libarchive, loaded when an archive mode first needs it
 * (archive_dl.c). Linking it would load it, with the dozen libraries it
 * pulls in (ICU, libxml2, the C++ runtime, ...), at every start: 5 ms of
 * a 10 ms copy of one file. Only tar.c, untar.c, paxprobe.c and version.c
 * include this header, in place of <archive.h>: each libarchive function they
 * call is listed below and becomes a call through a pointer that
 * ucp_archive_load fills.
 *
 * Layer: a leaf (libarchive and libc only).
 */
#ifndef UCP_ARCHIVE_DL_H
#define UCP_ARCHIVE_DL_H

#include <archive.h>
#include <archive_entry.h>

/* Every libarchive function ucp calls. */
#define UCP_ARCHIVE_FUNCS(X)                        \
	X(archive_entry_acl_add_entry)              \
	X(archive_entry_acl_next)                   \
	X(archive_entry_acl_reset)                  \
	X(archive_entry_atime)                      \
	X(archive_entry_atime_is_set)               \
	X(archive_entry_atime_nsec)                 \
	X(archive_entry_clone)                      \
	X(archive_entry_copy_gname)                 \
	X(archive_entry_copy_hardlink)              \
	X(archive_entry_copy_pathname)              \
	X(archive_entry_copy_stat)                  \
	X(archive_entry_dev)                        \
	X(archive_entry_copy_symlink)               \
	X(archive_entry_copy_uname)                 \
	X(archive_entry_filetype)                   \
	X(archive_entry_free)                       \
	X(archive_entry_gid)                        \
	X(archive_entry_gname)                      \
	X(archive_entry_hardlink)                   \
	X(archive_entry_ino64)                      \
	X(archive_entry_mode)                       \
	X(archive_entry_mtime)                      \
	X(archive_entry_mtime_is_set)               \
	X(archive_entry_mtime_nsec)                 \
	X(archive_entry_new)                        \
	X(archive_entry_nlink)                      \
	X(archive_entry_pathname)                   \
	X(archive_entry_pathname_utf8)              \
	X(archive_entry_perm)                       \
	X(archive_entry_rdev)                       \
	X(archive_entry_rdevmajor)                  \
	X(archive_entry_rdevminor)                  \
	X(archive_entry_set_size)                   \
	X(archive_entry_size)                       \
	X(archive_entry_sparse_add_entry)           \
	X(archive_entry_sparse_clear)               \
	X(archive_entry_sparse_next)                \
	X(archive_entry_sparse_reset)               \
	X(archive_entry_symlink)                    \
	X(archive_entry_uid)                        \
	X(archive_entry_uname)                      \
	X(archive_entry_xattr_add_entry)            \
	X(archive_entry_xattr_next)                 \
	X(archive_entry_xattr_reset)                \
	X(archive_errno)                            \
	X(archive_error_string)                     \
	X(archive_filter_bytes)                     \
	X(archive_filter_count)                     \
	X(archive_format)                           \
	X(archive_read_data_block)                  \
	X(archive_read_free)                        \
	X(archive_read_header_position)             \
	X(archive_read_new)                         \
	X(archive_read_next_header)                 \
	X(archive_read_open1)                       \
	X(archive_read_open_memory)                 \
	X(archive_read_set_callback_data)           \
	X(archive_read_set_format)                  \
	X(archive_read_set_read_callback)           \
	X(archive_read_set_seek_callback)           \
	X(archive_read_set_skip_callback)           \
	X(archive_read_support_filter_all)          \
	X(archive_read_support_format_all)          \
	X(archive_read_support_format_raw)          \
	X(archive_read_support_format_zip_seekable) \
	X(archive_set_error)                        \
	X(archive_version_details)                  \
	X(archive_write_add_filter_bzip2)           \
	X(archive_write_add_filter_gzip)            \
	X(archive_write_add_filter_lz4)             \
	X(archive_write_add_filter_xz)              \
	X(archive_write_add_filter_zstd)            \
	X(archive_write_close)                      \
	X(archive_write_data)                       \
	X(archive_write_disk_gid)                   \
	X(archive_write_disk_new)                   \
	X(archive_write_disk_set_standard_lookup)   \
	X(archive_write_disk_uid)                   \
	X(archive_write_fail)                       \
	X(archive_write_free)                       \
	X(archive_write_header)                     \
	X(archive_write_new)                        \
	X(archive_write_open2)                      \
	X(archive_write_open_memory)                \
	X(archive_write_set_bytes_in_last_block)    \
	X(archive_write_set_bytes_per_block)        \
	X(archive_write_set_filter_option)          \
	X(archive_write_set_format_cpio)            \
	X(archive_write_set_format_gnutar)          \
	X(archive_write_set_format_option)          \
	X(archive_write_set_format_pax)             \
	X(archive_write_set_format_ustar)           \
	X(archive_write_set_format_zip)

#define UCP_ARCHIVE_PTR(name) extern __typeof__(name) *ucp_##name;
UCP_ARCHIVE_FUNCS(UCP_ARCHIVE_PTR)
#undef UCP_ARCHIVE_PTR

/*
 * Load libarchive (once; safe from any thread). 0, or -1 with *why set to
 * the loader's words (a static string).
 */
int ucp_archive_load(const char **why);

/* The library's soname, and the file name it is loaded by: the soname,
 * unless a test says otherwise before the first load. */
extern const char ucp_archive_soname[];
extern const char *ucp_archive_name;

/* From here on, a call of archive_x calls through ucp_archive_x. */
#define archive_entry_acl_add_entry (*ucp_archive_entry_acl_add_entry)
#define archive_entry_acl_next (*ucp_archive_entry_acl_next)
#define archive_entry_acl_reset (*ucp_archive_entry_acl_reset)
#define archive_entry_atime (*ucp_archive_entry_atime)
#define archive_entry_atime_is_set (*ucp_archive_entry_atime_is_set)
#define archive_entry_atime_nsec (*ucp_archive_entry_atime_nsec)
#define archive_entry_clone (*ucp_archive_entry_clone)
#define archive_entry_copy_gname (*ucp_archive_entry_copy_gname)
#define archive_entry_copy_hardlink (*ucp_archive_entry_copy_hardlink)
#define archive_entry_copy_pathname (*ucp_archive_entry_copy_pathname)
#define archive_entry_copy_stat (*ucp_archive_entry_copy_stat)
#define archive_entry_dev (*ucp_archive_entry_dev)
#define archive_entry_copy_symlink (*ucp_archive_entry_copy_symlink)
#define archive_entry_copy_uname (*ucp_archive_entry_copy_uname)
#define archive_entry_filetype (*ucp_archive_entry_filetype)
#define archive_entry_free (*ucp_archive_entry_free)
#define archive_entry_gid (*ucp_archive_entry_gid)
#define archive_entry_gname (*ucp_archive_entry_gname)
#define archive_entry_hardlink (*ucp_archive_entry_hardlink)
#define archive_entry_ino64 (*ucp_archive_entry_ino64)
#define archive_entry_mode (*ucp_archive_entry_mode)
#define archive_entry_mtime (*ucp_archive_entry_mtime)
#define archive_entry_mtime_is_set (*ucp_archive_entry_mtime_is_set)
#define archive_entry_mtime_nsec (*ucp_archive_entry_mtime_nsec)
#define archive_entry_new (*ucp_archive_entry_new)
#define archive_entry_nlink (*ucp_archive_entry_nlink)
#define archive_entry_pathname (*ucp_archive_entry_pathname)
#define archive_entry_pathname_utf8 (*ucp_archive_entry_pathname_utf8)
#define archive_entry_perm (*ucp_archive_entry_perm)
#define archive_entry_rdev (*ucp_archive_entry_rdev)
#define archive_entry_rdevmajor (*ucp_archive_entry_rdevmajor)
#define archive_entry_rdevminor (*ucp_archive_entry_rdevminor)
#define archive_entry_set_size (*ucp_archive_entry_set_size)
#define archive_entry_size (*ucp_archive_entry_size)
#define archive_entry_sparse_add_entry (*ucp_archive_entry_sparse_add_entry)
#define archive_entry_sparse_clear (*ucp_archive_entry_sparse_clear)
#define archive_entry_sparse_next (*ucp_archive_entry_sparse_next)
#define archive_entry_sparse_reset (*ucp_archive_entry_sparse_reset)
#define archive_entry_symlink (*ucp_archive_entry_symlink)
#define archive_entry_uid (*ucp_archive_entry_uid)
#define archive_entry_uname (*ucp_archive_entry_uname)
#define archive_entry_xattr_add_entry (*ucp_archive_entry_xattr_add_entry)
#define archive_entry_xattr_next (*ucp_archive_entry_xattr_next)
#define archive_entry_xattr_reset (*ucp_archive_entry_xattr_reset)
#define archive_errno (*ucp_archive_errno)
#define archive_error_string (*ucp_archive_error_string)
#define archive_filter_bytes (*ucp_archive_filter_bytes)
#define archive_filter_count (*ucp_archive_filter_count)
#define archive_format (*ucp_archive_format)
#define archive_read_data_block (*ucp_archive_read_data_block)
#define archive_read_free (*ucp_archive_read_free)
#define archive_read_header_position (*ucp_archive_read_header_position)
#define archive_read_new (*ucp_archive_read_new)
#define archive_read_next_header (*ucp_archive_read_next_header)
#define archive_read_open1 (*ucp_archive_read_open1)
#define archive_read_open_memory (*ucp_archive_read_open_memory)
#define archive_read_set_callback_data (*ucp_archive_read_set_callback_data)
#define archive_read_set_format (*ucp_archive_read_set_format)
#define archive_read_set_read_callback (*ucp_archive_read_set_read_callback)
#define archive_read_set_seek_callback (*ucp_archive_read_set_seek_callback)
#define archive_read_set_skip_callback (*ucp_archive_read_set_skip_callback)
#define archive_read_support_filter_all (*ucp_archive_read_support_filter_all)
#define archive_read_support_format_all (*ucp_archive_read_support_format_all)
#define archive_read_support_format_raw (*ucp_archive_read_support_format_raw)
#define archive_read_support_format_zip_seekable \
	(*ucp_archive_read_support_format_zip_seekable)
#define archive_set_error (*ucp_archive_set_error)
#define archive_version_details (*ucp_archive_version_details)
#define archive_write_add_filter_bzip2 (*ucp_archive_write_add_filter_bzip2)
#define archive_write_add_filter_gzip (*ucp_archive_write_add_filter_gzip)
#define archive_write_add_filter_lz4 (*ucp_archive_write_add_filter_lz4)
#define archive_write_add_filter_xz (*ucp_archive_write_add_filter_xz)
#define archive_write_add_filter_zstd (*ucp_archive_write_add_filter_zstd)
#define archive_write_close (*ucp_archive_write_close)
#define archive_write_data (*ucp_archive_write_data)
#define archive_write_disk_gid (*ucp_archive_write_disk_gid)
#define archive_write_disk_new (*ucp_archive_write_disk_new)
#define archive_write_disk_set_standard_lookup \
	(*ucp_archive_write_disk_set_standard_lookup)
#define archive_write_disk_uid (*ucp_archive_write_disk_uid)
#define archive_write_fail (*ucp_archive_write_fail)
#define archive_write_free (*ucp_archive_write_free)
#define archive_write_header (*ucp_archive_write_header)
#define archive_write_new (*ucp_archive_write_new)
#define archive_write_open2 (*ucp_archive_write_open2)
#define archive_write_open_memory (*ucp_archive_write_open_memory)
#define archive_write_set_bytes_in_last_block \
	(*ucp_archive_write_set_bytes_in_last_block)
#define archive_write_set_bytes_per_block \
	(*ucp_archive_write_set_bytes_per_block)
#define archive_write_set_filter_option (*ucp_archive_write_set_filter_option)
#define archive_write_set_format_cpio (*ucp_archive_write_set_format_cpio)
#define archive_write_set_format_gnutar (*ucp_archive_write_set_format_gnutar)
#define archive_write_set_format_option (*ucp_archive_write_set_format_option)
#define archive_write_set_format_pax (*ucp_archive_write_set_format_pax)
#define archive_write_set_format_ustar (*ucp_archive_write_set_format_ustar)
#define archive_write_set_format_zip (*ucp_archive_write_set_format_zip)

#endif
