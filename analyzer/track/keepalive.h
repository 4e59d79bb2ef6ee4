/* keepalive.h — NAT keep-alives per phone binding: RFC 5626 §3.5.1 CRLF pings, RFC 5389 STUN,
 * SIP OPTIONS/NOTIFY pings, and the public address (RFC 3581 received/rport) over time. */
#ifndef VOIPDIAG_KEEPALIVE_H
#define VOIPDIAG_KEEPALIVE_H

#include <stdbool.h>
#include <stdint.h>

#include "../result_keepalive.h"

struct result;
struct keepalive_tracker;

/*
 * New tracker. interval_s: the keep-alive interval the provider promises (profile, 30);
 * timeout_s: the least UDP binding time-out the firewall must keep (profile, 90). Memory is
 * bounded: at most KA_TRACK_BINDINGS bindings, fixed state per binding and direction.
 * NULL when memory is short.
 */
struct keepalive_tracker *keepalive_tracker_new(double interval_s, double timeout_s);
void keepalive_tracker_free(struct keepalive_tracker *t);

/*
 * A keep-alive datagram (or TCP keep-alive) of kind from src to dst at `at`. mapped, when not
 * NULL, is the address a STUN Binding response reported (XOR-MAPPED-ADDRESS) for dst.
 */
void keepalive_tracker_ping(struct keepalive_tracker *t, const struct sip_endpoint *src,
                            const struct sip_endpoint *dst, bool tcp, enum ka_kind kind,
                            const struct sip_ref *at, const struct sip_endpoint *mapped);

/*
 * keepalive_tracker_ping with the datagram's payload (borrowed for the call): the part a NAT
 * leaves alone (a short ping's bytes, a STUN transaction ID) tells the two capture points'
 * copies of one keep-alive apart from its neighbours. payload NULL: the kind alone.
 */
void keepalive_tracker_ping_payload(struct keepalive_tracker *t, const struct sip_endpoint *src,
                                    const struct sip_endpoint *dst, bool tcp, enum ka_kind kind,
                                    const struct sip_ref *at, const struct sip_endpoint *mapped,
                                    const uint8_t *payload, uint32_t len);

/* What the tracker needs of one SIP message (copied out of the parsed message). */
struct keepalive_sip {
    bool is_request;
    bool retransmission;
    bool in_dialog; /* To carries a tag */
    bool tcp;
    uint8_t method;      /* enum sip_req of a request */
    uint8_t cseq_method; /* enum sip_req of the CSeq (responses) */
    uint16_t code;
    bool has_public; /* a response's top Via had received= and/or rport=N */
    struct sip_endpoint public_addr;
};

/* A SIP message from src to dst at `at`: liveness, OPTIONS/NOTIFY pings, REGISTER, INVITE. */
void keepalive_tracker_sip(struct keepalive_tracker *t, const struct sip_endpoint *src,
                           const struct sip_endpoint *dst, const struct keepalive_sip *m,
                           const struct sip_ref *at);

/*
 * End of capture: settle phones and clouds, intervals, gaps, rebindings and verdicts; store
 * r->keepalive (owned by r), the nat.* findings and the NAT requirement row's evidence.
 * Returns 0, or -1 when memory is short (r->keepalive stays NULL).
 */
int keepalive_tracker_finish(struct keepalive_tracker *t, struct result *r);

/* Statistics for tests: bindings tracked now, bindings refused because the table was full. */
uint32_t keepalive_tracker_bindings(const struct keepalive_tracker *t);
uint64_t keepalive_tracker_refused(const struct keepalive_tracker *t);

#endif
