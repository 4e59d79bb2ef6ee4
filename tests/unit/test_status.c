/* test_status.c — the progress line of a long file analysis (live/status.c): nothing in the
 * first second, then percentage, size, packets/s and time left redrawn in place at most twice a
 * second, a byte count when the total is unknown (stdin), and a cleared line at the end only
 * when one was drawn. The terminal check itself is main.c's (isatty on stderr). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "analyzer/live/status.h"

struct sink {
    char *buf;
    size_t len;
    FILE *f;
};

static void
sink_open(struct sink *s)
{
    memset(s, 0, sizeof(*s));
    s->f = open_memstream(&s->buf, &s->len);
    assert_non_null(s->f);
}

/* What was written so far (the stream flushed), as a string. */
static const char *
sink_text(struct sink *s)
{
    fflush(s->f);
    return s->buf ? s->buf : "";
}

static void
sink_close(struct sink *s)
{
    fclose(s->f);
    free(s->buf);
}

/* A progress line drawn to s, `run_s` seconds into the run. */
static void
progress_at(struct status_progress *pg, struct sink *s, double run_s)
{
    status_progress_start(pg, s->f);
    pg->start -= run_s;
}

static void
test_quiet_first_second(void **state)
{
    (void)state;
    struct sink s;
    sink_open(&s);
    struct status_progress pg;
    status_progress_start(&pg, s.f);
    status_progress_hook(&pg, 1000, 50, 100); /* a fast file: done before one second */
    status_progress_end(&pg);
    assert_string_equal(sink_text(&s), "");
    assert_false(pg.shown);
    sink_close(&s);
}

static void
test_line_format_and_rate_limit(void **state)
{
    (void)state;
    struct sink s;
    sink_open(&s);
    struct status_progress pg;
    progress_at(&pg, &s, 10.0);
    status_progress_hook(&pg, 2000000, 250000000, 1000000000);
    const char *t = sink_text(&s);
    /* 25 % read after 10 s: 30 s left; 2 000 000 packets in 10 s */
    assert_non_null(strstr(t, "\r\033[K"));
    assert_non_null(strstr(t, " 25.0% of 1000.0 MB"));
    assert_non_null(strstr(t, "packets/s"));
    assert_non_null(strstr(t, "0:30 left"));
    assert_null(strchr(t, '\n')); /* redrawn in place, never scrolls */
    size_t once = strlen(t);

    status_progress_hook(&pg, 2000100, 260000000, 1000000000); /* within half a second */
    assert_int_equal(strlen(sink_text(&s)), once);

    pg.last -= 1.0; /* half a second later: drawn again */
    status_progress_hook(&pg, 2100000, 500000000, 1000000000);
    assert_true(strlen(sink_text(&s)) > once);
    assert_non_null(strstr(sink_text(&s), " 50.0% of 1000.0 MB"));

    status_progress_end(&pg);
    t = sink_text(&s);
    size_t n = strlen(t);
    assert_true(n >= 4);
    assert_string_equal(t + n - 4, "\r\033[K"); /* the report starts on a clean line */
    sink_close(&s);
}

static void
test_unknown_total(void **state)
{
    (void)state;
    struct sink s;
    sink_open(&s);
    struct status_progress pg;
    progress_at(&pg, &s, 2.0);
    status_progress_hook(&pg, 4000, 3500000, 0); /* stdin: the size is not known */
    const char *t = sink_text(&s);
    assert_non_null(strstr(t, "3.5 MB read"));
    assert_null(strstr(t, "%"));
    assert_null(strstr(t, "left"));
    sink_close(&s);
}

static void
test_read_past_total(void **state)
{
    (void)state;
    struct sink s;
    sink_open(&s);
    struct status_progress pg;
    progress_at(&pg, &s, 2.0);
    /* a file that grew while read: no percentage over 100, no negative time left */
    status_progress_hook(&pg, 4000, 2000, 1000);
    const char *t = sink_text(&s);
    assert_null(strstr(t, "%"));
    assert_null(strstr(t, "-"));
    sink_close(&s);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quiet_first_second),
        cmocka_unit_test(test_line_format_and_rate_limit),
        cmocka_unit_test(test_unknown_total),
        cmocka_unit_test(test_read_past_total),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
