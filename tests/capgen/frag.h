/* frag.h — IPv4 (RFC 791 §3.2) and IPv6 (RFC 8200 §4.5) fragmentation of a built datagram. */
#ifndef CAPGEN_FRAG_H
#define CAPGEN_FRAG_H

#include <stdbool.h>
#include <stdint.h>

#include "build.h"

/*
 * One fragment of the IP datagram dg (len bytes, as build_ip made it) into out: data bytes
 * [off, off+n) of the fragmentable part, MF set when more. alt, when not NULL, supplies n
 * bytes of different content for the same range (overlap attacks); otherwise off+n must lie
 * inside the datagram. off must be a multiple of 8.
 * IPv4: the header is copied with DF cleared; fragments after the first keep only the options
 * whose copied flag is set. IPv6: the unfragmentable part (header, hop-by-hop, routing) is
 * copied and a fragment header with identification ident is inserted; IPv4 keeps dg's id and
 * ignores ident. Aborts on arguments that contradict dg (a programming error).
 */
void frag_piece(const uint8_t *dg, uint32_t len, uint32_t off, uint32_t n, bool more,
                const uint8_t *alt, uint32_t ident, struct build *out);

/*
 * Split dg into consecutive fragments of size data bytes each (a multiple of 8; the last one
 * shorter), in order, into out[0..max). Returns the number of fragments, or -1 when more than
 * max would be needed (nothing useful is left in out then).
 */
int frag_split(const uint8_t *dg, uint32_t len, uint32_t size, uint32_t ident, struct build *out,
               int max);

/* Bytes of dg that fragments carry (the payload after the unfragmentable part). */
uint32_t frag_payload_len(const uint8_t *dg, uint32_t len);

#endif
