// Loading a bundle's native rule code: the shared object's bytes are
// written to an anonymous memory file (memfd_create) and opened with dlopen
// through /proc/self/fd, so nothing is written to disk.
#define _GNU_SOURCE
#include "writ_native.h"
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

void *writ_native_open(const uint8_t *bytes, int64_t count, writ_native_entry *entry, int64_t *abi,
                       char *error, int64_t error_size) {
    int fd = memfd_create("writ-native", MFD_CLOEXEC);
    if (fd < 0) {
        snprintf(error, (size_t)error_size, "memfd_create failed: %s", strerror(errno));
        return NULL;
    }
    int64_t done = 0;
    while (done < count) {
        ssize_t n = write(fd, bytes + done, (size_t)(count - done));
        if (n < 0) {
            if (errno == EINTR) continue;
            snprintf(error, (size_t)error_size, "writing the native code to memory failed: %s", strerror(errno));
            close(fd);
            return NULL;
        }
        done += n;
    }
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    close(fd);
    if (!h) {
        const char *e = dlerror();
        snprintf(error, (size_t)error_size, "dlopen failed: %s", e ? e : "unknown error");
        return NULL;
    }
    void *run = dlsym(h, "writ_native_run");
    const int64_t *version = (const int64_t *)dlsym(h, "writ_native_abi");
    if (!run || !version) {
        snprintf(error, (size_t)error_size, "the native code has no writ_native_run or writ_native_abi");
        dlclose(h);
        return NULL;
    }
    *entry = (writ_native_entry)run;
    *abi = *version;
    return h;
}

void writ_native_close(void *handle) {
    if (handle) dlclose(handle);
}

// The header itself, for the code generator: the generated C starts with it.
static const char header_text[] = {
#embed "include/writ_native.h"
    , 0};

const char *writ_native_header(void) { return header_text; }
