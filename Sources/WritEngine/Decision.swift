/// The outcome of one input line, written by `Engine.process` into storage
/// the caller owns, without allocating: the verdict, the jurisdictions that
/// applied, the rules that fired (with the error of each one that could not
/// be evaluated), and why a line was refused. `Engine.render` turns it into
/// the JSON line of docs/engine-semantics.md.

import WritIR

/// The verdict of a decision.
public enum Verdict: UInt8, Sendable, BitwiseCopyable, CustomStringConvertible {
    /// No rule rejected or held the order.
    case allow = 0
    /// A hold rule fired and nothing rejected.
    case hold
    /// A reject rule fired, a rule or `applies` could not be evaluated, or the line was refused.
    case reject

    /// `allow`, `hold` or `reject`.
    public var description: String { ["allow", "hold", "reject"][Int(rawValue)] }
}

/// An evaluation error: its code and payload (see `EvalErrorCode`).
public struct EvalError: Sendable, BitwiseCopyable, Hashable {
    /// What failed.
    public var code: EvalErrorCode = .none
    /// First payload value.
    public var a: Int128 = 0
    /// Second payload value.
    public var b: Int128 = 0
    /// Rank in source order within an `&&`/`||` chain (for choosing the first).
    var rank: Int32 = 0
    /// Creates an error.
    public init(code: EvalErrorCode = .none, a: Int128 = 0, b: Int128 = 0) {
        self.code = code
        self.a = a
        self.b = b
    }
}

/// One entry of a decision's rule list: a rule that fired, or a rule (or a
/// jurisdiction's `applies`) that could not be evaluated.
public struct FiredRule: Sendable, BitwiseCopyable {
    /// The rule's index in `IRProgram.rules` (a jurisdiction's index when `isApplies`).
    public var index: Int16 = 0
    /// Whether this is an `applies` that failed (it has a reason but no rule).
    public var isApplies = false
    /// The error, `.none` when the rule fired normally.
    public var error = EvalError()
}

/// Why a line was refused before any rule ran.
public enum LineProblem: UInt8, Sendable, BitwiseCopyable {
    /// Nothing.
    case none = 0
    /// `the line is not valid JSON`.
    case notJSON
    /// `the line is not a JSON object`.
    case notObject
    /// ``missing field `x` ``.
    case missing
    /// ``field `x` must be …``.
    case mustBe
    /// ``field `x` is not a decimal: `t` ``.
    case notDecimal
    /// ``field `x` is not an integer: `t` ``.
    case notInteger
    /// ``field `x` is not an RFC 3339 timestamp: `t` ``.
    case notTimestamp
    /// ``field `x` is not a case of `E`: `t` ``.
    case notCase
    /// ``field `x` cannot be given in an event``.
    case notInEvents
    /// ``field `x` has no currency``.
    case noCurrency
    /// ``unknown event `t` ``.
    case unknownEvent
    /// ``field `x` is longer than 256 bytes``.
    case tooLong
    /// `unknown order id`.
    case unknownOrder
    /// `state table full` (a symbol could not be interned).
    case stateTableFull
    /// ``unknown latch `J.r` ``: a `reset` names a rule without a latch.
    case unknownLatch
    /// A platform event's field is missing or wrong (`PlatformProblem` in the detail).
    case platform
    /// A `set` or `remove` control of a bound table is wrong; the problem text says how.
    case boundTable
    /// ``field `x` must be above 0``: a fill's quantity.
    case notPositive
    /// ``field `x` has a control character``: a text field with an escaped
    /// U+0000–U+001F (an id with a bell, a trader with a NUL).
    case controlCharacter
    /// ``field `x` is given twice``: two members of one field's name.
    case givenTwice
    /// ``field `x` has an invisible character (U+200B)``: a text field with
    /// DEL, a C1 control or an invisible format character (the detail is the
    /// code point; `T-1` followed by a zero-width space is not `T-1`'s kill).
    case invisibleCharacter
    /// ``field `x` starts or ends with a space (U+00A0)``: an id (a `symbol`
    /// field) padded with a space would be another id than the one a kill
    /// switch names (the detail is the code point).
    case edgeSpace
}

/// Why the platform rejected an order or a cancel.
public enum PlatformGate: UInt8, Sendable, BitwiseCopyable {
    /// It did not.
    case none = 0
    /// The DR level does not allow it.
    case level
    /// The route found no cluster for it.
    case noRoute
    /// Both.
    case both
    /// The DR level does not allow cancels.
    case cancel
}

/// What `Engine.process` decided for one line. Reuse one value for every
/// line: `process` resets it.
public struct Decision: Sendable {
    /// The most rules a decision lists; more set `overflow`.
    public static let capacity = 64
    /// The longest id or value text kept (longer texts are cut).
    public static let textCapacity = 256

    /// Whether the line produces a decision line (order events and refused lines).
    public internal(set) var hasLine = false
    /// The verdict.
    public internal(set) var verdict = Verdict.allow
    /// The number of entries in `fired`.
    public internal(set) var firedCount = 0
    /// Whether more rules fired than `capacity`.
    public internal(set) var overflow = false
    /// Jurisdictions that applied, as bits (jurisdiction i is bit i % 64 of word i / 64).
    public internal(set) var jurisdictions = InlineArray<4, UInt64>(repeating: 0)
    /// The rules that fired, in declaration order.
    public internal(set) var fired = InlineArray<64, FiredRule>(repeating: FiredRule())
    /// Why the line was refused, if it was.
    public internal(set) var problem = LineProblem.none
    /// Whether the order was refused after the rules because a table was full.
    public internal(set) var stateFullAfterRules = false
    /// For a problem: the field (global index), -1 for `event`, -2 for `id`/`ts` of the event.
    var problemField: Int32 = -1
    /// For a problem: what the field must be (`mustBe`) or the enum's name index.
    var problemDetail: Int32 = 0
    /// The problem's text (a value or an event name).
    var problemText = InlineArray<256, UInt8>(repeating: 0)
    var problemTextCount = 0
    /// The decision's id; when `idCount < 0` the id is `line <lineNumber>`.
    var idText = InlineArray<256, UInt8>(repeating: 0)
    var idCount = -1
    /// The number of the line (1-based).
    public internal(set) var lineNumber = 0
    /// Whether the line carries `route` and `dr_level` (an order event of a
    /// program with a route or a DR policy, not refused).
    public internal(set) var hasPlatform = false
    /// The route's cluster (index into the platform's clusters), `-1` when
    /// the route found none, `-2` when no route applies.
    public internal(set) var route: Int16 = -2
    /// The route that decided, -1 when none applies.
    public internal(set) var routeIndex: Int16 = -1
    /// The DR level in force (-1: no DR policy).
    public internal(set) var drLevel: Int8 = -1
    /// Why the platform rejected the order: none, the DR level, or no route.
    public internal(set) var gate = PlatformGate.none

    /// An empty decision.
    public init() {}

    /// Whether jurisdiction `j` applied.
    public func applied(_ j: Int) -> Bool { jurisdictions[j >> 6] & (1 << UInt64(j & 63)) != 0 }

    @inline(__always)
    mutating func reset(line: Int) {
        hasLine = false
        verdict = .allow
        firedCount = 0
        overflow = false
        jurisdictions[0] = 0
        jurisdictions[1] = 0
        jurisdictions[2] = 0
        jurisdictions[3] = 0
        problem = .none
        stateFullAfterRules = false
        problemTextCount = 0
        idCount = -1
        lineNumber = line
        hasPlatform = false
        gate = .none
    }

    @inline(__always)
    mutating func markApplied(_ j: Int) { jurisdictions[j >> 6] |= 1 << UInt64(j & 63) }

    @inline(__always)
    mutating func add(_ f: FiredRule) {
        if firedCount < Decision.capacity {
            fired[firedCount] = f
            firedCount += 1
        } else {
            overflow = true
        }
    }

    @inline(__always)
    /// How many of the `n` bytes at `p` fit in a text field: at most
    /// `textCapacity`, cut before a character, never inside one (a UTF-8
    /// continuation byte is not the first byte left out).
    static func fittingPrefix(_ p: UnsafeRawPointer, _ n: Int) -> Int {
        guard n > textCapacity else { return n }
        var m = textCapacity
        while m > 0 && p.load(fromByteOffset: m, as: UInt8.self) & 0xC0 == 0x80 { m -= 1 }
        return m
    }

    mutating func setID(_ p: UnsafeRawPointer, _ n: Int) {
        let m = Decision.fittingPrefix(p, n)
        for i in 0..<m { idText[i] = p.load(fromByteOffset: i, as: UInt8.self) }
        idCount = m
    }

    mutating func setProblemText(_ p: UnsafeRawPointer, _ n: Int) {
        let m = Decision.fittingPrefix(p, n)
        for i in 0..<m { problemText[i] = p.load(fromByteOffset: i, as: UInt8.self) }
        problemTextCount = m
    }

    /// Refuses the line.
    mutating func refuse(_ p: LineProblem, field: Int32 = -1, detail: Int32 = 0) {
        hasLine = true
        verdict = .reject
        problem = p
        problemField = field
        problemDetail = detail
    }
}
