/* sip_track.h — SIP transactions, dialogs, calls and registrations (RFC 3261) from messages. */
#ifndef VOIPDIAG_SIP_TRACK_H
#define VOIPDIAG_SIP_TRACK_H

#include <stdbool.h>
#include <stdint.h>

#include "../../dissectors/packet.h"
#include "../../dissectors/sip.h"
#include "flow.h"
#include "media.h"

struct result;
struct sip_tracker;

/* New tracker handing SDP expectations to media (may be NULL); NULL when memory is short. */
struct sip_tracker *sip_tracker_new(struct media_tracker *media);
void sip_tracker_free(struct sip_tracker *t);

/* Hand keep-alives, REGISTER/OPTIONS/NOTIFY/INVITE events to ka (not owned; NULL: none). */
struct keepalive_tracker;
void sip_tracker_set_keepalive(struct sip_tracker *t, struct keepalive_tracker *ka);

/* Hand every parsed SIP message to alg (not owned; NULL: none). */
struct alg_tracker;
void sip_tracker_set_alg(struct sip_tracker *t, struct alg_tracker *alg);

/*
 * A UDP datagram of flow f sent by key side `side`. SIP messages are parsed and tracked,
 * keep-alives (CRLF, CRLFCRLF, empty, short pings, STUN on a SIP flow) recorded as events.
 * Returns true when the datagram belonged to SIP (message or keep-alive): the media tracker
 * then skips it.
 */
bool sip_tracker_udp(struct sip_tracker *t, const struct packet *pkt, struct flow *f, int side);

/*
 * sip_tracker_udp with the datagram's sip_classify already done (kind) and, for a request or
 * response, its sip_parse_datagram into msg (the tracker may amend it; NULL: parsed here).
 * Both are pure, so a caller may run them ahead, for several datagrams in a row.
 */
bool sip_tracker_udp_parsed(struct sip_tracker *t, const struct packet *pkt, struct flow *f,
                            int side, enum sip_payload_kind kind, struct sip_message *msg);

/*
 * In-order TCP bytes of flow f from `side` (gap_before bytes were never captured just before
 * them); pkt is the segment that delivered them (time, frame), or NULL at the end of a flow.
 */
void sip_tracker_tcp(struct sip_tracker *t, struct flow *f, int side, const uint8_t *data,
                     uint32_t len, uint32_t gap_before, const struct packet *pkt);

/*
 * Flow f (canonical key k) ends: flush and release its per-flow SIP state (f->sip), keep its
 * keep-alive statistics, and record a SIP-TLS flow (TCP port 5061) with its handshake outcome.
 */
void sip_tracker_flow_end(struct sip_tracker *t, const struct flow_key *k, struct flow *f);

/*
 * During the run, at packet time now_ns: stream to r's observer each registration failure that
 * is settled (an error response or a timed-out REGISTER is the last word, or the granted
 * Expires passed with no refresh), as sip_tracker_finish will report it. Nothing is stored;
 * nothing is done when r has no observer.
 */
void sip_tracker_settle(struct sip_tracker *t, struct result *r, int64_t now_ns);

/* End of capture: finish transactions, dialogs, registrations; write them and findings to r. */
void sip_tracker_finish(struct sip_tracker *t, struct result *r);

#endif
