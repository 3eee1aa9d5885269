import AuthFlowCore

extension AuthorizationServer {
    /// `POST .../v1/introspect` (RFC 7662): a client-authenticated question about a token.
    /// Any client may ask about an access token; a refresh token answers only to its own client.
    func introspect(_ request: EndpointRequest, at issuer: Issuer) async throws -> EndpointResponse {
        await store.count("introspection_requests")
        let (client, token) = try await authenticatedTokenRequest(request)
        if let claims = await accessTokenClaims(token, at: issuer) {
            var answer = claims.filter { ["exp", "iat", "sub", "aud", "iss", "jti", "uid"].contains($0.key) }
            answer["active"] = .bool(true)
            answer["token_type"] = .string("Bearer")
            answer["client_id"] = claims["cid"]
            answer["scope"] = .string((claims["scp"]?.arrayOfStrings ?? []).joined(separator: " "))
            if claims["uid"] != nil { answer["username"] = claims["sub"] }
            return .json(.object(answer), noStore: true)
        }
        if let grant = await store.refreshGrant(token, now: Self.now()), grant.serverID == issuer.id, grant.clientID == client.settings.id {
            var answer: [String: JSONValue] = [
                "active": .bool(true), "token_type": .string("refresh_token"), "scope": .string(grant.scopes.joined(separator: " ")),
                "client_id": .string(grant.clientID), "username": .string(grant.username), "sub": .string(grant.username),
                "iss": .string(issuer.url), "iat": .number(Double(grant.issuedAt)), "exp": .number(Double(grant.expiresAt)),
            ]
            answer["uid"] = users[grant.username].map { .string($0.settings.id) }
            return .json(.object(answer), noStore: true)
        }
        return .json(.object(["active": .bool(false)]), noStore: true)
    }

    /// The claims of `token` when it is a live access token of `issuer`: signed by this server,
    /// unexpired, issued by `issuer`, and not revoked. ID tokens (no `scp`) do not count.
    func accessTokenClaims(_ token: String, at issuer: Issuer) async -> [String: JSONValue]? {
        guard let claims = await key.verifiedClaims(token), claims["iss"]?.string == issuer.url, claims["scp"] != nil,
              let id = claims["jti"]?.string, await !store.isRevoked(id: id) else { return nil }
        return claims
    }
}

extension JSONValue {
    /// The strings of an array value; nil when this is not an array.
    var arrayOfStrings: [String]? {
        guard case .array(let items) = self else { return nil }
        return items.compactMap(\.string)
    }
}
