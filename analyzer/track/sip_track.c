/* sip_track.c — placeholder: the SIP tracker of issue 3 replaces this file. */
#include "sip_track.h"

#include <stdlib.h>

struct sip_tracker {
    struct media_tracker *media;
};

struct sip_tracker *
sip_tracker_new(struct media_tracker *media)
{
    struct sip_tracker *t = calloc(1, sizeof(*t));
    if (t)
        t->media = media;
    return t;
}

void
sip_tracker_free(struct sip_tracker *t)
{
    free(t);
}

bool
sip_tracker_udp(struct sip_tracker *t, const struct packet *pkt, struct flow *f, int side)
{
    (void)t, (void)pkt, (void)f, (void)side;
    return false;
}

void
sip_tracker_tcp(struct sip_tracker *t, struct flow *f, int side, const uint8_t *data,
                uint32_t len, uint32_t gap_before, const struct packet *pkt)
{
    (void)t, (void)f, (void)side, (void)data, (void)len, (void)gap_before, (void)pkt;
}

void
sip_tracker_flow_end(struct sip_tracker *t, struct flow *f)
{
    (void)t, (void)f;
}

void
sip_tracker_finish(struct sip_tracker *t, struct result *r)
{
    (void)t, (void)r;
}
