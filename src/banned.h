/* SPDX-License-Identifier: MIT */
/*
 * banned.h: functions that ucp never calls.
 *
 * Each is either unbounded (strcpy, sprintf), unchecked (atoi) or racy
 * (mktemp, tmpnam). Including this header turns a call into a compile error
 * that names the function. The replacements are bounded snprintf with a
 * length check, strtoull with full validation, and O_EXCL temporaries.
 */
#ifndef UCP_BANNED_H
#define UCP_BANNED_H

#define BANNED(func) sorry_##func##_is_banned_in_ucp

#undef strcpy
#define strcpy(x, y) BANNED(strcpy)
#undef strcat
#define strcat(x, y) BANNED(strcat)
#undef strncpy
#define strncpy(x, y, n) BANNED(strncpy)
#undef strncat
#define strncat(x, y, n) BANNED(strncat)
#undef sprintf
#define sprintf(...) BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) BANNED(vsprintf)
#undef strtok
#define strtok(x, y) BANNED(strtok)
#undef gets
#define gets(x) BANNED(gets)
#undef atoi
#define atoi(x) BANNED(atoi)
#undef atol
#define atol(x) BANNED(atol)
#undef mktemp
#define mktemp(x) BANNED(mktemp)
#undef tmpnam
#define tmpnam(x) BANNED(tmpnam)
#undef system
#define system(x) BANNED(system)
#undef readdir_r
#define readdir_r(x, y, z) BANNED(readdir_r)
#undef gmtime
#define gmtime(x) BANNED(gmtime)
#undef localtime
#define localtime(x) BANNED(localtime)

#endif
