/// Fixed-size, zero-filled memory for the engine's tables, allocated once at
/// load and freed with the owner. Large buffers are mapped directly and
/// marked for transparent huge pages (fewer TLB misses on big hash tables);
/// either way pages become resident only when first touched.

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

    /// The bytes a buffer of `count` elements occupies.
    private static func bytes(_ count: Int) -> Int { Swift.max(1, count) * MemoryLayout<Element>.stride }

    /// Allocates `count` zeroed elements (at least one).
    init(zeroed count: Int) {
        let size = RawBuffer.bytes(count)
        var raw: UnsafeMutableRawPointer?
        if size >= RawBuffer.hugeThreshold {
            let p = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
            if let p, p != MAP_FAILED {
                #if os(Linux)
                    _ = madvise(p, size, MADV_HUGEPAGE)
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
        if size >= RawBuffer.hugeThreshold {
            munmap(UnsafeMutableRawPointer(base), size)
        } else {
            Glibc.free(UnsafeMutableRawPointer(base))
        }
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
