/// Fixed-size, zero-filled memory for the engine's tables, allocated once at
/// load with `calloc` (large blocks come straight from the kernel, so pages
/// are only made resident when first touched) and freed with the owner.

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

    /// Allocates `count` zeroed elements (at least one).
    init(zeroed count: Int) {
        let n = Swift.max(1, count)
        guard let raw = calloc(n, MemoryLayout<Element>.stride) else {
            fatalError("cannot allocate \(n * MemoryLayout<Element>.stride) bytes for an engine table")
        }
        base = raw.bindMemory(to: Element.self, capacity: n)
        self.count = count
    }

    /// Copies `array` into a new buffer.
    init(_ array: [Element]) {
        self.init(zeroed: array.count)
        for (i, x) in array.enumerated() { base[i] = x }
    }

    /// Frees the memory; the buffer must not be used afterwards.
    func free() { Glibc.free(UnsafeMutableRawPointer(base)) }

    /// Sets every element to zero.
    func zero() { memset(UnsafeMutableRawPointer(base), 0, Swift.max(1, count) * MemoryLayout<Element>.stride) }

    subscript(i: Int) -> Element {
        @_transparent get { base[i] }
        @_transparent nonmutating set { base[i] = newValue }
    }
}
