// glibc's heap statistics (mallinfo2), for the engine's benchmark harness.
#include <malloc.h>
