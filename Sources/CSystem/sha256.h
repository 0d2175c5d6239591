#ifndef CSYSTEM_SHA256_H
#define CSYSTEM_SHA256_H

#include <stddef.h>
#include <stdint.h>

/* SHA-256 block compression with the x86 SHA extensions (SHA-NI), for the import ledger's
   content hash: an export of 200 MB is hashed in a tenth of the time the portable Swift rounds
   take. Swift cannot name these instructions, so they live here; the Swift `SHA256` type
   calls them only when `csystem_sha256_hardware()` says the processor has them, and runs its
   own rounds otherwise (other processors, other architectures). */

#if defined(__x86_64__)
#include <cpuid.h>
#include <immintrin.h>

/* 1 when the processor has the SHA extensions and SSSE3/SSE4.1, which their use needs
   (CPUID leaf 7 EBX bit 29; leaf 1 ECX bits 9 and 19). */
static inline int csystem_sha256_hardware(void) {
    unsigned int eax, ebx, ecx, edx;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return 0;
    if (!(ecx & (1u << 9)) || !(ecx & (1u << 19))) return 0;
    if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) return 0;
    return (ebx & (1u << 29)) != 0;
}

/* Runs the 64 rounds over `blocks` consecutive 64-byte blocks of `data`, updating `state`
   (the eight working words a..h, in that order). Only when csystem_sha256_hardware() is 1. */
__attribute__((target("sha,ssse3,sse4.1")))
static inline void csystem_sha256_blocks(
    uint32_t *_Nonnull state, const uint8_t *_Nonnull data, size_t blocks
) {
    static const uint32_t k[64] = {
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    };
    /* Big-endian words: reverse the bytes of each 32-bit lane. */
    const __m128i swap = _mm_set_epi64x(0x0c0d0e0f08090a0bLL, 0x0405060700010203LL);

    /* The instructions keep the state as two registers, lanes high to low: ABEF and CDGH. */
    __m128i abcd = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&state[0]), 0xB1); /* CDAB */
    __m128i efgh = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&state[4]), 0x1B); /* EFGH */
    __m128i abef = _mm_alignr_epi8(abcd, efgh, 8);
    __m128i cdgh = _mm_blend_epi16(efgh, abcd, 0xF0);

    for (; blocks > 0; blocks--, data += 64) {
        const __m128i abefStart = abef;
        const __m128i cdghStart = cdgh;
        /* The message schedule, four words at a time, as a ring of the last four groups. */
        __m128i w[4];
        for (int group = 0; group < 16; group++) {
            __m128i words;
            if (group < 4) {
                words = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(data + 16 * group)), swap);
            } else {
                /* W[t] = s1(W[t-2]) + W[t-7] + s0(W[t-15]) + W[t-16], for t = 4 group .. +3. */
                const __m128i back1 = w[(group + 3) & 3];
                const __m128i back2 = w[(group + 2) & 3];
                words = _mm_sha256msg1_epu32(w[group & 3], w[(group + 1) & 3]);
                words = _mm_add_epi32(words, _mm_alignr_epi8(back1, back2, 4));
                words = _mm_sha256msg2_epu32(words, back1);
            }
            w[group & 3] = words;
            __m128i message = _mm_add_epi32(words, _mm_loadu_si128((const __m128i *)&k[4 * group]));
            cdgh = _mm_sha256rnds2_epu32(cdgh, abef, message); /* two rounds: the new ABEF */
            message = _mm_shuffle_epi32(message, 0x0E);
            abef = _mm_sha256rnds2_epu32(abef, cdgh, message); /* two more */
        }
        abef = _mm_add_epi32(abef, abefStart);
        cdgh = _mm_add_epi32(cdgh, cdghStart);
    }

    /* Back to a..h. */
    const __m128i feba = _mm_shuffle_epi32(abef, 0x1B);
    const __m128i dchg = _mm_shuffle_epi32(cdgh, 0xB1);
    _mm_storeu_si128((__m128i *)&state[0], _mm_blend_epi16(feba, dchg, 0xF0));
    _mm_storeu_si128((__m128i *)&state[4], _mm_alignr_epi8(dchg, feba, 8));
}

#else

static inline int csystem_sha256_hardware(void) { return 0; }

static inline void csystem_sha256_blocks(
    uint32_t *_Nonnull state, const uint8_t *_Nonnull data, size_t blocks
) {
    (void)state;
    (void)data;
    (void)blocks;
}

#endif

#endif
