/* bare_read.c — the physical limit: a bare pcap_next_ex loop over a capture, nothing decoded. */
#include <pcap/pcap.h>
#include <stdio.h>

int
main(int argc, char **argv)
{
    char err[PCAP_ERRBUF_SIZE];
    if (argc != 2) {
        fprintf(stderr, "usage: bare_read FILE\n");
        return 2;
    }
    pcap_t *p = pcap_open_offline_with_tstamp_precision(argv[1], PCAP_TSTAMP_PRECISION_NANO, err);
    if (!p) {
        fprintf(stderr, "bare_read: %s\n", err);
        return 3;
    }
    struct pcap_pkthdr *h;
    const u_char *d;
    unsigned long long n = 0, bytes = 0;
    unsigned sum = 0;
    int rc;
    while ((rc = pcap_next_ex(p, &h, &d)) == 1) {
        n++;
        bytes += h->caplen;
        sum += d[0]; /* touch the data, as any reader must */
    }
    printf("packets %llu bytes %llu (%u)\n", n, bytes, sum & 1);
    pcap_close(p);
    return rc == PCAP_ERROR_BREAK ? 0 : 1;
}
