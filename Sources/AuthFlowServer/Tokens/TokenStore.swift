import Foundation

/// The server's memory: live refresh tokens, revoked access token ids, and request counters.
/// Nothing is persisted; a restart forgets every refresh token.
actor TokenStore {
    /// What a refresh token stands for.
    struct RefreshGrant: Sendable {
        var serverID: String
        var clientID: String
        var username: String
        var scopes: [String]
        var authTime: Int
        var expiresAt: Int
        var issuedAt: Int
    }

    private var refreshTokens: [String: RefreshGrant] = [:]
    private var revokedIDs: [String: Int] = [:]
    private var counters: [String: Int] = [:]
    private var assertionIDs: [String: Int] = [:]

    /// Records a client assertion's `jti` until `until`; false when it was seen before (a replay).
    func useAssertionID(_ id: String, until: Int, now: Int) -> Bool {
        assertionIDs = assertionIDs.filter { $0.value >= now - 120 }
        return assertionIDs.updateValue(until, forKey: id) == nil
    }

    /// Stores `grant` under a new random refresh token and returns the token.
    func issueRefreshToken(_ grant: RefreshGrant) -> String {
        let token = Self.randomToken()
        refreshTokens[token] = grant
        return token
    }

    /// The grant behind `token`, when it is live; nil when unknown, used, revoked or expired.
    func refreshGrant(_ token: String, now: Int) -> RefreshGrant? {
        guard let grant = refreshTokens[token] else { return nil }
        guard grant.expiresAt > now else {
            refreshTokens[token] = nil
            return nil
        }
        return grant
    }

    /// Takes `token` out for a refresh: it works once (rotation), whatever happens next.
    func redeemRefreshToken(_ token: String, now: Int) -> RefreshGrant? {
        let grant = refreshGrant(token, now: now)
        refreshTokens[token] = nil
        return grant
    }

    /// Forgets `token`.
    func revokeRefreshToken(_ token: String) {
        refreshTokens[token] = nil
    }

    /// Marks the access token `jti` revoked until it would expire anyway.
    func revokeAccessToken(id: String, expiresAt: Int, now: Int) {
        revokedIDs = revokedIDs.filter { $0.value > now }
        revokedIDs[id] = expiresAt
    }

    /// True when the access token `jti` was revoked.
    func isRevoked(id: String) -> Bool { revokedIDs[id] != nil }

    /// Counts one event named `name` (`token_requests`, `tokens_issued`, ...).
    func count(_ name: String) { counters[name, default: 0] += 1 }

    /// The counters and the number of live refresh tokens, for `GET /__authflow/stats`.
    func stats(now: Int) -> [String: Int] {
        counters.merging(["refresh_tokens_active": refreshTokens.values.filter { $0.expiresAt > now }.count]) { $1 }
    }

    /// 32 random bytes, base64url: an opaque token or id.
    static func randomToken(bytes: Int = 32) -> String {
        var generator = SystemRandomNumberGenerator()
        return Data((0..<bytes).map { _ in UInt8.random(in: .min ... .max, using: &generator) }).base64URLEncoded
    }
}
