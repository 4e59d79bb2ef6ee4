/* sip_dialog.c — INVITE dialogs and calls (RFC 3261 §12–15), forking (§16.7), SDP offer/answer
 * (RFC 3264: hold by sendonly/inactive or c=0.0.0.0) handed to the media tracker. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sip_internal.h"

#define SIP_CALL_EXPIRE_STEP 32
/* First sizes of a call's lists, doubled up to their bound (powers of two, so every bound is
 * reached exactly): a short call costs a few hundred bytes, not the bounds' 17 KB. */
#define SIP_CALL_LADDER_FIRST 8
#define SIP_CALL_MEDIA_FIRST 4
_Static_assert((SIP_CALL_MAX_LADDER & (SIP_CALL_MAX_LADDER - 1)) == 0 &&
                   (SIP_CALL_MAX_MEDIA & (SIP_CALL_MAX_MEDIA - 1)) == 0 &&
                   SIP_CALL_LADDER_FIRST <= SIP_CALL_MAX_LADDER &&
                   SIP_CALL_MEDIA_FIRST <= SIP_CALL_MAX_MEDIA,
               "call list bounds must be powers of two");

/* The call table's value: the report record (heap, one per call) and the live state. */
struct call_state {
    struct sip_call *c;
    int64_t last_ns;
    uint32_t init_cseq;  /* CSeq of the latest initial INVITE */
    uint32_t offer_cseq; /* CSeq of the transaction holding the open offer */
    enum sip_req offer_method;
    bool answered, ended, cancel_seen, on_hold;
    bool provisional;       /* a 1xx to the initial INVITE */
    bool brief;             /* begun with the call list full: never listed, so its ladder,
                             * media lines, forks and holds are not kept */
    uint32_t invite_branch; /* digest of its top Via branch: an ACK with it is a non-2xx ACK */
};

int
sip_call_init(struct sip_tracker *t)
{
    return table_init(&t->calls, SIP_CALL_CAP, sizeof(struct sip_key), sizeof(struct call_state),
                      0x7369702d63616c6cull);
}

struct sip_key
sip_call_key(const struct sip_ctx *c)
{
    const char *parts[] = {"call"};
    return sip_key_more(c->cid, parts, 1);
}

void
sip_call_prepare(struct sip_tracker *t, struct sip_ctx *c)
{
    c->call_k = sip_call_key(c);
    c->call_h = table_hash(&t->calls, &c->call_k);
    table_prefetch_bucket(&t->calls, c->call_h);
}

void
sip_call_prefetch(const struct sip_tracker *t, const struct sip_ctx *c)
{
    table_prefetch_entry(&t->calls, c->call_h, 2);
}

static void
call_settle(struct sip_call *c, const struct call_state *cs)
{
    if (cs->answered || c->outcome == SIP_CALL_MIDCALL || c->final_code)
        return;
    if (cs->cancel_seen)
        c->outcome = SIP_CALL_CANCELLED;
    else if (c->ringing.frame || cs->provisional)
        c->outcome = SIP_CALL_UNANSWERED;
    else
        c->outcome = SIP_CALL_NO_RESPONSE;
}

/* The call in slot s is over (timer, eviction, end): move its record into the result. */
static void
call_close(struct sip_tracker *t, uint32_t s)
{
    struct call_state *cs = table_value(&t->calls, s);
    struct sip_result *r = t->res;
    call_settle(cs->c, cs);
    if (r->n_calls < SIP_RES_MAX_CALLS) {
        if (r->n_calls == t->cap_calls) {
            uint32_t cap = t->cap_calls ? t->cap_calls * 2 : 16;
            struct sip_call **n = realloc(r->calls, cap * sizeof(*n));
            if (!n) {
                r->calls_unlisted++;
                sip_call_free(cs->c);
                table_remove(&t->calls, s);
                return;
            }
            r->calls = n;
            t->cap_calls = cap;
        }
        r->calls[r->n_calls++] = cs->c;
    } else {
        r->calls_unlisted++;
        sip_call_free(cs->c);
    }
    table_remove(&t->calls, s);
}

static int64_t
call_timeout(const struct call_state *cs)
{
    if (cs->ended)
        return SIP_CALL_ENDED_NS;
    return cs->answered ? SIP_CALL_IDLE_NS : SIP_CALL_SETUP_NS;
}

void
sip_call_expire(struct sip_tracker *t, int64_t now_ns, bool all)
{
    for (int step = 0; all || step < SIP_CALL_EXPIRE_STEP; step++) {
        uint32_t s = table_oldest(&t->calls);
        if (s == TABLE_NONE)
            return;
        struct call_state *cs = table_value(&t->calls, s);
        if (!all && cs->last_ns + call_timeout(cs) > now_ns) {
            if (cs->last_ns + SIP_CALL_ENDED_NS <= now_ns) {
                table_touch(&t->calls, s); /* a longer timer: let the others behind expire */
                continue;
            }
            return;
        }
        call_close(t, s);
    }
}

void
sip_call_txn_closed(struct sip_tracker *t, const struct sip_txn *x)
{
    (void)t, (void)x; /* outcomes are settled when the call closes */
}

static bool
is_caller(const struct sip_call *c, const struct sip_message *m)
{
    return strcmp(m->from.tag, c->from_tag) == 0;
}

/*
 * The array arr of n entries of size bytes, with room for one more: arr itself while it has
 * some (its capacity is first, or the power of two n reached), else arr grown to first entries
 * or doubled. NULL when memory is short (arr is then left as it was). The caller keeps n below
 * the bound.
 */
static void *
list_room(void *arr, size_t n, size_t size, size_t first)
{
    if (arr && (n < first || (n & (n - 1)) != 0))
        return arr;
    return realloc(arr, (n < first ? first : 2 * n) * size);
}

static void
ladder_add(struct sip_call *c, const struct sip_ctx *ctx)
{
    struct sip_ladder_entry *grown =
        c->n_ladder < SIP_CALL_MAX_LADDER
            ? list_room(c->ladder, c->n_ladder, sizeof *c->ladder, SIP_CALL_LADDER_FIRST)
            : NULL;
    if (!grown) {
        c->ladder_unlisted++;
        return;
    }
    c->ladder = grown;
    const struct sip_message *m = ctx->m;
    struct sip_ladder_entry *e = &c->ladder[c->n_ladder++];
    *e = (struct sip_ladder_entry){
        .at = ctx->at,
        .src = ctx->src,
        .dst = ctx->dst,
        .retransmission = ctx->retransmission,
    };
    size_t n = 0; /* "INVITE (SDP)", "180 Ringing" */
    if (m->is_request) {
        sip_append(e->label, sizeof e->label, &n, m->method_name, 16);
    } else {
        sip_append_u(e->label, sizeof e->label, &n, m->code);
        sip_append(e->label, sizeof e->label, &n, " ", 1);
        sip_append(e->label, sizeof e->label, &n, m->phrase, 11);
    }
    if (m->sdp_len)
        sip_append(e->label, sizeof e->label, &n, " (SDP)", 6);
}

static enum media_dir
media_dir_of(enum sdp_dir d)
{
    switch (d) {
    case SDP_DIR_SENDONLY:
        return MEDIA_SENDONLY;
    case SDP_DIR_RECVONLY:
        return MEDIA_RECVONLY;
    case SDP_DIR_INACTIVE:
        return MEDIA_INACTIVE;
    default:
        return MEDIA_SENDRECV;
    }
}

/*
 * "PCMU/8000 PCMA/8000 101" of mi's codecs into buf (len bytes): whole entries only, as many as
 * fit — what snprintf gave entry by entry, stopping at the first that did not fit.
 */
static void
codec_list(char *buf, size_t len, const struct sdp_media_info *mi)
{
    size_t off = 0;
    buf[0] = 0;
    for (uint8_t i = 0; i < mi->codec_count && off + 1 < len; i++) {
        const struct sdp_codec *k = &mi->codec[i];
        char one[sizeof k->encoding + 24];
        size_t n = 0;
        if (off)
            sip_append(one, sizeof one, &n, " ", 1);
        if (k->encoding[0]) {
            sip_append(one, sizeof one, &n, k->encoding, sizeof k->encoding);
            sip_append(one, sizeof one, &n, "/", 1);
            sip_append_u(one, sizeof one, &n, (unsigned)k->rate);
        } else {
            sip_append_u(one, sizeof one, &n, (unsigned)k->pt);
        }
        if (n >= len - off) { /* snprintf would have cut it: the list ends before it */
            memcpy(buf + off, one, len - off - 1);
            buf[len - 1] = 0;
            break;
        }
        memcpy(buf + off, one, n + 1);
        off += n;
    }
}

static void
keep_media_line(struct sip_call *c, const struct sip_ctx *ctx, const struct sdp_media_info *mi,
                bool from_caller, bool is_offer, bool hold)
{
    struct sip_media_line *grown =
        c->n_media < SIP_CALL_MAX_MEDIA
            ? list_room(c->media, c->n_media, sizeof *c->media, SIP_CALL_MEDIA_FIRST)
            : NULL;
    if (!grown) {
        c->media_unlisted++;
        return;
    }
    c->media = grown;
    const struct sip_message *m = ctx->m;
    struct sip_media_line *l = &c->media[c->n_media++];
    memset(l, 0, sizeof *l); /* JSON writes its strings whole: no stale heap bytes */
    l->at = ctx->at;
    l->from_caller = from_caller;
    l->is_offer = is_offer;
    size_t n = 0; /* "%s%.16s" or "%u", without printf: every SDP */
    if (m->is_request) {
        if (m->to.tag[0] && m->method == SIP_REQ_INVITE)
            sip_append(l->what, sizeof l->what, &n, "re-", 3);
        sip_append(l->what, sizeof l->what, &n, m->method_name, 16);
    } else {
        sip_append_u(l->what, sizeof l->what, &n, m->code);
    }
    sip_copy(l->media, sizeof l->media, mi->type);
    sip_copy(l->addr, sizeof l->addr, mi->conn.text);
    l->port = mi->port;
    sip_copy(l->dir, sizeof l->dir, sdp_dir_name(mi->dir));
    l->hold = hold;
    codec_list(l->codecs, sizeof l->codecs, mi);
}

static void
expect_media(struct sip_tracker *t, struct sip_call *c, const struct sip_ctx *ctx,
             const struct sdp_media_info *mi, bool from_caller, bool is_offer, bool hold)
{
    if (!t->media)
        return;
    struct media_expectation e;
    memset(&e, 0, sizeof e);
    sip_copy(e.call_id, sizeof e.call_id, c->call_id);
    e.call_index = c->index;
    e.from_caller = from_caller;
    e.is_offer = is_offer;
    e.mline = (uint8_t)(mi - t->sdp.media); /* the media tracker keys m= lines by position */
    e.addr = mi->conn.ip;
    e.port = mi->port;
    e.rtcp_port = mi->has_rtcp ? mi->rtcp_port : mi->rtcp_mux ? 0 : (uint16_t)(mi->port + 1);
    e.dir = media_dir_of(mi->dir);
    e.hold = hold;
    for (uint8_t i = 0; i < mi->codec_count && e.n_pt < MEDIA_MAX_PT; i++, e.n_pt++) {
        e.pt[e.n_pt].pt = mi->codec[i].pt;
        e.pt[e.n_pt].clock_rate = mi->codec[i].rate;
        sip_copy(e.pt[e.n_pt].encoding, sizeof e.pt[e.n_pt].encoding, mi->codec[i].encoding);
    }
    e.event_pt = mi->telephone_event_pt;
    e.sig_src = ctx->src.ip;
    e.ts_ns = ctx->at.ts_ns;
    e.frame = ctx->at.frame;
    e.file = ctx->at.file;
    media_expect(t->media, &e);
}

/* An SDP body in a message of the call: offer or answer, expectations, hold/resume. */
static void
call_sdp(struct sip_tracker *t, struct call_state *cs, const struct sip_ctx *ctx)
{
    const struct sip_message *m = ctx->m;
    struct sip_call *c = cs->c;
    if (!t->sdp_ok) /* summarised by track_message */
        return;
    bool caller = is_caller(c, m);
    bool from_caller = m->is_request ? caller : !caller;
    bool is_offer;
    if (m->is_request)
        is_offer = m->method != SIP_REQ_ACK && m->method != SIP_REQ_PRACK;
    else
        is_offer = !(m->cseq == cs->offer_cseq && m->cseq_method == cs->offer_method);
    if (is_offer) {
        cs->offer_cseq = m->cseq;
        cs->offer_method = m->cseq_method;
    }
    bool in_dialog_offer = is_offer && m->is_request && m->to.tag[0] &&
                           (m->method == SIP_REQ_INVITE || m->method == SIP_REQ_UPDATE);
    for (uint8_t i = 0; i < t->sdp.media_count; i++) {
        const struct sdp_media_info *mi = &t->sdp.media[i];
        bool hold = mi->dir == SDP_DIR_SENDONLY || mi->dir == SDP_DIR_INACTIVE || mi->zero_conn;
        expect_media(t, c, ctx, mi, from_caller, is_offer, hold);
        if (!cs->brief)
            keep_media_line(c, ctx, mi, from_caller, is_offer, hold);
        if (i == 0 && in_dialog_offer && hold != cs->on_hold) {
            cs->on_hold = hold;
            if (c->n_holds < SIP_CALL_MAX_HOLDS && !cs->brief)
                c->holds[c->n_holds++] = (struct sip_hold_event){ctx->at, hold, from_caller};
        }
    }
}

static struct call_state *
call_new(struct sip_tracker *t, const struct sip_key *k, uint32_t h, const struct sip_ctx *ctx)
{
    /* The lists (forks, media, ladder) are allocated as entries come. */
    struct sip_call *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    uint32_t s = table_insert(&t->calls, k, h);
    if (s == TABLE_NONE) {
        call_close(t, table_oldest(&t->calls));
        t->res->evicted_calls++;
        s = table_insert(&t->calls, k, h);
    }
    if (s == TABLE_NONE) {
        sip_call_free(c);
        return NULL;
    }
    const struct sip_message *m = ctx->m;
    struct call_state *cs = table_value(&t->calls, s);
    cs->c = c;
    c->index = ++t->next_call_index;
    t->res->calls_total++;
    sip_copy(c->call_id, sizeof c->call_id, m->call_id);
    sip_uri_text(&m->from.uri, c->from_uri, sizeof c->from_uri);
    sip_uri_text(&m->to.uri, c->to_uri, sizeof c->to_uri);
    sip_copy(c->from_tag, sizeof c->from_tag, m->from.tag);
    bool initial = m->is_request && m->method == SIP_REQ_INVITE && !m->to.tag[0];
    c->outcome = initial ? SIP_CALL_NO_RESPONSE : SIP_CALL_MIDCALL;
    c->caller = m->is_request ? ctx->src : ctx->dst;
    c->callee = m->is_request ? ctx->dst : ctx->src;
    /* Calls are listed as they close, the first SIP_RES_MAX_CALLS: once the list is full, a
     * call beginning now will not be on it, and only what its outcome needs is kept. */
    cs->brief = t->res->n_calls >= SIP_RES_MAX_CALLS;
    if (!initial)
        cs->answered = true; /* already set up before the capture */
    return cs;
}

static void
call_response(struct sip_tracker *t, struct call_state *cs, const struct sip_ctx *ctx)
{
    const struct sip_message *m = ctx->m;
    struct sip_call *c = cs->c;
    if (m->cseq_method != SIP_REQ_INVITE || m->cseq != cs->init_cseq || ctx->retransmission)
        return;
    if (m->code > 100 && m->to.tag[0] && !cs->brief) {
        bool known = false;
        for (uint8_t i = 0; i < c->n_forks && !known; i++)
            known = strcmp(c->forks[i], m->to.tag) == 0;
        if (!known && c->n_forks < SIP_CALL_MAX_FORKS && !c->forks)
            c->forks = malloc(SIP_CALL_MAX_FORKS * sizeof c->forks[0]); /* the first fork */
        if (!known && c->n_forks < SIP_CALL_MAX_FORKS && c->forks)
            sip_copy(c->forks[c->n_forks++], sizeof c->forks[0], m->to.tag);
    }
    if (m->code < 200)
        cs->provisional = true;
    if (m->code >= 180 && m->code < 200 && !c->ringing.frame)
        c->ringing = ctx->at;
    if (m->code < 200 || cs->answered)
        return;
    c->final_code = m->code;
    sip_copy(c->reason, sizeof c->reason, m->phrase);
    c->final = ctx->at;
    if (m->code < 300) {
        cs->answered = true;
        c->answer = ctx->at;
        c->outcome = SIP_CALL_ANSWERED;
        return;
    }
    c->outcome = m->code == 487 && cs->cancel_seen ? SIP_CALL_CANCELLED : SIP_CALL_REJECTED;
    if (m->code != 401 && m->code != 407) {
        cs->ended = true;
        if (t->media)
            media_call_ended(t->media, c->index, ctx->at.ts_ns);
    }
}

static uint32_t
branch_digest(const struct sip_message *m)
{
    const char *parts[] = {m->via_count ? m->via[0].branch : ""};
    return (uint32_t)sip_key_of(parts, 1).a;
}

/*
 * An ACK or BYE in the dialog of an initial INVITE that has no final response on record: the
 * 2xx was sent but not captured (a TCP gap, another path). The call was answered; the ACK of a
 * 2xx (a request of its own) stands for the answer time, a BYE gives none.
 */
static void
call_infer_answer(struct call_state *cs, const struct sip_ctx *ctx)
{
    const struct sip_message *m = ctx->m;
    struct sip_call *c = cs->c;
    if (cs->answered || c->final_code || cs->cancel_seen || !m->to.tag[0] ||
        c->outcome == SIP_CALL_MIDCALL)
        return;
    if (m->method == SIP_REQ_ACK &&
        (m->cseq != cs->init_cseq || branch_digest(m) == cs->invite_branch))
        return; /* another INVITE's ACK, or the ACK of a failure we did not see */
    cs->answered = true;
    c->outcome = SIP_CALL_ANSWERED;
    c->answer_inferred = true;
    if (m->method == SIP_REQ_ACK)
        c->answer = ctx->at;
}

static void
call_request(struct sip_tracker *t, struct call_state *cs, const struct sip_ctx *ctx)
{
    const struct sip_message *m = ctx->m;
    struct sip_call *c = cs->c;
    if (ctx->retransmission) {
        if (m->method == SIP_REQ_INVITE && !m->to.tag[0])
            c->invite_retransmissions++;
        return;
    }
    switch (m->method) {
    case SIP_REQ_INVITE:
        if (m->to.tag[0]) {
            c->reinvites++;
            break;
        }
        if (!c->invite.frame)
            c->invite = ctx->at;
        cs->invite_branch = branch_digest(m);
        if (m->cseq != cs->init_cseq && !cs->answered) {
            /* a new INVITE after a challenge (or a retry): the earlier final was not the end */
            cs->init_cseq = m->cseq;
            c->final_code = 0;
            c->reason[0] = 0;
            c->outcome = SIP_CALL_NO_RESPONSE;
            cs->ended = false;
        }
        break;
    case SIP_REQ_UPDATE:
        c->updates++;
        break;
    case SIP_REQ_CANCEL:
        if (!c->cancel.frame)
            c->cancel = ctx->at;
        cs->cancel_seen = true;
        if (t->media)
            media_call_ended(t->media, c->index, ctx->at.ts_ns);
        break;
    case SIP_REQ_ACK:
        call_infer_answer(cs, ctx);
        break;
    case SIP_REQ_BYE:
        call_infer_answer(cs, ctx);
        if (!c->bye.frame) {
            c->bye = ctx->at;
            c->hung_up_by = is_caller(c, m) ? SIP_SIDE_CALLER : SIP_SIDE_CALLEE;
        }
        cs->ended = true;
        if (t->media)
            media_call_ended(t->media, c->index, ctx->at.ts_ns);
        break;
    default:
        break;
    }
}

void
sip_call_message(struct sip_tracker *t, struct sip_ctx *ctx, struct sip_txn *x)
{
    const struct sip_message *m = ctx->m;
    if (!m->call_id[0])
        return;
    struct sip_key k = ctx->call_k; /* sip_call_prepare'd */
    uint32_t h = ctx->call_h;
    uint32_t s = table_find(&t->calls, &k, h);
    struct call_state *cs;
    if (s == TABLE_NONE) {
        if (ctx->copy) /* its twin did not start a call: neither does it */
            return;
        bool starts = m->is_request ? (m->method == SIP_REQ_INVITE || m->method == SIP_REQ_BYE)
                                    : m->cseq_method == SIP_REQ_INVITE;
        if (!starts || (m->is_request && m->method == SIP_REQ_INVITE && ctx->retransmission))
            return;
        cs = call_new(t, &k, h, ctx);
        if (!cs)
            return;
        if (!m->is_request || m->to.tag[0])
            cs->init_cseq = m->is_request ? 0 : m->cseq;
    } else {
        table_touch(&t->calls, s);
        cs = table_value(&t->calls, s);
    }
    struct sip_call *c = cs->c;
    cs->last_ns = ctx->at.ts_ns;
    c->last = ctx->at;
    c->messages++;
    if (x && x->owner == SIP_OWNER_NONE) {
        x->owner = SIP_OWNER_CALL;
        x->owner_key = k;
    }
    if (!cs->brief)
        ladder_add(c, ctx);
    if (ctx->copy) /* drawn at its capture point; its twin already counted for the call */
        return;
    if (m->is_request)
        call_request(t, cs, ctx);
    else
        call_response(t, cs, ctx);
    if (m->sdp_len && !ctx->retransmission)
        call_sdp(t, cs, ctx);
}
