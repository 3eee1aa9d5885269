public import Foundation

/// What one verification expects of a token, as a resource server would.
public struct VerificationPolicy: Sendable {
    /// The issuer `iss` must name.
    public var issuer: String
    /// `aud` must name at least one of these; empty fails the `aud` check (there is nothing to accept).
    public var audiences: [String]
    /// Allowed `alg` values.
    public var algorithms: [String]
    /// Clock leeway for `exp`, `nbf` and `iat`.
    public var leeway: Duration
    /// When set, `cid` (or `client_id`) must equal it.
    public var clientID: String?
    /// The profile's client id, which an ID token names as its audience.
    public var ownClientID: String?
    /// Every one of these must be granted in `scp` or `scope`.
    public var requiredScopes: [String]
    /// The token must have at least this much life left.
    public var minTTL: Duration?
    /// Check an ID token (OpenID Connect Core §3.1.3.7: `aud` holds the client id, `azp` when present
    /// is it, `iat` required; no scopes, no `cid`) instead of an access token.
    public var idToken = false
    /// The clock.
    public var now: @Sendable () -> Date

    /// Creates a policy; everything but the issuer and audiences has a resource server's default.
    public init(issuer: String, audiences: [String], algorithms: [String] = ["RS256"], leeway: Duration = .seconds(60),
                clientID: String? = nil, ownClientID: String? = nil, requiredScopes: [String] = [], minTTL: Duration? = nil,
                now: @escaping @Sendable () -> Date = Date.init) {
        self.issuer = issuer
        self.audiences = audiences
        self.algorithms = algorithms
        self.leeway = leeway
        self.clientID = clientID
        self.ownClientID = ownClientID
        self.requiredScopes = requiredScopes
        self.minTTL = minTTL
        self.now = now
    }
}

extension Duration {
    /// The duration in seconds, fractions included.
    var inSeconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }

    /// `90 s`, `10 min` — for messages.
    var shortDescription: String {
        let whole = Int(inSeconds.rounded(.down))
        return whole % 60 == 0 && whole >= 60 ? "\(whole / 60) min" : "\(whole) s"
    }
}
