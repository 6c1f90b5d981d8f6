/// Decoding of input lines into the frame, driven by the bundle's schema
/// layout (docs/input-contract.md): the `event` member picks the schema,
/// members that are fields are decoded in line order (a later member
/// replaces an earlier one; JSON `null` is an absent field), then required
/// fields are checked in schema order, derived defaults computed, and money
/// amounts given their currency. Any problem refuses the line with a reason
/// naming the field — the same texts as the oracle's.

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import WritIR
import WritValue

/// What `mustBe` says a field must be.
enum MustBe: Int32 {
    case string = 0, decimal, integer, bool
    var text: String {
        switch self {
        case .string: "a string"
        case .decimal: "a decimal string or a number"
        case .integer: "an integer"
        case .bool: "true or false"
        }
    }
}

extension Machine {
    /// The unescaped key of member `m`.
    @inline(__always)
    func key(_ line: UnsafePointer<UInt8>, _ m: JSONMember, _ buf: UnsafeMutablePointer<UInt8>) -> (UnsafeRawPointer, Int) {
        if !m.keyEscaped { return (UnsafeRawPointer(line + Int(m.keyStart)), Int(m.keyEnd - m.keyStart)) }
        let n = JSONScanner.unescape(line, Int(m.keyStart), Int(m.keyEnd), into: buf, cap: 256)
        return (UnsafeRawPointer(buf), Swift.max(0, n))
    }

    /// The unescaped string value of member `m` (into `unescaped`); length -1 if too long.
    @inline(__always)
    func stringValue(_ line: UnsafePointer<UInt8>, _ m: JSONMember) -> (UnsafeRawPointer, Int) {
        if !m.valueEscaped { return (UnsafeRawPointer(line + Int(m.valueStart)), Int(m.valueEnd - m.valueStart)) }
        let n = JSONScanner.unescape(
            line, Int(m.valueStart), Int(m.valueEnd), into: unescaped.base, cap: Machine.unescapedCapacity)
        return (UnsafeRawPointer(unescaped.base), n)
    }

    @inline(__always)
    static func equals(_ p: UnsafeRawPointer, _ n: Int, _ s: StaticString) -> Bool {
        n == s.utf8CodeUnitCount && Bytes.equal(p, UnsafeRawPointer(s.utf8Start), n)
    }

    /// Decodes `line` into the frame. Returns the event kind, or `.none` when
    /// the line was refused (`d` says why) or is blank.
    mutating func decode(_ line: UnsafeRawBufferPointer, _ d: inout Decision) -> EventKind {
        guard let lb = line.baseAddress else { return .none }
        let lp = lb.assumingMemoryBound(to: UInt8.self)
        var blank = true
        for b in line where !(b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D) {
            blank = false
            break
        }
        if blank { return .none }
        let result = scanner.scan(line)
        if scanner.idMember >= 0 {
            let (p, n) = stringValue(lp, scanner.members[scanner.idMember])
            if n >= 0 {
                d.setID(p, n)
                symbols.prefetch(p, n)
            }
        }
        let count: Int
        switch result {
        case .invalid:
            d.refuse(.notJSON)
            return .none
        case .notObject:
            d.refuse(.notObject)
            return .none
        case .object(let c):
            count = c
        }
        let kb = keyScratch.base
        // The event: its one `event` member (two are refused below).
        var eventMember = -1
        var events = 0
        for k in 0..<count {
            let (p, n) = key(lp, scanner.members[k], kb)
            if Machine.equals(p, n, "event") {
                eventMember = k
                events += 1
            }
        }
        guard eventMember >= 0 else {
            d.refuse(.missing, field: -1)
            return .none
        }
        guard events == 1 else {
            d.refuse(.givenTwice, field: -1)
            return .none
        }
        let em = scanner.members[eventMember]
        guard em.kind == .string else {
            d.refuse(.mustBe, field: -1, detail: MustBe.string.rawValue)
            return .none
        }
        let (ep, en) = stringValue(lp, em)
        var kind = EventKind.none
        var schema = -1
        var isFillCancel = false
        if en >= 0 {
            if Machine.equals(ep, en, "new") {
                kind = .new
                schema = orderSchema
            } else if Machine.equals(ep, en, "modify") {
                kind = .modify
                schema = orderSchema
            } else if Machine.equals(ep, en, "cancel") {
                kind = .cancel
                schema = orderSchema
            } else if Machine.equals(ep, en, "fill") {
                kind = .fill
                schema = fillSchema
            } else if Machine.equals(ep, en, "market") {
                kind = .market
                schema = marketSchema
            } else if Machine.equals(ep, en, "control") {
                kind = .control
                schema = controlSchema
            } else if Machine.equals(ep, en, "fill_cancel") {
                // A busted fill: recorded for the reports, no decision, no
                // state. Its `id`, `exec_id` and `ts` (the fill schema's
                // fields) are checked, so that the reports can read it.
                guard fillSchema >= 0 else { return .none }
                isFillCancel = true
                schema = fillSchema
            }
        }
        if schema < 0, en >= 0, platform.enabled, let pk = Machine.platformEventKind(ep, en) {
            return decodePlatform(pk, lp, count, &d) ? .platform : .none
        }
        guard schema >= 0 else {
            if en >= 0 { d.setProblemText(ep, en) }
            d.refuse(.unknownEvent)
            return .none
        }
        clearSchema(schema)
        let names = schemaNames[schema]
        let isCancel = kind == .cancel
        // The fields the line reads: of a cancel `id` and `ts`, of a
        // `fill_cancel` `id`, `exec_id` and `ts`, of any other event all.
        func read(_ fi: Int) -> Bool {
            if isCancel { return fi == roles.orderID || fi == roles.orderTS }
            if isFillCancel { return fi == roles.fillID || fi == roles.fillTS || fi == roles.fillExecID }
            return true
        }
        // A field given twice is ambiguous (a gateway whose parser keeps the
        // first value would send another order than the one decided): the
        // line is refused at the second. Bits of the schema's first 256 fields.
        var given = InlineArray<4, UInt64>(repeating: 0)
        let firstField = Int(schemaFields[schema])
        for k in 0..<count where k != eventMember {
            let m = scanner.members[k]
            let (kp, kn) = key(lp, m, kb)
            if Machine.equals(kp, kn, "event") { continue }
            let fi = names.lookup(kp, kn)
            if fi < 0 { continue }
            if !read(fi) { continue }
            let rel = fi - firstField
            if rel >= 0, rel < 256 {
                let bit: UInt64 = 1 << UInt64(rel & 63)
                guard given[rel >> 6] & bit == 0 else {
                    d.refuse(.givenTwice, field: Int32(fi))
                    return .none
                }
                given[rel >> 6] |= bit
            }
            if m.kind == .null {
                present[fi] = 0
                needsCurrency[fi] = 0
                continue
            }
            if !decodeField(fi, m, lp, &d) { return .none }
        }
        if schema == orderSchema, let ef = roles.orderEvent {
            let c = kind == .new ? orderEventCase.new : kind == .modify ? orderEventCase.modify : orderEventCase.cancel
            if c >= 0 {
                frame[Int(fields[ef].slot)] = c
                present[ef] = 1
            }
        }
        let first = Int(schemaFields[schema])
        let last = first + Int(schemaFieldCounts[schema])
        for fi in first..<last {
            if !read(fi) { continue }
            if present[fi] == 0 && !fields[fi].optional {
                d.refuse(.missing, field: Int32(fi))
                return .none
            }
        }
        if isFillCancel { return .none }
        if !isCancel { computeDefaults(first, last) }
        for fi in first..<last where needsCurrency[fi] != 0 {
            needsCurrency[fi] = 0
            let cf = Int(fields[fi].currencyField)
            guard cf >= 0, present[cf] != 0 else {
                d.refuse(.noCurrency, field: Int32(fi))
                return .none
            }
            frame[Int(fields[fi].slot) + 1] = frame[Int(fields[cf].slot)]
        }
        return kind
    }

    /// Derived defaults of absent fields (repeated so that a default may read
    /// another field's default).
    private mutating func computeDefaults(_ first: Int, _ last: Int) {
        var pending = 0
        for fi in first..<last where fields[fi].defaultBlock >= 0 && present[fi] == 0 { pending += 1 }
        var rounds = pending
        while pending > 0 && rounds > 0 {
            rounds -= 1
            var progress = false
            for fi in first..<last where fields[fi].defaultBlock >= 0 && present[fi] == 0 {
                let pc = run(Int(fields[fi].defaultBlock))
                guard pc >= 0 else { continue }
                let r = Int(code[pc].a)
                let slot = Int(fields[fi].slot)
                frame[slot] = frame[r]
                if fields[fi].kind == .money { frame[slot + 1] = frame[r + 1] }
                present[fi] = 1
                pending -= 1
                progress = true
            }
            if !progress { break }
        }
    }

    /// Decodes one member into field `fi`; false (with `d` refused) on a problem.
    private mutating func decodeField(
        _ fi: Int, _ m: JSONMember, _ lp: UnsafePointer<UInt8>, _ d: inout Decision
    ) -> Bool {
        let f = fields[fi]
        let slot = Int(f.slot)
        let field = Int32(fi)
        func tokenText() -> (UnsafeRawPointer, Int) {
            m.kind == .string ? stringValue(lp, m) : (UnsafeRawPointer(lp + Int(m.valueStart)), Int(m.valueEnd - m.valueStart))
        }
        func decimal() -> Int128? {
            guard m.kind == .string || m.kind == .number else {
                d.refuse(.mustBe, field: field, detail: MustBe.decimal.rawValue)
                return nil
            }
            let (p, n) = tokenText()
            guard n >= 0, let v = DecimalText.parse(p, n) else {
                if n >= 0 { d.setProblemText(p, n) }
                d.refuse(.notDecimal, field: field)
                return nil
            }
            return v
        }
        func integer() -> Int64? {
            guard m.kind == .number else {
                d.refuse(.mustBe, field: field, detail: MustBe.integer.rawValue)
                return nil
            }
            let (p, n) = tokenText()
            guard let v = Machine.parseInt(p, n) else {
                d.setProblemText(p, n)
                d.refuse(.notInteger, field: field)
                return nil
            }
            return v
        }
        /// `id`: the text is an id (a `symbol` or `currency`), which may not
        /// start or end with a space.
        func text(id: Bool) -> Int? {
            guard m.kind == .string else {
                d.refuse(.mustBe, field: field, detail: MustBe.string.rawValue)
                return nil
            }
            let (p, n) = stringValue(lp, m)
            // Raw control characters are not JSON; escaped ones (`\u0007`,
            // `\n`) would make ids that print as something else or nothing.
            if m.valueEscaped, n > 0, UnsafeRawBufferPointer(start: p, count: n).contains(where: { $0 < 0x20 }) {
                d.refuse(.controlCharacter, field: field)
                return nil
            }
            // Nor may characters that print as nothing (DEL, C1 controls, zero-width and bidi marks).
            if n > 0 {
                let c = Bytes.invisibleScalar(p, n)
                if c != 0 {
                    d.refuse(.invisibleCharacter, field: field, detail: Int32(c))
                    return nil
                }
                // An id padded with a space (`T-1 `) would be another trader than the one killed.
                if id {
                    let e = Bytes.edgeSpace(p, n)
                    if e != 0 {
                        d.refuse(.edgeSpace, field: field, detail: Int32(e))
                        return nil
                    }
                }
            }
            guard n >= 0, n <= SymbolStore.maxLength else {
                d.refuse(.tooLong, field: field)
                return nil
            }
            guard let id = symbols.intern(p, n) else {
                d.refuse(.stateTableFull, field: field)
                return nil
            }
            return id
        }
        switch f.kind {
        case .bool:
            guard m.kind == .trueValue || m.kind == .falseValue else {
                d.refuse(.mustBe, field: field, detail: MustBe.bool.rawValue)
                return false
            }
            frame[slot] = m.kind == .trueValue ? 1 : 0
        case .int, .duration:
            guard let v = integer() else { return false }
            frame[slot] = Int128(v)
        case .decimal:
            guard let v = decimal() else { return false }
            frame[slot] = v
        case .percent:
            guard let v = decimal() else { return false }
            frame[slot] = Fixed(raw: v).divided(by: Fixed(100))?.raw ?? 0
        case .money:
            if f.fixedCurrency >= 0 {
                guard let v = decimal() else { return false }
                frame[slot] = v
                frame[slot + 1] = Int128(f.fixedCurrency)
            } else {
                guard f.currencyField >= 0 else {
                    d.refuse(.notInEvents, field: field)
                    return false
                }
                guard let v = decimal() else { return false }
                frame[slot] = v
                needsCurrency[fi] = 1
            }
        case .string, .symbol, .currency:
            guard let id = text(id: f.kind != .string) else { return false }
            frame[slot] = Int128(id)
        case .timestamp:
            guard m.kind == .string else {
                d.refuse(.mustBe, field: field, detail: MustBe.string.rawValue)
                return false
            }
            let (p, n) = stringValue(lp, m)
            guard n >= 0, let ns = Machine.parseTimestamp(p, n) else {
                if n >= 0 { d.setProblemText(p, n) }
                d.refuse(.notTimestamp, field: field)
                return false
            }
            frame[slot] = Int128(ns)
        case .enumeration:
            guard m.kind == .string else {
                d.refuse(.mustBe, field: field, detail: MustBe.string.rawValue)
                return false
            }
            let (p, n) = stringValue(lp, m)
            let c = n >= 0 && f.enumIndex >= 0 ? enumNames[Int(f.enumIndex)].lookup(p, n) : -1
            guard c >= 0 else {
                if n >= 0 { d.setProblemText(p, n) }
                d.refuse(.notCase, field: field, detail: f.enumIndex)
                return false
            }
            frame[slot] = Int128(c)
        case .timeOfDay, .none:
            d.refuse(.notInEvents, field: field)
            return false
        }
        present[fi] = 1
        return true
    }

    /// An optional `-` and digits, as an Int64.
    static func parseInt(_ p: UnsafeRawPointer, _ n: Int) -> Int64? {
        var i = 0
        var negative = false
        if n > 0, p.load(fromByteOffset: 0, as: UInt8.self) == 0x2D {
            negative = true
            i = 1
        }
        guard i < n else { return nil }
        var v: Int64 = 0
        while i < n {
            let c = p.load(fromByteOffset: i, as: UInt8.self)
            guard c >= 0x30, c <= 0x39 else { return nil }
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (s, o2) = negative ? m.subtractingReportingOverflow(Int64(c - 0x30)) : m.addingReportingOverflow(Int64(c - 0x30))
            if o1 || o2 { return nil }
            v = s
            i += 1
        }
        return v
    }

    /// RFC 3339 with `T`/`t`, `Z`/`z` or `±HH:MM`, up to nine fractional digits,
    /// to nanoseconds since the epoch (the oracle's `TimeText.parseTimestamp`).
    static func parseTimestamp(_ p: UnsafeRawPointer, _ n: Int) -> Int64? {
        var i = 0
        func at(_ k: Int) -> UInt8 { p.load(fromByteOffset: k, as: UInt8.self) }
        func digits(_ count: Int) -> Int? {
            guard i + count <= n else { return nil }
            var v = 0
            for k in 0..<count {
                let c = at(i + k)
                guard c >= 0x30, c <= 0x39 else { return nil }
                v = v * 10 + Int(c - 0x30)
            }
            i += count
            return v
        }
        func lit(_ c: UInt8, _ d: UInt8? = nil) -> Bool {
            guard i < n, at(i) == c || at(i) == d else { return false }
            i += 1
            return true
        }
        guard let year = digits(4), lit(0x2D), let month = digits(2), lit(0x2D), let day = digits(2),
            lit(0x54, 0x74), let hour = digits(2), lit(0x3A), let minute = digits(2), lit(0x3A),
            let second = digits(2)
        else { return nil }
        var nanos: Int64 = 0
        if lit(0x2E) {
            var count = 0
            while i < n, at(i) >= 0x30, at(i) <= 0x39 {
                count += 1
                guard count <= 9 else { return nil }
                nanos = nanos * 10 + Int64(at(i) - 0x30)
                i += 1
            }
            guard count > 0 else { return nil }
            for _ in count..<9 { nanos *= 10 }
        }
        var offset = 0
        if lit(0x5A, 0x7A) {
        } else if i < n, at(i) == 0x2B || at(i) == 0x2D {
            let sign = at(i) == 0x2D ? -1 : 1
            i += 1
            guard let oh = digits(2), lit(0x3A), let om = digits(2), oh < 24, om < 60 else { return nil }
            offset = sign * (oh * 3600 + om * 60)
        } else {
            return nil
        }
        guard i == n, (1...12).contains(month) else { return nil }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let monthDays: Int
        switch month {
        case 2: monthDays = leap ? 29 : 28
        case 4, 6, 9, 11: monthDays = 30
        default: monthDays = 31
        }
        guard (1...monthDays).contains(day), hour < 24, minute < 60, second < 60 else { return nil }
        let days = Value.days(year: year, month: month, day: day)
        let secs = days * 86_400 + Int64(hour * 3600 + minute * 60 + second - offset)
        let (ns, o1) = secs.multipliedReportingOverflow(by: 1_000_000_000)
        let (total, o2) = ns.addingReportingOverflow(nanos)
        return o1 || o2 ? nil : total
    }
}
