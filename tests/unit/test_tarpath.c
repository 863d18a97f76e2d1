/* SPDX-License-Identifier: MIT */
/* test_tarpath.c: member names to safe destinations, one case per rule. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include <string.h>

#include "tarpath.h"

static enum ucp_tarpath map(const char *name, char *out, size_t size)
{
	return ucp_tarpath_map(name, strlen(name), out, size);
}

static void tarpath_plain_name_is_kept(void **state)
{
	char out[64];

	(void)state;
	assert_int_equal(map("a/b/c.txt", out, sizeof(out)), UCP_TARPATH_OK);
	assert_string_equal(out, "a/b/c.txt");
}

static void tarpath_dot_and_empty_components_vanish(void **state)
{
	char out[64];

	(void)state;
	assert_int_equal(map("./a//./b/", out, sizeof(out)), UCP_TARPATH_OK);
	assert_string_equal(out, "a/b");
	assert_int_equal(map("a/.../b", out, sizeof(out)), UCP_TARPATH_OK);
	assert_string_equal(out, "a/.../b");
	assert_int_equal(map("..a/b..", out, sizeof(out)), UCP_TARPATH_OK);
	assert_string_equal(out, "..a/b..");
}

static void tarpath_absolute_is_stripped(void **state)
{
	char out[64];

	(void)state;
	assert_int_equal(map("/etc/passwd", out, sizeof(out)),
			 UCP_TARPATH_STRIPPED);
	assert_string_equal(out, "etc/passwd");
	assert_int_equal(map("///x", out, sizeof(out)), UCP_TARPATH_STRIPPED);
	assert_string_equal(out, "x");
}

static void tarpath_dotdot_anywhere_is_refused(void **state)
{
	char out[64];

	(void)state;
	assert_int_equal(map("../x", out, sizeof(out)), UCP_TARPATH_DOTDOT);
	assert_int_equal(map("a/../../x", out, sizeof(out)),
			 UCP_TARPATH_DOTDOT);
	assert_int_equal(map("a/..", out, sizeof(out)), UCP_TARPATH_DOTDOT);
	assert_int_equal(map("/..", out, sizeof(out)), UCP_TARPATH_DOTDOT);
	assert_int_equal(map("a/../b", out, sizeof(out)), UCP_TARPATH_DOTDOT);
}

static void tarpath_root_names_are_self(void **state)
{
	char out[64];

	(void)state;
	assert_int_equal(map("", out, sizeof(out)), UCP_TARPATH_SELF);
	assert_int_equal(map(".", out, sizeof(out)), UCP_TARPATH_SELF);
	assert_int_equal(map("./", out, sizeof(out)), UCP_TARPATH_SELF);
	assert_int_equal(map("/", out, sizeof(out)), UCP_TARPATH_SELF);
}

static void tarpath_nul_inside_is_refused(void **state)
{
	char out[64];

	(void)state;
	assert_int_equal(ucp_tarpath_map("a\0/../x", 7, out, sizeof(out)),
			 UCP_TARPATH_NUL);
}

static void tarpath_long_component_is_refused(void **state)
{
	char name[5001], out[8192];

	(void)state;
	memset(name, 'n', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	assert_int_equal(map(name, out, sizeof(out)), UCP_TARPATH_TOO_LONG);
	/* 255 bytes is the longest name a Linux file system takes. */
	name[255] = '\0';
	assert_int_equal(map(name, out, sizeof(out)), UCP_TARPATH_OK);
	assert_int_equal(strlen(out), 255);
}

static void tarpath_no_room_is_refused(void **state)
{
	char out[4];

	(void)state;
	assert_int_equal(map("abc", out, sizeof(out)), UCP_TARPATH_OK);
	assert_int_equal(map("ab/c", out, sizeof(out)), UCP_TARPATH_TOO_LONG);
	assert_int_equal(map("a", out, 0), UCP_TARPATH_TOO_LONG);
}

static void tarpath_reasons_name_refusals(void **state)
{
	(void)state;
	assert_string_equal(ucp_tarpath_reason(UCP_TARPATH_OK), "");
	assert_non_null(strstr(ucp_tarpath_reason(UCP_TARPATH_DOTDOT), ".."));
	assert_non_null(strstr(ucp_tarpath_reason(UCP_TARPATH_NUL), "NUL"));
	assert_non_null(
		strstr(ucp_tarpath_reason(UCP_TARPATH_TOO_LONG), "long"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(tarpath_plain_name_is_kept),
		cmocka_unit_test(tarpath_dot_and_empty_components_vanish),
		cmocka_unit_test(tarpath_absolute_is_stripped),
		cmocka_unit_test(tarpath_dotdot_anywhere_is_refused),
		cmocka_unit_test(tarpath_root_names_are_self),
		cmocka_unit_test(tarpath_nul_inside_is_refused),
		cmocka_unit_test(tarpath_long_component_is_refused),
		cmocka_unit_test(tarpath_no_room_is_refused),
		cmocka_unit_test(tarpath_reasons_name_refusals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
