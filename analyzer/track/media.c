/* media.c — placeholder: the media tracker of issue 4 replaces this file. */
#include "media.h"

#include <stdlib.h>

struct media_tracker {
    int unused;
};

struct media_tracker *
media_tracker_new(void)
{
    return calloc(1, sizeof(struct media_tracker));
}

void
media_tracker_free(struct media_tracker *m)
{
    free(m);
}

void
media_expect(struct media_tracker *m, const struct media_expectation *e)
{
    (void)m, (void)e;
}

void
media_call_ended(struct media_tracker *m, uint32_t call_index, int64_t ts_ns)
{
    (void)m, (void)call_index, (void)ts_ns;
}

void
media_tracker_udp(struct media_tracker *m, const struct packet *pkt, struct flow *f, int side)
{
    (void)m, (void)pkt, (void)f, (void)side;
}

void
media_tracker_icmp(struct media_tracker *m, const struct packet *icmp)
{
    (void)m, (void)icmp;
}

void
media_tracker_finish(struct media_tracker *m, struct result *r)
{
    (void)m, (void)r;
}
