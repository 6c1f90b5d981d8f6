/// The work behind `writ audit verify`: recompute an audit store's hash
/// chain and say where it breaks.
import WritAudit
import WritCrypto

/// Audit trail commands.
public enum AuditRun {
    /// Verifies the store at `path`. Returns the result (intact or the first
    /// break); throws a usage error when the file is not an audit store.
    public static func verify(path: String, anchor: AuditAnchor? = nil) throws(UsageError) -> VerifyResult {
        do {
            return try AuditVerifier.verify(path: path, anchor: anchor)
        } catch {
            throw UsageError(error.description + (error.help.map { "; \($0)" } ?? ""))
        }
    }

    /// An anchor as `writ audit verify --anchor` takes it: `SEQ:HASH`, a
    /// record's sequence number and its hash in hex, as `verify` prints them
    /// (`last record 1000, hash 3f…`).
    public static func anchor(_ text: String) throws(UsageError) -> AuditAnchor {
        let usage = "`--anchor \(text)` is not SEQ:HASH; give a record's number and its 64-digit hash as "
            + "`writ audit verify` prints them, e.g. `--anchor 1000:3f5a…`"
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let seq = Int64(parts[0]), seq >= 1 else { throw UsageError(usage) }
        let hash: [UInt8]
        do { hash = try Hex.decode(String(parts[1])) } catch { throw UsageError(usage) }
        guard hash.count == 32 else { throw UsageError(usage) }
        return AuditAnchor(seq: seq, hash: hash)
    }
}
