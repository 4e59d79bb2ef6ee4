/* keepalive.c — NAT keep-alives (RFC 5626 §3.5.1, RFC 5389 STUN, SIP OPTIONS/NOTIFY pings) and
 * NAT rebinding (RFC 3581 received/rport) per phone binding, aggregated in bounded memory. */
#include "keepalive.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../dissectors/dissect.h"
#include "../../dissectors/sip.h"
#include "../result.h"

#define KA_NS 1000000000LL
#define KA_TRACK_BINDINGS 4096u /* bindings tracked; more are refused and counted */
#define KA_HASH_SLOTS 8192u     /* open addressing, power of two, > 1.5x the cap */
#define KA_RESERVOIR 128        /* latest intervals kept for the median */
#define KA_HIST_BINS 256        /* 0.5 s bins up to 128 s: counts the late intervals */
#define KA_HIST_BIN_S 0.5
#define KA_TOP 16               /* longest intervals kept with their frames */
#define KA_LOG_TOTAL (1u << 20) /* keep-alives logged for two-point matching, all bindings */
#define KA_REG_IV 16            /* REGISTER intervals kept for their median */
#define KA_MATCH_NS (KA_NS)     /* a keep-alive seen on both sides of a firewall within 1 s */
#define KA_MAX_FILES 64
#define KA_TIMER_F_NS                                                                              \
    (32 * KA_NS) /* a request unanswered this long is over (RFC 3261 17.1.2.2)                     \
                  */

/* One keep-alive as logged for matching the two capture points' copies. */
struct ka_event {
    struct sip_ref at;
    uint32_t key; /* payload digest, 0 when unknown (matches any of its kind) */
    uint8_t kind;
};

/*
 * The heavy part of a direction, allocated at its first keep-alive. A keep-alive touches its
 * counters (first), one reservoir slot, one histogram bin, the shortest kept interval (top_min)
 * and the log's end: five cache lines, whatever the sizes below.
 */
struct ka_heavy {
    uint16_t n_res, res_pos;
    uint8_t n_top;
    uint8_t top_min; /* when n_top == KA_TOP: the first of the shortest kept intervals */
    uint32_t n_log, cap_log;
    struct ka_event *log; /* every keep-alive of the direction, in arrival order */
    uint64_t hist_over;
    float res[KA_RESERVOIR];
    uint32_t hist[KA_HIST_BINS];
    struct ka_gap top[KA_TOP];
};

/* One direction of a binding, by sending side. */
struct ka_side {
    uint64_t count, packets;
    uint64_t kinds[KA_KIND__COUNT];
    struct sip_ref first, last, first_any, last_any;
    double min_s, max_s;
    struct ka_heavy *h;
    /* an INVITE this side sent (initial, out of dialog), waiting for any answer */
    bool inv_pending, inv_answered;
    struct sip_ref inv_first, inv_last;
    uint32_t inv_retrans;
    uint32_t invites, invites_lost, lost_retrans;
    struct sip_ref lost_first, lost_last;
    uint32_t registers;
    int64_t last_register_ns;
    bool reg_pending, ping_pending; /* a REGISTER / OPTIONS-NOTIFY ping of this side unanswered */
    int64_t ping_ns;
    struct sip_ref probe_idle_from; /* this side's traffic before its last REGISTER/STUN request */
    int64_t probe_ns;
};

struct ka_bstate {
    struct sip_endpoint ep[2]; /* canonical order: ep[0] < ep[1] */
    uint16_t file;
    bool tcp;
    int8_t phone; /* side index, -1 unknown */
    const char *phone_by;
    struct ka_side s[2];
    float reg_iv[KA_REG_IV];
    uint8_t n_reg_iv;
    bool has_public[2];
    char public_addr[2][64];          /* last public address reported for side i */
    struct sip_endpoint public_ep[2]; /* … as reported, when has_public[i] */
    uint32_t n_rebinds;
    uint64_t rebinds_more;
    struct ka_rebind *rebinds;    /* KA_RES_MAX_REBINDS of them, allocated at the first */
    uint32_t dropped, dropped_of; /* WAN copies missing here, of those in the overlap */
    double overlap_s;
    bool dropped_inexact; /* the keep-alive log was full: a lower bound */
    struct sip_ref dropped_first, dropped_last;
};

struct keepalive_tracker {
    double interval_s, timeout_s;
    struct ka_bstate **slots; /* KA_HASH_SLOTS */
    struct ka_bstate **list;  /* insertion order */
    /* Each binding side by (file, transport, its address, the other side's endpoint): chains
     * of entries 2 * list index + side + 1 in insertion order, bucketed by hash (public_reported
     * looks up the earlier flows of one phone address to one cloud). */
    uint32_t *side_head, *side_tail; /* KA_HASH_SLOTS buckets, 0 = empty */
    uint32_t *side_next;             /* 2 * KA_TRACK_BINDINGS entries */
    uint32_t n, refused_bindings, n_files;
    uint64_t refused, events;
    uint32_t logged; /* ka_event entries, all directions */
    bool log_full;   /* some keep-alive could not be logged */
    int64_t file_first[KA_MAX_FILES], file_last[KA_MAX_FILES];
    bool file_seen[KA_MAX_FILES];
};

struct keepalive_tracker *
keepalive_tracker_new(double interval_s, double timeout_s)
{
    struct keepalive_tracker *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->interval_s = interval_s > 0 ? interval_s : 30;
    t->timeout_s = timeout_s > 0 ? timeout_s : 90;
    t->slots = calloc(KA_HASH_SLOTS, sizeof *t->slots);
    t->list = calloc(KA_TRACK_BINDINGS, sizeof *t->list);
    t->side_head = calloc(KA_HASH_SLOTS, sizeof *t->side_head);
    t->side_tail = calloc(KA_HASH_SLOTS, sizeof *t->side_tail);
    t->side_next = calloc(2 * KA_TRACK_BINDINGS, sizeof *t->side_next);
    if (!t->slots || !t->list || !t->side_head || !t->side_tail || !t->side_next) {
        keepalive_tracker_free(t);
        return NULL;
    }
    return t;
}

void
keepalive_tracker_free(struct keepalive_tracker *t)
{
    if (!t)
        return;
    for (uint32_t i = 0; t->list && i < t->n; i++) {
        for (int d = 0; d < 2; d++)
            if (t->list[i]->s[d].h) {
                free(t->list[i]->s[d].h->log);
                free(t->list[i]->s[d].h);
            }
        free(t->list[i]->rebinds);
        free(t->list[i]);
    }
    free(t->slots);
    free(t->list);
    free(t->side_head);
    free(t->side_tail);
    free(t->side_next);
    free(t);
}

uint32_t
keepalive_tracker_bindings(const struct keepalive_tracker *t)
{
    return t->n;
}

uint64_t
keepalive_tracker_refused(const struct keepalive_tracker *t)
{
    return t->refused;
}

static int
ep_cmp(const struct sip_endpoint *a, const struct sip_endpoint *b)
{
    int c = memcmp(a->ip.a, b->ip.a, 16);
    if (c)
        return c;
    if (a->ip.family != b->ip.family)
        return a->ip.family < b->ip.family ? -1 : 1;
    return a->port == b->port ? 0 : a->port < b->port ? -1 : 1;
}

static bool
ep_eq(const struct sip_endpoint *a, const struct sip_endpoint *b)
{
    return ep_cmp(a, b) == 0;
}

/* Mix endpoint e into hash h: the address as two words, then the port (slot choice only). */
static uint64_t
ep_hash(uint64_t h, const struct sip_endpoint *e)
{
    uint64_t w[2];
    memcpy(w, e->ip.a, sizeof w);
    h = (h ^ w[0]) * 0x9e3779b97f4a7c15ull;
    h = (h ^ w[1] ^ ((uint64_t)e->port << 48)) * 0x9e3779b97f4a7c15ull;
    return h ^ (h >> 29);
}

static char *
ep_text(const struct sip_endpoint *e, char *buf, size_t len)
{
    char ip[64];
    ip_addr_format(&e->ip, ip, sizeof ip);
    snprintf(buf, len, e->ip.family == 6 ? "[%s]:%u" : "%s:%u", ip, (unsigned)e->port);
    return buf;
}

/* RFC 1918, RFC 6598 (CGN), link-local, loopback; IPv6 ULA and link-local. */
static bool
addr_private(const struct ip_addr *a)
{
    const uint8_t *b = a->a;
    if (a->family == 4)
        return b[0] == 10 || (b[0] == 172 && (b[1] & 0xf0) == 16) || (b[0] == 192 && b[1] == 168) ||
               (b[0] == 100 && (b[1] & 0xc0) == 64) || (b[0] == 169 && b[1] == 254) || b[0] == 127;
    if (a->family == 6)
        return (b[0] & 0xfe) == 0xfc || (b[0] == 0xfe && (b[1] & 0xc0) == 0x80);
    return false;
}

/* The side-chain bucket of a binding side at address ip talking to `other`. */
static uint32_t
side_bucket(uint16_t file, bool tcp, const struct ip_addr *ip, const struct sip_endpoint *other)
{
    uint64_t w[2];
    memcpy(w, ip->a, sizeof w);
    uint64_t h = ep_hash(((uint64_t)file << 1 | tcp) ^ 0x5a17ull, other);
    h = (h ^ w[0]) * 0x9e3779b97f4a7c15ull;
    h = (h ^ w[1]) * 0x9e3779b97f4a7c15ull;
    return (uint32_t)(h >> 40) & (KA_HASH_SLOTS - 1);
}

/* Append both sides of binding x (list index i) to their side chains. */
static void
side_chain_add(struct keepalive_tracker *t, const struct ka_bstate *x, uint32_t i)
{
    for (int os = 0; os < 2; os++) {
        uint32_t b = side_bucket(x->file, x->tcp, &x->ep[os].ip, &x->ep[!os]);
        uint32_t e = 2 * i + (uint32_t)os + 1;
        t->side_next[e - 1] = 0;
        if (t->side_tail[b])
            t->side_next[t->side_tail[b] - 1] = e;
        else
            t->side_head[b] = e;
        t->side_tail[b] = e;
    }
}

/* The binding between a and b in `file` (created unless the table is full); *side is a's. */
static struct ka_bstate *
binding_get(struct keepalive_tracker *t, const struct sip_endpoint *a, const struct sip_endpoint *b,
            uint16_t file, bool tcp, int *side)
{
    bool swap = ep_cmp(a, b) > 0;
    const struct sip_endpoint *lo = swap ? b : a, *hi = swap ? a : b;
    *side = swap ? 1 : 0;
    uint32_t h =
        (uint32_t)(ep_hash(ep_hash(2166136261u ^ file ^ (tcp ? 0x80000000u : 0), lo), hi) >> 32);
    for (uint32_t i = 0; i < KA_HASH_SLOTS; i++) {
        uint32_t s = (h + i) & (KA_HASH_SLOTS - 1);
        struct ka_bstate *x = t->slots[s];
        if (!x) {
            if (t->n >= KA_TRACK_BINDINGS) {
                t->refused++;
                return NULL;
            }
            x = calloc(1, sizeof *x);
            if (!x) {
                t->refused++;
                return NULL;
            }
            x->ep[0] = *lo;
            x->ep[1] = *hi;
            x->file = file;
            x->tcp = tcp;
            x->phone = -1;
            t->slots[s] = x;
            side_chain_add(t, x, t->n);
            t->list[t->n++] = x;
            return x;
        }
        if (x->file == file && x->tcp == tcp && ep_eq(&x->ep[0], lo) && ep_eq(&x->ep[1], hi))
            return x;
    }
    t->refused++;
    return NULL;
}

/* A new, zeroed rebinding entry of b, or NULL (counted in rebinds_more) when b lists its
 * most already or memory is short. */
static struct ka_rebind *
rebind_new(struct ka_bstate *b)
{
    if (b->n_rebinds < KA_RES_MAX_REBINDS && !b->rebinds)
        b->rebinds = calloc(KA_RES_MAX_REBINDS, sizeof *b->rebinds);
    if (b->n_rebinds >= KA_RES_MAX_REBINDS || !b->rebinds) {
        b->rebinds_more++;
        return NULL;
    }
    return &b->rebinds[b->n_rebinds++];
}

static void
note_file(struct keepalive_tracker *t, const struct sip_ref *at)
{
    unsigned f = at->file < KA_MAX_FILES ? at->file : KA_MAX_FILES - 1;
    if (!t->file_seen[f] || at->ts_ns < t->file_first[f])
        t->file_first[f] = at->ts_ns;
    if (!t->file_seen[f] || at->ts_ns > t->file_last[f])
        t->file_last[f] = at->ts_ns;
    if (!t->file_seen[f])
        t->n_files++;
    t->file_seen[f] = true;
}

/* Any traffic of side s at `at`. */
static void
side_traffic(struct ka_side *s, const struct sip_ref *at)
{
    if (!s->packets++)
        s->first_any = *at;
    s->last_any = *at;
}

/* The first index of the shortest interval of a full top list. */
static uint8_t
top_shortest(const struct ka_heavy *h)
{
    uint8_t at = 0;
    for (uint8_t i = 1; i < KA_TOP; i++)
        if (h->top[i].seconds < h->top[at].seconds)
            at = i;
    return at;
}

/* Keep the KA_TOP longest intervals: replace the (first) shortest when full. Once full, the
 * shortest is known (top_min): an interval no longer than it reads one entry, not the list. */
static void
top_add(struct ka_heavy *h, const struct sip_ref *from, const struct sip_ref *to, double iv)
{
    uint8_t at = h->n_top;
    if (h->n_top == KA_TOP) {
        at = h->top_min;
        if (h->top[at].seconds >= iv)
            return;
    } else {
        h->n_top++;
    }
    h->top[at] = (struct ka_gap){*from, *to, iv, false};
    if (h->n_top == KA_TOP)
        h->top_min = top_shortest(h);
}

/* Log one keep-alive for the two-point match; when the log cannot take it, t->log_full says so. */
static void
log_event(struct keepalive_tracker *t, struct ka_heavy *h, enum ka_kind kind, uint32_t key,
          const struct sip_ref *at)
{
    if (h->n_log == h->cap_log) {
        uint32_t cap = h->cap_log ? 2 * h->cap_log : 16;
        struct ka_event *n = t->logged + (cap - h->cap_log) <= KA_LOG_TOTAL
                                 ? realloc(h->log, cap * sizeof *n)
                                 : NULL;
        if (!n) {
            t->log_full = true;
            return;
        }
        t->logged += cap - h->cap_log;
        h->log = n;
        h->cap_log = cap;
    }
    h->log[h->n_log++] = (struct ka_event){*at, key, (uint8_t)kind};
}

/* A keep-alive of kind sent by side s at `at`: counts, interval statistics, the log. */
static void
side_keepalive(struct keepalive_tracker *t, struct ka_side *s, enum ka_kind kind, uint32_t key,
               const struct sip_ref *at)
{
    if (!s->h) {
        s->h = calloc(1, sizeof *s->h);
        if (!s->h)
            return;
    }
    struct ka_heavy *h = s->h;
    s->kinds[kind]++;
    log_event(t, h, kind, key, at);
    if (s->count++ == 0) {
        s->first = s->last = *at;
        return;
    }
    double iv = (double)(at->ts_ns - s->last.ts_ns) / 1e9;
    if (iv < 0)
        iv = 0; /* merged inputs out of order: never a negative interval */
    if (s->count == 2 || iv < s->min_s)
        s->min_s = iv;
    if (s->count == 2 || iv > s->max_s)
        s->max_s = iv;
    h->res[h->res_pos] = (float)iv;
    h->res_pos = (uint16_t)((h->res_pos + 1) % KA_RESERVOIR);
    if (h->n_res < KA_RESERVOIR)
        h->n_res++;
    size_t bin = (size_t)(iv / KA_HIST_BIN_S);
    if (bin < KA_HIST_BINS)
        h->hist[bin]++;
    else
        h->hist_over++;
    top_add(h, &s->last, at, iv);
    s->last = *at;
}

/*
 * The part of a keep-alive's payload that is the same on both sides of a NAT: the bytes of a
 * short ping, the transaction ID of a STUN message (its mapped address is not); 0 unknown.
 */
static uint32_t
payload_key(enum ka_kind kind, const uint8_t *p, uint32_t len)
{
    if (!p)
        return 0;
    uint32_t from = 0, to = len;
    if (kind == KA_KIND_STUN_REQUEST || kind == KA_KIND_STUN_RESPONSE) {
        if (len < 20)
            return 0;
        from = 8, to = 20; /* RFC 5389 §6: transaction ID */
    } else if (len > 64) {
        return 0;
    }
    uint32_t h = 2166136261u ^ len;
    for (uint32_t i = from; i < to; i++)
        h = (h ^ p[i]) * 16777619u;
    return h | 1; /* never 0 */
}

void
keepalive_tracker_ping(struct keepalive_tracker *t, const struct sip_endpoint *src,
                       const struct sip_endpoint *dst, bool tcp, enum ka_kind kind,
                       const struct sip_ref *at, const struct sip_endpoint *mapped)
{
    keepalive_tracker_ping_payload(t, src, dst, tcp, kind, at, mapped, NULL, 0);
}

void
keepalive_tracker_ping_payload(struct keepalive_tracker *t, const struct sip_endpoint *src,
                               const struct sip_endpoint *dst, bool tcp, enum ka_kind kind,
                               const struct sip_ref *at, const struct sip_endpoint *mapped,
                               const uint8_t *payload, uint32_t len)
{
    if (!t || (unsigned)kind >= KA_KIND__COUNT)
        return;
    int side;
    note_file(t, at);
    struct ka_bstate *b = binding_get(t, src, dst, at->file, tcp, &side);
    if (!b)
        return;
    t->events++;
    struct ka_side *s = &b->s[side];
    if (kind == KA_KIND_STUN_REQUEST) {
        s->probe_idle_from = s->last_any;
        s->probe_ns = at->ts_ns;
    }
    side_traffic(s, at);
    side_keepalive(t, s, kind, payload_key(kind, payload, len), at);
    if (mapped && kind == KA_KIND_STUN_RESPONSE) {
        /* The STUN server told the receiver its public address. */
        struct ka_side *r = &b->s[!side];
        char addr[64];
        ep_text(mapped, addr, sizeof addr);
        struct ka_rebind *rb;
        if (b->has_public[!side] && strcmp(b->public_addr[!side], addr) != 0 &&
            (rb = rebind_new(b)) != NULL) {
            rb->at = *at;
            rb->idle_from = r->probe_idle_from;
            rb->idle_s = r->probe_idle_from.frame
                             ? (double)(r->probe_ns - r->probe_idle_from.ts_ns) / 1e9
                             : 0;
            memcpy(rb->from, b->public_addr[!side], sizeof rb->from);
            snprintf(rb->to, sizeof rb->to, "%s", addr);
            rb->stun = true;
        }
        b->has_public[!side] = true;
        b->public_ep[!side] = *mapped;
        snprintf(b->public_addr[!side], sizeof b->public_addr[0], "%s", addr);
    }
}

/* The registrar reported the public address of side `side` (the REGISTER sender) of b. */
static void
public_reported(struct keepalive_tracker *t, struct ka_bstate *b, int side,
                const struct sip_endpoint *pub, const struct sip_ref *at)
{
    /* The same address again (the usual answer): its text is the one kept, nothing changes. */
    if (b->has_public[side] && ep_eq(&b->public_ep[side], pub))
        return;
    char addr[64];
    ep_text(pub, addr, sizeof addr);
    struct ka_side *s = &b->s[side];
    const char *before = b->has_public[side] ? b->public_addr[side] : NULL;
    struct sip_ref idle_from = s->probe_idle_from;
    int64_t probe_ns = s->probe_ns;
    char old[64];
    if (!before) {
        /* A new flow of the same phone address (WAN side after rebinding: new NAT port): in
         * list order, as a scan of every binding would find them, from the one chain that can
         * hold them. */
        uint32_t e = t->side_head[side_bucket(b->file, b->tcp, &b->ep[side].ip, &b->ep[!side])];
        for (; e; e = t->side_next[e - 1]) {
            struct ka_bstate *o = t->list[(e - 1) / 2];
            int os = (int)((e - 1) % 2);
            if (o == b || o->file != b->file || o->tcp != b->tcp)
                continue;
            const struct ka_side *x = &o->s[os];
            if (!o->has_public[os] || !x->packets || x->last_any.ts_ns > s->first_any.ts_ns ||
                !ep_eq(&o->ep[!os], &b->ep[!side]) ||
                memcmp(o->ep[os].ip.a, b->ep[side].ip.a, 16) != 0 ||
                strcmp(o->public_addr[os], addr) == 0)
                continue;
            snprintf(old, sizeof old, "%s", o->public_addr[os]);
            before = old;
            /* the old flow's last packet from the phone: a NAT refresh for sure */
            idle_from = x->last_any;
            probe_ns = s->first_any.ts_ns;
        }
    }
    struct ka_rebind *rb;
    if (before && strcmp(before, addr) != 0 && (rb = rebind_new(b)) != NULL) {
        rb->at = *at;
        rb->idle_from = idle_from;
        rb->idle_s = idle_from.frame ? (double)(probe_ns - idle_from.ts_ns) / 1e9 : 0;
        snprintf(rb->from, sizeof rb->from, "%s", before);
        snprintf(rb->to, sizeof rb->to, "%s", addr);
    }
    b->has_public[side] = true;
    b->public_ep[side] = *pub;
    snprintf(b->public_addr[side], sizeof b->public_addr[0], "%s", addr);
}

/* An initial INVITE of side s is over (a new one, or the end): lost when retransmitted and
 * never answered. */
static void
invite_settle(struct ka_side *s)
{
    if (s->inv_pending && !s->inv_answered && s->inv_retrans) {
        if (!s->invites_lost++)
            s->lost_first = s->inv_first;
        s->lost_last = s->inv_last;
        s->lost_retrans += s->inv_retrans;
    }
    s->inv_pending = false;
}

/* A request of one side still waits for its answer: pending, and younger than Timer F. */
static bool
open_since(bool pending, int64_t since_ns, const struct sip_ref *at)
{
    return pending && at->ts_ns - since_ns < KA_TIMER_F_NS;
}

/*
 * Whether m repeats a message this binding already saw. The SIP tracker's flag spans all
 * inputs: with LAN and WAN files merged, the second capture point's copy of every message is a
 * "retransmission" to it, yet the first this binding (one file) sees. With several inputs a
 * repeat counts only when this binding has `seen` the original: for a request, the sender's
 * request of that kind is still open; for a response, its request is no longer open.
 */
static bool
repeat_here(const struct keepalive_tracker *t, const struct keepalive_sip *m, bool seen)
{
    return m->retransmission && (t->n_files < 2 || seen);
}

void
keepalive_tracker_sip(struct keepalive_tracker *t, const struct sip_endpoint *src,
                      const struct sip_endpoint *dst, const struct keepalive_sip *m,
                      const struct sip_ref *at)
{
    if (!t)
        return;
    int side;
    note_file(t, at);
    struct ka_bstate *b = binding_get(t, src, dst, at->file, m->tcp, &side);
    if (!b)
        return;
    struct ka_side *s = &b->s[side], *o = &b->s[!side];
    if (m->is_request) {
        switch (m->method) {
        case SIP_REQ_REGISTER:
            if (b->phone < 0 || strcmp(b->phone_by, "register") != 0) {
                b->phone = (int8_t)side;
                b->phone_by = "register";
            }
            if (!repeat_here(t, m, open_since(s->reg_pending, s->last_register_ns, at))) {
                s->reg_pending = true;
                s->probe_idle_from = s->last_any;
                s->probe_ns = at->ts_ns;
                if (s->registers++ && b->n_reg_iv < KA_REG_IV)
                    b->reg_iv[b->n_reg_iv++] = (float)((at->ts_ns - s->last_register_ns) / 1e9);
                s->last_register_ns = at->ts_ns;
            }
            break;
        case SIP_REQ_OPTIONS:
        case SIP_REQ_NOTIFY:
            if (!m->in_dialog && !repeat_here(t, m, open_since(s->ping_pending, s->ping_ns, at))) {
                s->ping_pending = true;
                s->ping_ns = at->ts_ns;
                side_traffic(s, at);
                side_keepalive(
                    t, s, m->method == SIP_REQ_OPTIONS ? KA_KIND_OPTIONS : KA_KIND_NOTIFY, 0, at);
                t->events++;
                return;
            }
            break;
        case SIP_REQ_INVITE:
            if (m->in_dialog)
                break;
            if (repeat_here(t, m, s->inv_pending)) {
                if (s->inv_pending) {
                    s->inv_retrans++;
                    s->inv_last = *at;
                }
            } else {
                invite_settle(s);
                s->invites++;
                s->inv_pending = true;
                s->inv_answered = false;
                s->inv_first = s->inv_last = *at;
                s->inv_retrans = 0;
            }
            break;
        default:
            break;
        }
        side_traffic(s, at);
        return;
    }
    if (m->cseq_method == SIP_REQ_INVITE && o->inv_pending)
        o->inv_answered = true;
    bool ping_answer = m->cseq_method == SIP_REQ_OPTIONS || m->cseq_method == SIP_REQ_NOTIFY;
    if (ping_answer && !repeat_here(t, m, !open_since(o->ping_pending, o->ping_ns, at))) {
        if (m->code >= 200)
            o->ping_pending = false;
        side_traffic(s, at);
        side_keepalive(t, s,
                       m->cseq_method == SIP_REQ_OPTIONS ? KA_KIND_OPTIONS_ANSWER
                                                         : KA_KIND_NOTIFY_ANSWER,
                       0, at);
        t->events++;
        return;
    }
    side_traffic(s, at);
    if (m->cseq_method != SIP_REQ_REGISTER ||
        repeat_here(t, m, !open_since(o->reg_pending, o->last_register_ns, at)))
        return;
    if (m->code >= 200)
        o->reg_pending = false;
    if (m->has_public)
        public_reported(t, b, !side, &m->public_addr, at);
}

/* ---- end of capture ---------------------------------------------------------------------- */

static int
float_cmp(const void *a, const void *b)
{
    float x = *(const float *)a, y = *(const float *)b;
    return x < y ? -1 : x > y;
}

static double
median_of(const float *v, size_t n)
{
    if (!n)
        return 0;
    float s[KA_RESERVOIR];
    memcpy(s, v, n * sizeof *s);
    qsort(s, n, sizeof *s, float_cmp);
    return n & 1 ? s[n / 2] : ((double)s[n / 2 - 1] + s[n / 2]) / 2.0;
}

static int
gap_time_cmp(const void *a, const void *b)
{
    const struct ka_gap *x = a, *y = b;
    return x->from.ts_ns < y->from.ts_ns ? -1 : x->from.ts_ns > y->from.ts_ns;
}

/* Who is the phone: the REGISTER sender, else the private side, else the side off the SIP
 * port range, else the side that spoke first. */
static void
settle_phone(struct ka_bstate *b)
{
    if (b->phone >= 0)
        return;
    bool p0 = addr_private(&b->ep[0].ip), p1 = addr_private(&b->ep[1].ip);
    bool r0 = b->ep[0].port >= 5060 && b->ep[0].port <= 5080;
    bool r1 = b->ep[1].port >= 5060 && b->ep[1].port <= 5080;
    if (p0 != p1) {
        b->phone = p0 ? 0 : 1;
        b->phone_by = "private";
    } else if (r0 != r1) {
        b->phone = r0 ? 1 : 0;
        b->phone_by = "port";
    } else {
        const struct ka_side *s0 = &b->s[0], *s1 = &b->s[1];
        bool first0 = s0->packets && (!s1->packets || s0->first_any.ts_ns <= s1->first_any.ts_ns);
        b->phone = first0 ? 0 : 1;
        b->phone_by = "first";
    }
}

/* Fill one reported direction from side state s; peer is the other side (liveness). */
static void
direction_finish(const struct keepalive_tracker *t, const struct ka_side *s,
                 const struct ka_side *peer, struct ka_direction *d)
{
    memset(d, 0, sizeof *d);
    d->count = s->count;
    memcpy(d->kinds, s->kinds, sizeof d->kinds);
    d->packets = s->packets;
    d->first = s->first;
    d->last = s->last;
    d->first_any = s->first_any;
    d->last_any = s->last_any;
    d->expected_s = t->interval_s;
    if (s->count < 2 || !s->h)
        return;
    const struct ka_heavy *h = s->h;
    d->min_s = s->min_s;
    d->max_s = s->max_s;
    d->median_s = median_of(h->res, h->n_res);
    /* The profile's interval, unless the sender keeps a clearly different rhythm of its own. */
    if (h->n_res >= 3 && (d->median_s < 0.5 * t->interval_s || d->median_s > 1.2 * t->interval_s)) {
        d->expected_s = d->median_s;
        d->expected_inferred = true;
    }
    double limit = 1.5 * d->expected_s;
    uint64_t late = h->hist_over;
    for (size_t i = 0; i < KA_HIST_BINS; i++)
        if (i * KA_HIST_BIN_S > limit)
            late += h->hist[i];
    struct ka_gap g[KA_TOP];
    uint32_t n = 0;
    for (uint8_t i = 0; i < h->n_top; i++)
        if (h->top[i].seconds > limit)
            g[n++] = h->top[i];
    qsort(g, n, sizeof g[0], gap_time_cmp);
    uint32_t keep = n < KA_RES_MAX_GAPS ? n : KA_RES_MAX_GAPS;
    for (uint32_t i = 0; i < keep; i++) {
        g[i].peer_alive = peer->packets && peer->last_any.ts_ns > g[i].from.ts_ns;
        d->gaps[i] = g[i];
    }
    d->n_gaps = keep;
    d->gaps_more = late > keep ? late - keep : (n > keep ? n - keep : 0);
}

/* Whether addr ("ip:port") is a public address the registrar or STUN ever reported for l's phone.
 */
static bool
public_of(const struct ka_bstate *l, const char *addr)
{
    int ph = l->phone;
    if (l->has_public[ph] && strcmp(l->public_addr[ph], addr) == 0)
        return true;
    for (uint32_t i = 0; i < l->n_rebinds; i++)
        if (strcmp(l->rebinds[i].from, addr) == 0 || strcmp(l->rebinds[i].to, addr) == 0)
            return true;
    return false;
}

static bool
knows_public(const struct ka_bstate *l)
{
    return l->has_public[l->phone] || l->n_rebinds > 0;
}

/* A LAN binding: a private phone. */
static bool
is_lan(const struct ka_bstate *b)
{
    return addr_private(&b->ep[b->phone].ip);
}

/*
 * The bindings grouped by the key that pairs a LAN binding with its WAN ones: transport and
 * cloud (the phone's peer). In each group the WAN bindings in list order, the LAN ones
 * counted, and the WAN phone's address as text.
 */
struct ka_member {
    struct sip_endpoint cloud;
    uint32_t idx; /* in t->list */
    bool tcp, lan;
};

struct ka_index {
    struct ka_member *m;  /* sorted by (tcp, cloud, LAN, idx): WAN ones first in a group */
    uint32_t *group;      /* t->list index → position of its group's first member in m */
    uint32_t *lans;       /* position of a group's first member → LAN bindings in the group */
    char (*wan_text)[64]; /* t->list index → its phone as text (WAN bindings) */
};

static int
member_cmp(const void *x, const void *y)
{
    const struct ka_member *a = x, *b = y;
    if (a->tcp != b->tcp)
        return a->tcp ? 1 : -1;
    int c = ep_cmp(&a->cloud, &b->cloud);
    if (c)
        return c;
    if (a->lan != b->lan)
        return a->lan ? 1 : -1; /* a group's WAN bindings first */
    return a->idx < b->idx ? -1 : a->idx > b->idx;
}

static void
index_free(struct ka_index *x)
{
    free(x->m);
    free(x->group);
    free(x->lans);
    free(x->wan_text);
}

/* Build the index of t's bindings (phones settled); -1 when memory is short. */
static int
index_build(const struct keepalive_tracker *t, struct ka_index *x)
{
    uint32_t n = t->n;
    memset(x, 0, sizeof *x);
    if (!n)
        return 0;
    x->m = malloc(n * sizeof *x->m);
    x->group = malloc(n * sizeof *x->group);
    x->lans = calloc(n, sizeof *x->lans);
    x->wan_text = malloc(n * sizeof *x->wan_text);
    if (!x->m || !x->group || !x->lans || !x->wan_text) {
        index_free(x);
        return -1;
    }
    for (uint32_t i = 0; i < n; i++) {
        const struct ka_bstate *b = t->list[i];
        x->m[i] = (struct ka_member){b->ep[!b->phone], i, b->tcp, is_lan(b)};
        if (!is_lan(b))
            ep_text(&b->ep[b->phone], x->wan_text[i], sizeof x->wan_text[i]);
    }
    qsort(x->m, n, sizeof *x->m, member_cmp);
    uint32_t g = 0;
    for (uint32_t p = 0; p < n; p++) {
        if (p && (x->m[p].tcp != x->m[g].tcp || !ep_eq(&x->m[p].cloud, &x->m[g].cloud)))
            g = p;
        x->group[x->m[p].idx] = g;
        x->lans[g] += x->m[p].lan;
    }
    return 0;
}

/*
 * The next WAN binding after position *p of LAN binding l's group that is the same phone
 * binding as l: w's public address is one the registrar reported for l's phone — or, when
 * nothing was reported, l is the only private phone talking to that cloud. NULL at the end.
 */
static struct ka_bstate *
next_same_binding(const struct keepalive_tracker *t, const struct ka_index *x,
                  const struct ka_bstate *l, uint32_t li, uint32_t *p)
{
    uint32_t g = x->group[li];
    for (; *p < t->n; (*p)++) {
        const struct ka_member *e = &x->m[*p];
        if (e->lan || (*p != g && (e->tcp != x->m[g].tcp || !ep_eq(&e->cloud, &x->m[g].cloud))))
            break; /* the group's WAN bindings are over */
        struct ka_bstate *w = t->list[e->idx];
        if (knows_public(l) ? !public_of(l, x->wan_text[e->idx]) : x->lans[g] > 1)
            continue; /* several phones behind the NAT, nothing to tell them apart */
        (*p)++;
        return w;
    }
    return NULL;
}

static int
event_time_cmp(const void *a, const void *b)
{
    const struct ka_event *x = a, *y = b;
    return x->at.ts_ns < y->at.ts_ns ? -1 : x->at.ts_ns > y->at.ts_ns;
}

static bool
event_match(const struct ka_event *wan, const struct ka_event *lan)
{
    return wan->kind == lan->kind && (!wan->key || !lan->key || wan->key == lan->key);
}

/* A copy of the direction's log sorted by time, or NULL (none, or no memory: *short_mem). */
static struct ka_event *
sorted_log(const struct ka_side *s, uint32_t *n, bool *short_mem)
{
    *n = 0;
    if (!s->h || !s->h->n_log)
        return NULL;
    struct ka_event *v = malloc(s->h->n_log * sizeof *v);
    if (!v) {
        *short_mem = true;
        return NULL;
    }
    memcpy(v, s->h->log, s->h->n_log * sizeof *v);
    qsort(v, s->h->n_log, sizeof *v, event_time_cmp);
    *n = s->h->n_log;
    return v;
}

/*
 * The cloud's keep-alives on the WAN bindings of l's phone that never reached l: each WAN copy
 * inside the span both capture points saw is matched one to one, in time order, to the
 * earliest unused LAN copy of the same kind (and payload, when known) within KA_MATCH_NS; the
 * unmatched ones are counted, so the count is exact for that overlap.
 */
static void
match_two_points(struct keepalive_tracker *t, const struct ka_index *x, struct ka_bstate *l,
                 uint32_t li)
{
    uint32_t nl = 0;
    bool short_mem = false;
    struct ka_event *lan = sorted_log(&l->s[!l->phone], &nl, &short_mem);
    bool *used = nl ? calloc(nl, sizeof *used) : NULL;
    if (nl && !used)
        short_mem = true;
    unsigned lf = l->file < KA_MAX_FILES ? l->file : KA_MAX_FILES - 1;
    uint32_t p = x->group[li];
    for (const struct ka_bstate *w; !short_mem && (w = next_same_binding(t, x, l, li, &p));) {
        unsigned wf = w->file < KA_MAX_FILES ? w->file : KA_MAX_FILES - 1;
        int64_t from =
            t->file_first[lf] > t->file_first[wf] ? t->file_first[lf] : t->file_first[wf];
        int64_t to = t->file_last[lf] < t->file_last[wf] ? t->file_last[lf] : t->file_last[wf];
        if (to <= from)
            continue;
        uint32_t nw = 0;
        struct ka_event *wan = sorted_log(&w->s[!w->phone], &nw, &short_mem);
        uint32_t lp = 0;
        for (uint32_t i = 0; i < nw; i++) {
            const struct ka_event *e = &wan[i];
            if (e->at.ts_ns < from || e->at.ts_ns > to)
                continue;
            l->dropped_of++;
            while (lp < nl && lan[lp].at.ts_ns <= e->at.ts_ns - KA_MATCH_NS)
                lp++;
            bool seen = false;
            for (uint32_t q = lp; q < nl && lan[q].at.ts_ns < e->at.ts_ns + KA_MATCH_NS; q++)
                if (!used[q] && event_match(e, &lan[q])) {
                    used[q] = seen = true;
                    break;
                }
            if (seen)
                continue;
            if (!l->dropped++ || e->at.ts_ns < l->dropped_first.ts_ns)
                l->dropped_first = e->at;
            if (l->dropped == 1 || e->at.ts_ns > l->dropped_last.ts_ns)
                l->dropped_last = e->at;
        }
        free(wan);
        double span = (double)(to - from) / 1e9;
        if (span > l->overlap_s)
            l->overlap_s = span;
    }
    l->dropped_inexact = t->log_full || short_mem;
    free(used);
    free(lan);
}

/*
 * The same rebinding seen at both capture points (the phone's LAN binding and the new public
 * flow on the WAN side) is one event: the WAN copy is folded into the LAN one, which names the
 * other point's frame (and takes its idle bound only when it has none of its own).
 */
static void
fold_rebinds(struct keepalive_tracker *t, const struct ka_index *x, struct ka_bstate *l,
             uint32_t li)
{
    uint32_t p = x->group[li];
    for (struct ka_bstate *w; l->n_rebinds && (w = next_same_binding(t, x, l, li, &p));) {
        for (uint32_t i = 0; i < w->n_rebinds; i++) {
            struct ka_rebind *rw = &w->rebinds[i];
            for (uint32_t k = 0; k < l->n_rebinds && !rw->duplicate; k++) {
                struct ka_rebind *rl = &l->rebinds[k];
                if (rl->duplicate || rl->other_at.frame || strcmp(rl->from, rw->from) != 0 ||
                    strcmp(rl->to, rw->to) != 0)
                    continue;
                rw->duplicate = true;
                rl->other_at = rw->at;
                /* The LAN copy's own bound stands (one clock); the WAN one only fills a gap. */
                if (rw->idle_s > 0 && rl->idle_s <= 0) {
                    rl->idle_s = rw->idle_s;
                    rl->idle_from = rw->idle_from;
                }
            }
        }
    }
}

static void
two_points(struct keepalive_tracker *t)
{
    struct ka_index x;
    bool short_mem = index_build(t, &x) != 0;
    for (uint32_t i = 0; i < t->n; i++) {
        struct ka_bstate *l = t->list[i];
        if (!is_lan(l))
            continue;
        if (short_mem) {
            l->dropped_inexact = true; /* not compared: no memory for the index */
            continue;
        }
        match_two_points(t, &x, l, i);
        fold_rebinds(t, &x, l, i);
    }
    index_free(&x);
}

/* Fill the report's binding and its verdict; emit its findings. */
static void
binding_finish(struct keepalive_tracker *t, struct ka_bstate *b, struct ka_binding *o,
               struct result *r)
{
    int ph = b->phone;
    memset(o, 0, sizeof *o);
    o->phone = b->ep[ph];
    o->cloud = b->ep[!ph];
    o->file = b->file;
    o->phone_by = b->phone_by;
    o->tcp = b->tcp;
    const struct ka_side *in = &b->s[!ph], *out = &b->s[ph];
    direction_finish(t, in, out, &o->dir[KA_DIR_CLOUD_TO_PHONE]);
    direction_finish(t, out, in, &o->dir[KA_DIR_PHONE_TO_CLOUD]);
    o->registers = out->registers;
    o->register_interval_s = median_of(b->reg_iv, b->n_reg_iv);
    if (b->has_public[ph])
        snprintf(o->public_addr, sizeof o->public_addr, "%s", b->public_addr[ph]);
    o->n_rebinds = b->n_rebinds;
    o->rebinds_more = b->rebinds_more;
    if (b->n_rebinds)
        memcpy(o->rebinds, b->rebinds, b->n_rebinds * sizeof o->rebinds[0]);
    for (uint32_t i = 0; i < b->n_rebinds; i++)
        if (b->rebinds[i].idle_s > 0 &&
            (!o->binding_lifetime_s || b->rebinds[i].idle_s < o->binding_lifetime_s))
            o->binding_lifetime_s = b->rebinds[i].idle_s;
    struct ka_side *cs = &b->s[!ph];
    invite_settle(cs);
    o->inbound_invites = cs->invites;
    o->inbound_invites_lost = cs->invites_lost;
    o->lost_invite_first = cs->lost_first;
    o->lost_invite_last = cs->lost_last;
    o->lost_invite_retransmissions = cs->lost_retrans;
    o->dropped_by_firewall = b->dropped;
    o->dropped_first = b->dropped_first;
    o->dropped_last = b->dropped_last;

    char phone[64], cloud[64];
    ep_text(&o->phone, phone, sizeof phone);
    ep_text(&o->cloud, cloud, sizeof cloud);
    const struct ka_direction *di = &o->dir[KA_DIR_CLOUD_TO_PHONE];
    const struct ka_direction *dout = &o->dir[KA_DIR_PHONE_TO_CLOUD];
    bool fail = false, warn = false;
    char why[160] = "";
    double limit = 1.5 * di->expected_s;
    /* Only the cloud's own pings have a rhythm to judge: pongs and answers follow the phone's,
     * and a TCP connection is no UDP binding. */
    bool cloud_pings = !o->tcp && di->kinds[KA_KIND_DOUBLE_CRLF] + di->kinds[KA_KIND_EMPTY] +
                                          di->kinds[KA_KIND_SHORT] +
                                          di->kinds[KA_KIND_STUN_REQUEST] +
                                          di->kinds[KA_KIND_OPTIONS] + di->kinds[KA_KIND_NOTIFY] >
                                      0;

    for (uint32_t i = 0; cloud_pings && i < di->n_gaps; i++) {
        const struct ka_gap *g = &di->gaps[i];
        if (!g->peer_alive)
            continue;
        struct evidence_ref a = {g->from.frame, g->from.file, g->from.ts_ns};
        struct evidence_ref z = {g->to.frame, g->to.file, g->to.ts_ns};
        struct finding *f = result_add_finding(
            r, FIND_NAT_KEEPALIVE_GAP, &a, &z,
            "%.1f s without a keep-alive from %s to %s (limit %.0f s, late beyond %.1f s)%s",
            g->seconds, cloud, phone, t->interval_s, limit,
            di->expected_inferred ? "; interval inferred from the median" : "");
        if (f) {
            f->measured = g->seconds;
            f->limit = limit;
        }
        if (!fail)
            snprintf(why, sizeof why, "%.1f s gap in the cloud's keep-alives", g->seconds);
        fail = true;
    }
    /* Stopped: the cloud's keep-alives end while the phone goes on well past one interval. */
    if (cloud_pings && di->count >= 2 && dout->packets &&
        (double)(dout->last_any.ts_ns - di->last.ts_ns) / 1e9 > limit) {
        double s = (double)(dout->last_any.ts_ns - di->last.ts_ns) / 1e9;
        struct evidence_ref a = {di->last.frame, di->last.file, di->last.ts_ns};
        struct evidence_ref z = {dout->last_any.frame, dout->last_any.file, dout->last_any.ts_ns};
        struct finding *f = result_add_finding(
            r, FIND_NAT_INBOUND_KEEPALIVES_MISSING, &a, &z,
            "keep-alives from %s to %s stopped: none in the last %.1f s while the phone kept "
            "sending (limit %.1f s)",
            cloud, phone, s, limit);
        if (f) {
            f->measured = s;
            f->limit = limit;
        }
        if (!fail)
            snprintf(why, sizeof why, "cloud keep-alives stopped %.1f s before the end", s);
        fail = true;
    }
    if (o->dropped_by_firewall) {
        struct evidence_ref a = {b->dropped_first.frame, b->dropped_first.file,
                                 b->dropped_first.ts_ns};
        struct evidence_ref z = {b->dropped_last.frame, b->dropped_last.file,
                                 b->dropped_last.ts_ns};
        struct finding *f = result_add_finding(
            r, FIND_NAT_KEEPALIVE_DROPPED_BY_FIREWALL, &a, &z,
            "%u of %u keep-alive(s) from %s seen on the WAN side never reached %s on the LAN "
            "side: %s for the %.1f s both captures overlap (each WAN copy matched one to one "
            "to a LAN copy of the same kind within %.0f s)",
            o->dropped_by_firewall, b->dropped_of, cloud, phone,
            b->dropped_inexact ? "a lower bound (keep-alive log full)" : "exact", b->overlap_s,
            (double)KA_MATCH_NS / KA_NS);
        if (f) {
            f->measured = o->dropped_by_firewall;
            f->count = o->dropped_by_firewall;
        }
        if (!fail)
            snprintf(why, sizeof why, "%u keep-alives dropped by the firewall",
                     o->dropped_by_firewall);
        fail = true;
    }
    for (uint32_t i = 0; i < o->n_rebinds; i++) {
        const struct ka_rebind *rb = &o->rebinds[i];
        bool short_idle = rb->idle_s <= t->timeout_s;
        if (short_idle && !fail)
            snprintf(why, sizeof why, "NAT binding lost after <= %.1f s idle", rb->idle_s);
        fail |= short_idle;
        if (rb->duplicate)
            continue; /* reported once, on the phone's LAN binding */
        char both[96] = "";
        struct evidence_ref a = {rb->idle_from.frame ? rb->idle_from.frame : rb->at.frame,
                                 rb->idle_from.frame ? rb->idle_from.file : rb->at.file,
                                 rb->idle_from.frame ? rb->idle_from.ts_ns : rb->at.ts_ns};
        struct evidence_ref z = {rb->at.frame, rb->at.file, rb->at.ts_ns};
        if (rb->other_at.frame) {
            snprintf(both, sizeof both,
                     "; one rebinding seen at both capture points (LAN frame %llu, "
                     "WAN frame %llu)",
                     (unsigned long long)rb->at.frame, (unsigned long long)rb->other_at.frame);
            if (rb->other_at.ts_ns > rb->at.ts_ns)
                z = (struct evidence_ref){rb->other_at.frame, rb->other_at.file,
                                          rb->other_at.ts_ns};
        }
        struct finding *f = result_add_finding(
            r, short_idle ? FIND_NAT_REBINDING : FIND_NAT_BINDING_EXPIRED_IDLE, &a, &z,
            "%s's public address changed %s -> %s (%s): binding lost after <= %.1f s idle "
            "(requirement >= %.0f s)%s",
            phone, rb->from, rb->to, rb->stun ? "STUN" : "registrar's Via", rb->idle_s,
            t->timeout_s, both);
        if (f) {
            f->measured = rb->idle_s;
            f->limit = t->timeout_s;
        }
    }
    if (o->inbound_invites_lost) {
        struct evidence_ref a = {o->lost_invite_first.frame, o->lost_invite_first.file,
                                 o->lost_invite_first.ts_ns};
        struct evidence_ref z = {o->lost_invite_last.frame, o->lost_invite_last.file,
                                 o->lost_invite_last.ts_ns};
        struct finding *f = result_add_finding(
            r, FIND_NAT_INBOUND_INVITE_LOST, &a, &z,
            "%u INVITE(s) from %s to %s retransmitted %u time(s) without any response: the "
            "call never reached the phone",
            o->inbound_invites_lost, cloud, phone, o->lost_invite_retransmissions);
        if (f)
            f->count = o->inbound_invites_lost;
        if (!fail)
            snprintf(why, sizeof why, "%u incoming call(s) never reached the phone",
                     o->inbound_invites_lost);
        fail = true;
    }
    double span = 0;
    if (dout->packets || di->packets) {
        int64_t first =
            !di->packets || (dout->packets && dout->first_any.ts_ns < di->first_any.ts_ns)
                ? dout->first_any.ts_ns
                : di->first_any.ts_ns;
        int64_t last =
            dout->last_any.ts_ns > di->last_any.ts_ns ? dout->last_any.ts_ns : di->last_any.ts_ns;
        span = (double)(last - first) / 1e9;
    }
    if (!fail && di->count == 0 && dout->count >= 2 && span >= 2 * dout->expected_s &&
        dout->kinds[KA_KIND_OPTIONS_ANSWER] + dout->kinds[KA_KIND_NOTIFY_ANSWER] == 0) {
        struct evidence_ref a = {dout->first.frame, dout->first.file, dout->first.ts_ns};
        struct evidence_ref z = {dout->last.frame, dout->last.file, dout->last.ts_ns};
        result_add_finding(r, FIND_NAT_KEEPALIVES_ONE_WAY, &a, &z,
                           "%s sent %llu keep-alive(s) to %s over %.1f s; none came back from "
                           "the cloud at this capture point",
                           phone, (unsigned long long)dout->count, cloud, span);
        warn = true;
        snprintf(why, sizeof why, "keep-alives one way only (phone to cloud)");
    }
    if (fail) {
        o->verdict = KA_VERDICT_FAIL;
    } else if (warn) {
        o->verdict = KA_VERDICT_WARN;
    } else if (di->count >= 2 && span >= 2 * di->expected_s) {
        o->verdict = KA_VERDICT_PASS;
        snprintf(why, sizeof why, "cloud keep-alives every %.1f s (max %.1f s, limit %.1f s)",
                 di->median_s, di->max_s, limit);
    } else {
        o->verdict = KA_VERDICT_NOT_OBSERVED;
        if (di->count + dout->count == 0)
            snprintf(why, sizeof why, "no keep-alives on this flow");
        else
            snprintf(why, sizeof why,
                     "observed %.1f s, shorter than two keep-alive intervals (%.0f s)", span,
                     2 * di->expected_s);
    }
    snprintf(o->verdict_reason, sizeof o->verdict_reason, "%s", why);
}

/* The NAT requirement row: checked always, observed when some binding could be judged. */
static void
nat_row(const struct keepalive_tracker *t, const struct keepalive_result *k, struct result *r)
{
    struct requirement_row *row = &r->requirements[REQ_NAT];
    uint32_t n[4] = {0};
    const struct ka_binding *worst = NULL;
    uint64_t inbound = 0;
    for (uint32_t i = 0; i < k->n_bindings; i++) {
        const struct ka_binding *b = &k->bindings[i];
        n[b->verdict]++;
        inbound += b->dir[KA_DIR_CLOUD_TO_PHONE].count;
        if (!worst || b->verdict > worst->verdict)
            worst = b;
    }
    row->checked = true;
    row->observed = n[KA_VERDICT_PASS] + n[KA_VERDICT_WARN] + n[KA_VERDICT_FAIL] > 0;
    if (!worst || worst->verdict == KA_VERDICT_NOT_OBSERVED) {
        if (worst && worst->dir[0].count + worst->dir[1].count)
            snprintf(row->evidence, sizeof row->evidence,
                     "keep-alives seen on %u binding(s) but none could be judged: %s",
                     k->n_bindings, worst->verdict_reason);
        else
            snprintf(row->evidence, sizeof row->evidence,
                     "no NAT keep-alives on any SIP flow (%u SIP binding(s) seen)", k->n_bindings);
        return;
    }
    char phone[64];
    ep_text(&worst->phone, phone, sizeof phone);
    if (worst->verdict == KA_VERDICT_PASS)
        snprintf(row->evidence, sizeof row->evidence,
                 "%llu keep-alive(s) from the cloud on %u binding(s), no late gap, no rebinding "
                 "(e.g. %s: %s)",
                 (unsigned long long)inbound, n[KA_VERDICT_PASS], phone, worst->verdict_reason);
    else
        snprintf(row->evidence, sizeof row->evidence,
                 "%u of %u binding(s) %s; e.g. %s: %s (requirement: keep-alives every %.0f s, "
                 "UDP time-out >= %.0f s)",
                 n[worst->verdict], k->n_bindings,
                 worst->verdict == KA_VERDICT_FAIL ? "fail" : "warn", phone, worst->verdict_reason,
                 t->interval_s, t->timeout_s);
}

int
keepalive_tracker_finish(struct keepalive_tracker *t, struct result *r)
{
    struct keepalive_result *k = calloc(1, sizeof *k);
    if (!k)
        return -1;
    k->profile_interval_s = t->interval_s;
    k->profile_timeout_s = t->timeout_s;
    k->events = t->events;
    k->bindings_unlisted = t->refused;
    /* Only flows with a keep-alive, a REGISTER or an incoming INVITE make a binding worth
     * listing; a plain SIP trunk flow stays out of the NAT table. */
    uint32_t n = 0;
    for (uint32_t i = 0; i < t->n; i++) {
        struct ka_bstate *b = t->list[i];
        settle_phone(b);
    }
    two_points(t);
    for (uint32_t i = 0; i < t->n; i++) {
        const struct ka_bstate *b = t->list[i];
        if (b->s[0].count || b->s[1].count || b->s[0].registers || b->s[1].registers || b->dropped)
            n++;
    }
    uint32_t cap = n < KA_RES_MAX_BINDINGS ? n : KA_RES_MAX_BINDINGS;
    k->bindings = cap ? calloc(cap, sizeof *k->bindings) : NULL;
    if (cap && !k->bindings) {
        free(k);
        return -1;
    }
    for (uint32_t i = 0; i < t->n; i++) {
        struct ka_bstate *b = t->list[i];
        if (!(b->s[0].count || b->s[1].count || b->s[0].registers || b->s[1].registers ||
              b->dropped))
            continue;
        if (k->n_bindings >= cap) {
            k->bindings_unlisted++;
            continue;
        }
        binding_finish(t, b, &k->bindings[k->n_bindings++], r);
    }
    nat_row(t, k, r);
    r->keepalive = k;
    return 0;
}
