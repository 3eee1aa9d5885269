import AuthFlowCore

extension AuthorizationServer {
    /// `POST .../v1/revoke` (RFC 7009): 200 for any token once the client is authenticated; the
    /// client's own refresh tokens are forgotten and its access tokens marked revoked.
    func revoke(_ request: EndpointRequest, at issuer: Issuer) async throws -> EndpointResponse {
        await store.count("revocation_requests")
        let (client, token) = try await authenticatedTokenRequest(request)
        if let grant = await store.refreshGrant(token, now: Self.now()), grant.serverID == issuer.id, grant.clientID == client.settings.id {
            await store.revokeRefreshToken(token)
        } else if let claims = await accessTokenClaims(token, at: issuer), claims["cid"]?.string == client.settings.id,
                  let id = claims["jti"]?.string, let exp = claims["exp"]?.number {
            await store.revokeAccessToken(id: id, expiresAt: Int(exp), now: Self.now())
        }
        return EndpointResponse(status: 200, headers: [("Cache-Control", "no-store")], body: "")
    }
}
