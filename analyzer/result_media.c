/* result_media.c — the media part of a result (RFC 3550 streams): names and freeing. */
#include "result_media.h"

#include <stdlib.h>

#include "core/pool.h"

void
media_result_free(struct media_result *m)
{
    if (!m)
        return;
    free(m->streams);
    pool_free(m->calls, m->calls_mapped);
    free(m);
}

const char *
media_bind_name(enum media_bind b)
{
    switch (b) {
    case MEDIA_BIND_SDP:
        return "sdp";
    case MEDIA_BIND_LEARNED:
        return "learned";
    default:
        return "heuristic";
    }
}

const char *
media_dir_verdict_name(enum media_dir_verdict v)
{
    switch (v) {
    case MEDIA_DIR_OK:
        return "ok";
    case MEDIA_DIR_NOT_EXPECTED:
        return "not_expected";
    case MEDIA_DIR_MISSING:
        return "missing";
    case MEDIA_DIR_BLOCKED:
        return "blocked";
    case MEDIA_DIR_STOPPED:
        return "stopped";
    default:
        return "lossy";
    }
}
