public import Foundation

/// Runs a profile's grant: resolves the secrets it needs, builds the form request, sends it
/// through the transport and parses the answer. Secrets are resolved here and nowhere earlier.
public struct TokenClient: Sendable {
    /// Where requests go.
    public let transport: any HTTPTransport
    /// Resolves secret references.
    public let resolver: SecretResolver
    /// The clock.
    public let now: @Sendable () -> Date

    /// Creates a client.
    public init(transport: any HTTPTransport, resolver: SecretResolver, now: @escaping @Sendable () -> Date = Date.init) {
        self.transport = transport
        self.resolver = resolver
        self.now = now
    }

    /// Runs the profile's grant against `endpoints.token`.
    public func requestToken(for profile: Profile, endpoints: Endpoints) async throws -> TokenSet {
        try await send(grant: try await grantParameters(profile), profile: profile, to: endpoints.token)
    }

    /// Uses `refreshToken` in place of the profile's grant (RFC 6749 §6).
    public func refresh(_ refreshToken: Secret, for profile: Profile, endpoints: Endpoints) async throws -> TokenSet {
        try await send(grant: RefreshTokenGrant.parameters(refreshToken: refreshToken), profile: profile, to: endpoints.token)
    }

    private func grantParameters(_ profile: Profile) async throws -> GrantParameters {
        switch profile.grant {
        case .password(let username, let password):
            let name: String
            switch username {
            case .plain(let text): name = text
            case .secret(let reference): name = try await resolver.resolve(reference, field: "grant.username").reveal()
            }
            return PasswordGrant.parameters(username: name, password: try await resolver.resolve(password, field: "grant.password"))
        case .clientCredentials:
            return ClientCredentialsGrant.parameters()
        case .refreshToken(let reference):
            return RefreshTokenGrant.parameters(refreshToken: try await resolver.resolve(reference, field: "grant.refresh_token"))
        }
    }

    private func send(grant: GrantParameters, profile: Profile, to url: URL) async throws -> TokenSet {
        var fields = grant.fields
        var secrets = grant.secrets
        if !profile.scopes.isEmpty { fields.append(("scope", profile.scopes.joined(separator: " "))) }
        if let audience = profile.audience { fields.append(("audience", audience)) }
        for resource in profile.resources { fields.append(("resource", resource)) }
        fields += profile.params
        var clientSecret: Secret?
        if let reference = profile.client.secret, [.clientSecretBasic, .clientSecretPost].contains(profile.client.auth) {
            let secret = try await resolver.resolve(reference, field: "client.secret")
            clientSecret = secret
            secrets.append(secret)
        }
        let auth = ClientAuthentication.apply(profile.client.auth, clientID: profile.client.id, secret: clientSecret)
        fields += auth.fields
        let headers: [(name: String, value: String)] = [
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("Accept", "application/json"),
            ("User-Agent", UserAgent.value),
        ] + auth.headers
        let request = HTTPRequest(method: "POST", url: url, headers: headers, body: Data(FormEncoding.body(fields).utf8), secrets: secrets)
        let response = try await transport.send(request)
        return try TokenResponseParser.parse(response, from: url, secrets: secrets, now: now())
    }
}
