/// The engine: one loaded program plus its own state, for one thread. It
/// decides one input line at a time into a caller-owned `Decision` without
/// allocating or locking; `render` writes the decision line. Make one
/// `Engine` per thread (they may share an `EngineProgram`).

import WritCrypto
import WritIR

/// A policy engine for one thread of input lines.
public final class Engine {
    /// The loaded program.
    public let program: EngineProgram
    /// The capacities of its state tables.
    public let configuration: EngineConfiguration
    // INVARIANT: `m` is allocated and initialized in `init`, deinitialized and
    // freed in `deinit`, and only ever used by this engine (not thread-safe).
    let m: UnsafeMutablePointer<Machine>
    /// Lines processed so far.
    public internal(set) var lineCount = 0

    /// Creates an engine with empty state.
    public init(program: EngineProgram, configuration: EngineConfiguration = EngineConfiguration()) {
        self.program = program
        self.configuration = configuration
        m = UnsafeMutablePointer<Machine>.allocate(capacity: 1)
        m.initialize(to: Machine(program, configuration))
        // Bound data with a declared value (`bound "x" = []`) has it until the host binds it.
        // A bound table declared `= []` is empty until then.
        for b in program.ir.bindings { if let d = b.defaults { bind(b.name, symbols: d) } }
    }

    /// Loads a bundle (checking its hash and signature) and creates an engine.
    public convenience init(
        bundle: [UInt8], trust: [Ed25519PublicKey], allowUnsigned: Bool,
        configuration: EngineConfiguration = EngineConfiguration()
    ) throws(EngineLoadError) {
        let p = try EngineProgram(bundle: bundle, trust: trust, allowUnsigned: allowUnsigned)
        self.init(program: p, configuration: configuration)
    }

    /// Makes the memory of the engine's state tables resident now (Linux:
    /// `madvise(MADV_POPULATE_WRITE)`), so that no event pays for a first
    /// touch of a page later; returns the bytes populated (0 where the
    /// system cannot). Tables are large (about 1 GB with the default
    /// configuration), so this takes a noticeable time: call it once before
    /// taking latency-sensitive traffic (`writ replay` and `writ bench` do,
    /// and report its duration apart from the bundle load). Bound lists
    /// bound later are populated as they are filled.
    @discardableResult
    public func prefault() -> Int { m.pointee.prefault() }

    deinit {
        m.pointee.free()
        m.deinitialize(count: 1)
        m.deallocate()
    }

    /// Supplies the members of bound data declared `bound "name"`; replaces
    /// an earlier binding. Returns false when no declaration uses this name
    /// or the symbol table is full.
    /// For a keyed table bound as `name`, only an empty list binds it (to
    /// no rows): rows are bound with `bind(_:header:rows:file:lines:)`.
    @discardableResult
    public func bind(_ name: String, symbols: [String]) -> Bool {
        settle()
        if let (bi, b) = tableBinding(name) {
            guard symbols.isEmpty else { return false }
            return m.pointee.commitTable(bi, b.table, [])
        }
        var found = false
        for (bi, b) in program.ir.bindings.enumerated() where b.name == name {
            found = true
            let old = m.pointee.bound[bi]
            if old.isBound {
                for s in 0..<old.members.slotCount where old.members.occupied(s) {
                    m.pointee.symbols.release(Int(old.members.key(at: s)))
                }
            }
            old.members.free()
            var table = OpenTable<UInt8>(capacity: Swift.max(1, symbols.count))
            for s in symbols {
                var bytes = Array(s.utf8)
                let id = bytes.withUnsafeMutableBytes { raw -> Int? in
                    m.pointee.symbols.intern(UnsafeRawPointer(raw.baseAddress ?? UnsafeMutableRawPointer(m)), raw.count, retained: true)
                }
                guard let id else { return false }
                if table.find(UInt64(id)) != nil {
                    m.pointee.symbols.release(id)
                } else {
                    _ = table.insert(UInt64(id))
                }
            }
            m.pointee.bound[bi] = BoundSet(isBound: true, members: table)
        }
        return found
    }

    /// Decides one input line (without its newline) into `decision`, and
    /// applies it: when this returns, the engine's state includes the event.
    /// The same as `decide` followed by `settle`.
    public func process(_ line: UnsafeRawBufferPointer, into decision: inout Decision) {
        decide(line, into: &decision)
        m.pointee.settle()
    }

    /// Decides one input line (without its newline) into `decision`, as
    /// `process` does, but leaves what an order's decision changes for later
    /// events pending until `settle()`: its message's `rate` counts (step 3
    /// of docs/engine-semantics.md; its own rules' reads include it), its
    /// latches, an accepted order's recorded amounts, keeping it live, the
    /// id of the day (step 7). The verdict, route and DR level in
    /// `decision` are final, so a gateway can release or refuse the order
    /// first and apply it after. Whatever is called next on the engine —
    /// `settle`, `decide`, `process`, a snapshot, a binding, an explanation —
    /// applies it first: decisions and state are the same as with `process`.
    /// Other events (fills, cancels, market data, controls) are applied in
    /// full here.
    public func decide(_ line: UnsafeRawBufferPointer, into decision: inout Decision) {
        lineCount += 1
        decision.reset(line: lineCount)
        m.pointee.dryRun = false
        m.pointee.process(line, &decision)
        if m.pointee.tableControlPending {
            m.pointee.tableControlPending = false
            m.pointee.tableControl(line, &decision)
        }
    }

    /// Applies the order `decide` decided last, if it is not applied yet
    /// (see `decide`); otherwise does nothing. Allocates nothing.
    public func settle() {
        m.pointee.settle()
    }

    /// Whether an order decided by `decide` waits for `settle`.
    public var hasPendingSettlement: Bool { m.pointee.settlement.pending }

    /// Decides one input line given as bytes.
    public func process(line: [UInt8], into decision: inout Decision) {
        line.withUnsafeBytes { process($0, into: &decision) }
    }

    /// Decides one line and returns its decision line, or nil for events
    /// without one (fill, market, control, blank lines). Allocates; for tests and tools.
    public func processLine(_ line: String) -> String? {
        var d = Decision()
        var bytes = Array(line.utf8)
        bytes.withUnsafeMutableBytes { process(UnsafeRawBufferPointer($0), into: &d) }
        guard d.hasLine else { return nil }
        var out: [UInt8] = []
        render(d, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the JSON decision line of `decision` (no newline) to `out`.
    /// Call it before the next `process`: run-time symbols of a decision are
    /// released then.
    public func render(_ decision: Decision, into out: inout [UInt8]) {
        DecisionRenderer(engine: self).render(decision, into: &out)
    }
}
