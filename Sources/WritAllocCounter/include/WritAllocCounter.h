// Counts heap allocations of the whole process, for `writ bench`.
// Built as a shared library and loaded with LD_PRELOAD: it defines malloc,
// calloc, realloc, free and the aligned allocators, forwards them to glibc's
// __libc_* entry points, and counts every allocation while counting is on.
#ifndef WRIT_ALLOC_COUNTER_H
#define WRIT_ALLOC_COUNTER_H
#include <stdint.h>

/// Starts (non-zero) or stops (zero) counting.
void writ_alloc_counting(int on);
/// Allocations counted so far (malloc, calloc, realloc, memalign family).
uint64_t writ_alloc_count(void);

#endif
