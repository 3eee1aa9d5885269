import AuthFlowCore

extension AuthorizationServer {
    /// Token exchange (RFC 8693): a live access token of this authorization server becomes a new
    /// token for the requesting client, for the same user, with the requested (configured) scopes.
    func tokenExchangeGrant(_ form: [String: String], client: Client, at issuer: Issuer) async throws -> Authorization {
        guard let subject = form["subject_token"], let type = form["subject_token_type"] else {
            throw OAuthError.invalidRequest("The 'subject_token' and 'subject_token_type' parameters are required.")
        }
        guard type == TokenExchangeGrant.accessTokenType else {
            throw OAuthError.invalidRequest("The subject_token_type '\(type.prefix(80))' is not supported; use \(TokenExchangeGrant.accessTokenType).")
        }
        guard let claims = await accessTokenClaims(subject, at: issuer) else {
            throw OAuthError.invalidGrant("The subject_token is invalid, expired or revoked.")
        }
        if let actor = form["actor_token"] {
            guard form["actor_token_type"] == TokenExchangeGrant.accessTokenType, await accessTokenClaims(actor, at: issuer) != nil else {
                throw OAuthError.invalidGrant("The actor_token is invalid, or its type is not an access token.")
            }
        }
        let user = claims["uid"] != nil ? claims["sub"]?.string.flatMap { users[$0] } : nil
        var scopes = form["scope"] == nil ? (claims["scp"]?.arrayOfStrings ?? []) : try requestedScopes(form, at: issuer)
        if user == nil { scopes = scopes.filter { !Self.userScopes.contains($0) } }
        var authorization = Authorization(client: client, user: user, scopes: scopes, authTime: claims["auth_time"]?.number.map { Int($0) } ?? Self.now())
        authorization.issuedTokenType = TokenExchangeGrant.accessTokenType
        return authorization
    }

    /// JWT bearer (RFC 7523 §2.1): an assertion issued by the requesting client and signed with one
    /// of its `public_keys`; `sub` is a user's name, or the client itself.
    func jwtBearerGrant(_ form: [String: String], client: Client, at issuer: Issuer, endpoint: String) async throws -> Authorization {
        guard let assertion = form["assertion"], let parts = JWTParts(assertion) else {
            throw OAuthError.invalidRequest("The 'assertion' parameter is required and must be a JWT.")
        }
        let subject = parts.claims["sub"]?.string ?? ""
        do {
            let claims = try await verifiedAssertion(assertion, parts: parts, client: client)
            try await checkAssertion(claims, clientID: client.settings.id, audience: endpoint, subject: subject)
        } catch let error as OAuthError {
            throw OAuthError.invalidGrant(error.description.replacingOccurrences(of: "client_assertion", with: "assertion"))
        }
        let user = users[subject]
        guard user != nil || subject == client.settings.id else { throw OAuthError.invalidGrant("The assertion's 'sub' is neither a user nor the client.") }
        var scopes = try requestedScopes(form, at: issuer)
        if user == nil { scopes = scopes.filter { !Self.userScopes.contains($0) } }
        return Authorization(client: client, user: user, scopes: scopes, authTime: Self.now())
    }
}
