/* metrics.c — GET /metrics in Prometheus text format 0.0.4, from libmicrohttpd's own thread. */
#include "metrics.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

struct metrics {
    struct MHD_Daemon *d;
    struct metrics_counters *c;
};

static size_t
render(const struct metrics_counters *c, char *buf, size_t cap)
{
    static const struct {
        const char *name, *help;
        size_t off;
    } simple[] = {
        {"voipdiag_packets_total", "Frames analysed.", offsetof(struct metrics_counters, packets)},
        {"voipdiag_bytes_total", "Captured bytes analysed.",
         offsetof(struct metrics_counters, bytes)},
        {"voipdiag_kernel_drops_total", "Frames the kernel dropped (buffer full).",
         offsetof(struct metrics_counters, kernel_drops)},
        {"voipdiag_interface_drops_total", "Frames the interface or driver dropped.",
         offsetof(struct metrics_counters, if_drops)},
        {"voipdiag_flows_total", "Flows seen.", offsetof(struct metrics_counters, flows_total)},
        {"voipdiag_calls_total",
         "SIP calls (INVITE dialogs) analysed, known when the SIP analysis finishes.",
         offsetof(struct metrics_counters, calls)},
    };
    size_t n = 0;
    for (size_t i = 0; i < sizeof(simple) / sizeof(simple[0]) && n < cap; i++) {
        const _Atomic uint64_t *v = (const _Atomic uint64_t *)((const char *)c + simple[i].off);
        n += (size_t)snprintf(buf + n, cap - n, "# HELP %s %s\n# TYPE %s counter\n%s %llu\n",
                              simple[i].name, simple[i].help, simple[i].name, simple[i].name,
                              (unsigned long long)atomic_load_explicit(v, memory_order_relaxed));
    }
    if (n < cap)
        n += (size_t)snprintf(
            buf + n, cap - n,
            "# HELP voipdiag_flows_active Flows tracked now.\n"
            "# TYPE voipdiag_flows_active gauge\nvoipdiag_flows_active %llu\n"
            "# HELP voipdiag_findings_total Findings by catalog name.\n"
            "# TYPE voipdiag_findings_total counter\n",
            (unsigned long long)atomic_load_explicit(&c->flows_active, memory_order_relaxed));
    for (int f = 0; f < FIND__COUNT && n < cap; f++)
        n += (size_t)snprintf(
            buf + n, cap - n, "voipdiag_findings_total{name=\"%s\"} %llu\n",
            catalog_get((enum finding_code)f)->name,
            (unsigned long long)atomic_load_explicit(&c->findings[f], memory_order_relaxed));
    return n < cap ? n : cap - 1;
}

static enum MHD_Result
answer(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
       const char *version, const char *upload, size_t *upload_size, void **con_cls)
{
    struct metrics *m = cls;
    (void)version;
    (void)upload;
    (void)upload_size;
    (void)con_cls;
    int ok = !strcmp(method, "GET") && (!strcmp(url, "/metrics") || !strcmp(url, "/"));
    char *body = malloc(16384);
    if (!body)
        return MHD_NO;
    size_t n = ok ? render(m->c, body, 16384) : (size_t)snprintf(body, 16384, "not found\n");
    struct MHD_Response *r = MHD_create_response_from_buffer(n, body, MHD_RESPMEM_MUST_FREE);
    if (!r) {
        free(body);
        return MHD_NO;
    }
    MHD_add_response_header(r, "Content-Type", "text/plain; version=0.0.4");
    enum MHD_Result ret = MHD_queue_response(conn, ok ? MHD_HTTP_OK : MHD_HTTP_NOT_FOUND, r);
    MHD_destroy_response(r);
    return ret;
}

struct metrics *
metrics_start(const char *addr_port, struct metrics_counters *c, char *err, size_t errlen)
{
    char host[128];
    const char *colon = strrchr(addr_port, ':');
    if (!colon || colon == addr_port || (size_t)(colon - addr_port) >= sizeof(host)) {
        snprintf(err, errlen, "--metrics takes ADDR:PORT, not '%s'", addr_port);
        return NULL;
    }
    memcpy(host, addr_port, (size_t)(colon - addr_port));
    host[colon - addr_port] = 0;
    long port = strtol(colon + 1, NULL, 10);
    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof(ss));
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG;
    struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
    struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
    size_t hl = strlen(host);
    if (host[0] == '[' && hl > 2 && host[hl - 1] == ']') {
        host[hl - 1] = 0;
        s6->sin6_family = AF_INET6;
        s6->sin6_port = htons((uint16_t)port);
        if (inet_pton(AF_INET6, host + 1, &s6->sin6_addr) != 1)
            port = -1;
        flags |= MHD_USE_IPv6;
    } else {
        s4->sin_family = AF_INET;
        s4->sin_port = htons((uint16_t)port);
        if (inet_pton(AF_INET, host, &s4->sin_addr) != 1)
            port = -1;
    }
    if (port <= 0 || port > 65535) {
        snprintf(err, errlen, "--metrics takes a numeric ADDR:PORT, not '%s'", addr_port);
        return NULL;
    }
    struct metrics *m = calloc(1, sizeof(*m));
    if (!m) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    m->c = c;
    m->d = MHD_start_daemon(flags, (uint16_t)port, NULL, NULL, answer, m, MHD_OPTION_SOCK_ADDR,
                            (struct sockaddr *)&ss, MHD_OPTION_CONNECTION_LIMIT, 16u,
                            MHD_OPTION_CONNECTION_TIMEOUT, 10u, MHD_OPTION_END);
    if (!m->d) {
        snprintf(err, errlen, "cannot serve metrics on %s (address in use or not local?)",
                 addr_port);
        free(m);
        return NULL;
    }
    return m;
}

void
metrics_stop(struct metrics *m)
{
    if (!m)
        return;
    MHD_stop_daemon(m->d);
    free(m);
}
