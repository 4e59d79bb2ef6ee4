/* summary.c — the batch summary as text, CSV and JSON; rows are read, never changed. */
#include "summary.h"

#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

static int
row_cmp(const void *pa, const void *pb)
{
    const struct batch_row *a = pa, *b = pb;
    int ra = batch_status_rank(a->status), rb = batch_status_rank(b->status);
    if (ra != rb)
        return rb - ra;
    return strcmp(a->name, b->name);
}

void
summary_sort(struct batch_row *rows, size_t n)
{
    if (n)
        qsort(rows, n, sizeof(*rows), row_cmp);
}

int
summary_worst(const struct batch_row *rows, size_t n)
{
    int worst = BATCH_PASS;
    for (size_t i = 0; i < n; i++)
        if (batch_status_rank(rows[i].status) > batch_status_rank(worst))
            worst = rows[i].status;
    return worst;
}

int
summary_write_text(const struct batch_row *rows, size_t n, FILE *out)
{
    size_t count[7] = {0}, skipped = 0;
    fprintf(out, "%-10s  %-32s %9s %7s %5s %6s  %-20s %s\n", "STATUS", "CAPTURE", "PACKETS",
            "FLOWS", "CALLS", "PHONES", "FAILING", "TOP FINDING / ERROR");
    for (size_t i = 0; i < n; i++) {
        const struct batch_row *r = &rows[i];
        count[r->status >= 0 && r->status < 7 ? r->status : BATCH_UNREADABLE]++;
        skipped += r->skipped;
        const char *what = r->status == BATCH_UNREADABLE || (!r->top_finding[0] && r->error[0])
                               ? r->error
                               : r->top_finding;
        fprintf(out, "%-10s%c %-32.32s %9llu %7llu %5llu %6llu  %-20.20s %.100s\n",
                batch_status_name(r->status), r->skipped ? '*' : ' ', r->name,
                (unsigned long long)r->packets, (unsigned long long)r->flows,
                (unsigned long long)r->calls, (unsigned long long)r->phones,
                r->failing[0] ? r->failing : "-", what[0] ? what : "-");
    }
    fprintf(out,
            "\n%zu captures: %zu FAIL, %zu WARN, %zu PASS, %zu cut short, %zu unreadable; "
            "%zu analysed, %zu skipped (* already in the index)\n",
            n, count[BATCH_FAIL], count[BATCH_WARN], count[BATCH_PASS], count[BATCH_CUT_SHORT],
            count[BATCH_UNREADABLE] + count[BATCH_INTERNAL], n - skipped, skipped);
    return ferror(out) ? -1 : 0;
}

static void
csv_field(FILE *out, const char *s, int last)
{
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', out);
        fputc(*s, out);
    }
    fputc('"', out);
    fputs(last ? "\r\n" : ",", out);
}

int
summary_write_csv(const struct batch_row *rows, size_t n, FILE *out)
{
    fputs("status,capture,path,sha256,size,packets,flows,calls,phones,findings,failing,"
          "top_finding,error,skipped\r\n",
          out);
    for (size_t i = 0; i < n; i++) {
        const struct batch_row *r = &rows[i];
        fprintf(out, "%s,", batch_status_name(r->status));
        csv_field(out, r->name, 0);
        csv_field(out, r->path, 0);
        fprintf(out, "%s,%llu,%llu,%llu,%llu,%llu,%llu,", r->sha256, (unsigned long long)r->size,
                (unsigned long long)r->packets, (unsigned long long)r->flows,
                (unsigned long long)r->calls, (unsigned long long)r->phones,
                (unsigned long long)r->findings_total);
        csv_field(out, r->failing, 0);
        csv_field(out, r->top_finding, 0);
        csv_field(out, r->error, 0);
        fprintf(out, "%s\r\n", r->skipped ? "true" : "false");
    }
    return ferror(out) ? -1 : 0;
}

static void
add_str(json_object *o, const char *k, const char *v)
{
    json_object_object_add(o, k, v && v[0] ? json_object_new_string(v) : NULL);
}

static void
add_u64(json_object *o, const char *k, uint64_t v)
{
    json_object_object_add(o, k, json_object_new_int64((int64_t)v));
}

int
summary_write_json(const struct batch_row *rows, size_t n, const char *tool_version, FILE *out)
{
    json_object *root = json_object_new_object(), *caps = json_object_new_array();
    if (!root || !caps) {
        json_object_put(root);
        json_object_put(caps);
        return -1;
    }
    json_object_object_add(root, "schema_version", json_object_new_int(1));
    add_str(root, "tool_version", tool_version);
    json_object_object_add(root, "exit_status", json_object_new_int(summary_worst(rows, n)));
    for (size_t i = 0; i < n; i++) {
        const struct batch_row *r = &rows[i];
        json_object *c = json_object_new_object(), *v = json_object_new_object();
        add_str(c, "capture", r->name);
        add_str(c, "path", r->path);
        add_str(c, "sha256", r->sha256);
        add_u64(c, "size", r->size);
        add_str(c, "status", batch_status_name(r->status));
        json_object_object_add(c, "exit_status", json_object_new_int(r->status));
        json_object_object_add(c, "skipped", json_object_new_boolean(r->skipped));
        add_str(c, "error", r->error);
        add_u64(c, "packets", r->packets);
        add_u64(c, "flows", r->flows);
        add_u64(c, "calls", r->calls);
        add_u64(c, "phones", r->phones);
        add_u64(c, "findings", r->findings_total);
        add_str(c, "first_time", r->first_time);
        add_str(c, "last_time", r->last_time);
        for (int q = 0; q < REQ__COUNT; q++)
            if (r->verdict[q][0])
                add_str(v, requirement_name((enum requirement_id)q), r->verdict[q]);
        json_object_object_add(c, "verdicts", v);
        add_str(c, "failing", r->failing);
        add_str(c, "top_finding", r->top_finding);
        json_object_array_add(caps, c);
    }
    json_object_object_add(root, "captures", caps);
    const char *s = json_object_to_json_string_ext(
        root, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE);
    fputs(s, out);
    fputc('\n', out);
    json_object_put(root);
    return ferror(out) ? -1 : 0;
}
