import Foundation

extension TokenService {
    /// What `revoke` did.
    public struct RevocationResult: Sendable {
        /// The token kinds revoked at the server, refresh token first.
        public var revoked: [Revocation.Hint]
    }

    /// Revokes the profile's cached refresh and access tokens at the server (RFC 7009), then
    /// forgets them. Runs under the profile's cache lock, so no other invocation refreshes meanwhile.
    /// The cache entry stays when the server refuses, so the user can retry.
    public func revoke(_ profile: Profile, lockTimeout: Duration = CachePolicy().lockTimeout) async throws -> RevocationResult {
        let folder = CacheFolder(environment: environment)
        try folder.prepare()
        let cache = tokenCache(folder)
        let key = CacheKey(profile)
        let lock = try await FileLock(path: folder.file(key.lockName), timeout: lockTimeout)
        defer { withExtendedLifetime(lock) {} }
        guard let entry = cache.entry(for: key) else { return RevocationResult(revoked: []) }
        var tokens: [(Secret, Revocation.Hint)] = []
        if let refresh = try cachedRefreshToken(of: entry, for: key, in: cache, profile: profile) { tokens.append((Secret(refresh), .refreshToken)) }
        tokens.append((Secret(entry.accessToken), .accessToken))
        try await withTransport(for: profile) { transport in
            let endpoints = try await Discovery(transport: transport, cache: DiscoveryCache(folder: folder)).endpoints(for: profile.source)
            guard let url = endpoints.revocation else {
                throw AuthFlowError(.protocolError, "the authorization server of profile '\(profile.name)' names no revocation endpoint",
                                    hint: "use domain (Okta: .../v1/revoke) or an issuer whose discovery document has revocation_endpoint")
            }
            let server = AuthorizationServerClient(transport: transport, resolver: resolver(for: profile), now: now)
            for (token, hint) in tokens {
                let parameters = Revocation.parameters(token: token, hint: hint)
                let (request, response) = try await server.post(parameters.fields, secrets: parameters.secrets, client: profile.client, to: url)
                // RFC 7009 §2.2: 200 whether or not the token was valid; anything else is an error response.
                if !(200..<300).contains(response.status) {
                    _ = try TokenResponseParser.parse(response, from: url, secrets: request.secrets, now: now())
                }
            }
        }
        cache.remove(key)
        return RevocationResult(revoked: tokens.map(\.1))
    }
}
