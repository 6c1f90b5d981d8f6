/// Fixed-size, zero-filled memory for the engine's tables, allocated once at
/// load and freed with the owner. Buffers of 64 KiB and more are mapped
/// directly, and those of 2 MiB and more are marked for transparent huge
/// pages (fewer TLB misses on big hash tables). Pages become resident only
/// when first touched, unless `prefault` populates them beforehand (a first
/// touch on the order path costs a page fault: microseconds for a huge page).

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A zero-filled buffer of `count` trivial values.
struct RawBuffer<Element: BitwiseCopyable>: BitwiseCopyable {
    /// The first element.
    let base: UnsafeMutablePointer<Element>
    /// The number of elements.
    let count: Int

    /// Buffers at least this large are mapped with huge pages advised.
    static var hugeThreshold: Int { 2 << 20 }
    /// Buffers at least this large are mapped directly (page-aligned, so `prefault` can populate them).
    static var mapThreshold: Int { 64 << 10 }

    /// The bytes a buffer of `count` elements occupies.
    private static func bytes(_ count: Int) -> Int { Swift.max(1, count) * MemoryLayout<Element>.stride }

    /// Allocates `count` zeroed elements (at least one).
    init(zeroed count: Int) {
        let size = RawBuffer.bytes(count)
        var raw: UnsafeMutableRawPointer?
        if size >= RawBuffer.mapThreshold {
            let p = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
            if let p, p != MAP_FAILED {
                #if os(Linux)
                    if size >= RawBuffer.hugeThreshold { _ = madvise(p, size, MADV_HUGEPAGE) }
                #endif
                raw = p
            }
        } else {
            raw = calloc(1, size)
        }
        guard let raw else { fatalError("cannot allocate \(size) bytes for an engine table") }
        base = raw.bindMemory(to: Element.self, capacity: Swift.max(1, count))
        self.count = count
    }

    /// Copies `array` into a new buffer.
    init(_ array: [Element]) {
        self.init(zeroed: array.count)
        for (i, x) in array.enumerated() { base[i] = x }
    }

    /// Frees the memory; the buffer must not be used afterwards.
    func free() {
        let size = RawBuffer.bytes(count)
        if size >= RawBuffer.mapThreshold {
            munmap(UnsafeMutableRawPointer(base), size)
        } else {
            Glibc.free(UnsafeMutableRawPointer(base))
        }
    }

    /// Makes every page of a mapped buffer resident and writable now, so
    /// that no first touch faults later (Linux 5.14+ `MADV_POPULATE_WRITE`;
    /// elsewhere, or on older kernels, it does nothing). The contents do not
    /// change. Returns the bytes populated.
    @discardableResult
    func prefault() -> Int {
        let size = RawBuffer.bytes(count)
        guard size >= RawBuffer.mapThreshold else { return 0 }
        #if os(Linux)
            let populateWrite: Int32 = 23  // MADV_POPULATE_WRITE
            return madvise(UnsafeMutableRawPointer(base), size, populateWrite) == 0 ? size : 0
        #else
            return 0
        #endif
    }

    /// Sets every element to zero.
    func zero() {
        UnsafeMutableRawPointer(base).initializeMemory(as: UInt8.self, repeating: 0, count: RawBuffer.bytes(count))
    }

    subscript(i: Int) -> Element {
        @_transparent get { base[i] }
        @_transparent nonmutating set { base[i] = newValue }
    }
}
