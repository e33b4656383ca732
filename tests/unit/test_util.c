/* test_util.c: Check suite for the util module: strict UTF-8 validation, decoding and
 * sanitising; calendar dates and ISO 8601 timestamps (parsing, impossible dates, leap
 * years, offsets, formatting round trips before and after 1970); the string map; growable
 * buffers; and status / error formatting. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <dirent.h>
#include <float.h>
#include <limits.h>
#include <math.h>

#include <cjson/cJSON.h>

#include "ev_check.h"
#include "util/buf.h"
#include "util/json_print.h"
#include "util/sha256.h"
#include "util/date.h"
#include "util/status.h"
#include "util/strmap.h"
#include "util/utf8.h"

/* ---- helpers ---- */

static bool valid(const char *s, size_t len, size_t *bad)
{
    return ev_utf8_valid(s, len, bad);
}

/* Asserts s[0..len) is invalid UTF-8 with its first bad byte at offset want. */
static void assert_invalid_at(const char *s, size_t len, size_t want)
{
    size_t bad = (size_t)-1;
    ck_assert_msg(!valid(s, len, &bad), "accepted ill-formed sequence at %zu", want);
    ck_assert_uint_eq(bad, want);
    ck_assert(!valid(s, len, NULL)); /* bad_offset may be NULL */
}

static int64_t date_of(const char *s)
{
    int64_t t = -1;
    ck_assert_msg(ev_date_parse(s, &t), "rejected %s", s);
    return t;
}

static int64_t ts_of(const char *s)
{
    int64_t t = -1;
    ck_assert_msg(ev_timestamp_parse(s, &t), "rejected %s", s);
    return t;
}

/* ---- utf8 ---- */

START_TEST(utf8_valid_text)
{
    static const char *const ok[] = {
        "",
        "plain ASCII, with \t tabs and \n newlines",
        "\xC2\x80",         /* U+0080, smallest 2-byte */
        "caf\xC3\xA9",      /* é */
        "\xDF\xBF",         /* U+07FF */
        "\xE0\xA0\x80",     /* U+0800, smallest 3-byte */
        "\xE2\x82\xAC",     /* € */
        "\xE2\x80\xAE",     /* U+202E RIGHT-TO-LEFT OVERRIDE: valid, if hostile */
        "\xED\x9F\xBF",     /* U+D7FF, just below the surrogates */
        "\xEE\x80\x80",     /* U+E000, just above them */
        "\xEF\xBF\xBD",     /* U+FFFD */
        "\xEF\xBB\xBF",     /* BOM as a character */
        "\xF0\x90\x80\x80", /* U+10000, smallest 4-byte */
        "\xF0\x9F\x98\x80", /* emoji */
        "\xF4\x8F\xBF\xBF", /* U+10FFFF, the largest code point */
        "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E", /* 日本語 */
    };
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
        size_t bad = 12345;
        ck_assert_msg(valid(ok[i], strlen(ok[i]), &bad), "rejected case %zu", i);
        ck_assert_uint_eq(bad, 12345); /* untouched on success */
    }
    /* an embedded NUL is a valid code point for the validator (callers reject NUL) */
    ck_assert(valid("a\0b", 3, NULL));
}
END_TEST

START_TEST(utf8_overlongs)
{
    assert_invalid_at("\xC0\x80", 2, 0);          /* NUL as 2 bytes */
    assert_invalid_at("\xC1\xBF", 2, 0);          /* U+007F as 2 bytes */
    assert_invalid_at("ab\xE0\x80\x80", 5, 2);    /* NUL as 3 bytes */
    assert_invalid_at("\xE0\x9F\xBF", 3, 0);      /* U+07FF as 3 bytes */
    assert_invalid_at("\xF0\x80\x80\x80", 4, 0);  /* NUL as 4 bytes */
    assert_invalid_at("x\xF0\x8F\xBF\xBF", 5, 1); /* U+FFFF as 4 bytes */
    assert_invalid_at("\xC0\xAF", 2, 0);          /* the classic overlong '/' */
}
END_TEST

START_TEST(utf8_surrogates)
{
    assert_invalid_at("\xED\xA0\x80", 3, 0);    /* U+D800 */
    assert_invalid_at("ok \xED\xAD\xBF", 6, 3); /* U+DB7F */
    assert_invalid_at("\xED\xB0\x80", 3, 0);    /* U+DC00 */
    assert_invalid_at("\xED\xBF\xBF", 3, 0);    /* U+DFFF */
    /* a CESU-8 style pair (two encoded surrogates) is not UTF-8 either */
    assert_invalid_at("\xED\xA0\xBD\xED\xB8\x80", 6, 0);
}
END_TEST

START_TEST(utf8_above_max)
{
    assert_invalid_at("\xF4\x90\x80\x80", 4, 0); /* U+110000 */
    assert_invalid_at("a\xF5\x80\x80\x80", 5, 1);
    assert_invalid_at("\xF7\xBF\xBF\xBF", 4, 0);
    assert_invalid_at("\xF8\x88\x80\x80\x80", 5, 0); /* old 5-byte form */
    assert_invalid_at("\xFC\x84\x80\x80\x80\x80", 6, 0);
    assert_invalid_at("\xFE", 1, 0);
    assert_invalid_at("abc\xFF", 4, 3);
}
END_TEST

START_TEST(utf8_truncated_and_stray)
{
    assert_invalid_at("\xC3", 1, 0);
    assert_invalid_at("ab\xE2\x82", 4, 2); /* € missing its last byte at the end */
    assert_invalid_at("\xE2\x82"
                      "A",
                      3, 0); /* ... and before an ASCII byte */
    assert_invalid_at("\xF0\x9F\x98", 3, 0);
    assert_invalid_at("\xF0\x9F\x98"
                      "\xE2\x82\xAC",
                      6, 0);
    assert_invalid_at("\x80", 1, 0);         /* lone continuation byte */
    assert_invalid_at("\xC3\xA9\xA9", 3, 2); /* one continuation too many */
    /* the length bounds the check: a valid sequence cut by len is invalid */
    assert_invalid_at("\xE2\x82\xAC", 2, 0);
    ck_assert(valid("\xE2\x82\xAC"
                    "\xFF",
                    3, NULL));
}
END_TEST

START_TEST(utf8_decode)
{
    unsigned cp = 0;
    ck_assert_uint_eq(ev_utf8_decode("A", 1, &cp), 1);
    ck_assert_uint_eq(cp, 0x41);
    ck_assert_uint_eq(ev_utf8_decode("\xC3\xA9", 2, &cp), 2);
    ck_assert_uint_eq(cp, 0xE9);
    ck_assert_uint_eq(ev_utf8_decode("\xE2\x82\xAC"
                                     "more",
                                     7, &cp),
                      3);
    ck_assert_uint_eq(cp, 0x20AC);
    ck_assert_uint_eq(ev_utf8_decode("\xF4\x8F\xBF\xBF", 4, &cp), 4);
    ck_assert_uint_eq(cp, 0x10FFFF);
    ck_assert_uint_eq(ev_utf8_decode("\xF0\x9F\x98\x80", 4, &cp), 4);
    ck_assert_uint_eq(cp, 0x1F600);
    ck_assert_uint_eq(ev_utf8_decode("", 0, &cp), 0);
    ck_assert_uint_eq(ev_utf8_decode("\xE2\x82\xAC", 2, &cp), 0);
    ck_assert_uint_eq(ev_utf8_decode("\xED\xA0\x80", 3, &cp), 0);
    ck_assert_uint_eq(ev_utf8_decode("\xC0\x80", 2, &cp), 0);
    ck_assert_uint_eq(ev_utf8_decode("\xF4\x90\x80\x80", 4, &cp), 0);
    ck_assert_uint_eq(ev_utf8_decode("\xBF", 1, &cp), 0);
}
END_TEST

START_TEST(utf8_sanitize)
{
    size_t n = 99;
    char *s = ev_utf8_sanitize("caf\xC3\xA9 ok", 8, &n);
    ck_assert_str_eq(s, "caf\xC3\xA9 ok");
    ck_assert_uint_eq(n, 0);
    free(s);

    s = ev_utf8_sanitize("a\xFF"
                         "b",
                         3, &n);
    ck_assert_str_eq(s, "a\xEF\xBF\xBD"
                        "b");
    ck_assert_uint_eq(n, 1);
    free(s);

    /* overlong: neither byte can start or continue a sequence here, two replacements */
    s = ev_utf8_sanitize("<\xC0\xAF>", 4, &n);
    ck_assert_str_eq(s, "<\xEF\xBF\xBD\xEF\xBF\xBD>");
    ck_assert_uint_eq(n, 2);
    free(s);

    /* an encoded surrogate: three bytes, three replacements (as Unicode recommends) */
    s = ev_utf8_sanitize("\xED\xA0\x80", 3, &n);
    ck_assert_str_eq(s, "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
    ck_assert_uint_eq(n, 3);
    free(s);

    s = ev_utf8_sanitize("\xF4\x90\x80\x80!", 5, &n);
    ck_assert_uint_eq(n, 4);
    ck_assert_str_eq(s + 12, "!");
    free(s);

    /* a truncated sequence: the result is valid UTF-8 and the text after it survives */
    s = ev_utf8_sanitize("x\xE2\x82"
                         "y\xE2\x82\xAC",
                         7, &n);
    ck_assert(valid(s, strlen(s), NULL));
    ck_assert_uint_ge(n, 1);
    ck_assert_int_eq(s[0], 'x');
    ck_assert_ptr_nonnull(strstr(s, "y\xE2\x82\xAC"));
    free(s);

    /* replaced may be NULL; an empty input gives an empty string */
    s = ev_utf8_sanitize("", 0, NULL);
    ck_assert_str_eq(s, "");
    free(s);

    /* the output is always valid, whatever the input */
    char all[256];
    for (int i = 0; i < 256; i++)
        all[i] = (char)(i + 1 == 256 ? 0x7F : i + 1);
    s = ev_utf8_sanitize(all, sizeof all, &n);
    ck_assert(valid(s, strlen(s), NULL));
    ck_assert_uint_eq(n, 128); /* every byte >= 0x80 is bad on its own */
    free(s);
}
END_TEST

/* ---- dates ---- */

START_TEST(date_parse_valid)
{
    ck_assert_int_eq(date_of("1970-01-01"), 0);
    ck_assert_int_eq(date_of("1970-01-02"), 86400);
    ck_assert_int_eq(date_of("1969-12-31"), -86400);
    ck_assert_int_eq(date_of("2000-01-01"), 946684800);
    ck_assert_int_eq(date_of("2026-09-30"), 1790726400);
    ck_assert_int_eq(date_of("2026-12-31") - date_of("2026-01-01"), 364 * 86400);
    ck_assert_int_eq(date_of("1900-01-01"), -2208988800LL);
    ck_assert_int_eq(date_of("9999-12-31"), 253402214400LL);
}
END_TEST

START_TEST(date_parse_rejects)
{
    static const char *const bad[] = {
        "2026-02-30",  "2026-02-29",  "2026-13-01", "2026-00-10", "2026-01-00",
        "2026-01-32",  "2026-04-31",  "2026-06-31", "2026-09-31", "2026-11-31",
        "2026-1-01",   "2026-01-1",   "26-01-01",   "2026/01/01", "2026-01-01T00:00:00Z",
        "2026-01-01 ", " 2026-01-01", "2026-0a-01", "",           "20260101",
        "2026-01-01x", "1899-12-31",  "+026-01-01", "2026--1-01",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        int64_t t = 77;
        ck_assert_msg(!ev_date_parse(bad[i], &t), "accepted \"%s\"", bad[i]);
        ck_assert_int_eq(t, 77); /* untouched on failure */
    }
    int64_t t;
    ck_assert(!ev_date_parse(NULL, &t));
}
END_TEST

START_TEST(date_leap_years)
{
    ck_assert_int_eq(date_of("2024-03-01") - date_of("2024-02-29"), 86400);
    ck_assert_int_eq(date_of("2000-03-01") - date_of("2000-02-29"), 86400); /* 400 rule */
    int64_t t;
    ck_assert(!ev_date_parse("1900-02-29", &t)); /* 100 rule */
    ck_assert(!ev_date_parse("2100-02-29", &t));
    ck_assert(!ev_date_parse("2023-02-29", &t));
    ck_assert(ev_date_parse("2400-02-29", &t));
    ck_assert(ev_date_parse("1904-02-29", &t));
    ck_assert_int_eq(date_of("2025-01-01") - date_of("2024-01-01"), 366 * 86400);
    ck_assert_int_eq(date_of("2101-01-01") - date_of("2100-01-01"), 365 * 86400);
    ck_assert_int_eq(ev_days_from_civil(2000, 3, 1), 11017);
    ck_assert_int_eq(ev_days_from_civil(1970, 1, 1), 0);
    ck_assert_int_eq(ev_days_from_civil(1600, 3, 1), -135080);
}
END_TEST

START_TEST(timestamp_parse)
{
    int64_t day = date_of("2022-10-28");
    int64_t base = day + 16 * 3600 + 10 * 60;
    ck_assert_int_eq(ts_of("2022-10-28T16:10:00Z"), base);
    ck_assert_int_eq(ts_of("2022-10-28T16:10:00.093Z"), base); /* fraction dropped */
    ck_assert_int_eq(ts_of("2022-10-28T16:10:00.123456789Z"), base);
    ck_assert_int_eq(ts_of("2022-10-28T16:10:00,5Z"), base);
    ck_assert_int_eq(ts_of("2022-10-28T16:10:00z"), base);
    ck_assert_int_eq(ts_of("2022-10-28t16:10:00Z"), base);
    ck_assert_int_eq(ts_of("2022-10-28 16:10:00Z"), base);
    ck_assert_int_eq(ts_of("2022-10-28T16:10Z"), base);   /* seconds optional */
    ck_assert_int_eq(ts_of("2022-10-28T16:10:00"), base); /* no zone: taken as UTC */
    ck_assert_int_eq(ts_of("2022-10-28T18:10:00+02:00"), base);
    ck_assert_int_eq(ts_of("2022-10-28T18:10:00.5+02:00"), base);
    ck_assert_int_eq(ts_of("2022-10-28T18:10:00+0200"), base);
    ck_assert_int_eq(ts_of("2022-10-28T11:40:00-04:30"), base);
    ck_assert_int_eq(ts_of("2022-10-28T16:10:00+00:00"), base);
    ck_assert_int_eq(ts_of("2022-10-28T16:10:00-00:00"), base);
    /* offsets move across midnight, month and year ends */
    ck_assert_int_eq(ts_of("2026-01-01T01:00:00+02:00"), date_of("2025-12-31") + 23 * 3600);
    ck_assert_int_eq(ts_of("2025-12-31T23:30:00-01:00"), date_of("2026-01-01") + 30 * 60);
    /* a bare date is its midnight */
    ck_assert_int_eq(ts_of("2022-10-28"), day);
    ck_assert_int_eq(ts_of("1969-12-31T23:59:59Z"), -1);
    ck_assert_int_eq(ts_of("2016-12-31T23:59:60Z"), date_of("2017-01-01")); /* leap second */
    ck_assert_int_eq(ts_of("2020-06-02T14:02:52.397Z"), 1591106572);
}
END_TEST

START_TEST(timestamp_rejects)
{
    static const char *const bad[] = {
        "2026-02-30T00:00:00Z",
        "2026-13-01T00:00:00Z",
        "2026-1-01T00:00:00Z",
        "2026-01-01T24:00:00Z",
        "2026-01-01T23:60:00Z",
        "2026-01-01T23:59:61Z",
        "2026-01-01T1:00:00Z",
        "2026-01-01T10:0:00Z",
        "2026-01-01T10:00:0Z",
        "2026-01-01T10:00:00.Z",
        "2026-01-01T10:00:00Q",
        "2026-01-01T10:00:00+2",
        "2026-01-01T10:00:00+02:0",
        "2026-01-01T10:00:00Z ",
        "2026-01-01T",
        "2026-01-01X10:00:00Z",
        "2026-01-01T10",
        "",
        "yesterday",
        "2026-01-01T10:00:00ZZ",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        int64_t t = 77;
        ck_assert_msg(!ev_timestamp_parse(bad[i], &t), "accepted \"%s\"", bad[i]);
        ck_assert_int_eq(t, 77);
    }
    int64_t t;
    ck_assert(!ev_timestamp_parse(NULL, &t));
}
END_TEST

START_TEST(date_format_round_trip)
{
    static const char *const dates[] = {"1900-01-01", "1900-02-28", "1900-03-01", "1960-02-29",
                                        "1969-12-31", "1970-01-01", "1999-12-31", "2000-02-29",
                                        "2024-02-29", "2026-09-30", "2038-01-19", "2100-03-01",
                                        "9999-12-31"};
    for (size_t i = 0; i < sizeof dates / sizeof *dates; i++) {
        char buf[11];
        memset(buf, 'x', sizeof buf);
        ev_date_format(date_of(dates[i]), buf);
        ck_assert_str_eq(buf, dates[i]);
        /* any second of the day formats as that day, also before 1970 */
        ev_date_format(date_of(dates[i]) + 86399, buf);
        ck_assert_str_eq(buf, dates[i]);
        ev_date_format(date_of(dates[i]) + 43210, buf);
        ck_assert_str_eq(buf, dates[i]);
    }
    char buf[11];
    ev_date_format(-1, buf);
    ck_assert_str_eq(buf, "1969-12-31");
    ev_date_format(-86400, buf);
    ck_assert_str_eq(buf, "1969-12-31");
    ev_date_format(-86401, buf);
    ck_assert_str_eq(buf, "1969-12-30");
}
END_TEST

START_TEST(timestamp_format_round_trip)
{
    static const char *const stamps[] = {
        "1900-01-01T00:00:00Z", "1950-06-15T12:34:56Z", "1969-12-31T23:59:59Z",
        "1970-01-01T00:00:00Z", "1970-01-01T00:00:01Z", "2000-02-29T23:59:59Z",
        "2022-10-28T16:10:00Z", "2038-01-19T03:14:08Z", "2100-12-31T00:00:00Z",
        "9999-12-31T23:59:59Z",
    };
    for (size_t i = 0; i < sizeof stamps / sizeof *stamps; i++) {
        char buf[21];
        memset(buf, 'x', sizeof buf);
        int64_t t = ts_of(stamps[i]);
        ev_timestamp_format(t, buf);
        ck_assert_str_eq(buf, stamps[i]);
        ck_assert_int_eq(ts_of(buf), t);
    }
    char buf[21];
    ev_timestamp_format(-1, buf);
    ck_assert_str_eq(buf, "1969-12-31T23:59:59Z");
    ev_timestamp_format(-86400 - 3661, buf);
    ck_assert_str_eq(buf, "1969-12-30T22:58:59Z");
    ev_timestamp_format(ts_of("2022-10-28T18:10:00.093+02:00"), buf);
    ck_assert_str_eq(buf, "2022-10-28T16:10:00Z");
}
END_TEST

/* ---- strmap ---- */

START_TEST(strmap_basics)
{
    ev_strmap *m = ev_strmap_new();
    size_t v = 0;
    ck_assert_uint_eq(ev_strmap_count(m), 0);
    ck_assert(!ev_strmap_get(m, "a", 1, &v));
    ev_strmap_put(m, "securityhub:IAM.6", 1);
    ev_strmap_put(m, "securityhub:IAM.5", 2);
    ev_strmap_put(m, "", 3);
    ck_assert_uint_eq(ev_strmap_count(m), 3);
    ck_assert(ev_strmap_get(m, "securityhub:IAM.6", 17, &v));
    ck_assert_uint_eq(v, 1);
    ck_assert(ev_strmap_get(m, "", 0, &v));
    ck_assert_uint_eq(v, 3);
    /* replacing keeps the count */
    ev_strmap_put(m, "securityhub:IAM.6", 42);
    ck_assert_uint_eq(ev_strmap_count(m), 3);
    ck_assert(ev_strmap_get(m, "securityhub:IAM.6", 17, &v));
    ck_assert_uint_eq(v, 42);
    /* lookups use key[0..len): a prefix or a longer key is another key */
    ck_assert(!ev_strmap_get(m, "securityhub:IAM.", 16, &v));
    ck_assert(ev_strmap_get(m, "securityhub:IAM.5 and more", 17, &v));
    ck_assert_uint_eq(v, 2);
    ck_assert(!ev_strmap_get(m, "securityhub:iam.5", 17, &v)); /* case-sensitive */
    /* the key is copied */
    char key[] = "copied";
    ev_strmap_put(m, key, 7);
    key[0] = 'X';
    ck_assert(ev_strmap_get(m, "copied", 6, &v));
    ck_assert_uint_eq(v, 7);
    ck_assert(!ev_strmap_get(m, "Xopied", 6, &v));
    ev_strmap_free(m);
    ev_strmap_free(NULL);
}
END_TEST

START_TEST(strmap_grows)
{
    ev_strmap *m = ev_strmap_new();
    char key[32];
    for (size_t i = 0; i < 5000; i++) {
        snprintf(key, sizeof key, "8.%zu.%zu", i / 10, i % 10);
        ev_strmap_put(m, key, i);
    }
    ck_assert_uint_eq(ev_strmap_count(m), 5000);
    for (size_t i = 0; i < 5000; i++) {
        size_t v = 0;
        snprintf(key, sizeof key, "8.%zu.%zu", i / 10, i % 10);
        ck_assert_msg(ev_strmap_get(m, key, strlen(key), &v), "lost %s", key);
        ck_assert_uint_eq(v, i);
    }
    size_t v = 0;
    ck_assert(!ev_strmap_get(m, "8.500.0", 7, &v));
    ev_strmap_free(m);
}
END_TEST

/* ---- buf ---- */

START_TEST(buf_basics)
{
    ev_buf b = EV_BUF_INIT;
    ck_assert_str_eq(ev_buf_cstr(&b), ""); /* never NULL, even before any write */
    ev_buf_puts(&b, "abc");
    ev_buf_putc(&b, '-');
    ev_buf_put(&b, "x\0y", 3); /* binary-safe */
    ck_assert_uint_eq(b.len, 7);
    ck_assert_int_eq(memcmp(b.data, "abc-x\0y", 8), 0); /* and NUL-terminated */
    ev_buf_clear(&b);
    ck_assert_uint_eq(b.len, 0);
    ck_assert_str_eq(ev_buf_cstr(&b), "");
    ev_buf_printf(&b, "%s:%d:%ld", "file", 12, 37L);
    ev_buf_printf(&b, "%s", "");
    ck_assert_str_eq(ev_buf_cstr(&b), "file:12:37");
    ck_assert_uint_eq(b.len, 10);
    ev_buf_put(&b, NULL, 0);
    ck_assert_uint_eq(b.len, 10);
    char *s = ev_buf_detach(&b);
    ck_assert_str_eq(s, "file:12:37");
    free(s);
    ck_assert_ptr_null(b.data);
    ck_assert_uint_eq(b.len, 0);
    ck_assert_uint_eq(b.cap, 0);
    /* detaching an unused buffer gives an empty string, not NULL */
    s = ev_buf_detach(&b);
    ck_assert_str_eq(s, "");
    free(s);
    /* reserving space in a fresh buffer still leaves a C string */
    ev_buf_reserve(&b, 100);
    ck_assert_str_eq(ev_buf_cstr(&b), "");
    ck_assert_uint_eq(b.len, 0);
    s = ev_buf_detach(&b);
    ck_assert_str_eq(s, "");
    free(s);
    ev_buf_free(&b);
    ev_buf_free(&b); /* twice is harmless */
}
END_TEST

START_TEST(buf_grows)
{
    ev_buf b = EV_BUF_INIT;
    for (int i = 0; i < 10000; i++)
        ev_buf_printf(&b, "%04d,", i);
    ck_assert_uint_eq(b.len, 50000);
    ck_assert_uint_gt(b.cap, b.len);
    ck_assert_int_eq(strncmp(b.data, "0000,0001,", 10), 0);
    ck_assert_str_eq(b.data + 49995, "9999,");
    /* a long formatted piece in one call */
    ev_buf_clear(&b);
    ev_buf_printf(&b, "%5000s|", "");
    ck_assert_uint_eq(b.len, 5001);
    ck_assert_int_eq(b.data[5000], '|');
    ev_buf_reserve(&b, 100000);
    ck_assert_uint_ge(b.cap, b.len + 100001);
    ck_assert_uint_eq(b.len, 5001);
    ev_buf_free(&b);
}
END_TEST

START_TEST(xalloc)
{
    ck_assert_ptr_null(ev_xstrdup(NULL));
    char *s = ev_xstrdup("hello");
    ck_assert_str_eq(s, "hello");
    free(s);
    s = ev_xstrndup("hello", 3);
    ck_assert_str_eq(s, "hel");
    free(s);
    char *z = ev_xcalloc(0, 0); /* zero sizes still give a pointer */
    ck_assert_ptr_nonnull(z);
    free(z);
    int *p = ev_xcalloc(16, sizeof *p);
    for (int i = 0; i < 16; i++)
        ck_assert_int_eq(p[i], 0);
    p = ev_xrealloc(p, 1024 * sizeof *p);
    p[1023] = 5;
    free(p);
    free(ev_xmalloc(0));
}
END_TEST

/* ---- status ---- */

START_TEST(status_format)
{
    ev_error err;
    char buf[256];
    ck_assert_int_eq(
        ev_error_set(&err, EV_ERR_INPUT, "findings.json", 12, 37, "unexpected '%c'", '{'),
        EV_ERR_INPUT);
    ck_assert_int_eq(err.status, EV_ERR_INPUT);
    ev_error_format(&err, buf, sizeof buf);
    ck_assert_str_eq(buf, "findings.json:12:37: unexpected '{'");

    ev_error_set(&err, EV_ERR_IO, "dir", 0, 0, "is a directory");
    ev_error_format(&err, buf, sizeof buf);
    ck_assert_str_eq(buf, "dir: is a directory");

    ev_error_set(&err, EV_ERR_USAGE, NULL, 0, 0, "as-of date: expected %s", "YYYY-MM-DD");
    ck_assert_str_eq(err.file, "");
    ev_error_format(&err, buf, sizeof buf);
    ck_assert_str_eq(buf, "as-of date: expected YYYY-MM-DD");

    /* an unknown column is left out, not invented */
    ev_error_set(&err, EV_ERR_INPUT, "scope.json", 7, 0, "bad");
    ev_error_format(&err, buf, sizeof buf);
    ck_assert_str_eq(buf, "scope.json:7: bad");

    /* a small buffer truncates, still NUL-terminated */
    ev_error_set(&err, EV_ERR_INPUT, "findings.json", 1, 2, "message");
    char small[8];
    ev_error_format(&err, small, sizeof small);
    ck_assert_str_eq(small, "finding");

    /* long file names and messages are cut to the fields' sizes, never overflow */
    char longname[2000];
    memset(longname, 'n', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    ev_error_set(&err, EV_ERR_INPUT, longname, 1, 1, "%s", longname);
    ck_assert_uint_eq(strlen(err.file), sizeof err.file - 1);
    ck_assert_uint_eq(strlen(err.msg), sizeof err.msg - 1);

    ev_error_clear(&err);
    ck_assert_int_eq(err.status, EV_OK);
    ck_assert_int_eq(err.line, 0);
    ck_assert_str_eq(err.file, "");
    ev_error_clear(NULL);
    /* a NULL err just returns the status */
    ck_assert_int_eq(ev_error_set(NULL, EV_ERR_OUTPUT, "x", 1, 1, "y"), EV_ERR_OUTPUT);
}
END_TEST

START_TEST(status_strings)
{
    ck_assert_str_eq(ev_strerror(EV_OK), "no error");
    ck_assert_str_eq(ev_strerror(EV_ERR_INPUT), "input error");
    for (int s = 0; s < EV_STATUS_COUNT; s++) {
        ck_assert_ptr_nonnull(ev_strerror((ev_status)s));
        ck_assert_str_ne(ev_strerror((ev_status)s), "unknown status");
    }
    ck_assert_str_eq(ev_strerror(EV_STATUS_COUNT), "unknown status");
    ck_assert_str_eq(ev_strerror((ev_status)-1), "unknown status");
}
END_TEST

/* ---- JSON layout ---- */

/* The layout as first defined: cJSON_Print, then every tab rewritten (two spaces at the
 * start of a line, one space elsewhere) and a final newline. ev_json_print must match it
 * byte for byte. */
static char *reference_print(const cJSON *v)
{
    char *text = cJSON_Print(v);
    ck_assert_ptr_nonnull(text);
    ev_buf b = EV_BUF_INIT;
    bool line_start = true;
    for (const char *q = text; *q; q++) {
        if (*q == '\t') {
            ev_buf_put(&b, line_start ? "  " : " ", line_start ? 2 : 1);
            continue;
        }
        line_start = *q == '\n';
        ev_buf_putc(&b, *q);
    }
    ev_buf_putc(&b, '\n');
    cJSON_free(text);
    return ev_buf_detach(&b);
}

static void expect_layout(const cJSON *v, const char *what)
{
    char *want = reference_print(v), *got = ev_json_print(v);
    ck_assert_ptr_nonnull(got);
    ck_assert_msg(strcmp(want, got) == 0, "layout differs for %s", what);
    free(want);
    free(got);
}

/* Every JSON file under dir (recursively); returns how many were compared. */
static size_t layout_tree(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        struct stat st;
        if (stat(path, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode)) {
            n += layout_tree(path);
            continue;
        }
        size_t len = strlen(e->d_name);
        if (len < 5 || strcmp(e->d_name + len - 5, ".json") != 0)
            continue;
        FILE *fp = fopen(path, "rb");
        ck_assert_ptr_nonnull(fp);
        ev_buf text = EV_BUF_INIT;
        char chunk[65536];
        size_t got;
        while ((got = fread(chunk, 1, sizeof chunk, fp)) > 0)
            ev_buf_put(&text, chunk, got);
        fclose(fp);
        cJSON *v = cJSON_ParseWithLength(text.data ? text.data : "", text.len);
        if (v) {
            expect_layout(v, path);
            n++;
        }
        cJSON_Delete(v);
        ev_buf_free(&text);
    }
    closedir(d);
    return n;
}

START_TEST(json_layout_matches_cjson)
{
    /* every JSON document in the source tree: frameworks, samples, test data, goldens */
    size_t n = layout_tree(ev_test_path("frameworks")) + layout_tree(ev_test_path("samples")) +
               layout_tree(ev_test_path("tests"));
    ck_assert_uint_gt(n, 50);

    /* edge cases: empty containers at depth, numbers of every kind, every escape */
    cJSON *root = cJSON_CreateObject();
    cJSON_AddItemToObject(root, "empty_object", cJSON_CreateObject());
    cJSON_AddItemToObject(root, "empty_array", cJSON_CreateArray());
    cJSON *nested = cJSON_CreateArray();
    cJSON *inner = cJSON_CreateObject();
    cJSON_AddItemToObject(inner, "deep", cJSON_CreateObject());
    cJSON_AddItemToObject(inner, "list", cJSON_CreateArray());
    cJSON_AddItemToArray(nested, inner);
    cJSON_AddItemToArray(nested, cJSON_CreateObject());
    cJSON_AddItemToArray(nested, cJSON_CreateArray());
    cJSON_AddItemToObject(root, "nested", nested);
    static const double numbers[] = {
        0.0,     -0.0,        1.0,          -1.0,         0.1,           1e-7,          1e300,
        -1e300,  123456789.0, 2147483647.0, 2147483648.0, -2147483648.0, -2147483649.0, 1.0 / 3.0,
        DBL_MAX, DBL_MIN,     4.35,         NAN,          INFINITY};
    cJSON *nums = cJSON_CreateArray();
    for (size_t i = 0; i < sizeof numbers / sizeof *numbers; i++)
        cJSON_AddItemToArray(nums, cJSON_CreateNumber(numbers[i]));
    cJSON_AddItemToObject(root, "numbers", nums);
    char all[128];
    for (int i = 1; i < 128; i++)
        all[i - 1] = (char)i;
    all[127] = '\0';
    cJSON_AddStringToObject(root, "ascii", all);
    cJSON_AddStringToObject(root, "utf8 \xc3\xa9 key \x7f", "\xe2\x82\xac \xf0\x9f\x98\x80 \x7f");
    cJSON_AddItemToObject(root, "", cJSON_CreateString(""));
    cJSON_AddBoolToObject(root, "t", 1);
    cJSON_AddBoolToObject(root, "f", 0);
    cJSON_AddNullToObject(root, "n");
    cJSON_AddItemToObject(root, "raw", cJSON_CreateRaw("{\"x\":1}"));
    expect_layout(root, "edge cases");
    expect_layout(nested, "an array at the top");
    expect_layout(cJSON_GetObjectItem(root, "ascii"), "a string at the top");
    cJSON_Delete(root);
}
END_TEST

/* ---- SHA-256 on a helper thread ---- */

/* The background digest equals the direct one, whatever the sizes of the updates: around
 * the 256 KiB block size, across many blocks (the thread waits for free blocks), none. */
START_TEST(sha256_background)
{
    size_t total = (size_t)5 << 20;
    unsigned char *data = ev_xmalloc(total);
    uint32_t x = 12345;
    for (size_t i = 0; i < total; i++) {
        x = x * 1103515245u + 12345u;
        data[i] = (unsigned char)(x >> 24);
    }
    static const size_t sizes[] = {0, 1, 262143, 262144, 262145, 1048576, 3u << 20, 5u << 20};
    static const size_t steps[] = {1, 4096, 65536, 262144, 1000003};
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++)
        for (size_t k = 0; k < sizeof steps / sizeof *steps; k++) {
            if (steps[k] == 1 && sizes[i] > 262145)
                continue; /* byte by byte only around one block */
            char want[65], got[65];
            ev_sha256_buf(data, sizes[i], want);
            ev_sha256 *h = ev_sha256_new_background();
            for (size_t at = 0; at < sizes[i]; at += steps[k])
                ev_sha256_update(h, data + at, sizes[i] - at < steps[k] ? sizes[i] - at : steps[k]);
            ev_sha256_final(h, got);
            ck_assert_msg(strcmp(want, got) == 0, "size %zu in steps of %zu", sizes[i], steps[k]);
        }
    free(data);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("util");
    TCase *tc = tcase_create("utf8");
    tcase_add_test(tc, utf8_valid_text);
    tcase_add_test(tc, utf8_overlongs);
    tcase_add_test(tc, utf8_surrogates);
    tcase_add_test(tc, utf8_above_max);
    tcase_add_test(tc, utf8_truncated_and_stray);
    tcase_add_test(tc, utf8_decode);
    tcase_add_test(tc, utf8_sanitize);
    suite_add_tcase(s, tc);

    tc = tcase_create("date");
    tcase_add_test(tc, date_parse_valid);
    tcase_add_test(tc, date_parse_rejects);
    tcase_add_test(tc, date_leap_years);
    tcase_add_test(tc, timestamp_parse);
    tcase_add_test(tc, timestamp_rejects);
    tcase_add_test(tc, date_format_round_trip);
    tcase_add_test(tc, timestamp_format_round_trip);
    suite_add_tcase(s, tc);

    tc = tcase_create("strmap");
    tcase_add_test(tc, strmap_basics);
    tcase_add_test(tc, strmap_grows);
    suite_add_tcase(s, tc);

    tc = tcase_create("buf");
    tcase_add_test(tc, buf_basics);
    tcase_add_test(tc, buf_grows);
    tcase_add_test(tc, xalloc);
    suite_add_tcase(s, tc);

    tc = tcase_create("sha256");
    tcase_add_test(tc, sha256_background);
    suite_add_tcase(s, tc);

    tc = tcase_create("json_print");
    tcase_add_test(tc, json_layout_matches_cjson);
    suite_add_tcase(s, tc);

    tc = tcase_create("status");
    tcase_add_test(tc, status_format);
    tcase_add_test(tc, status_strings);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return ev_run_suite(suite());
}
