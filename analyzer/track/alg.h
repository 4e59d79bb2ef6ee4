/* alg.h — SIP ALG detection (RFC 3261 §18.2.1 received, RFC 3581 rport, RFC 4566 SDP): the same
 * message compared at two capture points, and one-point fingerprints of rewriting middleboxes. */
#ifndef VOIPDIAG_ALG_H
#define VOIPDIAG_ALG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../../dissectors/sip.h"
#include "../result_sip.h"

struct result;
struct alg_tracker;

/* A new tracker, or NULL when memory is short. Bounded: a few MB reserved, touched on use. */
struct alg_tracker *alg_tracker_new(void);

/*
 * A tracker holding at most pending_cap copies waiting for their twin and call_cap calls (also
 * the bound of learnt addresses and endpoint roles); both >= 1. alg_tracker_new() is this with
 * the production bounds; a small one suits fuzzing and tests. NULL when memory is short.
 */
struct alg_tracker *alg_tracker_new_sized(uint32_t pending_cap, uint32_t call_cap);

/*
 * Forget every message, call and fingerprint, as if new (the bounds stay): for reuse across
 * independent inputs. Returns 0, or -1 when the fresh result cannot be allocated (the tracker
 * then only accepts alg_tracker_free).
 */
int alg_tracker_reset(struct alg_tracker *a);

void alg_tracker_free(struct alg_tracker *a);

/*
 * One parsed SIP message m (m->sdp valid for the call only) seen at `at`, sent from src to dst.
 * raw: the datagram sip_parse_datagram made m from (raw_len bytes), or NULL (a message framed
 * from a stream): a copy waiting for its twin keeps those bytes, and its fields are written out
 * only when the twin's bytes differ; without them it keeps its fields. unreliable: over TCP or
 * cut by the capture's snaplen (its Content-Length says nothing). a may be NULL (no ALG
 * analysis). Copies what it keeps; never keeps m or raw.
 */
void alg_tracker_message(struct alg_tracker *a, const struct sip_message *m, const uint8_t *raw,
                         size_t raw_len, const struct sip_ref *at, const struct sip_endpoint *src,
                         const struct sip_endpoint *dst, bool unreliable);

/*
 * alg_tracker_message with m's SDP body already summarised by the caller: sdp is its summary
 * (NULL, or not ok, when m carries none or it did not parse). Returns true when m is the twin
 * of a copy seen within the matching window at another capture point (another input, or other
 * addresses in one input): the same message observed twice, not a second message; *twin_mark
 * (may be NULL) then gets the mark that copy was given by alg_tracker_mark. False otherwise
 * and when a is NULL.
 */
struct sdp_summary;
bool alg_tracker_message_sdp(struct alg_tracker *a, const struct sip_message *m,
                             const struct sdp_summary *sdp, const uint8_t *raw, size_t raw_len,
                             const struct sip_ref *at, const struct sip_endpoint *src,
                             const struct sip_endpoint *dst, bool unreliable, bool *twin_mark);

/*
 * Give the copy kept by the last alg_tracker_message_sdp call (when it waits for its twin) the
 * caller's mark, handed back when its twin arrives (the SIP tracker marks retransmissions).
 * Does nothing when a is NULL or the last message was not kept.
 */
void alg_tracker_mark(struct alg_tracker *a, bool mark);

/* One call's SDP media address (first m= line) as seen before and after a middlebox. */
struct alg_sdp_rewrite {
    struct ip_addr before, after;
    uint16_t before_port, after_port;
    struct sip_ref before_at, after_at;
};

/*
 * The two-point copies of Call-ID call_id's SDPs whose media address (first m= line) is
 * addr:port on either side of the middlebox: at most cap into out (before = upstream copy).
 * Returns how many; 0 when a is NULL or nothing was compared. Valid until alg_tracker_finish.
 */
size_t alg_tracker_sdp_pairs(const struct alg_tracker *a, const char *call_id,
                             const struct ip_addr *addr, uint16_t port,
                             struct alg_sdp_rewrite *out, size_t cap);

/*
 * End of capture: judge what is pending, add the alg.* findings and the ALG requirement row's
 * facts to r, and hand r->alg its part (owned by r). Call after the inputs are recorded in r
 * and after the media tracker has finished (r->media: the media fingerprint reads it).
 */
void alg_tracker_finish(struct alg_tracker *a, struct result *r);

#endif
