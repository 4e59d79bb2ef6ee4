/* remote.c — REMOTE: remote support on TCP/UDP 5938 (TeamViewer) and its fallback to 443. */
#include <stdio.h>

#include "checks_int.h"

void
check_remote_finish(const struct checks *c, struct result *r)
{
    const struct profile *p = c->profile;
    struct requirement_row *row = &r->requirements[REQ_REMOTE];
    struct check_dest main_sum, fb;
    char frames[64], fb_frames[64];
    checks_total(c, CK_REMOTE, &main_sum);
    checks_total(c, CK_REMOTE_FALLBACK, &fb);
    uint32_t failed = main_sum.flows - main_sum.n[OUT_OK] - main_sum.n[OUT_PENDING];
    row->checked = true;
    row->observed = main_sum.flows > 0 || fb.flows > 0;

    if (main_sum.n[OUT_OK]) {
        snprintf(row->evidence, sizeof(row->evidence),
                 "%u connection%s to %u server%s on port %u succeeded (%u failed), first in %s",
                 main_sum.n[OUT_OK], checks_plural(main_sum.n[OUT_OK]), main_sum.servers,
                 checks_plural(main_sum.servers), p->remote_port, failed,
                 checks_frames(&main_sum.first_ok, NULL, frames, sizeof(frames)));
        return;
    }
    if (fb.n[OUT_OK]) {
        char tried[128];
        if (failed)
            snprintf(tried, sizeof(tried), "%u attempt%s on port %u failed (first in %s)", failed,
                     checks_plural(failed), p->remote_port,
                     checks_frames(&main_sum.first_fail, NULL, frames, sizeof(frames)));
        else if (main_sum.flows) /* only attempts cut by the end of the capture */
            snprintf(tried, sizeof(tried), "%u attempt%s on port %u still unanswered at the end",
                     main_sum.flows, checks_plural(main_sum.flows), p->remote_port);
        else
            snprintf(tried, sizeof(tried), "no attempt on port %u was seen", p->remote_port);
        result_add_finding(r, FIND_REMOTE_DEGRADED, &fb.first_ok, NULL,
                           "degraded: only the %u fallback works — %u TeamViewer connection%s "
                           "over TCP %u established; %s",
                           p->remote_fallback_port, fb.n[OUT_OK], checks_plural(fb.n[OUT_OK]),
                           p->remote_fallback_port, tried);
        snprintf(row->evidence, sizeof(row->evidence),
                 "degraded: only the %u fallback works (TeamViewer over TCP %u in %s); %s",
                 p->remote_fallback_port, p->remote_fallback_port,
                 checks_frames(&fb.first_ok, NULL, fb_frames, sizeof(fb_frames)), tried);
        return;
    }
    if (failed) {
        struct finding *f = result_add_finding(
            r, FIND_REMOTE_BLOCKED, &main_sum.first_fail, &main_sum.last_fail,
            "%u attempt%s on port %u to %u server%s failed (%u SYN unanswered, %u refused, %u "
            "ICMP-blocked, %u UDP unanswered) and no TeamViewer connection over %u succeeded",
            failed, checks_plural(failed), p->remote_port, main_sum.servers,
            checks_plural(main_sum.servers), main_sum.n[OUT_SYN_UNANSWERED],
            main_sum.n[OUT_REFUSED], main_sum.n[OUT_ICMP], main_sum.n[OUT_NO_REPLY],
            p->remote_fallback_port);
        if (f) {
            f->count = failed;
            /* a refusal or an ICMP error proves it whatever the capture lost */
            f->from_absence = !main_sum.n[OUT_REFUSED] && !main_sum.n[OUT_ICMP];
        }
        snprintf(row->evidence, sizeof(row->evidence),
                 "%u remote-support attempt%s on port %u failed and nothing worked over the %u "
                 "fallback; first in %s",
                 failed, checks_plural(failed), p->remote_port, p->remote_fallback_port,
                 checks_frames(&main_sum.first_fail, NULL, frames, sizeof(frames)));
        return;
    }
    row->observed = false;
    if (main_sum.flows)
        snprintf(row->evidence, sizeof(row->evidence),
                 "%u attempt%s on port %u still unanswered when the capture ended", main_sum.flows,
                 checks_plural(main_sum.flows), p->remote_port);
    else
        snprintf(row->evidence, sizeof(row->evidence),
                 "no remote-support traffic (TCP/UDP %u, TeamViewer over %u) in the capture",
                 p->remote_port, p->remote_fallback_port);
}
