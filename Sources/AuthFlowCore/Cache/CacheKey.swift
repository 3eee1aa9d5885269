import Crypto
import Foundation

/// The cache key of a profile: SHA-256 over what decides which token it gets — source, client,
/// grant, username, scopes, audience, resources, params — with secrets as *references* only, so
/// computing it resolves nothing and no secret value ever reaches the cache's file names.
public struct CacheKey: Sendable, Hashable {
    /// 64 hex digits.
    public let hex: String

    /// The key for `profile`.
    public init(_ profile: Profile) {
        var parts: [String] = ["authflow-cache-key/1"]
        switch profile.source {
        case .okta(let base, let server): parts += ["okta", base.absoluteString, server]
        case .issuer(let issuer): parts += ["issuer", issuer.absoluteString]
        case .tokenURL(let token, let issuer): parts += ["token_url", token.absoluteString, issuer?.absoluteString ?? ""]
        }
        parts += ["client", profile.client.id, profile.client.auth.rawValue, profile.client.secret?.description ?? ""]
        if let key = profile.client.privateKey { parts += ["private_key", key.description, profile.client.keyID ?? ""] }
        // Another certificate is another client (tls_client_auth) or another binding (RFC 8705 §3).
        if let certificate = profile.connection.clientCertificate { parts += ["tls_client_cert", certificate.chainFile, certificate.key.description] }
        parts.append(profile.grant.name)
        switch profile.grant {
        case .password(let username, let password, let mfa):
            parts += [username.description, password.description]
            // References only; a profile without grant.mfa keeps the key it had before MFA existed.
            if let mfa { parts += ["mfa", mfa.factor.profileName, mfa.otp.description, mfa.code.description] }
        case .clientCredentials, .deviceCode: break
        case .authorizationCode(let port): parts += [port.map(String.init) ?? ""]
        case .tokenExchange(let subject, let subjectType, let actor, let actorType):
            parts += [subject.description, subjectType, actor?.description ?? "", actorType ?? ""]
        case .jwtBearer(let assertion): parts += [assertion?.description ?? ""]
        case .refreshToken(let reference): parts += [reference.description]
        case .oktaOTP(let username, let otp): parts += [username.description, otp.description]
        case .oktaOOB(let username, let channel, let code): parts += [username.description, channel.profileName, code.description]
        }
        parts += ["scopes"] + profile.request.scopes + ["audience", profile.request.audience ?? ""] + ["resources"] + profile.request.resources
        parts += ["params"] + profile.request.params.flatMap { [$0.name, $0.value] }
        hex = CacheKey.digest(parts)
    }

    /// Hex SHA-256 of `parts`, each length-prefixed (`LEN:PART`) so no two different lists hash
    /// the same bytes, followed by `bytes`.
    static func digest(_ parts: [String], then bytes: [UInt8] = []) -> String {
        var hash = SHA256()
        // Bytes as an Array: Data's generic init looks up conformances at run time, on the cached path.
        for part in parts { hash.update(data: Array("\(part.utf8.count):\(part)".utf8)) }
        hash.update(data: bytes)
        return hex(hash.finalize())
    }

    /// A key recorded earlier (the profile index); nil unless it is 64 lower-case hex digits, so
    /// nothing read from a file can name another path.
    public init?(hex: String) {
        guard hex.utf8.count == 64, hex.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }) else { return nil }
        self.hex = hex
    }

    /// Lower-case hex of `bytes` (String(format:) costs more than the hash on the cached path).
    static func hex<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `PREFIX-HASH.json`: a cache file name for `text` (an issuer) that never holds the text itself.
    static func fileName(_ prefix: String, for text: String) -> String {
        "\(prefix)-\(hex(SHA256.hash(data: Data(text.utf8)).prefix(16))).json"
    }

    /// The token entry's file name.
    public var entryName: String { "token-\(hex).json" }
    /// The lock file's name.
    public var lockName: String { "token-\(hex).lock" }
}
