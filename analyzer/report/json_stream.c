/* json_stream.c — a JSON document written member by member in json-c's own pretty layout
 * (RFC 8259 text as json-c 0.16 prints it with PRETTY | SPACED: two spaces per level,
 * "key": value, a newline after every opening bracket, so an empty container is "[" newline,
 * indentation, "]"), so a report never needs its whole tree in memory. test_json_stream holds
 * the layout to the library's. */
#include "json_stream.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>

/* Remember the first failure only: later ones are its consequences. */
static void
fail(struct json_stream *s, int e)
{
    if (!s->err)
        s->err = e ? e : EIO;
}

static void
put_bytes(struct json_stream *s, const char *p, size_t n)
{
    /* one thread writes the report: no stream lock per piece (a report is 10⁵ pieces) */
    if (n && fwrite_unlocked(p, 1, n, s->out) != n)
        fail(s, errno);
}

/* json-c's indent(): two spaces per level (JSON_C_TO_STRING_PRETTY without _TAB). */
static void
put_indent(struct json_stream *s, int level)
{
    static const char spaces[] = "                                "; /* 32 */
    size_t n = (size_t)level * 2;
    while (n) {
        size_t k = n < sizeof(spaces) - 1 ? n : sizeof(spaces) - 1;
        put_bytes(s, spaces, k);
        n -= k;
    }
}

/*
 * Text that json-c printed at level 0, as it would have printed it at `level`: every line
 * after the first moves right by the indentation of that level. json-c escapes newlines in
 * strings, so every '\n' in the text is layout.
 */
static void
put_reindented(struct json_stream *s, const char *text, int level)
{
    const char *p = text;
    for (const char *nl; (nl = strchr(p, '\n')) != NULL; p = nl + 1) {
        put_bytes(s, p, (size_t)(nl - p + 1));
        put_indent(s, level);
    }
    put_bytes(s, p, strlen(p));
}

/*
 * Length of t's leading run of characters json-c would print as they are: not a control
 * character, '"', '\\', DEL, nor '/' (escaped without NOSLASHESCAPE; kept out to be safe).
 * A table, not strcspn: glibc's strcspn builds its table again on every call for a set this long.
 */
static size_t
plain_len(const char *t)
{
    /* the characters above, and the terminating NUL */
    static const bool escaped[256] = {
        [0 ... 0x1f] = true, ['"'] = true, ['\\'] = true, ['/'] = true, [0x7f] = true,
    };
    const unsigned char *p = (const unsigned char *)t;
    while (!escaped[*p])
        p++;
    return (size_t)(p - (const unsigned char *)t);
}

/* A key as json-c prints it: quoted, escaped like a string value. */
static void
put_key(struct json_stream *s, const char *key)
{
    size_t n = plain_len(key);
    if (key[n] == '\0') {
        put_bytes(s, "\"", 1);
        put_bytes(s, key, n);
        put_bytes(s, "\": ", 3);
        return;
    }
    struct json_object *k = json_object_new_string(key);
    const char *t = k ? json_object_to_json_string_ext(k, JSON_STREAM_FLAGS) : NULL;
    if (!t)
        fail(s, ENOMEM);
    else
        put_bytes(s, t, strlen(t));
    put_bytes(s, ": ", 2);
    json_object_put(k);
}

/* A value json-c would print by itself at `level`, printed by json-c (the rare cases). */
static void
put_by_jsonc(struct json_stream *s, struct json_object *v, int level)
{
    const char *t = json_object_to_json_string_ext(v, JSON_STREAM_FLAGS);
    if (t)
        put_reindented(s, t, level);
    else
        fail(s, ENOMEM);
}

/* The end of a container json-c printed at `level`: a newline after a last member, the
 * indentation, the bracket. */
static void
put_close(struct json_stream *s, int level, bool had, const char *bracket)
{
    if (had)
        put_bytes(s, "\n", 1);
    put_indent(s, level);
    put_bytes(s, bracket, 1);
}

/* Decimal digits of u, as printf's %llu writes them. */
static void
put_u64(struct json_stream *s, uint64_t u, bool minus)
{
    char buf[24], *p = buf + sizeof(buf);
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (minus)
        *--p = '-';
    put_bytes(s, p, (size_t)(buf + sizeof(buf) - p));
}

/*
 * v at nesting `level`, in json-c 0.16's layout (json_object_object_to_json_string and
 * friends with PRETTY | SPACED | NOSLASHESCAPE) without making its text first: containers,
 * integers, booleans, strings that need no escaping and doubles with their own text
 * (json_object_new_double_s) are written here, anything else is left to json-c. A report's
 * values are small trees of exactly these; test_json_stream holds the bytes to json-c's.
 */
static void
put_value(struct json_stream *s, struct json_object *v, int level)
{
    if (!v) {
        put_bytes(s, "null", 4);
        return;
    }
    switch (json_object_get_type(v)) {
    case json_type_object: {
        bool had = false;
        put_bytes(s, "{\n", 2);
        json_object_object_foreach(v, key, val) {
            if (had)
                put_bytes(s, ",\n", 2);
            had = true;
            put_indent(s, level + 1);
            put_key(s, key);
            put_value(s, val, level + 1);
        }
        put_close(s, level, had, "}");
        return;
    }
    case json_type_array: {
        size_t n = json_object_array_length(v);
        put_bytes(s, "[\n", 2);
        for (size_t i = 0; i < n; i++) {
            if (i)
                put_bytes(s, ",\n", 2);
            put_indent(s, level + 1);
            put_value(s, json_object_array_get_idx(v, i), level + 1);
        }
        put_close(s, level, n > 0, "]");
        return;
    }
    case json_type_int: {
        int64_t i = json_object_get_int64(v);
        if (i < 0)
            put_u64(s, (uint64_t)0 - (uint64_t)i, true);
        else /* a uint64 above INT64_MAX reads as INT64_MAX through get_int64 */
            put_u64(s, json_object_get_uint64(v), false);
        return;
    }
    case json_type_boolean:
        if (json_object_get_boolean(v))
            put_bytes(s, "true", 4);
        else
            put_bytes(s, "false", 5);
        return;
    case json_type_string: {
        const char *t = json_object_get_string(v);
        size_t n = (size_t)json_object_get_string_len(v);
        if (t && plain_len(t) == n) { /* no escape, no NUL inside */
            put_bytes(s, "\"", 1);
            put_bytes(s, t, n);
            put_bytes(s, "\"", 1);
            return;
        }
        break;
    }
    case json_type_double: {
        const char *own = json_object_get_userdata(v); /* json_object_new_double_s's text */
        if (own) {
            put_bytes(s, own, strlen(own));
            return;
        }
        break;
    }
    case json_type_null:
        put_bytes(s, "null", 4);
        return;
    }
    put_by_jsonc(s, v, level);
}

/* Stream mode: the separator and indentation before the next member of the open container
 * (json-c: ",\n" between members; the opening bracket brought the first newline). */
static void
put_separator(struct json_stream *s)
{
    int top = s->depth - 1;
    if (s->items[top])
        put_bytes(s, ",\n", 2);
    put_indent(s, s->depth);
    s->items[top] = true;
}

void
json_stream_init_file(struct json_stream *s, FILE *out)
{
    memset(s, 0, sizeof(*s));
    s->out = out;
}

void
json_stream_init_tree(struct json_stream *s)
{
    memset(s, 0, sizeof(*s));
}

void
json_stream_key(struct json_stream *s, const char *key)
{
    if (s->depth == 0 || s->array[s->depth - 1] || s->has_key) {
        fail(s, EINVAL);
        return;
    }
    s->has_key = true;
    if (s->out) {
        put_separator(s);
        put_key(s, key);
    } else if (strlen(key) >= sizeof(s->key)) {
        fail(s, EINVAL);
    } else {
        strcpy(s->key, key);
    }
}

/*
 * Check that a value may come now and, in stream mode, write what precedes it. In tree mode,
 * attach v to the open container (or make it the document). Returns false on misuse: the
 * caller then drops v.
 */
static bool
begin_value(struct json_stream *s, struct json_object *v)
{
    if (s->depth > 0 && !s->array[s->depth - 1] && !s->has_key) {
        fail(s, EINVAL);
        return false;
    }
    if (s->depth == 0 && (s->root || s->items[0])) {
        fail(s, EINVAL); /* a second document */
        return false;
    }
    s->has_key = false;
    if (s->out) {
        if (s->depth > 0 && s->array[s->depth - 1])
            put_separator(s);
        if (s->depth == 0)
            s->items[0] = true;
        return true;
    }
    if (s->depth == 0) {
        s->root = v;
        return true;
    }
    struct json_object *parent = s->open[s->depth - 1];
    int rc = s->array[s->depth - 1] ? json_object_array_add(parent, v)
                                    : json_object_object_add(parent, s->key, v);
    if (rc) {
        fail(s, ENOMEM);
        return false;
    }
    return true;
}

static void
open_container(struct json_stream *s, bool array)
{
    if (s->depth >= JSON_STREAM_MAX_DEPTH) {
        fail(s, EINVAL);
        return;
    }
    struct json_object *c = NULL;
    if (!s->out) {
        c = array ? json_object_new_array() : json_object_new_object();
        if (!c) {
            fail(s, ENOMEM);
            return;
        }
    }
    if (!begin_value(s, c)) {
        json_object_put(c);
        return;
    }
    if (s->out)
        put_bytes(s, array ? "[\n" : "{\n", 2);
    s->open[s->depth] = c;
    s->array[s->depth] = array;
    s->items[s->depth] = false;
    s->depth++;
}

void
json_stream_open_object(struct json_stream *s)
{
    open_container(s, false);
}

void
json_stream_open_array(struct json_stream *s)
{
    open_container(s, true);
}

void
json_stream_close(struct json_stream *s)
{
    if (s->depth == 0 || s->has_key) {
        fail(s, EINVAL);
        return;
    }
    s->depth--;
    if (!s->out)
        return;
    if (s->items[s->depth])
        put_bytes(s, "\n", 1);
    put_indent(s, s->depth);
    put_bytes(s, s->array[s->depth] ? "]" : "}", 1);
    s->items[s->depth] = s->depth == 0; /* the document is done */
}

void
json_stream_value(struct json_stream *s, struct json_object *v)
{
    if (!begin_value(s, v)) {
        json_object_put(v);
        return;
    }
    if (!s->out)
        return;
    if (!v) {
        put_bytes(s, "null", 4);
        return;
    }
    put_value(s, v, s->depth);
    json_object_put(v);
}

void
json_stream_member(struct json_stream *s, const char *key, struct json_object *v)
{
    json_stream_key(s, key);
    json_stream_value(s, v);
}

/* Stream mode: the key and what precedes the value; false on misuse (nothing to write then). */
static bool
begin_scalar(struct json_stream *s, const char *key)
{
    json_stream_key(s, key);
    return begin_value(s, NULL);
}

void
json_stream_member_string(struct json_stream *s, const char *key, const char *v)
{
    if (!s->out) {
        json_stream_member(s, key, v ? json_object_new_string(v) : NULL);
        return;
    }
    if (!begin_scalar(s, key))
        return;
    if (!v) {
        put_bytes(s, "null", 4);
        return;
    }
    size_t n = plain_len(v);
    if (v[n] == '\0') { /* no escape */
        put_bytes(s, "\"", 1);
        put_bytes(s, v, n);
        put_bytes(s, "\"", 1);
        return;
    }
    struct json_object *o = json_object_new_string(v);
    if (!o) {
        fail(s, ENOMEM);
        return;
    }
    put_by_jsonc(s, o, s->depth);
    json_object_put(o);
}

void
json_stream_member_int(struct json_stream *s, const char *key, int64_t v)
{
    if (!s->out) {
        json_stream_member(s, key, json_object_new_int64(v));
        return;
    }
    if (begin_scalar(s, key))
        put_u64(s, v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v, v < 0);
}

void
json_stream_member_uint(struct json_stream *s, const char *key, uint64_t v)
{
    if (!s->out) {
        json_stream_member(s, key, json_object_new_uint64(v));
        return;
    }
    if (begin_scalar(s, key))
        put_u64(s, v, false);
}

void
json_stream_member_bool(struct json_stream *s, const char *key, bool v)
{
    if (!s->out) {
        json_stream_member(s, key, json_object_new_boolean(v));
        return;
    }
    if (begin_scalar(s, key))
        put_bytes(s, v ? "true" : "false", v ? 4 : 5);
}

void
json_stream_member_null(struct json_stream *s, const char *key)
{
    if (!s->out) {
        json_stream_member(s, key, NULL);
        return;
    }
    if (begin_scalar(s, key))
        put_bytes(s, "null", 4);
}

void
json_stream_member_double_s(struct json_stream *s, const char *key, double v, const char *text)
{
    if (!s->out) {
        json_stream_member(s, key, json_object_new_double_s(v, text));
        return;
    }
    if (begin_scalar(s, key))
        put_bytes(s, text, strlen(text));
}

int
json_stream_finish(struct json_stream *s)
{
    if (s->depth != 0 || s->has_key)
        fail(s, EINVAL);
    if (s->out) {
        put_bytes(s, "\n", 1);
        if (fflush(s->out) != 0 || ferror(s->out))
            fail(s, errno);
    }
    if (s->err) {
        errno = s->err;
        return -1;
    }
    return 0;
}

struct json_object *
json_stream_take_tree(struct json_stream *s)
{
    struct json_object *t = s->root;
    s->root = NULL;
    if (s->err) {
        json_object_put(t);
        return NULL;
    }
    return t;
}
