// Loading a bundle's native rule code: the shared object's bytes are
// written to an anonymous memory file (memfd_create) and opened with dlopen
// through /proc/self/fd, so nothing is written to disk.
//
// The file stays open while the library is loaded. dlopen recognizes an
// object it already has by its path name: were the descriptor closed, the
// next bundle's file could get the same number, hence the same
// /proc/self/fd path, and dlopen would hand back the first bundle's code.
// The loader also checks the identity the code carries (`writ_native_id`)
// against the one its bundle section names.
#define _GNU_SOURCE
#include "writ_native.h"
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

struct writ_native_library {
    void *dl;
    int fd;
};

void *writ_native_open(const uint8_t *bytes, int64_t count, const uint8_t *id, writ_native_entry *entry,
                       int64_t *abi, char *error, int64_t error_size) {
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
    if (!h) {
        const char *e = dlerror();
        snprintf(error, (size_t)error_size, "dlopen failed: %s", e ? e : "unknown error");
        close(fd);
        return NULL;
    }
    void *run = dlsym(h, "writ_native_run");
    const int64_t *version = (const int64_t *)dlsym(h, "writ_native_abi");
    const uint8_t *own = (const uint8_t *)dlsym(h, "writ_native_id");
    if (!run || !version || !own) {
        snprintf(error, (size_t)error_size, "the native code has no writ_native_run, writ_native_abi or writ_native_id");
    } else if (memcmp(own, id, 32) != 0) {
        snprintf(error, (size_t)error_size, "the native code loaded is not the bundle's (its identity differs)");
    } else {
        struct writ_native_library *lib = malloc(sizeof *lib);
        if (lib) {
            lib->dl = h;
            lib->fd = fd;
            *entry = (writ_native_entry)run;
            *abi = *version;
            return lib;
        }
        snprintf(error, (size_t)error_size, "out of memory");
    }
    dlclose(h);
    close(fd);
    return NULL;
}

void writ_native_close(void *handle) {
    struct writ_native_library *lib = handle;
    if (!lib) return;
    dlclose(lib->dl);
    close(lib->fd);
    free(lib);
}

// The header itself, for the code generator: the generated C starts with it.
static const char header_text[] = {
#embed "include/writ_native.h"
    , 0};

const char *writ_native_header(void) { return header_text; }
