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
    /// How interactive grants reach the user.
    public var interaction: Interaction = .silent
    /// Waits between device-code polls; tests may shorten it.
    public var sleep: @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    /// Told about each wait between polls, with the time left (the CLI shows it on stderr).
    public var announce: @Sendable (Wait) -> Void = { _ in }

    /// Creates a client.
    public init(transport: any HTTPTransport, resolver: SecretResolver, now: @escaping @Sendable () -> Date = Date.init) {
        self.transport = transport
        self.resolver = resolver
        self.now = now
    }

    /// The door every request of the grant goes through.
    var server: AuthorizationServerClient { AuthorizationServerClient(transport: transport, resolver: resolver, now: now) }

    /// Runs the profile's grant against `endpoints.token`.
    public func requestToken(for profile: Profile, endpoints: Endpoints) async throws -> TokenSet {
        switch profile.grant {
        case .deviceCode: try await deviceCodeToken(for: profile, endpoints: endpoints)
        case .authorizationCode(let port): try await authorizationCodeToken(for: profile, endpoints: endpoints, port: port)
        case .password(_, _, let mfa): try await passwordToken(try await grantParameters(profile, endpoints: endpoints), mfa: mfa, profile: profile, endpoints: endpoints)
        case .oktaOTP(let username, let otp): try await oktaOTPToken(username: username, otp: otp, profile: profile, endpoints: endpoints)
        case .oktaOOB(let username, let channel, let code): try await oktaOOBToken(username: username, channel: channel, code: code, profile: profile, endpoints: endpoints)
        case .clientCredentials, .refreshToken, .tokenExchange, .jwtBearer:
            try await send(grant: try await grantParameters(profile, endpoints: endpoints), profile: profile, to: endpoints.token)
        }
    }

    /// Uses `refreshToken` in place of the profile's grant (RFC 6749 §6).
    public func refresh(_ refreshToken: Secret, for profile: Profile, endpoints: Endpoints) async throws -> TokenSet {
        try await send(grant: RefreshTokenGrant.parameters(refreshToken: refreshToken), profile: profile, to: endpoints.token)
    }

    private func grantParameters(_ profile: Profile, endpoints: Endpoints) async throws -> GrantParameters {
        switch profile.grant {
        case .password(let username, let password, _):
            let name = try await resolvedUsername(username)
            return PasswordGrant.parameters(username: name, password: try await resolver.resolve(password, field: "grant.password"))
        case .clientCredentials:
            return ClientCredentialsGrant.parameters()
        case .refreshToken(let reference):
            return RefreshTokenGrant.parameters(refreshToken: try await resolver.resolve(reference, field: "grant.refresh_token"))
        case .tokenExchange(let subject, let subjectType, let actor, let actorType):
            let subjectToken = try await resolver.resolve(subject, field: "grant.subject_token")
            var actorToken: Secret?
            if let actor { actorToken = try await resolver.resolve(actor, field: "grant.actor_token") }
            return TokenExchangeGrant.parameters(subject: subjectToken, subjectType: subjectType, actor: actorToken, actorType: actorType)
        case .jwtBearer(let reference):
            if let reference { return JWTBearerGrant.parameters(assertion: try await resolver.resolve(reference, field: "grant.assertion")) }
            guard let keyReference = profile.client.privateKey else {
                throw AuthFlowError(.invalidProfile, "the jwt_bearer grant needs grant.assertion or client.private_key", hint: "add one of them to the profile")
            }
            let key = try await resolver.resolve(keyReference, field: "client.private_key")
            let (client, audience, now) = (profile.client, endpoints.token.absoluteString, now)
            // Signed again for each attempt: the server accepts the assertion's jti once.
            @Sendable func signed() async throws -> GrantParameters {
                let claims = ClientAssertion.Claims(clientID: client.id, audience: audience, now: now())
                var parameters = JWTBearerGrant.parameters(assertion: try await ClientAssertion.sign(claims, privateKey: key, keyID: client.keyID))
                parameters.secrets.append(key)
                parameters.renewal = signed
                return parameters
            }
            return try await signed()
        case .deviceCode, .authorizationCode, .oktaOTP, .oktaOOB:
            throw AuthFlowError(.internalError, "the \(profile.grant.name) grant has no single token request")
        }
    }

    /// `grant.username`: the text, or the value of its reference.
    func resolvedUsername(_ username: Profile.Username) async throws -> String {
        switch username {
        case .plain(let text): text
        case .secret(let reference): try await resolver.resolve(reference, field: "grant.username").reveal()
        }
    }

    func send(grant: GrantParameters, profile: Profile, to url: URL, extras: Bool = true) async throws -> TokenSet {
        let request = try await formRequest(grant, profile: profile, to: url, extras: extras)
        let response = try await transport.send(request)
        return try TokenResponseParser.parse(response, from: url, secrets: request.secrets, now: now())
    }

    /// A form POST to `url` with `grant`'s fields, the profile's scope, audience, resources and
    /// params (unless not `extras`), and the client's authentication.
    func formRequest(_ grant: GrantParameters, profile: Profile, to url: URL, extras: Bool = true) async throws -> TransportRequest {
        let grant = extras ? grant.appending(profile.request.fields) : grant
        return try await server.request(grant.fields, secrets: grant.secrets, singleUse: grant.singleUse, client: profile.client, to: url,
                                        renewFields: grant.renewal)
    }
}
