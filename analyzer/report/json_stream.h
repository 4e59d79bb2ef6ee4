/* json_stream.h — a JSON document written member by member, byte for byte as json-c would
 * print the whole tree (JSON_C_TO_STRING_PRETTY | SPACED | NOSLASHESCAPE), so that only one
 * element of a large array is in memory at a time. The same calls can build the tree instead
 * (tree mode), which the unit tests compare against the streamed bytes. */
#ifndef VOIPDIAG_REPORT_JSON_STREAM_H
#define VOIPDIAG_REPORT_JSON_STREAM_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <json-c/json.h>

/* The flags every report value is printed with. */
#define JSON_STREAM_FLAGS                                                                          \
    (JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE)

#define JSON_STREAM_MAX_DEPTH 16

struct json_stream {
    FILE *out;                         /* stream mode; NULL in tree mode */
    int depth;                         /* containers open */
    bool items[JSON_STREAM_MAX_DEPTH]; /* the container at this depth has a member already */
    bool array[JSON_STREAM_MAX_DEPTH]; /* the container at this depth is an array */
    /* tree mode: the containers open, the document, the key of the next member */
    struct json_object *open[JSON_STREAM_MAX_DEPTH];
    struct json_object *root;
    char key[128];
    bool has_key; /* json_stream_key was called for the next member */
    int err;      /* the first errno (ENOMEM, write error, misuse = EINVAL) */
};

/* Write to out (borrowed). */
void json_stream_init_file(struct json_stream *s, FILE *out);

/* Build a json-c tree instead; take it with json_stream_take_tree. */
void json_stream_init_tree(struct json_stream *s);

/*
 * The next member of the enclosing object is called key (copied; at most 127 bytes). Keys must
 * be unique within their object: json-c would replace a duplicate in place, a stream cannot.
 */
void json_stream_key(struct json_stream *s, const char *key);

/* Open an object / an array as the next value (the document itself, a member, an element). */
void json_stream_open_object(struct json_stream *s);
void json_stream_open_array(struct json_stream *s);

/* Close the innermost container. */
void json_stream_close(struct json_stream *s);

/*
 * The next value is v (NULL = null), whole. Takes v: in stream mode it is printed and freed at
 * once, in tree mode it is added to the tree.
 */
void json_stream_value(struct json_stream *s, struct json_object *v);

/* json_stream_key then json_stream_value. */
void json_stream_member(struct json_stream *s, const char *key, struct json_object *v);

/*
 * Scalar members without a json-c value in stream mode (written at once; in tree mode they are
 * built and added as json_stream_member would): a string (NULL: null), integers, a boolean,
 * null, and a double printed as its own text (json_object_new_double_s). The same bytes as
 * json_stream_member with the matching json-c value, for the long lists of a report.
 */
void json_stream_member_string(struct json_stream *s, const char *key, const char *v);
void json_stream_member_int(struct json_stream *s, const char *key, int64_t v);
void json_stream_member_uint(struct json_stream *s, const char *key, uint64_t v);
void json_stream_member_bool(struct json_stream *s, const char *key, bool v);
void json_stream_member_null(struct json_stream *s, const char *key);
void json_stream_member_double_s(struct json_stream *s, const char *key, double v,
                                 const char *text);

/*
 * After the document's last close: 0, or -1 with errno set from the first failure (an
 * allocation, a write, or unbalanced calls). Stream mode writes the final newline.
 */
int json_stream_finish(struct json_stream *s);

/* Tree mode: the document built (the caller owns it), or NULL after a failure. */
struct json_object *json_stream_take_tree(struct json_stream *s);

#endif
