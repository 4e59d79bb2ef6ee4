/* scen_nat.h — NAT keep-alive edge cases (RFC 5626 §3.5.1, RFC 5389) for capgen. */
#ifndef CAPGEN_SCEN_NAT_H
#define CAPGEN_SCEN_NAT_H

#include <stddef.h>

/* Variants of scen_nat (arg). */
enum scen_nat {
    SCEN_NAT_SHORT,   /* capture shorter than one keep-alive interval */
    SCEN_NAT_ONE_WAY, /* keep-alives from the phone only */
    SCEN_NAT_JITTER,  /* 28-33 s intervals: in limits, never flagged */
    SCEN_NAT_STUN,    /* STUN keep-alives, XOR-MAPPED-ADDRESS changes (rebinding) */
    SCEN_NAT_OPTIONS, /* OPTIONS keep-alives from the cloud, answered */
    SCEN_NAT_GAP,     /* cloud keep-alives pause 120 s while the phone pings on */
};

/* Write variant arg to path; 0, or -1 with a sentence in err. */
int scen_nat(const char *path, int arg, char *err, size_t errlen);

#endif
