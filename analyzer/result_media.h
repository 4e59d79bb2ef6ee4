/* result_media.h — the RTP part of a result: streams with statistics, per-call media verdicts. */
#ifndef VOIPDIAG_RESULT_MEDIA_H
#define VOIPDIAG_RESULT_MEDIA_H

#include <stdint.h>

/* Placeholder until the media tracker fills it (issue 4). */
struct media_result {
    uint64_t streams;
};

void media_result_free(struct media_result *m);

#endif
