import Foundation

/// The one rule for secret files' permissions, shared by secret resolution and `validate`:
/// a secret file should be readable by its owner only (docs/reference/security.md).
enum SecretFilePermissions {
    /// The file's permission bits when group or others may access it, else nil (also when it does not exist).
    static func looseMode(atPath path: String) -> Int? {
        guard let mode = (try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? Int, mode & 0o077 != 0 else { return nil }
        return mode
    }

    /// "secret file PATH is readable by others (mode 644)".
    static func problem(_ path: String, mode: Int) -> String {
        "secret file \(path) is readable by others (mode \(String(mode, radix: 8)))"
    }

    /// The command that fixes it.
    static func fix(_ path: String) -> String {
        "chmod 600 \(path)"
    }
}
