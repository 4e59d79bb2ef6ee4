/* capgen.c — the deterministic capture writer: command line and the list of scenario files.
 * Same binary, same output, byte for byte (fixed clock, fixed addresses, fixed-seed PRNG). */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "bench.h"
#include "scen.h"

/* One scenario file: its name in captures/, the writer and its variant, one line of what. */
struct scenario {
    const char *file;
    scen_fn write;
    int arg;
    const char *what;
};

/* Every file `capgen scenarios` writes. To add one: write `int scen_x(const char *path, int arg,
 * char *err, size_t errlen)` in a scen_*.c file (declared in scen.h), add its line here, run
 * `capgen scenarios captures/`, and describe it in captures/README.md. */
static const struct scenario scenarios[] = {
    {"link-types-en10mb.pcap", scen_link_types, SCEN_LINK_EN10MB, "Ethernet II"},
    {"link-types-vlan.pcap", scen_link_types, SCEN_LINK_VLAN, "Ethernet, 802.1Q VLAN 100"},
    {"link-types-qinq.pcap", scen_link_types, SCEN_LINK_QINQ,
     "Ethernet, 802.1ad S-VLAN 200 + 802.1Q C-VLAN 100"},
    {"link-types-sll.pcap", scen_link_types, SCEN_LINK_SLL, "Linux cooked v1 (LINUX_SLL, 113)"},
    {"link-types-sll2.pcap", scen_link_types, SCEN_LINK_SLL2, "Linux cooked v2 (LINUX_SLL2, 276)"},
    {"link-types-raw.pcap", scen_link_types, SCEN_LINK_RAW, "raw IP (DLT_RAW 12, LINKTYPE 101)"},
    {"link-types-ipv4.pcap", scen_link_types, SCEN_LINK_IPV4, "raw IPv4 (IPV4, 228)"},
    {"link-types-ipv6.pcap", scen_link_types, SCEN_LINK_IPV6, "raw IPv6 (IPV6, 229)"},
    {"link-types-null.pcap", scen_link_types, SCEN_LINK_NULL, "BSD loopback (NULL, 0)"},
    {"link-types-loop.pcap", scen_link_types, SCEN_LINK_LOOP, "OpenBSD loopback (LOOP, 108)"},
    {"link-types-ppp.pcap", scen_link_types, SCEN_LINK_PPP, "PPP (PPP, 9)"},
    {"link-types-pppoe.pcap", scen_link_types, SCEN_LINK_PPPOE, "PPPoE session in Ethernet"},
    {"tunnels.pcap", scen_tunnels, 0, "base flows in IP-in-IP, 6in4, GRE, ERSPAN II/III, VXLAN"},
    {"ipfrag.pcap", scen_ipfrag, 0,
     "fragmented SIP INVITEs: in order, reordered, overlapping, incomplete, IPv6"},
    {"tcp-reassembly.pcap", scen_tcp_reassembly, 0,
     "SIP over TCP with reordering, retransmission, overlap, gap; SYN timeout; SYN/RST"},
    {"icmp-unreachable.pcap", scen_icmp_unreachable, 0,
     "ICMP port unreachable for RTP, admin prohibited for TCP, ICMPv6 unreachable"},
    {"snaplen-96.pcap", scen_snaplen, 0, "SIP/RTP/TCP captured with snaplen 96"},
    {"truncated.pcap", scen_truncated, 0, "the last record cut 30 bytes short"},
    {"hostile.pcap", scen_hostile, 0, "malformed frames between two clean ones"},
    {"merge-lan.pcap", scen_merge, SCEN_SIDE_LAN, "SIP REGISTER seen on the firewall's LAN side"},
    {"merge-wan.pcap", scen_merge, SCEN_SIDE_WAN, "the same exchange NAT'd on the WAN side"},
    {"mixed-nanosecond.pcap", scen_nanosecond, 0, "ns-precision file, ns-distinct timestamps"},
};

#define SCENARIO_COUNT (sizeof scenarios / sizeof scenarios[0])

/* Print the command summary to f. */
static void
usage(FILE *f)
{
    fprintf(f, "usage: capgen scenarios OUTDIR [FILE...]   write every (or the named) scenario\n"
               "       capgen bench-rtp FILE SIZE_MB         write the RTP benchmark capture\n"
               "       capgen list                           list the scenario files\n");
}

/* Whether file was named on the command line (no names: every file). */
static int
wanted(const char *file, int argc, char **argv)
{
    if (argc == 0)
        return 1;
    for (int i = 0; i < argc; i++)
        if (strcmp(argv[i], file) == 0)
            return 1;
    return 0;
}

/* `capgen scenarios OUTDIR [FILE...]`: write the named (or all) scenario files into outdir,
 * creating it. Returns the exit status: 0, 1 (a writer failed), 2 (unknown file name). */
static int
cmd_scenarios(const char *outdir, int argc, char **argv)
{
    char path[4096], err[512];
    if (mkdir(outdir, 0755) != 0 && errno != EEXIST) {
        fprintf(stderr, "capgen: cannot create %s: %s\n", outdir, strerror(errno));
        return 1;
    }
    for (int i = 0; i < argc; i++) {
        size_t k = 0;
        while (k < SCENARIO_COUNT && strcmp(scenarios[k].file, argv[i]) != 0)
            k++;
        if (k == SCENARIO_COUNT) {
            fprintf(stderr, "capgen: no scenario writes %s (see capgen list)\n", argv[i]);
            return 2;
        }
    }
    for (size_t k = 0; k < SCENARIO_COUNT; k++) {
        const struct scenario *s = &scenarios[k];
        if (!wanted(s->file, argc, argv))
            continue;
        snprintf(path, sizeof path, "%s/%s", outdir, s->file);
        if (s->write(path, s->arg, err, sizeof err) != 0) {
            fprintf(stderr, "capgen: %s: %s\n", s->file, err);
            return 1;
        }
    }
    return 0;
}

/* `capgen bench-rtp FILE SIZE_MB`: write the benchmark capture and print what it holds.
 * Returns the exit status: 0, 1 (write failed), 2 (bad size). */
static int
cmd_bench(const char *file, const char *size_mb)
{
    char err[512], *end;
    struct timespec a, b;
    struct bench_stats st;
    errno = 0;
    unsigned long mb = strtoul(size_mb, &end, 10);
    if (errno || *end || mb == 0 || mb > 1000000) {
        fprintf(stderr, "capgen: SIZE_MB must be a whole number from 1 to 1000000\n");
        return 2;
    }
    clock_gettime(CLOCK_MONOTONIC, &a);
    if (bench_rtp_write(file, (uint64_t)mb * 1000000u, &st, err, sizeof err) != 0) {
        fprintf(stderr, "capgen: %s: %s\n", file, err);
        return 1;
    }
    clock_gettime(CLOCK_MONOTONIC, &b);
    double s = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
    printf("wrote %s: %" PRIu64 " packets, %" PRIu64 " bytes, %" PRIu64 " calls, %" PRIu64
           " rtp, %.1f s of traffic in %.2f s (%.0f MB/s)\n",
           file, st.packets, st.bytes, st.calls, st.rtp_packets, (double)st.span_ns / 1e9, s,
           (double)st.bytes / 1e6 / (s > 0 ? s : 1e-9));
    return 0;
}

int
main(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "list") == 0 && argc == 2) {
        for (size_t k = 0; k < SCENARIO_COUNT; k++)
            printf("%-26s %s\n", scenarios[k].file, scenarios[k].what);
        return 0;
    }
    if (argc >= 3 && strcmp(argv[1], "scenarios") == 0)
        return cmd_scenarios(argv[2], argc - 3, argv + 3);
    if (argc == 4 && strcmp(argv[1], "bench-rtp") == 0)
        return cmd_bench(argv[2], argv[3]);
    if (argc == 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
        usage(stdout);
        return 0;
    }
    usage(stderr);
    return 2;
}
