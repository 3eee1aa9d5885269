import Foundation

/// What `authflow verify` was asked.
public struct VerifyRequest: Sendable {
    /// The token; nil verifies the profile's current token (from the cache or a fresh grant).
    public var token: String?
    /// Accepted audiences; empty takes the profile's (`verify.audience`, `audience`, Okta's `api://default`).
    public var audiences: [String] = []
    /// Scopes the token must grant.
    public var requiredScopes: [String] = []
    /// Require `cid` to be the profile's client id.
    public var checkClient = false
    /// Life the token must have left.
    public var minTTL: Duration?
    /// Overrides the profile's `verify.leeway`.
    public var leeway: Duration?
    /// How the token and key caches are used.
    public var cache = CachePolicy()
    /// Verify an ID token (the given one, or the profile's) instead of an access token.
    public var idToken = false

    /// An empty request: the profile's token, the profile's settings.
    public init() {}
}

/// `authflow verify`: a profile's issuer, keys and settings turned into a `TokenVerifier`.
public struct ProfileVerifier: Sendable {
    /// Gets tokens and transports.
    public let service: TokenService

    /// A verifier using `service` for tokens, HTTP and the clock.
    public init(service: TokenService) { self.service = service }

    /// Verifies the request's token (or the profile's) against `profile`'s issuer.
    /// Returns the report and the issuer it was checked against.
    public func verify(_ request: VerifyRequest, profile: Profile) async throws -> (report: VerificationReport, issuer: String?) {
        if !request.idToken, case .okta(_, "org") = profile.source {
            // Okta signs org-server tokens with keys it does not publish for resource servers.
            let reason = "tokens of Okta's org authorization server (auth_server: org) are not locally verifiable; use authflow introspect \(profile.name)"
            return (VerificationReport(checks: [.fail("verifiable", reason)], claims: nil), nil)
        }
        let leeway = request.leeway ?? profile.verification.leeway
        guard leeway <= VerificationSettings.maximumLeeway else {
            throw AuthFlowError(.usage, "a leeway of \(leeway.shortDescription) is more than the 2 min allowed", hint: "use at most 120s")
        }
        let folder = try ResourceEndpoints.cacheFolder(service: service, policy: request.cache)
        let token = try await ResourceEndpoints.token(request.token, of: profile, idToken: request.idToken, service: service, policy: request.cache)
        let audiences = !request.audiences.isEmpty ? request.audiences : request.idToken ? [profile.client.id] : Self.defaultAudiences(profile)
        return try await service.withTransport(for: profile) { transport in
            let endpoints = try await ResourceEndpoints.resolve(profile, transport: transport, folder: folder)
            guard let issuer = endpoints.issuer?.absoluteString, let jwks = endpoints.jwks else {
                throw AuthFlowError(.protocolError, "the issuer of profile '\(profile.name)' publishes no jwks_uri, so its tokens cannot be verified locally",
                                    hint: "use authflow introspect \(profile.name)")
            }
            var policy = VerificationPolicy(
                issuer: issuer, audiences: audiences, algorithms: profile.verification.algorithms, leeway: leeway,
                clientID: request.checkClient ? profile.client.id : nil, ownClientID: profile.client.id,
                requiredScopes: request.requiredScopes, minTTL: request.minTTL, now: service.now)
            policy.idToken = request.idToken
            let keys = JWKSProvider(issuer: issuer, url: jwks, transport: transport, cache: folder.map(JWKSCache.init), now: service.now)
            return (try await TokenVerifier(keys: keys, policy: policy).verify(token), issuer)
        }
    }

    /// `verify.audience`, else `audience`, else `api://default` for an Okta custom server.
    static func defaultAudiences(_ profile: Profile) -> [String] {
        if !profile.verification.audiences.isEmpty { return profile.verification.audiences }
        if let audience = profile.request.audience { return [audience] }
        if case .okta = profile.source { return ["api://default"] }
        return []
    }
}

/// The endpoints `verify` and `introspect` need: Okta's known layout, or the issuer's discovery document.
enum ResourceEndpoints {
    /// The profile's endpoints with the issuer's `jwks_uri` and introspection endpoint.
    static func resolve(_ profile: Profile, transport: any HTTPTransport, folder: CacheFolder?) async throws -> Endpoints {
        let discovery = Discovery(transport: transport, cache: folder.map(DiscoveryCache.init))
        switch profile.source {
        case .okta, .issuer:
            return try await discovery.endpoints(for: profile.source)
        case .tokenURL(_, let issuer?):
            return try await discovery.endpoints(for: .issuer(issuer))
        case .tokenURL(_, nil):
            throw AuthFlowError(.usage, "profile '\(profile.name)' names only a token_url, so authflow does not know its issuer",
                                hint: "add issuer: to the profile (its discovery document names the keys and the introspection endpoint)")
        }
    }

    /// `given`, or the profile's current access token — or its ID token, when `idToken` — from the cache or a fresh grant.
    static func token(_ given: String?, of profile: Profile, idToken: Bool = false, service: TokenService, policy: CachePolicy) async throws -> String {
        if let given { return given }
        let tokens = try await service.token(for: profile, policy: policy)
        guard idToken else { return tokens.accessToken }
        guard let id = tokens.idToken else {
            throw AuthFlowError(.protocolError, "--id-token: the token response of profile '\(profile.name)' has no ID token",
                                hint: "ask for the 'openid' scope in the profile's scopes to get an ID token")
        }
        return id
    }

    /// The cache folder, prepared, when the policy uses the cache.
    static func cacheFolder(service: TokenService, policy: CachePolicy) throws -> CacheFolder? {
        guard policy.enabled else { return nil }
        let folder = CacheFolder(environment: service.environment)
        try folder.prepare()
        return folder
    }
}
