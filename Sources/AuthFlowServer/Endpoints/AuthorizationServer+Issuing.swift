import AuthFlowCore

extension AuthorizationServer {
    /// The RFC 6749 §5.1 token response: a JWT access token, an ID token for `openid`,
    /// and a refresh token for `offline_access` when there is a user.
    func issueTokens(for authorization: Authorization, at issuer: Issuer) async throws -> EndpointResponse {
        let now = Self.now(), settings = issuer.settings
        let client = authorization.client.settings, user = authorization.user
        var access: [String: JSONValue] = [
            "ver": .number(1), "jti": .string("AT." + TokenStore.randomToken(bytes: 24)), "iss": .string(issuer.url), "aud": .string(issuer.audience),
            "iat": .number(Double(now)), "exp": .number(Double(now + settings.accessTokenLifetime)), "cid": .string(client.id),
            "scp": .array(authorization.scopes.map(JSONValue.string)), "sub": .string(user?.settings.username ?? client.id),
        ]
        if let user {
            access["uid"] = .string(user.settings.id)
            access["auth_time"] = .number(Double(authorization.authTime))
        }
        var response: [String: JSONValue] = [
            "token_type": .string("Bearer"), "expires_in": .number(Double(settings.accessTokenLifetime)),
            "access_token": .string(try await key.sign(access)), "scope": .string(authorization.scopes.joined(separator: " ")),
        ]
        if let user, authorization.scopes.contains("openid") {
            var id = Self.profileClaims(of: user, scopes: authorization.scopes)
            id.merge([
                "ver": .number(1), "jti": .string("ID." + TokenStore.randomToken(bytes: 24)), "iss": .string(issuer.url), "aud": .string(client.id),
                "sub": .string(user.settings.id), "iat": .number(Double(now)), "exp": .number(Double(now + settings.idTokenLifetime)),
                "auth_time": .number(Double(authorization.authTime)), "amr": .array([.string("pwd")]),
            ]) { _, server in server }
            response["id_token"] = .string(try await key.sign(id))
        }
        if let user, authorization.scopes.contains("offline_access") {
            let grant = TokenStore.RefreshGrant(serverID: issuer.id, clientID: client.id, username: user.settings.username, scopes: authorization.scopes,
                                                authTime: authorization.authTime, expiresAt: now + settings.refreshTokenLifetime, issuedAt: now)
            response["refresh_token"] = .string(await store.issueRefreshToken(grant))
        }
        if let type = authorization.issuedTokenType { response["issued_token_type"] = .string(type) }
        await store.count("tokens_issued")
        return .json(.object(response), noStore: true)
    }

    /// OIDC standard claims by scope (Core §5.4); claims outside these scopes (such as `groups`) always go along.
    static let claimsByScope: [String: Set<String>] = [
        "profile": ["name", "family_name", "given_name", "middle_name", "nickname", "preferred_username", "profile", "picture",
                    "website", "gender", "birthdate", "zoneinfo", "locale", "updated_at"],
        "email": ["email", "email_verified"],
        "address": ["address"],
        "phone": ["phone_number", "phone_number_verified"],
    ]

    /// The user's claims that `scopes` let an ID token or userinfo show; `preferred_username` defaults to the username.
    static func profileClaims(of user: User, scopes: [String]) -> [String: JSONValue] {
        var claims = user.settings.claims
        if claims["preferred_username"] == nil { claims["preferred_username"] = .string(user.settings.username) }
        let standard = claimsByScope.values.reduce(into: Set<String>()) { $0.formUnion($1) }
        let granted = scopes.reduce(into: Set<String>()) { $0.formUnion(claimsByScope[$1] ?? []) }
        return claims.filter { !standard.contains($0.key) || granted.contains($0.key) }
    }
}
