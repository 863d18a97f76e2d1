/* SPDX-License-Identifier: MIT */
/*
 * main.c: process setup, option parsing, one call into the engine, and the
 * mapping of its verdict to an exit status (documented in ucp(1)).
 */
#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <limits.h>
#include <locale.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fileslist.h"
#include "options.h"
#include "report.h"
#include "ucp.h"

#include "banned.h"

/* The only globals: the signal handlers need the context and reporter. */
static struct ucp_ctx *volatile g_ctx;
static struct ucp_report *volatile g_rep;
static volatile sig_atomic_t g_signal;
static pthread_t g_main; /* the thread that reads and writes the archives */
#ifdef UCP_TEST_HOOKS
static bool g_test_stop_on_signal; /* UCP_TEST_STOP_ON_SIGNAL */
#endif

/* SIGURG, sent by on_signal: only interrupts the call the thread is in. */
static void on_wake(int sig)
{
	(void)sig;
}

/* Since the first interrupt (CLOCK_MONOTONIC), in milliseconds. */
static long long since_first(const struct timespec *first)
{
	struct timespec now;

	(void)clock_gettime(CLOCK_MONOTONIC, &now);
	return (long long)(now.tv_sec - first->tv_sec) * 1000 +
	       (now.tv_nsec - first->tv_nsec) / 1000000;
}

static void on_signal(int sig)
{
	static struct timespec first;
	/* signal() may change errno even when it succeeds, and the code
	 * interrupted may be about to read it. */
	int saved_errno = errno;

	if (g_signal) {
		/*
		 * A second Ctrl-C or Ctrl-\ kills at once (signal() can fail
		 * only for a bad signal number); but not one within 100 ms
		 * of the first, nor a second SIGTERM or SIGHUP, which are the
		 * first sent twice: timeout(1) sends its signal to ucp, then
		 * to its whole process group, during the cleanup.
		 */
		if ((sig == SIGINT || sig == SIGQUIT) &&
		    since_first(&first) >= 100) {
			(void)signal(sig, SIG_DFL);
			(void)raise(sig);
		}
		errno = saved_errno;
		return;
	}
	(void)clock_gettime(CLOCK_MONOTONIC, &first);
	g_signal = sig;
	if (g_ctx)
		ucp_request_cancel(g_ctx);
	/*
	 * The main thread may wait in a read of a stalled pipe (--untar -)
	 * or a write to one (--tar -): a signal that came to another thread
	 * interrupts that call too, which then sees the request.
	 */
	if (!pthread_equal(pthread_self(), g_main))
		(void)pthread_kill(g_main, SIGURG);
#ifdef UCP_TEST_HOOKS
	/* (A test sends the second signal now, before the cleanup.) */
	if (g_test_stop_on_signal)
		(void)raise(SIGSTOP);
#endif
	errno = saved_errno;
}

/*
 * The run stopped by SIGINT, SIGTERM or SIGHUP ends by that signal, once
 * everything else is done (last of the exit handlers), as cp ends: a
 * shell then sees the child killed, and a loop of ucp runs stops at
 * Ctrl-C (exit(130) read as a signal the child handled, and the loop went
 * on). The status the shell shows is the same, 128 + the signal. SIGQUIT
 * keeps exit(131): its default action would dump core.
 */
static volatile sig_atomic_t g_die_by;

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UCP_LSAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define UCP_LSAN 1
#endif
#ifdef UCP_LSAN
#include <sanitizer/lsan_interface.h>
static void leak_check(void)
{
	__lsan_do_leak_check();
}
#else
static void leak_check(void)
{
}
#endif

static void die_by_signal(void)
{
	int sig = g_die_by;

	if (!sig)
		return;
	/* (The leak check of a sanitizer build, whose own exit handler the
	 * signal would pass by: done now, as it would be at exit.) */
	leak_check();
	(void)fflush(NULL);
	(void)signal(sig, SIG_DFL);
	(void)raise(sig);
}

/* The status of a run stopped by g_signal; see die_by_signal. */
static int signal_exit(void)
{
	int sig = g_signal;

	if (sig == SIGINT || sig == SIGTERM || sig == SIGHUP)
		g_die_by = sig;
	return 128 + sig;
}

/* SIGCONT: the time stopped is left out of the rate (Ctrl-Z, fg). */
static void on_cont(int sig)
{
	(void)sig;
	if (g_rep)
		ucp_report_continued(g_rep);
}

/* SIGUSR1 asks for a status line, as it does of dd. */
static void on_usr1(int sig)
{
	(void)sig;
	if (g_rep)
		ucp_report_want_status(g_rep);
}

/*
 * Let deep trees keep one directory descriptor per level: the soft limit
 * on open files goes up to the hard one. A process-wide setting, so it is
 * made here and not by the engine.
 */
static void raise_nofile(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		(void)setrlimit(RLIMIT_NOFILE, &rl);
	}
}

/*
 * The umask, for the engine's mode decisions. umask(2) can only set it, so
 * it is set and put back here, while the process has one thread: the
 * engine, whose threads create files, may not.
 */
static void read_umask(struct ucp_config *cfg)
{
	cfg->umask = umask(0);
	(void)umask(cfg->umask);
	cfg->has_umask = true;
}

/*
 * Make sure fds 0-2 are open, so no file we open lands on them. A closed
 * standard output is opened read-only: what is printed on it (-v, --list,
 * an archive to "-") fails with EBADF and is reported, as cp and tar
 * report it, rather than vanishing. A closed standard input, opened
 * write-only, so: an archive or a list read from "-" is "Bad file
 * descriptor", as tar says, not an empty input.
 */
static void check_fds(void)
{
	static const int how[3] = { O_WRONLY, O_RDONLY, O_RDWR };
	int fd;

	for (fd = 0; fd < 3; fd++)
		if (fcntl(fd, F_GETFD) < 0 && open("/dev/null", how[fd]) < 0)
			_exit(2);
}

/*
 * --untar and --list in the C locale, whose character set is ASCII:
 * there libarchive cannot translate a pax header's UTF-8 name, and warns
 * for each one (a cron job's log fills with them), though the names come
 * through whole. As C.UTF-8 (where installed) they are taken as they are,
 * as GNU tar takes them. Nothing else here depends on it: messages escape
 * by bytes. (--tar keeps the C locale: a name it cannot translate goes
 * into the archive as bytes, marked so, which bsdtar reads in any locale;
 * tar.c leaves the warning out there.)
 */
static void ctype_utf8(void)
{
	if (strcmp(nl_langinfo(CODESET), "ANSI_X3.4-1968") != 0)
		return;
	if (!setlocale(LC_CTYPE, "C.UTF-8"))
		(void)setlocale(LC_CTYPE, "C.utf8");
}

/*
 * Standard output on a pipe or socket is written through here: a reader
 * that stalled (a pager, a stuck ssh) must not hold a run that was told
 * to stop. Each write waits in steps of 100 ms, and once a stop signal
 * came, what is left goes unwritten (the run is over). A pipe with room
 * takes PIPE_BUF bytes whole, without blocking.
 */
static ssize_t stdout_write(void *cookie, const char *buf, size_t n)
{
	size_t done = 0;

	(void)cookie;
	while (done < n) {
		struct pollfd p = { .fd = STDOUT_FILENO, .events = POLLOUT };
		ssize_t w;

		if (g_signal)
			return (ssize_t)n;
		if (poll(&p, 1, 100) <= 0)
			continue; /* (EINTR: the signal is seen above) */
		w = write(STDOUT_FILENO, buf + done,
			  n - done < PIPE_BUF ? n - done : PIPE_BUF);
		if (w < 0 && errno != EINTR && errno != EAGAIN)
			return done ? (ssize_t)done : -1;
		if (w > 0)
			done += (size_t)w;
	}
	return (ssize_t)n;
}

static void stdout_interruptible(void)
{
	static const cookie_io_functions_t io = { .write = stdout_write };
	struct stat st;
	FILE *f;

	if (fstat(STDOUT_FILENO, &st) < 0 ||
	    !(S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode)))
		return;
	f = fopencookie(NULL, "w", io);
	if (f)
		stdout = f;
}

static void install_signals(void)
{
	struct sigaction sa, old;

	static const int stops[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
	size_t i;

	/* (Before the handlers, which may send it SIGURG.) */
	g_main = pthread_self();
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	/*
	 * Ctrl-C, a kill, a closed terminal or a dropped ssh session, and
	 * Ctrl-\ stop the copy the same way (no temporary left behind);
	 * unless the caller ignores the signal (nohup; a shell's background
	 * job ignores SIGINT and SIGQUIT), which then does not stop it, as
	 * it does not stop cp.
	 */
	for (i = 0; i < sizeof(stops) / sizeof(stops[0]); i++)
		if (sigaction(stops[i], NULL, &old) == 0 &&
		    old.sa_handler != SIG_IGN)
			sigaction(stops[i], &sa, NULL);
	sa.sa_handler = on_wake; /* (no SA_RESTART: the call is cut short) */
	sigaction(SIGURG, &sa, NULL);
	sa.sa_handler = on_usr1;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGUSR1, &sa, NULL);
	sa.sa_handler = on_cont;
	sigaction(SIGCONT, &sa, NULL);
	(void)signal(SIGPIPE, SIG_IGN);
	/*
	 * A write past the limit on file size (ulimit -f) fails with EFBIG,
	 * reported and cleaned up like any write error, rather than killing
	 * the process and leaving its temporaries (the archive modes).
	 */
	(void)signal(SIGXFSZ, SIG_IGN);
}

static void print_version(const struct ucp_opts *o)
{
	const char *why = "";
	/*
	 * The probe makes io_uring syscalls: skip it when the user said no
	 * (--engine=threads or UCP_ENGINE, as parsed: prefixes too).
	 */
	bool probed = o->cfg.engine != UCP_ENGINE_THREADS;
	/* (Its -EPERM is -1 too: not a value of its own.) */
	int usable = probed ? ucp_uring_usable(&why) : -1;
	bool said = usable == 0 || !probed;

	printf("ucp %s\n%s\n%s\nio_uring: %s%s%s\n", UCP_VERSION,
	       ucp_uring_version(), ucp_archive_version(),
	       usable == 0 ? "usable" : "not used", said ? "" : " - ",
	       said ? "" : why);
#ifdef UCP_TEST_HOOKS
	printf("test hooks: on\n");
#endif
}

static int exit_code(enum ucp_status st)
{
	switch (st) {
	case UCP_OK:
		return 0;
	case UCP_PARTIAL:
	case UCP_FATAL:
		return 1;
	case UCP_USAGE:
		return 2;
	case UCP_VANISHED:
		return 24;
	case UCP_MAX_DELETE:
		return 25;
	case UCP_INTERRUPTED:
		/* 130 SIGINT, 143 SIGTERM, 129 SIGHUP, 131 SIGQUIT. */
		return g_signal ? 128 + g_signal : 130;
	}
	return 1;
}

/*
 * stdout errors (a full disk under -v > file) must not pass silently.
 * Whether what stdout holds could not all be written (said, then). earlier:
 * the errno of a failed flush before this one (0: none), whose stream
 * kept only its error flag.
 */
static bool stdout_failed(int earlier)
{
	int err = 0;

	if (fflush(stdout) != 0)
		err = errno;
	else if (ferror(stdout))
		err = earlier ? earlier : EIO;
	if (!err)
		return false;
	/*
	 * A reader that stopped early (ucp --help | head, ucp -v | head) is
	 * no news: the status is the run's, as the summary said it.
	 */
	if (err == EPIPE)
		return false;
	ucp_cli_fatal("write", err, "write error");
	return true;
}

static int close_stdout(int code)
{
	return stdout_failed(0) && !code ? 1 : code;
}

#ifdef UCP_TEST_HOOKS
/* The test hooks' numbers from the environment (debug builds). */
static void test_hooks(void)
{
	const char *after = getenv("UCP_TEST_STOP_AFTER");
	const char *del = getenv("UCP_TEST_STOP_DELETE");

	if (after)
		ucp_test_stop_after(strtoull(after, NULL, 10));
	if (del)
		ucp_test_stop_delete(strtol(del, NULL, 10));
}
#endif

int main(int argc, char **argv)
{
	struct ucp_operands ops;
	struct ucp_events ev;
	struct ucp_report *rep;
	struct ucp_ctx *ctx;
	struct ucp_opts o;
	enum ucp_status st;
	int ret;

	check_fds();
	raise_nofile();
#ifdef UCP_TEST_HOOKS
	test_hooks();
	ucp_test_scan_first(getenv("UCP_TEST_SCAN_FIRST") != NULL);
	ucp_test_hand_over(getenv("UCP_TEST_HAND_OVER") != NULL);
	ucp_test_hold_current_file(getenv("UCP_TEST_HOLD_CURRENT") != NULL);
	ucp_test_link_wait(getenv("UCP_TEST_LINK_WAIT") != NULL);
	ucp_test_stop_open(getenv("UCP_TEST_STOP_OPEN") != NULL);
	ucp_test_archive_name(getenv("UCP_TEST_ARCHIVE_NAME"));
	ucp_test_zstd_name(getenv("UCP_TEST_ZSTD_NAME"));
	ucp_test_stop_before_data(getenv("UCP_TEST_STOP_BEFORE_DATA") != NULL);
	ucp_test_stop_point(getenv("UCP_TEST_STOP_AT"));
	g_test_stop_on_signal = getenv("UCP_TEST_STOP_ON_SIGNAL") != NULL;
	if (ucp_test_faults(getenv("UCP_FAULT")) < 0) {
		ucp_cli_fatal("usage", 0, "UCP_FAULT: cannot read '%s'",
			      getenv("UCP_FAULT"));
		return exit_code(UCP_USAGE);
	}
#endif
	/* Without the user's locale, messages keep C's: no harm done. */
	(void)setlocale(LC_ALL, "");
	install_signals();
	(void)atexit(die_by_signal);
	stdout_interruptible();
	ucp_fileslist_stop_on(&g_signal);
	ret = ucp_opts_parse(argc, argv, getenv("UCP_ENGINE"), &o);
	/* (A signal while the lists were read: the run is over.) */
	if (g_signal) {
		ucp_opts_free(&o);
		return signal_exit();
	}
	if (ret || o.help || o.version || o.list_options) {
		if (o.help)
			ucp_opts_usage(stdout);
		else if (o.version)
			print_version(&o);
		else if (o.list_options)
			ucp_opts_list(stdout);
		ucp_opts_free(&o);
		return ret ? ret : close_stdout(0);
	}
	rep = ucp_report_new(&o);
	/* The exit status tells what stderr may fail to. */
	if (!rep) {
		ucp_cli_fatal("start", ENOMEM, "cannot start");
		ucp_opts_free(&o);
		return 1;
	}
	ucp_report_events(rep, &ev);
	/* Totals ahead of the copy are worth a walk only when shown. */
	o.cfg.scan = ucp_report_shows_progress(rep) && !o.no_scan;
	read_umask(&o.cfg);
	ret = ucp_ctx_new(&ctx, &o.cfg, &ev);
	if (ret < 0) {
		ucp_cli_fatal("start", -ret, "cannot start");
		ucp_report_free(rep);
		ucp_opts_free(&o);
		return 1;
	}
	ucp_report_attach(rep, ctx);
	g_rep = rep;
	g_ctx = ctx;
	/* (A signal before the context was there: asked now.) */
	if (g_signal)
		ucp_request_cancel(ctx);
	ops.argv = o.operands;
	ops.argc = o.noperands;
	if (o.mode == UCP_CLI_UNTAR || o.mode == UCP_CLI_LIST)
		ctype_utf8();
	switch (o.mode) {
	case UCP_CLI_TAR:
		st = ucp_tar_create(ctx, &ops);
		break;
	case UCP_CLI_UNTAR:
		st = ucp_tar_extract(ctx, &ops);
		break;
	case UCP_CLI_LIST:
		st = ucp_tar_list(ctx, &ops);
		break;
	default:
		st = ucp_run(ctx, &ops);
		break;
	}
	/*
	 * What stdout still holds goes out before the summary, whose exit
	 * status and error count then take a failure to write it.
	 */
	ret = exit_code(st);
	if (stdout_failed(ucp_report_stdout_errno(rep))) {
		ucp_report_count_error(rep);
		ret = ret ? ret : 1;
	}
	ucp_report_finish(rep, ret);
	g_ctx = NULL;
	g_rep = NULL;
	ucp_ctx_free(ctx);
	ucp_report_free(rep);
	ucp_opts_free(&o);
	return g_signal && ret == 128 + g_signal ? signal_exit() : ret;
}
