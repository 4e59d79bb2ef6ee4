/* alg.h — SIP ALG detection (RFC 3261 §18.2.1 received, RFC 3581 rport, RFC 4566 SDP): the same
 * message compared at two capture points, and one-point fingerprints of rewriting middleboxes. */
#ifndef VOIPDIAG_ALG_H
#define VOIPDIAG_ALG_H

#include <stdbool.h>
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
 * unreliable: over TCP or cut by the capture's snaplen (its Content-Length says nothing). a may
 * be NULL (no ALG analysis). Copies what it keeps; never keeps m.
 */
void alg_tracker_message(struct alg_tracker *a, const struct sip_message *m,
                         const struct sip_ref *at, const struct sip_endpoint *src,
                         const struct sip_endpoint *dst, bool unreliable);

/*
 * End of capture: judge what is pending, add the alg.* findings and the ALG requirement row's
 * facts to r, and hand r->alg its part (owned by r). Call after the inputs are recorded in r.
 */
void alg_tracker_finish(struct alg_tracker *a, struct result *r);

#endif
