/* profile.c — placeholder: the profile loader of issue 7 replaces this file. */
#include "profile.h"

#include <stdio.h>

void
profile_default(struct profile *p)
{
    p->sip_port_min = 5060;
    p->sip_port_max = 5080;
}

int
profile_load(const char *path, struct profile *p, char *err, size_t errlen)
{
    (void)p;
    snprintf(err, errlen, "cannot load profile '%s': profiles are not supported yet", path);
    return -1;
}
