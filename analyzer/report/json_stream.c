/* json_stream.c — a JSON document written member by member in json-c's own pretty layout
 * (RFC 8259 text as json-c 0.16 prints it with PRETTY | SPACED: two spaces per level,
 * "key": value, a newline after every opening bracket, so an empty container is "[" newline,
 * indentation, "]"), so a report never needs its whole tree in memory. test_json_stream holds
 * the layout to the library's. */
#include "json_stream.h"

#include <errno.h>
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
    if (n && fwrite(p, 1, n, s->out) != n)
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

/* A key as json-c prints it: quoted, escaped like a string value. */
static void
put_key(struct json_stream *s, const char *key)
{
    size_t n = strcspn(key, "\"\\/\b\f\n\r\t\x01\x02\x03\x04\x05\x06\x07\x0b\x0e\x0f\x10\x11\x12"
                            "\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f\x7f");
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
    const char *t = json_object_to_json_string_ext(v, JSON_STREAM_FLAGS);
    if (t)
        put_reindented(s, t, s->depth);
    else
        fail(s, ENOMEM);
    json_object_put(v);
}

void
json_stream_member(struct json_stream *s, const char *key, struct json_object *v)
{
    json_stream_key(s, key);
    json_stream_value(s, v);
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
