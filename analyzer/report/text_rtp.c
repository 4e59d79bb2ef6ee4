/* text_rtp.c — RTP streams (RFC 3550) as tshark's rtp,streams table, and media verdicts per call.
 */
#include "text_rtp.h"

#include "../../dissectors/dissect.h"
#include "format.h"

static void
stream_line(const struct result *r, const struct media_stream_record *s, FILE *out)
{
    char src[64], dst[64];
    const struct rtp_stats_result *st = &s->st;
    ip_addr_format(&s->src, src, sizeof(src));
    ip_addr_format(&s->dst, dst, sizeof(dst));
    double t0 = (double)(st->first_ns - r->first_ns) / 1e9,
           t1 = (double)(st->last_ns - r->first_ns) / 1e9;
    fprintf(out,
            "%13.6f %13.6f %15s %5u %15s %5u 0x%08X %16s %5u %5d (%.1f%%) %9.3f %9.3f %9.3f "
            "%9.3f %9.3f %9.3f %s",
            t0, t1, src, s->sport, dst, s->dport, s->ssrc, s->payload, st->packets, st->lost,
            st->lost_pct, st->min_delta_ms, st->mean_delta_ms, st->max_delta_ms, st->min_jitter_ms,
            st->mean_jitter_ms, st->max_jitter_ms, st->problem ? "X" : "");
    if (s->call >= 0 && (size_t)s->call < r->media->n_calls)
        fprintf(out, "  call %u %s (%s)", r->media->calls[s->call].call_index,
                s->from_caller ? "caller->callee" : "callee->caller", media_bind_name(s->bind));
    else
        fprintf(out, "  (%s)", media_bind_name(s->bind));
    if (s->icmp_errors)
        fprintf(out, "  %u ICMP error(s) type %u code %u from frame %llu", s->icmp_errors,
                s->icmp_type, s->icmp_code, (unsigned long long)s->icmp_first.frame);
    fputc('\n', out);
}

void
report_text_rtp(const struct result *r, const struct text_opts *o, FILE *out)
{
    (void)o;
    const struct media_result *m = r->media;
    if (!m || (!m->n_streams && !m->n_calls))
        return;
    fprintf(out, "\nRTP streams (%zu; %llu RTP packets, %llu RTCP)\n", m->n_streams,
            (unsigned long long)m->rtp_packets, (unsigned long long)m->rtcp_packets);
    if (m->n_streams)
        fprintf(out, "%13s %13s %15s %5s %15s %5s %10s %16s %5s %14s %9s %9s %9s %9s %9s %9s %s\n",
                "Start time", "End time", "Src IP addr", "Port", "Dest IP addr", "Port", "SSRC",
                "Payload", "Pkts", "Lost", "MinDelta", "MeanDelta", "MaxDelta", "MinJitter",
                "MeanJitter", "MaxJitter", "Problems?");
    for (size_t i = 0; i < m->n_streams; i++)
        stream_line(r, &m->streams[i], out);
    for (size_t i = 0; i < m->n_streams; i++) {
        const struct rtp_stats_result *st = &m->streams[i].st;
        if (st->dtmf_events)
            fprintf(out, "  stream %zu: DTMF %u event(s) \"%s\"\n", i + 1, st->dtmf_events,
                    st->dtmf_digits);
    }
    if (!m->n_calls)
        return;
    fprintf(out, "\nMedia per call\n");
    for (size_t i = 0; i < m->n_calls; i++) {
        const struct media_call_record *c = &m->calls[i];
        fprintf(out, "  call %u %s: %s\n", c->call_index, c->call_id, c->verdict);
        for (int d = 0; d < 2; d++) {
            const struct media_call_dir *cd = &c->dir[d];
            char a[80], s[80];
            fprintf(out, "    %-15s %-12s to %s: %llu packets in %u stream(s)",
                    d == 0 ? "caller->callee" : "callee->caller",
                    media_dir_verdict_name(cd->verdict),
                    cd->addr.family ? format_endpoint(&cd->addr, cd->port, 1, a, sizeof(a)) : "-",
                    (unsigned long long)cd->packets, cd->streams);
            if (cd->streams)
                fprintf(out, ", frames %llu-%llu, from %s%s", (unsigned long long)cd->first.frame,
                        (unsigned long long)cd->last.frame,
                        format_endpoint(&cd->seen_src, cd->seen_sport, 1, s, sizeof(s)),
                        cd->src_unannounced && cd->sender_sdp_rewritten
                            ? " (not announced: SDP rewritten by a SIP ALG, see alg.*)"
                        : cd->src_unannounced      ? " (not announced: NAT)"
                        : cd->sender_sdp_rewritten ? " (its SDP rewritten by a SIP ALG, see alg.*)"
                                                   : "");
            if (cd->icmp_errors)
                fprintf(out, ", %u ICMP error(s) type %u code %u from frame %llu", cd->icmp_errors,
                        cd->icmp_type, cd->icmp_code, (unsigned long long)cd->icmp_first.frame);
            if (cd->judged_at_point && (cd->expected || cd->packets))
                fprintf(out, "; judged at %s (nearest the receiver)",
                        cd->judged_file < r->n_inputs ? r->inputs[cd->judged_file].name : "?");
            fputc('\n', out);
        }
    }
}
