/* html_esc.c — HTML escaping for the report (HTML Living Standard §13.1.4, §13.2.5.72). */
#include "html_esc.h"

#include <stdarg.h>
#include <string.h>

#include "format.h"

/* Length of the valid UTF-8 sequence at s (RFC 3629 §4), or 0 when it is not one. */
static size_t
utf8_len(const unsigned char *s)
{
    unsigned char c = s[0];
    size_t n;
    uint32_t cp;
    if (c >= 0xc2 && c <= 0xdf) {
        n = 2;
        cp = c & 0x1f;
    } else if (c >= 0xe0 && c <= 0xef) {
        n = 3;
        cp = c & 0x0f;
    } else if (c >= 0xf0 && c <= 0xf4) {
        n = 4;
        cp = c & 0x07;
    } else {
        return 0;
    }
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3f);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
        (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return n;
}

void
html_esc(FILE *f, const char *s)
{
    if (!s)
        return;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        unsigned char c = *p;
        switch (c) {
        case '&':
            fputs("&amp;", f);
            break;
        case '<':
            fputs("&lt;", f);
            break;
        case '>':
            fputs("&gt;", f);
            break;
        case '"':
            fputs("&quot;", f);
            break;
        case '\'':
            fputs("&#39;", f);
            break;
        default:
            if (c >= 0x80) {
                size_t n = utf8_len(p);
                if (n) {
                    fwrite(p, 1, n, f);
                    p += n;
                    continue;
                }
                fputs("\xef\xbf\xbd", f); /* U+FFFD */
            } else if (c < 0x20 || c == 0x7f) {
                fputs(c == '\t' ? " " : "\xef\xbf\xbd", f);
            } else {
                fputc(c, f);
            }
        }
        p++;
    }
}

void
html_escf(FILE *f, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    html_esc(f, buf);
}

void
html_ref(FILE *f, const struct result *r, uint64_t frame, uint16_t file)
{
    if (!frame)
        html_esc(f, "-");
    else if (r->n_inputs > 1 && file < r->n_inputs)
        html_escf(f, "%s#%llu", r->inputs[file].name, (unsigned long long)frame);
    else
        html_escf(f, "%llu", (unsigned long long)frame);
}

void
html_endpoint(FILE *f, const struct ip_addr *a, uint16_t port)
{
    char buf[96];
    html_esc(f, format_endpoint(a, port, 1, buf, sizeof(buf)));
}
