// Private to core: hot loops compiled once per x86-64 instruction-set level (AVX-512, AVX2 +
// FMA, and the SSE2 baseline that Debian's amd64 targets), the best one picked when the
// program loads (GCC's target_clones). Elsewhere they compile once, for the target.
#pragma once

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define ATELIER_VECTOR_CLONES                                                                      \
    __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define ATELIER_VECTOR_CLONES
#endif

// For the helpers of a cloned function: inlined, they are compiled inside each clone with its
// instruction set; called, they would run the baseline's code.
#define ATELIER_INLINE inline __attribute__((always_inline))
