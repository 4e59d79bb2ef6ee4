/* checks.c — placeholder: the requirement checks of issue 7 replace this file. */
#include "checks.h"

#include <stdlib.h>

struct checks {
    const struct profile *profile;
};

struct checks *
checks_new(const struct profile *p)
{
    struct checks *c = calloc(1, sizeof(*c));
    if (c)
        c->profile = p;
    return c;
}

void
checks_free(struct checks *c)
{
    free(c);
}

void
checks_flow(struct checks *c, const struct flow_record *rec)
{
    (void)c, (void)rec;
}

void
checks_finish(struct checks *c, struct result *r)
{
    (void)c, (void)r;
}
