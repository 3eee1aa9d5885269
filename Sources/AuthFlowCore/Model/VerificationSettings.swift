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
