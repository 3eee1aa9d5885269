/// Verifies an access token as a careful resource server would (RFC 8725, RFC 9068, Okta's
/// "validate access tokens"): form and header, algorithm, key from the issuer's JWKS, signature
/// (jwt-kit), then the claims. Claims are only judged once the signature holds.
public struct TokenVerifier: Sendable {
    /// Where the issuer's keys come from.
    public let keys: JWKSProvider
    /// What the token must satisfy.
    public let policy: VerificationPolicy

    /// A verifier for `policy` with keys from `keys`.
    public init(keys: JWKSProvider, policy: VerificationPolicy) {
        self.keys = keys
        self.policy = policy
    }

    /// The checks that need the signature first, named for the report when they cannot run.
    static let claimCheckNames = ["token_type", "iss", "aud", "exp", "nbf", "iat", "cid", "scope", "min_ttl"]

    /// Every check on `token`. Throws only for infrastructure failures (the JWKS unreachable or
    /// unusable); an invalid token is a report whose first failure says why.
    public func verify(_ token: String) async throws -> VerificationReport {
        var checks: [VerificationCheck] = []
        func stop(_ failure: VerificationCheck, before remaining: [String]) -> VerificationReport {
            checks.append(failure)
            let reason = failure.name == "signature" ? "not checked: the signature did not verify" : "not checked: \(failure.name) failed"
            checks += remaining.map { .skip($0, reason) }
            return VerificationReport(checks: checks, claims: nil)
        }
        let (format, parts) = HeaderChecks.format(token)
        guard let parts else { return stop(format, before: ["header", "alg", "kid", "signature"] + Self.claimCheckNames) }
        checks.append(format)
        let header = HeaderChecks.header(parts.header)
        guard header.outcome == .pass else { return stop(header, before: ["alg", "kid", "signature"] + Self.claimCheckNames) }
        checks.append(header)
        let alg = HeaderChecks.algorithm(parts.header, allowed: policy.algorithms)
        guard alg.outcome == .pass, let algorithm = parts.header["alg"]?.string else { return stop(alg, before: ["kid", "signature"] + Self.claimCheckNames) }
        checks.append(alg)
        let (kidProblem, kid) = HeaderChecks.keyID(parts.header)
        if let kidProblem { return stop(kidProblem, before: ["signature"] + Self.claimCheckNames) }
        let key: [String: JSONValue]
        switch try await keys.key(for: kid, alg: algorithm) {
        case .missing(let reason): return stop(.fail("kid", reason), before: ["signature"] + Self.claimCheckNames)
        case .found(let found): key = found
        }
        if let mismatch = SignatureCheck.mismatch(key, alg: algorithm) {
            return stop(.fail("kid", mismatch), before: ["signature"] + Self.claimCheckNames)
        }
        checks.append(.pass("kid", kid.map { "key '\(TokenClaims.shown($0, limit: 64))' from \(keys.url.absoluteString)" } ?? "the only key of \(keys.url.absoluteString)"))
        let claims: [String: JSONValue]
        switch try await SignatureCheck.verify(token, with: key) {
        case .failure(let failure): return stop(.fail("signature", failure.reason), before: Self.claimCheckNames)
        case .success(let verified): claims = verified
        }
        checks.append(.pass("signature", "\(algorithm), verified by jwt-kit"))
        checks += ClaimChecks.all(header: parts.header, claims: claims, policy: policy)
        return VerificationReport(checks: checks, claims: claims)
    }
}
