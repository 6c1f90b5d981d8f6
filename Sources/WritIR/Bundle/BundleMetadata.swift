/// The codec of the `META` section: string pairs in a canonical order, so the
/// same metadata always gives the same bytes (and the same bundle hash).
///
/// Layout: u32 count, then per entry u32 key length, key (UTF-8), u32 value
/// length, value (UTF-8); keys unique and sorted by their UTF-8 bytes.

enum BundleMetadata {
    /// The canonical bytes of `metadata`.
    static func encode(_ metadata: [String: String]) -> [UInt8] {
        var w = ByteWriter()
        let entries = metadata.map { (key: Array($0.key.utf8), value: Array($0.value.utf8)) }
            .sorted { $0.key.lexicographicallyPrecedes($1.key) }
        w.append(UInt32(entries.count))
        for e in entries {
            w.append(UInt32(e.key.count))
            w.append(e.key)
            w.append(UInt32(e.value.count))
            w.append(e.value)
        }
        return w.bytes
    }

    /// The metadata in `bytes` (the body of the `META` section at `offset`).
    /// - Throws: `BundleError.malformed` when they are not canonical metadata.
    static func decode(_ bytes: [UInt8], sectionOffset offset: Int) throws(BundleError) -> [String: String] {
        func fail(_ reason: String) -> BundleError { .malformed(offset: offset, problem: .metadata(reason)) }
        var r = ByteReader(bytes)
        guard let count = r.u32() else { throw fail("has no entry count") }
        var result: [String: String] = [:]
        var previousKey: [UInt8]?
        for index in 0..<Int(count) {
            guard let keyLength = r.u32(), let key = r.take(Int(keyLength)),
                let valueLength = r.u32(), let value = r.take(Int(valueLength))
            else { throw fail("ends inside entry \(index)") }
            if let previousKey, !previousKey.lexicographicallyPrecedes(key) {
                throw fail("has keys out of order or repeated at entry \(index)")
            }
            guard let k = String(validating: key, as: UTF8.self), let v = String(validating: value, as: UTF8.self)
            else { throw fail("has text that is not UTF-8 at entry \(index)") }
            result[k] = v
            previousKey = Array(key)
        }
        guard r.remaining == 0 else { throw fail("has \(r.remaining) bytes after its last entry") }
        return result
    }
}
