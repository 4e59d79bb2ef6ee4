/*
 * bare_read.c — the physical limit: a bare pcap_next_ex loop over a capture, nothing decoded.
 *
 * usage: bare_read FILE [STDIO_BUFFER_BYTES]
 * Without a buffer size, libpcap opens the file itself with stdio's default buffer (one
 * 4 KiB read(2) per few packets), as tcpdump -r does: the baseline of the benchmark targets.
 * With one, the file is opened with a stdio buffer of that size first — what voipdiag's own
 * reader does — so the table can show how much of the read cost is the read(2) calls.
 */
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>

int
main(int argc, char **argv)
{
    char err[PCAP_ERRBUF_SIZE];
    if (argc != 2 && argc != 3) {
        fprintf(stderr, "usage: bare_read FILE [STDIO_BUFFER_BYTES]\n");
        return 2;
    }
    pcap_t *p;
    char *iobuf = NULL;
    if (argc == 3) {
        char *end;
        unsigned long size = strtoul(argv[2], &end, 10);
        FILE *fp = fopen(argv[1], "rb");
        if (*end || size == 0 || size > (1ul << 30) || !fp || !(iobuf = malloc(size))) {
            fprintf(stderr, "bare_read: cannot open %s with a %s-byte buffer\n", argv[1], argv[2]);
            return 3;
        }
        (void)setvbuf(fp, iobuf, _IOFBF, size);
        p = pcap_fopen_offline_with_tstamp_precision(fp, PCAP_TSTAMP_PRECISION_NANO, err);
        if (!p)
            fclose(fp);
    } else {
        p = pcap_open_offline_with_tstamp_precision(argv[1], PCAP_TSTAMP_PRECISION_NANO, err);
    }
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
    pcap_close(p); /* closes the FILE too */
    free(iobuf);
    return rc == PCAP_ERROR_BREAK ? 0 : 1;
}
