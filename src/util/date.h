/* date.h: calendar dates and ISO 8601 timestamps as seconds since the epoch (UTC),
 * computed without the C library's time zone machinery, so results never depend on
 * the machine. */
#ifndef EV_DATE_H
#define EV_DATE_H

#include <stdbool.h>
#include <stdint.h>

/* Days since 1970-01-01 for a proleptic Gregorian date (no validation). */
int64_t ev_days_from_civil(int y, int m, int d);

/* Parses "YYYY-MM-DD" exactly; rejects impossible dates (2026-02-30). On success stores
 * the epoch seconds of its midnight UTC in *out. */
bool ev_date_parse(const char *s, int64_t *out);

/* Parses an ISO 8601 / RFC 3339 timestamp ("2022-10-28T16:10:00.093Z", with an optional
 * fraction and a Z or +hh:mm offset; a bare date is accepted). Stores epoch seconds. */
bool ev_timestamp_parse(const char *s, int64_t *out);

/* Writes "YYYY-MM-DD" for epoch seconds t into buf (at least 11 bytes). */
void ev_date_format(int64_t t, char *buf);

/* Writes "YYYY-MM-DDTHH:MM:SSZ" for t into buf (at least 21 bytes). */
void ev_timestamp_format(int64_t t, char *buf);

#endif
