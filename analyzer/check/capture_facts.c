/* capture_facts.c — findings about the capture itself: what it lost, cut, or could not decode. */
#include "capture_facts.h"

#include <stdio.h>
#include <string.h>

#include "../../dissectors/dissect.h"
#include "../result.h"

static void
check_inputs(struct result *r)
{
    for (size_t i = 0; i < r->n_inputs; i++) {
        const struct source_input *in = &r->inputs[i];
        if (!in->error[0])
            continue;
        struct evidence_ref last = {in->packets, (uint16_t)i, r->last_ns};
        enum finding_code c = in->truncated ? FIND_CAPTURE_TRUNCATED : FIND_CAPTURE_READ_ERROR;
        struct finding *f = result_add_finding(r, c, &last, &last, "%s", in->error);
        if (f)
            f->count = in->packets;
    }
}

static void
check_live_drops(struct result *r)
{
    if (!r->live.valid || (r->live.dropped == 0 && r->live.if_dropped == 0))
        return;
    struct finding *f = result_add_finding(
        r, FIND_CAPTURE_KERNEL_DROPS, NULL, NULL,
        "%llu packets dropped by the kernel and %llu by the interface out of %llu received",
        (unsigned long long)r->live.dropped, (unsigned long long)r->live.if_dropped,
        (unsigned long long)r->live.received);
    if (f)
        f->count = r->live.dropped + r->live.if_dropped;
}

static void
check_flows_and_tcp(struct result *r)
{
    if (r->flow_stats.evicted) {
        struct finding *f = result_add_finding(
            r, FIND_CAPTURE_FLOWS_EVICTED, NULL, NULL,
            "%llu flows ended early because the flow table was full (peak %u live flows)",
            (unsigned long long)r->flow_stats.evicted, r->flow_stats.peak_active);
        if (f)
            f->count = r->flow_stats.evicted;
    }
    if (r->tcp_acked_unseen) {
        struct finding *f = result_add_finding(
            r, FIND_CAPTURE_UNSEEN_TCP_DATA, &r->first_unseen_tcp, NULL,
            "TCP acknowledged %llu bytes this capture never saw (first at frame %llu): "
            "the capture lost packets, gaps elsewhere may be capture loss too",
            (unsigned long long)r->tcp_acked_unseen, (unsigned long long)r->first_unseen_tcp.frame);
        if (f)
            f->count = r->tcp_acked_unseen;
    }
}

static void
check_fragments(struct result *r)
{
    const struct ipfrag_stats *s = &r->frag;
    uint64_t lost = s->timed_out + s->unfinished + s->evicted + s->overlaps + s->oversize + s->inconsistent +
                    s->truncated;
    if (!lost)
        return;
    struct finding *f = result_add_finding(
        r, FIND_CAPTURE_FRAGMENTS_DROPPED, NULL, NULL,
        "%llu fragmented datagrams could not be rebuilt: %llu timed out, %llu unfinished at the "
        "end, %llu evicted, %llu overlapping, %llu oversize, %llu inconsistent, %llu cut by "
        "snaplen",
        (unsigned long long)lost, (unsigned long long)s->timed_out,
        (unsigned long long)s->unfinished,
        (unsigned long long)s->evicted, (unsigned long long)s->overlaps,
        (unsigned long long)s->oversize, (unsigned long long)s->inconsistent,
        (unsigned long long)s->truncated);
    if (f)
        f->count = lost;
}

static void
check_snaplen(struct result *r)
{
    if (!r->snaplen_cut)
        return;
    struct finding *f = result_add_finding(
        r, FIND_CAPTURE_SNAPLEN_CUT, &r->first_cut, NULL,
        "%llu of %llu frames were captured shorter than sent (first: frame %llu); payloads "
        "beyond the snap length are missing",
        (unsigned long long)r->snaplen_cut, (unsigned long long)r->packets,
        (unsigned long long)r->first_cut.frame);
    if (f)
        f->count = r->snaplen_cut;
}

static void
check_malformed(struct result *r)
{
    uint64_t total = 0;
    char kinds[200] = "";
    size_t used = 0;
    struct evidence_ref first = {0, 0, 0};
    for (int a = 1; a < ANOM__COUNT; a++) {
        const struct anomaly_count *c = &r->anomalies[a];
        if (!c->count || dissect_anomaly_is_truncation((enum anomaly)a))
            continue;
        total += c->count;
        if (!first.frame || c->first.ts_ns < first.ts_ns)
            first = c->first;
        int n = snprintf(kinds + used, sizeof(kinds) - used, "%s%s ×%llu", used ? ", " : "",
                         dissect_anomaly_name((enum anomaly)a), (unsigned long long)c->count);
        if (n > 0 && (size_t)n < sizeof(kinds) - used)
            used += (size_t)n;
    }
    if (!total)
        return;
    struct finding *f = result_add_finding(r, FIND_PACKET_MALFORMED, &first, NULL,
                                           "%llu malformed frames (%s); first at frame %llu",
                                           (unsigned long long)total, kinds,
                                           (unsigned long long)first.frame);
    if (f)
        f->count = total;
}

void
capture_facts_check(struct result *r)
{
    check_inputs(r);
    check_live_drops(r);
    check_flows_and_tcp(r);
    check_fragments(r);
    check_snaplen(r);
    check_malformed(r);
}
