/* sha256.h — SHA-256 (FIPS 180-4) of a file: the content key of the batch index. */
#ifndef VOIPDIAG_BATCH_SHA256_H
#define VOIPDIAG_BATCH_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_HEX 65 /* 64 hex digits and the NUL */

struct sha256 {
    uint32_t h[8];
    uint64_t len;
    uint8_t buf[64];
    size_t n;
};

void sha256_init(struct sha256 *s);
void sha256_update(struct sha256 *s, const void *data, size_t len);
/* Finish and write the digest as lower-case hex into hex (SHA256_HEX bytes). */
void sha256_hex(struct sha256 *s, char hex[SHA256_HEX]);

/*
 * Hash the content of the file at path into hex. Returns 0, or -1 with one sentence in err
 * when the file cannot be read; *size receives the bytes hashed.
 */
int sha256_file(const char *path, char hex[SHA256_HEX], uint64_t *size, char *err, size_t errlen);

#endif
