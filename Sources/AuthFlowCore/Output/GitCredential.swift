public import Foundation

/// git's credential helper protocol (`git help credential`): `key=value` lines ending with a
/// blank line. Values with CR, LF or NUL are refused both ways (the CVE-2020-5260 class).
public enum GitCredential {
    /// The most of git's input read; a real request is a few short lines.
    public static let maximumInput = 64 * 1024

    /// The attributes in what git wrote to the helper's stdin: its first `maximumInput` bytes,
    /// invalid UTF-8 replaced, then `parse(_:)`.
    public static func parse(_ input: Data) throws -> [String: String] {
        try parse(String(decoding: input.prefix(maximumInput), as: UTF8.self))
    }

    /// The attributes git sent; refuses NUL, CR and lines without `=`.
    ///
    /// Read scalar by scalar, as git writes bytes: `=` followed by a combining mark is one
    /// `Character` that is not `=`, yet it is still the separator (`username=\u{301}x` is a username).
    public static func parse(_ input: String) throws -> [String: String] {
        var attributes: [String: String] = [:]
        for line in input.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.isEmpty { break }
            guard !line.contains(where: { $0 == "\0" || $0 == "\r" }) else {
                throw AuthFlowError(.usage, "git sent a credential line holding CR or NUL", hint: "refusing input that could smuggle extra fields")
            }
            guard let equals = line.firstIndex(of: "=") else {
                throw AuthFlowError(.usage, "git sent a credential line without '='", hint: "authflow speaks git's credential helper protocol; run it through git")
            }
            attributes[String(String.UnicodeScalarView(line[..<equals]))] = String(String.UnicodeScalarView(line[line.index(after: equals)...]))
        }
        return attributes
    }

    /// The answer to `get`: `username`, `password` (the access token) and `password_expiry_utc`.
    public static func answer(username: String, token: TokenSet, options: OutputOptions) throws -> String {
        let password = try OutputCheck.bearerToken(token, options: options)
        try OutputCheck.plain(username, field: "git username")
        guard !username.contains("\n"), !username.isEmpty else {
            throw AuthFlowError(.invalidProfile, "git.username is empty", hint: "set git.username, e.g. oauth2 or x-access-token")
        }
        var out = "username=\(username)\npassword=\(password)\n"
        if let expiresAt = token.expiresAt {
            out += "password_expiry_utc=\(try OutputCheck.unixSeconds(expiresAt))\n"
        }
        return out
    }
}
