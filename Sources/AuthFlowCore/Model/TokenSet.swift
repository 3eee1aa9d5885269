public import Foundation

/// A successful token response (RFC 6749 §5.1), parsed and checked.
public struct TokenSet: Sendable {
    /// The access token.
    public var accessToken: String
    /// The token type as the server wrote it (`Bearer`).
    public var tokenType: String
    /// When the access token expires, from `expires_in` or, failing that, a JWT `exp`.
    public var expiresAt: Date?
    /// The granted scopes, space separated, when the server said.
    public var scope: String?
    /// The OpenID Connect ID token, when one came.
    public var idToken: String?
    /// The refresh token; stored in the cache, never written out.
    public var refreshToken: String?
    /// Every member of the response, for the `json` writer.
    public var response: [String: JSONValue]

    /// Creates a token set.
    public init(accessToken: String, tokenType: String, expiresAt: Date?, scope: String?, idToken: String?, refreshToken: String?, response: [String: JSONValue]) {
        self.accessToken = accessToken
        self.tokenType = tokenType
        self.expiresAt = expiresAt
        self.scope = scope
        self.idToken = idToken
        self.refreshToken = refreshToken
        self.response = response
    }
}
