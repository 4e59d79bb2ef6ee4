/* audio.h — G.711 μ-law (ITU-T G.711) samples of a quiet two-tone signal, integer-only so
 * every machine writes the same bytes. */
#ifndef CAPGEN_AUDIO_H
#define CAPGEN_AUDIO_H

#include <stdint.h>

/* μ-law code of one 16-bit linear sample. */
uint8_t audio_ulaw_encode(int pcm);

/* n μ-law samples of the signal (400 Hz + 1 kHz at 8 kHz) from sample index first. */
void audio_ulaw(uint8_t *out, uint32_t n, uint32_t first);

#endif
