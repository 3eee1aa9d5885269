import AuthFlowCore

extension AuthorizationServer {
    /// What a grant established: who gets tokens, for which scopes.
    struct Authorization: Sendable {
        var client: Client
        var user: User?
        var scopes: [String]
        var authTime: Int
        /// RFC 8693 §2.2.1: the `issued_token_type` of a token exchange.
        var issuedTokenType: String? = nil
    }

    /// Scopes that need a user, refused for `client_credentials` (as Okta does).
    static let userScopes: Set<String> = ["openid", "profile", "email", "address", "phone", "offline_access"]

    /// `POST .../v1/token`: runs the password, client_credentials or refresh_token grant.
    func token(_ request: EndpointRequest, at issuer: Issuer) async throws -> EndpointResponse {
        await store.count("token_requests")
        let form = try request.form()
        let client = try await authenticateClient(request, form: form)
        guard let name = form["grant_type"] else {
            throw OAuthError.invalidRequest("The 'grant_type' parameter is required.")
        }
        if Self.mfaGrantTypes.contains(name) {
            return try await issueTokens(for: try await mfaTokenGrant(form, grantType: name, client: client, at: issuer), at: issuer)
        }
        guard let grant = ServeConfiguration.GrantType(wireName: name) else {
            throw OAuthError.unsupportedGrantType("The authorization grant type is not supported by the authorization server. Supported grant types: \(ServeSchema.grantTypes.joined(separator: ", ")).")
        }
        guard client.settings.grantTypes.contains(grant) else {
            let allowed = client.settings.grantTypes.map(\.rawValue).sorted().joined(separator: ", ")
            throw OAuthError.unauthorizedClient("The client is not authorized to use the provided grant type. Configured grant types: [\(allowed)].")
        }
        let authorization: Authorization
        switch grant {
        case .password: authorization = try await passwordGrant(form, client: client, at: issuer)
        case .clientCredentials: authorization = try clientCredentialsGrant(form, client: client, at: issuer)
        case .refreshToken: authorization = try await refreshTokenGrant(form, client: client, at: issuer)
        case .deviceCode: authorization = try await deviceCodeGrant(form, client: client, at: issuer)
        case .authorizationCode: authorization = try await authorizationCodeGrant(form, client: client, at: issuer)
        case .tokenExchange: authorization = try await tokenExchangeGrant(form, client: client, at: issuer)
        case .jwtBearer: authorization = try await jwtBearerGrant(form, client: client, at: issuer, endpoint: request.url)
        case .oktaOTP: authorization = try passwordlessOTPGrant(form, client: client, at: issuer)
        case .oktaOOB: authorization = try await passwordlessOOBGrant(form, client: client, at: issuer)
        }
        return try await issueTokens(for: authorization, at: issuer)
    }

    private func passwordGrant(_ form: [String: String], client: Client, at issuer: Issuer) async throws -> Authorization {
        guard let username = form["username"], let password = form["password"] else {
            throw OAuthError.invalidRequest("The 'username' and 'password' parameters are required.")
        }
        let scopes = try requestedScopes(form, at: issuer)
        // Okta signs a user in with the password grant only as OpenID Connect: the scopes asked
        // for must hold openid. Without a scope parameter the server's default_scopes apply.
        guard form["scope"] == nil || scopes.contains("openid") else {
            throw OAuthError.invalidScope("The 'openid' scope is required for the password grant type.")
        }
        guard let user = users[username], Self.sameSecret(user.password.reveal(), password) else {
            throw OAuthError.invalidGrant("The credentials provided were invalid.")
        }
        try checkOfflineAccess(scopes, client: client)
        if user.settings.mfa != nil { throw await requireSecondFactor(user, client: client, scopes: scopes, at: issuer) }
        return Authorization(client: client, user: user, scopes: scopes, authTime: Self.now())
    }

    private func clientCredentialsGrant(_ form: [String: String], client: Client, at issuer: Issuer) throws -> Authorization {
        let scopes = try requestedScopes(form, at: issuer)
        let refused = scopes.filter(Self.userScopes.contains)
        guard refused.isEmpty else {
            throw OAuthError.invalidScope("The following scopes are not allowed for the client_credentials grant type: \(refused.joined(separator: " ")).")
        }
        return Authorization(client: client, user: nil, scopes: scopes, authTime: Self.now())
    }

    /// Rotation: the refresh token works once; the answer carries a new one.
    private func refreshTokenGrant(_ form: [String: String], client: Client, at issuer: Issuer) async throws -> Authorization {
        guard let token = form["refresh_token"] else {
            throw OAuthError.invalidRequest("The 'refresh_token' parameter is required.")
        }
        let invalid = OAuthError.invalidGrant("The refresh token is invalid or expired.")
        // Check before redeeming, so another client cannot burn a token by presenting it.
        guard let grant = await store.refreshGrant(token, now: Self.now()), grant.serverID == issuer.id,
              grant.clientID == client.settings.id, let user = users[grant.username] else { throw invalid }
        var scopes = grant.scopes
        if form["scope"] != nil {
            scopes = try requestedScopes(form, at: issuer)
            let extra = scopes.filter { !grant.scopes.contains($0) }
            guard extra.isEmpty else {
                throw OAuthError.invalidScope("The requested scopes were not granted to the refresh token: \(extra.joined(separator: " ")).")
            }
        }
        guard await store.redeemRefreshToken(token, now: Self.now()) != nil else { throw invalid }
        return Authorization(client: client, user: user, scopes: scopes, authTime: grant.authTime)
    }

    /// The `scope` parameter split and de-duplicated; every scope must be configured for `issuer`.
    func requestedScopes(_ form: [String: String], at issuer: Issuer) throws -> [String] {
        guard let text = form["scope"] else {
            if !issuer.settings.defaultScopes.isEmpty { return issuer.settings.defaultScopes }
            throw OAuthError.invalidScope("The authorization server resource does not have any configured default scopes, 'scope' must be provided.")
        }
        var seen: Set<String> = []
        let scopes = text.split(separator: " ").map(String.init).filter { seen.insert($0).inserted }
        let unknown = scopes.filter { !issuer.settings.scopes.contains($0) }
        guard unknown.isEmpty else {
            throw OAuthError.invalidScope("One or more scopes are not configured for the authorization server resource: \(unknown.joined(separator: " ").prefix(200)).")
        }
        return scopes
    }

    /// `offline_access` yields a refresh token, which only a client allowed the refresh_token grant may get.
    func checkOfflineAccess(_ scopes: [String], client: Client) throws {
        if scopes.contains("offline_access"), !client.settings.grantTypes.contains(.refreshToken) {
            throw OAuthError.invalidScope("offline_access needs the refresh_token grant, which this client is not allowed.")
        }
    }
}
