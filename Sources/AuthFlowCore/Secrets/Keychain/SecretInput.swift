import Foundation

/// A secret given to `authflow keyring set` on stdin: one trailing newline stripped (`echo` and
/// here-strings add one), nothing else changed.
public enum SecretInput {
    /// The secret in `bytes`; throws when it is empty, too large, or not a line of text a keychain can hold.
    public static func secret(from bytes: [UInt8]) throws -> Secret {
        guard bytes.count <= Secret.maximumBytes + 2 else {
            throw AuthFlowError(.secret, "the secret on stdin is larger than \(Secret.maximumBytes / 1024) KiB", hint: "a secret is a line or a key; check what is piped in")
        }
        var bytes = bytes[...]
        if bytes.last == UInt8(ascii: "\n") {
            bytes.removeLast()
            if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
        }
        guard !bytes.isEmpty else {
            throw AuthFlowError(.secret, "the secret is empty", hint: "pipe the secret in (printf %s \"$SECRET\" | authflow keyring set SERVICE/ACCOUNT), or run it on a terminal to type it")
        }
        guard !bytes.contains(0) else {
            throw AuthFlowError(.secret, "the secret holds a NUL byte, which a keychain password cannot", hint: "store text; encode binary secrets (base64) first")
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw AuthFlowError(.secret, "the secret is not UTF-8 text", hint: "store text; encode binary secrets (base64) first")
        }
        return Secret(text)
    }
}
