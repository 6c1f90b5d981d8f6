// glibc's heap statistics (mallinfo2), for the engine's benchmark harness, and a prefetch hint.
#include <malloc.h>

// A cache prefetch hint, for the engine's state tables (`__builtin_prefetch`).
static inline void writ_prefetch(const void *p) { __builtin_prefetch(p, 1, 3); }
