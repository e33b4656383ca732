/* fuzz_csv.c: the delimiter-separated text reader (ev_csv) alone, with small limits so
 * that the record and field limits are reached. The first byte picks the delimiter and
 * the limits; the rest is the text. Checks: fields are NUL-free, valid UTF-8 and as long
 * as they say; records and fields stay within the limits; positions lie in the input;
 * errors are input errors inside the input, and sticky. */
#include <string.h>

#include "fuzz.h"
#include "ingest/csv.h"
#include "util/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    ev_csv_options opt = {
        .delim = (data[0] & 1) ? ',' : ';',
        .max_record = (data[0] & 2) ? 64 : 0,
        .max_fields = (data[0] & 4) ? 4 : 0,
    };
    size_t max_fields = opt.max_fields ? opt.max_fields : 4096;
    data++, size--;
    FILE *fp = fz_fopen(data, size);
    ev_csv *c = ev_csv_new(fp, "input.csv", &opt);
    ev_status rc;
    ev_error err;
    size_t index = 0;
    long last_line = 0;
    for (;;) {
        ev_csv_record rec;
        int has = -1;
        memset(&err, 0, sizeof err);
        rc = ev_csv_next(c, &rec, &has, &err);
        if (rc != EV_OK || !has)
            break;
        FZ_ASSERT(rec.n >= 1 && rec.n <= max_fields);
        FZ_ASSERT(rec.index == index++);
        FZ_ASSERT(rec.line > last_line);
        last_line = rec.line;
        for (size_t i = 0; i < rec.n; i++) {
            const ev_csv_field *f = &rec.fields[i];
            FZ_ASSERT(strlen(f->text) == f->len);
            FZ_ASSERT(ev_utf8_valid(f->text, f->len, NULL));
            FZ_ASSERT(f->line >= rec.line && f->col >= 1);
            if (!f->quoted)
                FZ_ASSERT(!memchr(f->text, '\n', f->len) && !memchr(f->text, opt.delim, f->len));
        }
        FZ_ASSERT(ev_csv_offset(c) <= size);
    }
    if (rc != EV_OK) {
        fz_check_error(rc, &err, data, size, false);
        ev_csv_record rec;
        int has = -1;
        ev_error again;
        FZ_ASSERT(ev_csv_next(c, &rec, &has, &again) == rc);
        FZ_ASSERT(again.line == err.line && again.col == err.col);
    } else {
        FZ_ASSERT(ev_csv_offset(c) == size);
    }
    ev_csv_free(c);
    fz_fclose(fp);
    return 0;
}
