/* SPDX-License-Identifier: MIT */
/*
 * report.h: renders engine events on the terminal: error lines, -v lines
 * and the progress display. All output goes through one lock, and a
 * progress line is cleared before any other line is printed, so lines
 * never interleave.
 */
#ifndef UCP_REPORT_H
#define UCP_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "options.h"
#include "ucp.h"

struct ucp_report;

/* Returns NULL on allocation failure. */
struct ucp_report *ucp_report_new(const struct ucp_opts *o);
void ucp_report_free(struct ucp_report *r);

/* The event table to hand to ucp_ctx_new (arg is r). */
void ucp_report_events(struct ucp_report *r, struct ucp_events *ev);

/* Whether progress is displayed (a bar, plain lines or JSON). */
bool ucp_report_shows_progress(const struct ucp_report *r);

/* Tell the renderer which context to read progress from. */
void ucp_report_attach(struct ucp_report *r, struct ucp_ctx *ctx);

/*
 * Ask for a one-off status line at the next tick (or at the finish).
 * Async-signal-safe: the SIGUSR1 handler calls it.
 */
void ucp_report_want_status(struct ucp_report *r);

/*
 * The process was stopped and goes on (SIGCONT: Ctrl-Z and fg): the time
 * it stood still is no time of the copy's rate. Async-signal-safe.
 */
void ucp_report_continued(struct ucp_report *r);

/*
 * The errno of a flush of stdout that failed before a message (on another
 * thread), or 0: the stream keeps only its error flag.
 */
int ucp_report_stdout_errno(struct ucp_report *r);

/* One error more in the summary's count: one the CLI printed itself. */
void ucp_report_count_error(struct ucp_report *r);

/*
 * Print the final progress line if one was shown, the JSON summary, and
 * the --stats block. exit_status is what ucp is about to exit with.
 */
void ucp_report_finish(struct ucp_report *r, int exit_status);

/* Write path quoted, with control and invalid UTF-8 bytes escaped. */
void ucp_quote(FILE *f, const char *path);

/*
 * Copy s, printable text (escaped already), into out (size bytes),
 * shortened to cols columns by an ellipsis ("...") in its middle, never
 * inside a UTF-8 sequence; "" when cols is under 5 and s does not fit.
 * Returns the length written.
 */
size_t ucp_ellipsize(char *out, size_t size, const char *s, size_t cols);

/* Write an --itemize-changes name escaped as rsync does ("\#012"). */
void ucp_itemize_name(FILE *f, const char *path);

#endif
