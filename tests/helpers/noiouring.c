/* SPDX-License-Identifier: MIT */
/*
 * noiouring: run a command with io_uring_setup, io_uring_enter and
 * io_uring_register failing with EPERM, the way a container's default seccomp
 * profile does; with --enter-only, io_uring_enter alone (a ring can be set
 * up, but nothing submitted); with --register-only, io_uring_register
 * alone; with --enter-timed, io_uring_enter only when it waits with a
 * timeout (IORING_ENTER_EXT_ARG), as a sandbox may refuse what it does not
 * know. Usage: noiouring [--enter-only | --register-only | --enter-timed]
 * COMMAND [ARG]...
 * Exits 77 (skip) when the filter cannot be installed on this machine.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#define EXIT_SKIP 77
#define EXIT_EXEC 127

#if defined(__x86_64__) && !defined(__ILP32__)
#define NATIVE_AUDIT_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__) && !defined(__ILP32__)
#define NATIVE_AUDIT_ARCH AUDIT_ARCH_AARCH64
#endif

/* The io_uring syscalls have the same numbers on every architecture. */
#ifndef __NR_io_uring_setup
#define __NR_io_uring_setup 425
#endif
#ifndef __NR_io_uring_enter
#define __NR_io_uring_enter 426
#endif
#ifndef __NR_io_uring_register
#define __NR_io_uring_register 427
#endif

/* Where a 64-bit argument's low 32 bits are, for a BPF word load. */
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define LOW_WORD 4
#else
#define LOW_WORD 0
#endif

#ifndef IORING_ENTER_EXT_ARG
#define IORING_ENTER_EXT_ARG (1u << 3)
#endif

#ifdef NATIVE_AUDIT_ARCH
/*
 * What is refused: all three calls, or one of them alone, or
 * io_uring_enter with a timeout.
 */
enum only { ALL, ENTER_ONLY, REGISTER_ONLY, ENTER_TIMED };

/*
 * Both filters' start: calls made under a foreign ABI are left alone;
 * then the call's number is loaded.
 */
#define NATIVE_NR_LOADED                                                      \
	BPF_STMT(BPF_LD | BPF_W | BPF_ABS,                                    \
		 offsetof(struct seccomp_data, arch)),                        \
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, NATIVE_AUDIT_ARCH, 1, 0), \
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),                 \
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,                            \
			 offsetof(struct seccomp_data, nr))

static int load_filter(struct sock_fprog *prog)
{
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
		fprintf(stderr, "noiouring: PR_SET_NO_NEW_PRIVS: %s\n",
			strerror(errno));
		return -1;
	}
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, prog, 0, 0) != 0) {
		fprintf(stderr, "noiouring: PR_SET_SECCOMP: %s\n",
			strerror(errno));
		return -1;
	}
	return 0;
}

/* io_uring_enter refused when its flags (the fourth argument) ask EXT_ARG. */
static int install_timed_filter(void)
{
	struct sock_filter insns[] = {
		NATIVE_NR_LOADED,
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_io_uring_enter, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		/* (The low word of the flags.) */
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, args[3]) + LOW_WORD),
		BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, IORING_ENTER_EXT_ARG, 0,
			 1),
		BPF_STMT(BPF_RET | BPF_K,
			 SECCOMP_RET_ERRNO | (EPERM & SECCOMP_RET_DATA)),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = {
		.len = (unsigned short)(sizeof(insns) / sizeof(insns[0])),
		.filter = insns,
	};

	return load_filter(&prog);
}

static int install_filter(enum only only)
{
	/* (The numbers of the calls let through never match.) */
	unsigned setup = only != ALL ? ~0u : __NR_io_uring_setup;
	unsigned enter = only == REGISTER_ONLY ? ~0u : __NR_io_uring_enter;
	unsigned reg = only == ENTER_ONLY ? ~0u : __NR_io_uring_register;
	struct sock_filter insns[] = {
		NATIVE_NR_LOADED,
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, setup, 3, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, enter, 2, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, reg, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_RET | BPF_K,
			 SECCOMP_RET_ERRNO | (EPERM & SECCOMP_RET_DATA)),
	};
	struct sock_fprog prog = {
		.len = (unsigned short)(sizeof(insns) / sizeof(insns[0])),
		.filter = insns,
	};

	if (only == ENTER_TIMED)
		return install_timed_filter();
	return load_filter(&prog);
}
#else
enum only { ALL, ENTER_ONLY, REGISTER_ONLY, ENTER_TIMED };

static int install_filter(enum only only)
{
	(void)only;
	fprintf(stderr, "noiouring: unsupported architecture\n");
	return -1;
}
#endif

int main(int argc, char **argv)
{
	enum only only = ALL;

	if (argc > 1 && strcmp(argv[1], "--enter-only") == 0)
		only = ENTER_ONLY;
	else if (argc > 1 && strcmp(argv[1], "--register-only") == 0)
		only = REGISTER_ONLY;
	else if (argc > 1 && strcmp(argv[1], "--enter-timed") == 0)
		only = ENTER_TIMED;
	argv += only != ALL;
	argc -= only != ALL;
	if (argc < 2) {
		fprintf(stderr, "usage: noiouring [--enter-only | "
				"--register-only | --enter-timed] COMMAND "
				"[ARG]...\n");
		return 2;
	}
	if (install_filter(only) != 0)
		return EXIT_SKIP;
	execvp(argv[1], argv + 1);
	fprintf(stderr, "noiouring: cannot run '%s': %s\n", argv[1],
		strerror(errno));
	return EXIT_EXEC;
}
