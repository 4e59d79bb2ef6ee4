/* requirements.c — one verdict per provider requirement, derived only from findings and checks. */
#include "requirements.h"

#include <stdio.h>

#include "../result.h"

/* What to change on the firewall when a row fails or warns (the seed document's rules and
 * default ports; a custom profile's numbers are in its evidence). */
static const char *const remedies[REQ__COUNT] = {
    [REQ_NAT] = ("allow the provider's NAT keep-alives on UDP 5060-5080 (every 30 s) and raise "
                 "the UDP session time-out for 5060-5080 to >= 90 s"),
    [REQ_SIP] = "allow SIP over UDP 5060-5080 in both directions to and from the provider",
    [REQ_RTP] = "allow internally initiated UDP 10000-60000 (audio) and its replies",
    [REQ_HTTP] = ("allow outbound TCP 80 from the phones (provisioning): no DROP, no REJECT "
                  "(tcp reset / icmp admin-prohibited) for port 80"),
    [REQ_HTTPS] = ("allow outbound TCP 443 from the phones (provisioning, phone management): no "
                   "DROP, no REJECT for port 443"),
    [REQ_NTP] = "allow outbound UDP 123 (NTP) and its replies",
    [REQ_REMOTE] = ("open TCP and UDP 5938 outbound for the provider's remote support "
                    "(TeamViewer); over the 443 fallback it works with reduced quality"),
    [REQ_IPBLOCKS] = ("allow all traffic to and from the provider's IP blocks (see the profile) "
                      "and make sure the phones register to servers inside them"),
    [REQ_ALG] = "disable SIP ALG (often under VoIP/SIP helper, SIP passthrough or SIP inspection)",
};

void
requirements_evaluate(struct result *r)
{
    for (int i = 0; i < REQ__COUNT; i++) {
        struct requirement_row *row = &r->requirements[i];
        row->id = (enum requirement_id)i;
        int worst = -1;
        for (size_t k = 0; k < r->n_findings; k++) {
            const struct finding_kind *kind = catalog_get(r->findings[k].code);
            if (kind->requirement == row->id && (int)kind->severity > worst)
                worst = (int)kind->severity;
        }
        if (worst == SEV_FAIL)
            row->verdict = VERDICT_FAIL;
        else if (worst == SEV_WARN)
            row->verdict = VERDICT_WARN;
        else if (row->checked && row->observed)
            row->verdict = VERDICT_PASS;
        else
            row->verdict = VERDICT_NOT_OBSERVED;
        row->remedy = (row->verdict == VERDICT_FAIL || row->verdict == VERDICT_WARN)
                          ? remedies[i]
                          : NULL;
        if (!row->evidence[0] && !row->checked)
            snprintf(row->evidence, sizeof(row->evidence),
                     "not evaluated: this version of voipdiag has no check for %s yet",
                     requirement_name(row->id));
        else if (!row->evidence[0] && !row->observed)
            snprintf(row->evidence, sizeof(row->evidence), "no %s traffic in the capture",
                     requirement_name(row->id));
    }
}
