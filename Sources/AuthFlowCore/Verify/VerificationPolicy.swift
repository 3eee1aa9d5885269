public import Foundation

/// A profile's `verify:` settings: which algorithms its issuer may sign with, the clock leeway,
/// and the audiences a token must name.
public struct VerificationSettings: Sendable, Hashable {
    /// Asymmetric JWS algorithms a profile may allow; HMAC and `none` are never among them (RFC 8725 §3.1).
    public static let knownAlgorithms = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"]
    /// The largest leeway a profile or `--leeway` may ask for (RFC 8725 advice kept tight: at most 2 minutes; docs/guides/tokens.md).
    public static let maximumLeeway: Duration = .seconds(120)

    /// Allowed `alg` values; RS256 (Okta's) by default.
    public var algorithms: [String]
    /// Clock leeway for `exp`, `nbf` and `iat`.
    public var leeway: Duration
    /// Accepted audiences; empty means the default (the profile's `audience`, or `api://default` for Okta custom servers).
    public var audiences: [String]

    /// The defaults: RS256, 60 s, no explicit audience.
    public init(algorithms: [String] = ["RS256"], leeway: Duration = .seconds(60), audiences: [String] = []) {
        self.algorithms = algorithms
        self.leeway = leeway
        self.audiences = audiences
    }
}

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
