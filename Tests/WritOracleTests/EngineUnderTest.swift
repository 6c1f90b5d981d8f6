/// How the differential test builds the engine it holds against the oracle,
/// the way a deployment gets one: the checked program is compiled to IR and
/// packed into an unsigned bundle (`BuildRun`, the work behind `writ
/// build`), and the bundle's bytes are loaded with allow-unsigned — so the
/// bundle codec is under test too. `restarted` replaces an engine by a new
/// one restored from its snapshot file, as after a restart.

import Foundation
import WritDriver
import WritEngine
import WritCrypto
import WritIR
import WritOracle

enum EngineUnderTest {
    /// The capacities of both sides' tables: far more than a stream of
    /// 25,000 events needs, far less than the defaults (which would make
    /// every engine of the test allocate hundreds of megabytes).
    static let capacities = OracleCapacities(
        keysPerSlot: 4_096, liveOrders: 65_536, idsPerDay: 65_536, marketRecords: 4_096, killSwitches: 1_024,
        closedOrders: 2_048)

    /// The engine's configuration for the oracle's capacities.
    static func configuration(_ k: OracleCapacities) -> EngineConfiguration {
        EngineConfiguration(
            keysPerSlot: k.keysPerSlot, liveOrders: k.liveOrders, idsPerDay: k.idsPerDay, marketRecords: k.marketRecords,
            killSwitches: k.killSwitches, runtimeSymbols: 262_144, boundTableSpareRows: k.boundTableSpareRows,
            closedOrders: k.closedOrders)
    }

    /// An engine for the checked program of `c`, with these capacities and
    /// the given bound data.
    static func make(
        _ c: Compilation, capacities: OracleCapacities = capacities, bindings: [(name: String, symbols: [String])],
        tables: [(name: String, header: [String], rows: [[String]])] = [], native: Bool = false
    ) throws -> Engine {
        let build = BuildRun.build(c, signingKey: nil)
        guard var bundle = build.bundle, let ir = build.program else {
            throw Failure.noBundle(build.compileErrorText ?? "the sources have errors")
        }
        // Native code runs only from a signed bundle.
        let key = native ? try NativeCache.key() : nil
        if let key { bundle = BuildRun.bundle(ir, signingKey: key, native: try NativeCache.section(ir)) }
        let engine = try Engine(
            bundle: bundle, trust: key.map { [$0.publicKey] } ?? [], allowUnsigned: key == nil,
            configuration: configuration(capacities))
        for b in bindings { engine.bind(b.name, symbols: b.symbols) }
        for t in tables { try engine.bind(t.name, header: t.header, rows: t.rows) }
        return engine
    }

    /// A new engine for the same program, restored from a snapshot file of
    /// `engine` (bound data is not state: it is bound again).
    static func restarted(
        _ engine: Engine, _ c: Compilation, capacities: OracleCapacities, bindings: [(name: String, symbols: [String])],
        tables: [(name: String, header: [String], rows: [[String]])] = [], native: Bool = false
    ) throws -> Engine {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("writ-oracle-\(UUID().uuidString).snap").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try engine.snapshot(to: path)
        let fresh = try make(c, capacities: capacities, bindings: bindings, tables: tables, native: native)
        try fresh.restore(from: path)
        return fresh
    }

    /// Native code compiled once per program (a C compile takes seconds).
    enum NativeCache {
        nonisolated(unsafe) static var built: [IRProgram: NativeSection] = [:]
        nonisolated(unsafe) static var signingKey: Ed25519PrivateKey?
        static let lock = NSLock()

        /// A key to sign the test's native bundles with.
        static func key() throws -> Ed25519PrivateKey {
            lock.lock()
            defer { lock.unlock() }
            if let k = signingKey { return k }
            let k = try Ed25519PrivateKey.generate()
            signingKey = k
            return k
        }

        static func section(_ ir: IRProgram) throws -> NativeSection {
            lock.lock()
            defer { lock.unlock() }
            if let s = built[ir] { return s }
            let s = try NativeBuild.section(ir)
            built[ir] = s
            return s
        }
    }

    enum Failure: Error {
        case noBundle(String)
    }
}
