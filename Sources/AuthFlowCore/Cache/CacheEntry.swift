public import Foundation

/// One cached token, as stored on disk (0600). Holds the refresh token (unless the profile keeps it in
/// the OS keychain); never the password.
public struct CacheEntry: Codable, Sendable {
    /// Marks authflow's files; anything else is a miss.
    public static let currentFormat = "authflow-token/1"

    /// The format marker.
    public var format: String
    /// The profile that fetched it, for `profiles` and `cache clear`.
    public var profile: String
    /// When it was fetched.
    public var obtainedAt: Date
    /// When the access token expires.
    public var expiresAt: Date
    /// The access token.
    public var accessToken: String
    /// The token type.
    public var tokenType: String
    /// The scopes granted.
    public var scope: String?
    /// The ID token.
    public var idToken: String?
    /// The refresh token, when it is kept in this file.
    public var refreshToken: String?
    /// True when the refresh token is kept in the OS keychain instead (`cache.refresh_token: keyring`);
    /// absent otherwise, so entries of other profiles are written as before.
    public var refreshTokenInKeyring: Bool?
    /// The token response's other members, for the `json` writer.
    public var response: [String: JSONValue]

    /// An entry for `token`, or nil when its lifetime is unknown (docs/reference/token-cache.md: not cached).
    public init?(token: TokenSet, profile: String, now: Date) {
        guard let expiresAt = token.expiresAt else { return nil }
        format = CacheEntry.currentFormat
        self.profile = profile
        obtainedAt = now
        self.expiresAt = expiresAt
        accessToken = token.accessToken
        tokenType = token.tokenType
        scope = token.scope
        idToken = token.idToken
        refreshToken = token.refreshToken
        response = token.response.filter { $0.key != "refresh_token" }
    }

    /// The token set this entry holds.
    public var token: TokenSet {
        TokenSet(accessToken: accessToken, tokenType: tokenType, expiresAt: expiresAt, scope: scope,
                 idToken: idToken, refreshToken: refreshToken, response: response)
    }

    /// True while more than `skew` of the access token's life is left at `now`.
    public func isFresh(at now: Date, skew: Duration) -> Bool {
        expiresAt.timeIntervalSince(now) > Double(skew.components.seconds) + Double(skew.components.attoseconds) / 1e18
    }
}
