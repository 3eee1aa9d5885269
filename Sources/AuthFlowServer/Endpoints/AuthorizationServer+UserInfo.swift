import AuthFlowCore
import Foundation

extension AuthorizationServer {
    /// `GET|POST .../v1/userinfo`: the signed-in user's claims for a Bearer access token with `openid`.
    func userinfo(_ request: EndpointRequest, at issuer: Issuer) async throws -> EndpointResponse {
        await store.count("userinfo_requests")
        guard let token = request.header("Authorization").flatMap(Self.bearerToken) else {
            throw OAuthError.bearer("invalid_token", "The access token is missing.")
        }
        guard let claims = await accessTokenClaims(token, at: issuer) else {
            throw OAuthError.bearer("invalid_token", "The access token is invalid.")
        }
        let scopes = claims["scp"]?.arrayOfStrings ?? []
        guard scopes.contains("openid") else {
            throw OAuthError.bearer("insufficient_scope", "The access token must provide access to at least one of these scopes: openid.")
        }
        guard claims["uid"] != nil, let user = claims["sub"]?.string.flatMap({ users[$0] }) else {
            throw OAuthError.bearer("invalid_token", "The access token does not belong to a user.")
        }
        var answer = Self.profileClaims(of: user, scopes: scopes)
        answer["sub"] = .string(user.settings.id)
        return .json(.object(answer))
    }

    /// The token of an `Authorization: Bearer TOKEN` header (RFC 6750 §2.1).
    static func bearerToken(_ header: String) -> String? {
        guard header.lowercased().hasPrefix("bearer ") else { return nil }
        let token = header.dropFirst(7).trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : token
    }
}
