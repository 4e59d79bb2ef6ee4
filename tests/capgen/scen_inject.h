/* scen_inject.h — a SIP call whose captured strings are HTML/JS injection attempts. */
#ifndef CAPGEN_SCEN_INJECT_H
#define CAPGEN_SCEN_INJECT_H

#include <stddef.h>

/* Write inject.pcap to path (arg unused). Returns 0, or -1 with a sentence in err. */
int scen_inject(const char *path, int arg, char *err, size_t errlen);

#endif
