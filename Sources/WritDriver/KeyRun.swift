/// The work behind `writ keygen`: a new Ed25519 signing key pair, written as
/// `DIR/writ.key` (PKCS#8 PEM, mode 0600) and `DIR/writ.pub` (PEM).
import Foundation
import WritCrypto

/// Creates signing keys.
public enum KeyRun {
    /// Writes a new key pair into `directory` (created if needed) and returns
    /// the public key's id. Refuses to overwrite an existing key unless `force`.
    public static func generate(into directory: String, force: Bool) throws(UsageError) -> (keyPath: String, pubPath: String, keyID: String) {
        let keyPath = SourceLoader.join(directory, "writ.key")
        let pubPath = SourceLoader.join(directory, "writ.pub")
        if !force, FileManager.default.fileExists(atPath: keyPath) {
            throw UsageError("`\(keyPath)` already exists; pass --force to replace it (bundles signed with it will no longer verify against the new key)")
        }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw UsageError("cannot create directory `\(directory)`: \(error.localizedDescription)")
        }
        do {
            let key = try Ed25519PrivateKey.generate()
            try key.write(to: keyPath)
            try key.publicKey.write(to: pubPath)
            return (keyPath, pubPath, key.publicKey.keyID)
        } catch {
            throw UsageError(error.description + (error.help.map { "; \($0)" } ?? ""))
        }
    }
}
