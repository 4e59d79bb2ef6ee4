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
#include "bench_sip.h"
#include "scen.h"
#include "scen_alg.h"
#include "scen_inject.h"
#include "scen_nat.h"
#include "scen_rtp_calls.h"
#include "scen_req.h"

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
    {"alg-pair-lan.pcap", scen_alg, SCEN_ALG_PAIR_LAN, "SIP ALG pair: the phone's side"},
    {"alg-pair-wan.pcap", scen_alg, SCEN_ALG_PAIR_WAN, "SIP ALG pair: Via/Contact/SDP rewritten"},
    {"alg-received-echoed.pcap", scen_alg, SCEN_ALG_ECHOED,
     "200 with received= phone's LAN IP, rport= the NAT's port"},
    {"alg-cl-mismatch.pcap", scen_alg, SCEN_ALG_CL, "WAN INVITE: SDP 2 bytes past Content-Length"},
    {"alg-mixed-port.pcap", scen_alg, SCEN_ALG_MIXED_PORT, "WAN: Contact NAT port, Via LAN port"},
    {"alg-mixed-sdp.pcap", scen_alg, SCEN_ALG_MIXED_SDP, "WAN: c= NAT address, o=/Contact private"},
    {"alg-ok-stun.pcap", scen_alg, SCEN_ALG_OK_STUN, "STUN-aware phone (srflx): no ALG"},
    {"alg-ok-rport.pcap", scen_alg, SCEN_ALG_OK_RPORT, "rport-aware phone learns its Contact"},
    {"alg-ok-public.pcap", scen_alg, SCEN_ALG_OK_PUBLIC, "phone on a public address, no NAT"},
    {"alg-ok-lanpbx.pcap", scen_alg, SCEN_ALG_OK_LANPBX, "LAN PBX echoes private received="},
    {"alg-media-lan.pcap", scen_alg, SCEN_ALG_MEDIA_LAN, "SIP ALG media pair: the phone's side"},
    {"alg-media-wan.pcap", scen_alg, SCEN_ALG_MEDIA_WAN,
     "SIP ALG media pair: SDP rewritten to :41000, RTP from the NAT's :16000"},
    {"mixed-nanosecond.pcap", scen_nanosecond, 0, "ns-precision file, ns-distinct timestamps"},
    {"rtp-healthy.pcap", scen_rtp_call, SCEN_RTP_HEALTHY, "SIP call, G.711 RTP both ways, BYE"},
    {"rtp-one-way.pcap", scen_rtp_call, SCEN_RTP_ONE_WAY, "SIP call, RTP from the caller only"},
    {"rtp-icmp-blocked.pcap", scen_rtp_call, SCEN_RTP_ICMP,
     "caller's RTP rejected with ICMP port unreachable by the firewall"},
    {"rtp-nat.pcap", scen_rtp_call, SCEN_RTP_NAT,
     "WAN side of a NAT without ALG: private SDP address, media latched"},
    {"rtp-stopped.pcap", scen_rtp_call, SCEN_RTP_STOPPED, "peer's RTP stops at 3 s of a 10 s call"},
    {"rtp-ssrc-change.pcap", scen_rtp_call, SCEN_RTP_SSRC, "caller's SSRC changes halfway"},
    {"rtp-loss.pcap", scen_rtp_call, SCEN_RTP_LOSS, "6 lost, 2 reordered, 1 duplicate RTP"},
    {"sip-register.pcap", scen_sip_register, 0,
     "REGISTER 401/200 with rport, rebinding refresh, OPTIONS pings, unanswered REGISTER"},
    {"sip-calls.pcap", scen_sip_calls, 0,
     "calls: hold/resume, CANCEL, 486, forked; IPv6 compact forms; malformed; CL mismatch"},
    {"sip-inject.pcap", scen_inject, 0, "SIP call with HTML/JS injection in UA, Call-ID, names, SDP"},
    {"sip-tcp-framing.pcap", scen_sip_tcp_framing, 0,
     "SIP over TCP: INVITE over three segments, 100+180 in one segment, CRLF ping/pong"},
    {"sip-tcp-gap.pcap", scen_sip_tcp_framing, 1,
     "SIP over TCP: a segment of the 200 lost by the capture, ACKed past; no FIN"},
    {"nat-short.pcap", scen_nat, SCEN_NAT_SHORT, "keep-alives for 20 s: shorter than one interval"},
    {"nat-one-way.pcap", scen_nat, SCEN_NAT_ONE_WAY, "CRLFCRLF from the phone only, 150 s"},
    {"nat-jitter.pcap", scen_nat, SCEN_NAT_JITTER, "cloud pings 28-33 s apart: in limits"},
    {"nat-stun.pcap", scen_nat, SCEN_NAT_STUN, "STUN keep-alives, mapped port changes after 30 s"},
    {"nat-options.pcap", scen_nat, SCEN_NAT_OPTIONS, "OPTIONS pings from the cloud every 30 s"},
    {"nat-gap.pcap", scen_nat, SCEN_NAT_GAP, "cloud pings pause 120 s, the phone pings on"},
    {"req-http-pass.pcap", scen_req, SCEN_REQ_HTTP_PASS, "HTTP GET to 80 (Host provisioning.example.com), answered"},
    {"req-http-syn-drop.pcap", scen_req, SCEN_REQ_HTTP_SYN_DROP, "five SYNs to 80, never answered (DROP)"},
    {"req-https-rst.pcap", scen_req, SCEN_REQ_HTTPS_RST, "two SYNs to 443 answered by RST/ACK (REJECT with tcp reset)"},
    {"req-https-icmp-admin.pcap", scen_req, SCEN_REQ_HTTPS_ICMP_ADMIN, "SYNs to 443 answered by ICMP admin-prohibited"},
    {"req-ntp-pass.pcap", scen_req, SCEN_REQ_NTP_PASS, "two NTP requests, both answered"},
    {"req-ntp-unanswered.pcap", scen_req, SCEN_REQ_NTP_UNANSWERED, "three NTP requests, none answered"},
    {"req-remote-pass.pcap", scen_req, SCEN_REQ_REMOTE_PASS, "TeamViewer framing on TCP 5938, established"},
    {"req-remote-degraded.pcap", scen_req, SCEN_REQ_REMOTE_DEGRADED, "5938 SYNs dropped, TeamViewer over 443 works"},
    {"req-remote-blocked.pcap", scen_req, SCEN_REQ_REMOTE_BLOCKED, "5938 SYNs answered by ICMP admin-prohibited"},
    {"req-ipblocks-pass.pcap", scen_req, SCEN_REQ_IPBLOCKS_PASS, "SIP OPTIONS to 192.0.2.10 (inside lab.ini), answered"},
    {"req-ipblocks-unreachable.pcap", scen_req, SCEN_REQ_IPBLOCKS_UNREACHABLE, "SIP to 192.0.2.10 unanswered; 443 refused"},
    {"req-ipblocks-sip-outside.pcap", scen_req, SCEN_REQ_IPBLOCKS_SIP_OUTSIDE, "SIP OPTIONS to 203.0.113.50 (outside lab.ini)"},
};

#define SCENARIO_COUNT (sizeof scenarios / sizeof scenarios[0])

/* Print the command summary to f. */
static void
usage(FILE *f)
{
    fprintf(f, "usage: capgen scenarios OUTDIR [FILE...]   write every (or the named) scenario\n"
               "       capgen bench-rtp FILE SIZE_MB         write the RTP benchmark capture\n"
               "       capgen bench-sip FILE SIZE_MB         write the SIP benchmark capture\n"
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

/* `capgen bench-sip FILE SIZE_MB`: write the SIP benchmark capture and print what it holds.
 * Returns the exit status: 0, 1 (write failed), 2 (bad size). */
static int
cmd_bench_sip(const char *file, const char *size_mb)
{
    char err[512], *end;
    struct bench_sip_stats st;
    errno = 0;
    unsigned long mb = strtoul(size_mb, &end, 10);
    if (errno || *end || mb == 0 || mb > 1000000) {
        fprintf(stderr, "capgen: SIZE_MB must be a whole number from 1 to 1000000\n");
        return 2;
    }
    if (bench_sip_write(file, (uint64_t)mb * 1000000u, &st, err, sizeof err) != 0) {
        fprintf(stderr, "capgen: %s: %s\n", file, err);
        return 1;
    }
    printf("wrote %s: %" PRIu64 " packets, %" PRIu64 " bytes, %" PRIu64 " SIP messages (%" PRIu64
           " over TCP): %" PRIu64 " registrations, %" PRIu64 " OPTIONS, %" PRIu64
           " calls, %" PRIu64 " cancelled, %" PRIu64 " busy; %.1f s of traffic\n",
           file, st.packets, st.bytes, st.messages, st.tcp_messages, st.registrations, st.options,
           st.calls, st.cancels, st.busy, (double)st.span_ns / 1e9);
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
    if (argc == 4 && strcmp(argv[1], "bench-sip") == 0)
        return cmd_bench_sip(argv[2], argv[3]);
    if (argc == 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
        usage(stdout);
        return 0;
    }
    usage(stderr);
    return 2;
}
