public import Foundation

/// The undecoded parts of a compact JWS, for reading claims without verifying them.
public struct JWTParts: Sendable {
    /// The decoded header.
    public let header: [String: JSONValue]
    /// The decoded claims.
    public let claims: [String: JSONValue]

    /// Splits and decodes `token`; nil when it is not a three-part JWT with JSON header and claims.
    public init?(_ token: String) {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, token.utf8.count < 64 * 1024,
              let header = JWTParts.decode(parts[0])?.object, let claims = JWTParts.decode(parts[1])?.object else { return nil }
        self.header = header
        self.claims = claims
    }

    /// The `exp` claim as a date.
    public var expiresAt: Date? {
        claims["exp"]?.number.map { Date(timeIntervalSince1970: $0) }
    }

    private static func decode(_ part: Substring) -> JSONValue? {
        var text = part.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while text.count % 4 != 0 { text += "=" }
        guard let data = Data(base64Encoded: text) else { return nil }
        return JSONValue.parse(data)
    }
}
