/* text_keepalive.c — NAT keep-alives (RFC 5626 §3.5.1) per phone binding as a strip of interval
 * buckets plus the numbers: where the cloud's keep-alives came late, stopped or rebound. */
#include "text_keepalive.h"

#include "format.h"

#define STRIP_MAX 64

/* One character per bucket of the binding's time span: '.' keep-alives flowing, 'X' inside a
 * late gap or after the cloud stopped, 'R' a rebinding, '-' before the first keep-alive. */
static void
strip(const struct ka_binding *b, FILE *out)
{
    const struct ka_direction *in = &b->dir[KA_DIR_CLOUD_TO_PHONE];
    const struct ka_direction *ph = &b->dir[KA_DIR_PHONE_TO_CLOUD];
    int64_t t0 = in->packets && (!ph->packets || in->first_any.ts_ns < ph->first_any.ts_ns)
                     ? in->first_any.ts_ns
                     : ph->first_any.ts_ns;
    int64_t t1 = in->last_any.ts_ns > ph->last_any.ts_ns ? in->last_any.ts_ns : ph->last_any.ts_ns;
    double span = (double)(t1 - t0) / 1e9, width = in->expected_s > 0 ? in->expected_s : 30;
    if (span <= 0)
        return;
    if (span / width > STRIP_MAX)
        width = span / STRIP_MAX;
    int n = (int)(span / width) + 1;
    if (n > STRIP_MAX)
        n = STRIP_MAX;
    char s[STRIP_MAX + 1];
    for (int i = 0; i < n; i++) {
        int64_t a = t0 + (int64_t)(i * width * 1e9), z = t0 + (int64_t)((i + 1) * width * 1e9);
        char c = '.';
        if (!in->count || a + (z - a) / 2 < in->first.ts_ns)
            c = '-';
        else if (a > in->last.ts_ns + (int64_t)(1.5 * in->expected_s * 1e9))
            c = 'X';
        for (uint32_t g = 0; g < in->n_gaps; g++)
            if (z > in->gaps[g].from.ts_ns + (int64_t)(in->expected_s * 1e9) &&
                a < in->gaps[g].to.ts_ns)
                c = 'X';
        for (uint32_t k = 0; k < b->n_rebinds; k++)
            if (b->rebinds[k].at.ts_ns >= a && b->rebinds[k].at.ts_ns < z)
                c = 'R';
        s[i] = c;
    }
    s[n] = 0;
    fprintf(out,
            "    |%s|  one char = %.1f s  (. keep-alives  X late/missing  R rebinding  - none "
            "yet)\n",
            s, width);
}

static void
direction(const char *name, const struct ka_direction *d, FILE *out)
{
    fprintf(out, "    %s %llu keep-alive(s)", name, (unsigned long long)d->count);
    const char *sep = " (";
    for (int i = 0; i < KA_KIND__COUNT; i++)
        if (d->kinds[i]) {
            fprintf(out, "%s%s %llu", sep, ka_kind_name((enum ka_kind)i),
                    (unsigned long long)d->kinds[i]);
            sep = ", ";
        }
    if (sep[0] == ',')
        fputc(')', out);
    if (d->count >= 2)
        fprintf(out, "  interval min %.1f / median %.1f / max %.1f s, expected %.1f s%s", d->min_s,
                d->median_s, d->max_s, d->expected_s, d->expected_inferred ? " (inferred)" : "");
    fputc('\n', out);
    for (uint32_t i = 0; i < d->n_gaps; i++)
        fprintf(out, "      late: %.1f s without a keep-alive, frames %llu..%llu%s\n",
                d->gaps[i].seconds, (unsigned long long)d->gaps[i].from.frame,
                (unsigned long long)d->gaps[i].to.frame,
                d->gaps[i].peer_alive ? "" : " (peer silent too)");
    if (d->gaps_more)
        fprintf(out, "      ... %llu more late interval(s)\n", (unsigned long long)d->gaps_more);
}

void
report_text_keepalive(const struct result *r, const struct text_opts *o, FILE *out)
{
    (void)o;
    const struct keepalive_result *k = r->keepalive;
    if (!k || !k->n_bindings)
        return;
    fprintf(out, "\nNAT keep-alives (expected every %.0f s, UDP binding time-out >= %.0f s)\n",
            k->profile_interval_s, k->profile_timeout_s);
    for (uint32_t i = 0; i < k->n_bindings; i++) {
        const struct ka_binding *b = &k->bindings[i];
        char phone[80], cloud[80];
        format_endpoint(&b->phone.ip, b->phone.port, 1, phone, sizeof phone);
        format_endpoint(&b->cloud.ip, b->cloud.port, 1, cloud, sizeof cloud);
        fprintf(out, "  phone %s <-> cloud %s %s", phone, cloud, b->tcp ? "TCP" : "UDP");
        if (r->n_inputs > 1)
            fprintf(out, " [file %u]", (unsigned)b->file);
        fprintf(out, "  %s: %s\n", ka_verdict_name(b->verdict), b->verdict_reason);
        strip(b, out);
        direction("cloud->phone", &b->dir[KA_DIR_CLOUD_TO_PHONE], out);
        direction("phone->cloud", &b->dir[KA_DIR_PHONE_TO_CLOUD], out);
        if (b->registers)
            fprintf(out, "    REGISTER x%u", b->registers);
        if (b->registers >= 2)
            fprintf(out, " every %.1f s", b->register_interval_s);
        if (b->public_addr[0])
            fprintf(out, "  public address %s", b->public_addr);
        if (b->registers || b->public_addr[0])
            fputc('\n', out);
        for (uint32_t j = 0; j < b->n_rebinds; j++)
            fprintf(out,
                    "    rebinding at frame %llu: %s -> %s after <= %.1f s idle (limit %.0f s)\n",
                    (unsigned long long)b->rebinds[j].at.frame, b->rebinds[j].from,
                    b->rebinds[j].to, b->rebinds[j].idle_s, k->profile_timeout_s);
        if (b->inbound_invites)
            fprintf(out, "    incoming INVITEs %u, lost %u\n", b->inbound_invites,
                    b->inbound_invites_lost);
        if (b->dropped_by_firewall)
            fprintf(out, "    %u cloud keep-alive(s) seen on the WAN side missing here\n",
                    b->dropped_by_firewall);
        if (b->verdict == KA_VERDICT_FAIL)
            fprintf(out,
                    "    firewall: allow UDP from the cloud to the phone's SIP port and set "
                    "the UDP session time-out for 5060-5080 to >= %.0f s\n",
                    k->profile_timeout_s);
    }
    if (k->bindings_unlisted)
        fprintf(out, "  ... %llu more binding(s)\n", (unsigned long long)k->bindings_unlisted);
}
