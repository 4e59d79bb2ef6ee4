/* rtp_stats.c — per-stream RTP figures (RFC 3550 A.1, A.8) computed as Wireshark 4.0 does. */
#include "rtp_stats.h"

#include <math.h>
#include <string.h>

#define NS_PER_S 1000000000LL
#define SEQ_MOD 0x10000u
#define SEQ_HALF 0x8000u
#define TS_HALF 0x80000000LL
#define SEQ_WRAP_JUMP 0xFF00 /* a fall this large means a wrap whose packets were lost */
#define PACKETISATION_MS 20.0

void
rtp_stats_init(struct rtp_stats *s, int64_t epoch_ns)
{
    memset(s, 0, sizeof(*s));
    s->epoch_ns = epoch_ns;
    s->event_pt = -1;
    s->reg_pt = -1;
}

void
rtp_stats_set_event_pt(struct rtp_stats *s, uint8_t pt)
{
    s->event_pt = pt & 0x7f;
}

/*
 * Milliseconds since the epoch as Wireshark derives them (nstime_to_msec of the relative
 * time): whole seconds and the nanosecond rest converted apart, so the doubles agree bit for
 * bit with tshark's.
 */
static double
rtp_ms(const struct rtp_stats *s, int64_t ns)
{
    int64_t rel = ns - s->epoch_ns;
    int64_t secs = rel / NS_PER_S; /* both truncate toward zero, as nstime_delta's parts do */
    int64_t nsecs = rel % NS_PER_S;
    return (double)secs * 1000 + (double)nsecs / 1000000;
}

static bool
rtp_is_cn(uint8_t pt)
{
    return pt == RTP_PT_CN || pt == RTP_PT_CN_OLD;
}

/*
 * The received-sequence window is a ring of RTP_STATS_SEQ_WINDOW bits indexed by extended
 * sequence number modulo its size: bit e holds "e was received" for e in (high − window, high].
 * Moving high up clears the bits of the numbers it passes — one for the usual next packet,
 * where shifting the whole window cost a loop over its words for every packet.
 */
#define SEEN_WORDS (RTP_STATS_SEQ_WINDOW / 64)

static inline uint64_t *
seen_word(uint64_t *w, uint32_t ext)
{
    return &w[(ext / 64) % SEEN_WORDS];
}

/* Move the window's top from `from` up to `to`, clearing the numbers in (from, to]. */
static void
seen_advance(uint64_t *w, uint32_t from, uint32_t to)
{
    if (to - from >= RTP_STATS_SEQ_WINDOW) {
        memset(w, 0, SEEN_WORDS * sizeof(*w));
        return;
    }
    for (uint32_t e = from + 1; e != to + 1; e++)
        *seen_word(w, e) &= ~(1ull << (e % 64));
}

/* voipdiag's own duplicate / reorder test on an RFC 3550 A.1 style extended sequence. */
static uint32_t
rtp_track_seq(struct rtp_stats *s, uint16_t seq)
{
    if (s->total == 0) {
        s->high_ext_seq = SEQ_MOD | seq; /* one cycle up: early reordering cannot underflow */
        memset(s->seen, 0, sizeof(s->seen));
        *seen_word(s->seen, s->high_ext_seq) |= 1ull << (s->high_ext_seq % 64);
        return 0;
    }
    uint32_t ext = (s->high_ext_seq & ~(SEQ_MOD - 1)) | seq;
    if (ext + SEQ_HALF < s->high_ext_seq)
        ext += SEQ_MOD;
    else if (s->high_ext_seq + SEQ_HALF < ext)
        ext -= SEQ_MOD;
    if (ext > s->high_ext_seq) {
        seen_advance(s->seen, s->high_ext_seq, ext);
        s->high_ext_seq = ext;
        *seen_word(s->seen, ext) |= 1ull << (ext % 64);
        return 0;
    }
    uint32_t back = s->high_ext_seq - ext;
    if (back < RTP_STATS_SEQ_WINDOW) {
        uint64_t bit = 1ull << (ext % 64), *word = seen_word(s->seen, ext);
        if (*word & bit) {
            s->duplicates++;
            return RTP_FLAG_DUPLICATE;
        }
        *word |= bit;
    }
    s->reordered++;
    return 0;
}

/* RFC 4733: one event per RTP timestamp; its E bit ends it. */
static void
rtp_track_event(struct rtp_stats *s, const struct rtp_header *h)
{
    struct rtp_event ev;
    if (rtp_event_dissect(h->payload, h->payload_len, &ev) != DISSECT_OK)
        return;
    if (!s->dtmf_active || h->timestamp != s->dtmf_ts) {
        s->dtmf_active = true;
        s->dtmf_end_seen = false;
        s->dtmf_ts = h->timestamp;
        s->dtmf_events++;
        if (s->n_digits < RTP_STATS_MAX_DIGITS) {
            s->digits[s->n_digits++] = rtp_event_key(ev.event);
            s->digits[s->n_digits] = '\0';
        }
    }
    if (ev.end && !s->dtmf_end_seen) {
        s->dtmf_end_seen = true;
        s->dtmf_ended++;
    }
}

/* Wireshark's sequence bookkeeping: wrap cycles and the sequence-error count. */
static void
rtp_ws_seq(struct rtp_stats *s, uint16_t seq, bool in_time)
{
    if (seq < s->start_seq && in_time && !s->under) {
        s->cycles++;
        s->under = true;
    } else if (seq == 0 && s->stop_seq == 0xffff && in_time && !s->under) {
        s->cycles++;
        s->under = true;
    } else if (seq > s->start_seq && in_time && s->under) {
        s->under = false;
    }

    int expect = (int)s->seq_num + 1;
    if (in_time && expect == seq) {
        s->seq_num = seq;
    } else if (in_time && s->seq_num == 0xffff && seq == 0) {
        s->seq_num = seq;
    } else if (in_time && (expect < seq || (int)s->seq_num - seq > SEQ_WRAP_JUMP)) {
        s->seq_num = seq; /* a jump forward: packets lost */
        s->seq_errors++;
        s->flags |= RTP_FLAG_WRONG_SEQ;
    } else if (expect > seq) {
        s->seq_errors++; /* late or duplicated */
        s->flags |= RTP_FLAG_WRONG_SEQ;
    }
}

/* The first packet only sets the stage: no delta, no jitter. */
static uint32_t
rtp_first(struct rtp_stats *s, double now, const struct rtp_header *h)
{
    s->start_seq = s->stop_seq = s->seq_num = h->seq;
    s->time_ms = now;
    s->first_ts = h->timestamp;
    s->last_nominal = 0;
    s->pt = h->pt;
    s->reg_pt = h->pt;
    s->min_delta = -1;
    s->min_jitter = -1;
    s->flags = RTP_FLAG_FIRST | (h->marker ? RTP_FLAG_MARKER : 0);
    s->total = 1;
    return s->flags;
}

/*
 * Wireshark 4.0 judges timestamp order against the stream's first timestamp: a packet is
 * "in time sequence" when its timestamp lies less than half the 32-bit range after it
 * (up to and including exactly half when the counter wrapped).
 */
static bool
rtp_in_time(uint32_t first, uint32_t ts)
{
    if (first <= ts)
        return (int64_t)ts - first < TS_HALF;
    return ((int64_t)UINT32_MAX - first) + ts < TS_HALF;
}

uint32_t
rtp_stats_add(struct rtp_stats *s, int64_t arrival_ns, const struct rtp_header *h,
              uint32_t clock_rate, uint64_t frame)
{
    double now = rtp_ms(s, arrival_ns);
    bool is_event = s->event_pt >= 0 && h->pt == s->event_pt;
    uint32_t own = rtp_track_seq(s, h->seq);

    /* voipdiag's counters, independent of Wireshark's arithmetic */
    if (s->total == 0) {
        s->first_ns = arrival_ns;
        s->first_frame = frame;
        s->first_pt = h->pt;
    } else if (h->pt != s->pt) {
        s->pt_changes++;
    }
    s->last_ns = arrival_ns;
    s->last_frame = frame;
    s->pt_seen[h->pt >> 5] |= 1u << (h->pt & 31);
    s->markers += h->marker;
    if (is_event)
        rtp_track_event(s, h);

    if (s->total == 0)
        return rtp_first(s, now, h) | (is_event ? RTP_FLAG_PT_EVENT : 0);

    s->flags = own;
    bool in_time = rtp_in_time(s->first_ts, h->timestamp);
    if (!in_time) {
        s->flags |= RTP_FLAG_WRONG_TIMESTAMP;
        s->ts_backwards++;
    }
    rtp_ws_seq(s, h->seq, in_time);

    if (rtp_is_cn(h->pt))
        s->flags |= RTP_FLAG_PT_CN;
    if (rtp_is_cn(s->pt))
        s->flags |= RTP_FLAG_FOLLOW_PT_CN;
    if (h->pt != s->pt)
        s->flags |= RTP_FLAG_PT_CHANGE;
    s->pt = h->pt;
    if (is_event) {
        clock_rate = 0; /* RFC 4733 §2.2.1: event timestamps do not advance with time */
        s->flags |= RTP_FLAG_PT_EVENT;
    }
    /* Wireshark converts with an integer kHz; below 1 kHz that would divide by zero. */
    uint32_t khz = clock_rate / 1000;

    /* Delta and jitter move only on packets in time sequence; the others keep the old. */
    double jitter_now = 0;
    if (in_time) {
        if (khz != 0) {
            s->clock_rate = clock_rate;
            double nominal = (double)(uint32_t)(h->timestamp - s->first_ts) / khz;
            double expected_ms = s->time_ms + (nominal - s->last_nominal);
            double diff = fabs(now - expected_ms);
            jitter_now = (15 * s->jitter + diff) / 16;
            s->jitter = jitter_now;
            s->last_nominal = nominal;
        }
        s->delta = now - s->time_ms;
    }
    if (h->marker)
        s->flags |= RTP_FLAG_MARKER;

    const uint32_t irregular =
        RTP_FLAG_MARKER | RTP_FLAG_PT_CN | RTP_FLAG_WRONG_TIMESTAMP | RTP_FLAG_FOLLOW_PT_CN;
    if (!(s->flags & irregular)) {
        if (s->delta > s->max_delta) {
            s->max_delta = s->delta;
            s->max_delta_frame = frame;
        }
        if (s->min_delta == -1 || s->delta < s->min_delta)
            s->min_delta = s->delta;
        /* Wireshark's running mean divides by all earlier packets, regular or not. */
        s->mean_delta = (s->mean_delta * (s->total - 1) + s->delta) / s->total;
        if (khz != 0) {
            if (s->jitter > s->max_jitter)
                s->max_jitter = s->jitter;
            s->mean_jitter = (s->mean_jitter * (s->total - 1) + jitter_now) / s->total;
            if (s->min_jitter == -1 || s->jitter < s->min_jitter)
                s->min_jitter = s->jitter;
        }
    }
    if (!(s->flags & RTP_FLAG_PT_CN)) {
        if (s->pt != s->reg_pt && s->reg_pt >= 0)
            s->flags |= RTP_FLAG_REG_PT_CHANGE;
        s->reg_pt = s->pt;
    }
    if (in_time)
        s->time_ms = now;
    s->stop_seq = h->seq;
    s->total++;
    if (s->flags & (RTP_FLAG_WRONG_SEQ | RTP_FLAG_WRONG_TIMESTAMP))
        s->problem = true;
    return s->flags;
}

bool
rtp_stats_pt_seen(const struct rtp_stats *s, uint8_t pt)
{
    pt &= 0x7f;
    return (s->pt_seen[pt >> 5] >> (pt & 31)) & 1u;
}

/* ITU-T G.113 Appendix I equipment impairment (Ie) and loss robustness (Bpl) by static PT. */
static bool
rtp_codec_impairment(int pt, double *ie, double *bpl)
{
    switch (pt) {
    case RTP_PT_PCMU:
    case RTP_PT_PCMA:
        *ie = 0, *bpl = 25.1; /* G.711 with packet loss concealment */
        return true;
    case RTP_PT_G729:
        *ie = 11, *bpl = 19.0; /* G.729A + VAD */
        return true;
    case RTP_PT_G723:
        *ie = 15, *bpl = 16.1; /* G.723.1 at 6.3 kbit/s + VAD */
        return true;
    default:
        *ie = 0, *bpl = 25.1;
        return false;
    }
}

/* The simplified E-model of rtp_stats_finish's contract. */
static void
rtp_estimate(struct rtp_stats_result *r, int reg_pt)
{
    double ie, bpl;
    r->codec_known = rtp_codec_impairment(reg_pt, &ie, &bpl);
    double ppl = r->lost > 0 && r->expected > 0 ? 100.0 * r->lost / r->expected : 0;
    if (ppl > 100)
        ppl = 100;
    double d = 2 * (r->max_jitter_ms > 0 ? r->max_jitter_ms : 0) + PACKETISATION_MS;
    double id = 0.024 * d + (d > 177.3 ? 0.11 * (d - 177.3) : 0);
    double ie_eff = ie + (95 - ie) * ppl / (ppl + bpl);
    double rf = 93.2 - id - ie_eff;
    r->est_delay_ms = d;
    r->r_factor = rf;
    if (rf <= 0)
        r->mos = 1;
    else if (rf >= 100)
        r->mos = 4.5;
    else
        r->mos = 1 + 0.035 * rf + 7e-6 * rf * (rf - 60) * (100 - rf);
}

void
rtp_stats_finish(const struct rtp_stats *s, struct rtp_stats_result *r)
{
    memset(r, 0, sizeof(*r));
    r->packets = s->total;
    r->seq_errors = s->seq_errors;
    r->duplicates = s->duplicates;
    r->reordered = s->reordered;
    r->markers = s->markers;
    r->pt_changes = s->pt_changes;
    r->ts_backwards = s->ts_backwards;
    r->first_ns = s->first_ns;
    r->last_ns = s->last_ns;
    r->first_frame = s->first_frame;
    r->last_frame = s->last_frame;
    r->first_pt = s->first_pt;
    r->last_pt = s->pt;
    r->problem = s->problem;
    r->clock_rate = s->clock_rate;
    r->dtmf_events = s->dtmf_events;
    r->dtmf_ended = s->dtmf_ended;
    memcpy(r->dtmf_digits, s->digits, sizeof(r->dtmf_digits));
    if (s->total == 0) {
        r->min_delta_ms = r->min_jitter_ms = -1;
        return;
    }
    /* Wireshark: guint32 expected from the last (not highest) sequence number and the wraps. */
    int64_t span = (int64_t)s->stop_seq + (int64_t)s->cycles * SEQ_MOD - s->start_seq + 1;
    r->expected = (uint32_t)span;
    r->lost = (int32_t)(r->expected - s->total);
    r->lost_pct = r->expected ? (double)((int64_t)r->lost * 100) / (double)r->expected : 0;
    r->min_delta_ms = s->min_delta;
    r->mean_delta_ms = s->mean_delta;
    r->max_delta_ms = s->max_delta;
    r->max_delta_frame = s->max_delta_frame;
    r->min_jitter_ms = s->min_jitter;
    r->mean_jitter_ms = s->mean_jitter;
    r->max_jitter_ms = s->max_jitter;
    rtp_estimate(r, s->reg_pt);
}
