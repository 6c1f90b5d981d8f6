/// The constant pool under construction: encoded values deduplicated by
/// kind and bits, so the same constant always has the same slot.

/// Builds `IRProgram.constants`.
struct ConstantPool {
    private(set) var values: [Int128] = []
    private(set) var kinds: [ValueKind] = []
    private var index: [PoolKey: Int] = [:]

    private struct PoolKey: Hashable {
        var kind: ValueKind
        var slots: [Int128]
    }

    /// The operand of a one-slot constant.
    mutating func add(_ value: Int128, kind: ValueKind) -> Operand {
        add([value], kind: kind)
    }

    /// The operand of a constant of one or two slots (money: amount, currency).
    mutating func add(_ slots: [Int128], kind: ValueKind) -> Operand {
        let key = PoolKey(kind: kind, slots: slots)
        if let i = index[key] { return .const(i) }
        let i = values.count
        values.append(contentsOf: slots)
        kinds.append(kind)
        if slots.count == 2 { kinds.append(.currency) }
        index[key] = i
        return .const(i)
    }

    /// The value in slot `i`.
    func value(_ i: Int) -> Int128 { values[i] }
    /// The kind of slot `i`.
    func kind(_ i: Int) -> ValueKind { kinds[i] }
}
