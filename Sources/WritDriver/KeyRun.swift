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
        for path in [keyPath, pubPath] {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else { continue }
            if isDir.boolValue {
                throw UsageError("cannot write key file `\(path)`: it is a directory; remove it or choose another --out")
            }
            if !force {
                throw UsageError("`\(path)` already exists; pass --force to replace the key pair (bundles signed with the old key will no longer verify against the new one)")
            }
        }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw UsageError("cannot create directory `\(directory)`: \(error.localizedDescription)")
        }
        do {
            let key = try Ed25519PrivateKey.generate()
            try key.writePair(keyPath: keyPath, pubPath: pubPath)
            return (keyPath, pubPath, key.publicKey.keyID)
        } catch {
            throw UsageError(error.description + (error.help.map { "; \($0)" } ?? ""))
        }
    }
}
