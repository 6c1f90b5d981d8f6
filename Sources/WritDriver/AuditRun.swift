/// The work behind `writ audit verify`: recompute an audit store's hash
/// chain and say where it breaks.
import WritAudit

/// Audit trail commands.
public enum AuditRun {
    /// Verifies the store at `path`. Returns the result (intact or the first
    /// break); throws a usage error when the file is not an audit store.
    public static func verify(path: String) throws(UsageError) -> VerifyResult {
        do {
            return try AuditVerifier.verify(path: path)
        } catch {
            throw UsageError(error.description + (error.help.map { "; \($0)" } ?? ""))
        }
    }
}
