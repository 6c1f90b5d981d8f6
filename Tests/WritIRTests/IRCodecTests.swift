/// The IR's bundle sections: round trip, determinism, and refusal of damaged
/// bundles — with the original signature (the container's hash refuses
/// them), re-signed with a trusted key (the IR's validation refuses them or
/// they decode into a program that is still valid), cut short, or signed
/// by a key that is not trusted.

import Foundation
import Testing
import WritCrypto
@testable import WritIR

@Suite struct IRCodecTests {
    static let key = try! Ed25519PrivateKey(rawRepresentation: Array(repeating: 7, count: 32))
    static let other = try! Ed25519PrivateKey(rawRepresentation: Array(repeating: 9, count: 32))

    func rulesBundle() throws -> (IRProgram, [UInt8]) {
        let ir = try TestPrograms.rules()
        return (ir, IRCodec.container(ir).encode(signingKey: IRCodecTests.key))
    }

    func load(_ bytes: [UInt8], trust: [Ed25519PublicKey] = [IRCodecTests.key.publicKey]) throws -> IRProgram {
        try IRCodec.decode(BundleContainer.decode(bytes, trust: trust, allowUnsigned: false))
    }

    @Test func roundTrip() throws {
        let (ir, bytes) = try rulesBundle()
        #expect(try load(bytes) == ir)
    }

    @Test func sameSourcesSameBytes() throws {
        let (_, a) = try rulesBundle()
        let (_, b) = try rulesBundle()
        #expect(a == b)
        let c = try BundleContainer.decode(a, trust: [IRCodecTests.key.publicKey], allowUnsigned: false)
        // rules/ declares a route and a DR policy: the optional platform section comes last.
        #expect(c.sections.map(\.tag) == IRCodec.tags + [IRCodec.platformTag])
    }

    @Test func anyFlippedByteIsRefused() throws {
        let (_, bytes) = try rulesBundle()
        var offsets = Array(stride(from: 0, to: bytes.count, by: 997))
        offsets.append(bytes.count - 1)
        for o in offsets {
            var b = bytes
            b[o] ^= 0x01
            #expect(throws: (any Error).self, "flipped byte \(o)") { try load(b) }
        }
    }

    @Test func truncationsAreRefused() throws {
        let (_, bytes) = try rulesBundle()
        for n in stride(from: 0, to: bytes.count, by: 1499) {
            #expect(throws: (any Error).self) { try load(Array(bytes.prefix(n))) }
        }
    }

    @Test func anUntrustedKeyIsRefused() throws {
        let ir = try TestPrograms.rules()
        let bytes = IRCodec.container(ir).encode(signingKey: IRCodecTests.other)
        #expect(throws: BundleError.self) { try load(bytes) }
    }

    /// Damage inside a section, re-signed with the trusted key: either
    /// refused with an `IRCodecError` naming the section, or (a byte of a
    /// text) still a valid program. Never a crash.
    @Test func damagedButSignedSectionsAreValidatedNotTrusted() throws {
        let ir = try TestPrograms.rules()
        let sections = IRCodec.sections(ir)
        var refused: [String: Int] = [:]
        for (si, s) in sections.enumerated() {
            var offsets = Array(stride(from: 0, to: s.bytes.count, by: Swift.max(1, s.bytes.count / 12)))
            offsets.append(contentsOf: [0, 1, 2, 3, 4, 5, s.bytes.count - 1])
            for o in Set(offsets) where o >= 0 && o < s.bytes.count {
                for mask: UInt8 in [0x01, 0xFF] {
                    var damaged = sections
                    damaged[si].bytes[o] ^= mask
                    let bundle = BundleContainer(sections: damaged).encode(signingKey: IRCodecTests.key)
                    do {
                        let back = try load(bundle)
                        try IRValidator(back).validate()
                    } catch let e as IRCodecError {
                        #expect(!e.description.isEmpty)
                        refused[s.tag, default: 0] += 1
                    }
                }
            }
        }
        for tag in IRCodec.tags + [IRCodec.platformTag] { #expect(refused[tag, default: 0] > 0, "no damage to `\(tag)` was refused") }
    }

    @Test func targetedDamageIsRefusedWithAReason() throws {
        var ir = try TestPrograms.rules()
        func refuses(_ change: (inout IRProgram) -> Void, _ fragment: String) throws {
            var bad = ir
            change(&bad)
            let bytes = IRCodec.container(bad).encode(signingKey: IRCodecTests.key)
            do {
                _ = try load(bytes)
                Issue.record("accepted: \(fragment)")
            } catch let e as IRCodecError {
                #expect(e.description.contains(fragment), "\(e)")
            }
        }
        let b = ir.rules.compactMap(\.block).first!
        let pc = ir.blocks[b].start
        try refuses({ $0.code[pc].aux = 1_000_000; $0.code[pc].op = .jmp }, "jumps outside its block")
        try refuses({ $0.code[pc].b = 65_000; $0.code[pc].op = .not }, "outside the frame")
        try refuses({ $0.code[pc].op = .jmp; $0.code[pc].aux = UInt32(pc) }, "cycle")
        try refuses(
            {
                $0.code[pc].op = .rate
                $0.code[pc].aux = UInt32($0.stateSlots.firstIndex { $0.kind != .rate }!)
                $0.code[pc].a = UInt16($0.registerBase)
                $0.code[pc].b = UInt16($0.registerBase)
            }, "state slot of another kind")
        try refuses({ $0.symbols.swapAt(0, 1) }, "sorted")
        try refuses({ $0.rules[0].block = 999_999 }, "wrong block")
        try refuses({ $0.index.rules.removeLast() }, "the index does not cover")
        try refuses({ $0.schemas[0].fields[0].slot += 1 }, "is not at slot")
        // The platform section: an operand after its node (a possible cycle), an index out of range.
        try refuses(
            { p in
                let last = Int32(p.platform!.nodes.count - 1)
                let i = p.platform!.nodes.firstIndex { $0.op == .and || $0.op == .or }!
                p.platform!.nodes[i].a = last
            }, "does not come before it")
        try refuses({ $0.platform!.routes[0].fallback.append(99) }, "names an index out of range")
        try refuses({ $0.platform!.dr!.levels[1].trigger = 1_000_000 }, "a trigger is node")
        // Link latencies the checker refuses (E0509): none, or so long that paths' sums could overflow.
        try refuses({ $0.platform!.links[0].latency = 0 }, "a link's latency is 0 ns")
        try refuses({ $0.platform!.links[0].latency = IRLink.maxLatency + 1 }, "outside 1 ns")
        try refuses({ $0.platform!.links[0].latency = Int64.max }, "outside 1 ns")
        try refuses({ $0.platform!.links[0].b = -1 }, "a link joins cluster")
        ir.regexes.append("(")
        try refuses({ _ in }, "pattern")
    }
}
