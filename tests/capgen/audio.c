/* audio.c — G.711 μ-law encoding (ITU-T G.711, the classic biased segment search) of a tone
 * pair computed with Bhaskara's integer sine approximation (no libm: identical bytes anywhere). */
#include "audio.h"

uint8_t
audio_ulaw_encode(int pcm)
{
    int sign = pcm < 0 ? 0x80 : 0;
    if (sign)
        pcm = -pcm;
    if (pcm > 32635)
        pcm = 32635;
    pcm += 0x84;
    int exponent = 7;
    for (int mask = 0x4000; (pcm & mask) == 0 && exponent > 0; mask >>= 1)
        exponent--;
    int mantissa = (pcm >> (exponent + 3)) & 0x0f;
    return (uint8_t) ~(sign | exponent << 4 | mantissa);
}

/* sin(deg) × amp for an integer angle in degrees (Bhaskara I, error < 0.2 %). */
static int
audio_sin(uint32_t deg, int amp)
{
    int d = (int)(deg % 360), x = d % 180;
    int v = (int)((int64_t)4 * x * (180 - x) * amp / (40500 - x * (180 - x)));
    return d >= 180 ? -v : v;
}

void
audio_ulaw(uint8_t *out, uint32_t n, uint32_t first)
{
    for (uint32_t i = 0; i < n; i++) {
        uint32_t k = first + i;
        out[i] = audio_ulaw_encode(audio_sin(k * 18, 2400) + audio_sin(k * 45, 1200));
    }
}
