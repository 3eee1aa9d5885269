import AuthFlowCore
import Foundation
import JWTKit

extension AuthorizationServer {
    /// The most an assertion may live, as Okta allows: one hour.
    static let maxAssertionLifetime = 3600

    /// The client a JWT assertion authenticates (RFC 7523 §3): `private_key_jwt` checked against the
    /// client's registered public keys (RS256, ES256), `client_secret_jwt` against its secret (HS256).
    /// `iss` and `sub` are the client id, `aud` is the endpoint's URL, `exp` is near, `jti` is new.
    func authenticateAssertion(_ request: EndpointRequest, form: [String: String]) async throws -> Client {
        guard form["client_assertion_type"] == ClientAssertion.type else {
            throw OAuthError.invalidClient("The 'client_assertion_type' must be \(ClientAssertion.type).")
        }
        guard let assertion = form["client_assertion"], let parts = JWTParts(assertion) else {
            throw OAuthError.invalidClient("The 'client_assertion' is not a JWT.")
        }
        guard let id = parts.claims["iss"]?.string, let client = clients[id] else {
            throw OAuthError.invalidClient("The client_assertion's 'iss' is not a registered client id.")
        }
        if let formID = form["client_id"], formID != id {
            throw OAuthError.invalidRequest("The 'client_id' parameter does not match the client_assertion's 'iss'.")
        }
        let claims = try await verifiedAssertion(assertion, parts: parts, client: client)
        try await checkAssertion(claims, clientID: id, audience: request.url)
        return client
    }

    /// The claims of `assertion` once its signature checks out with `client`'s keys: HS256 with its
    /// secret (`client_secret_jwt`), RS256/ES256 with its registered public keys (`private_key_jwt`).
    func verifiedAssertion(_ assertion: String, parts: JWTParts, client: Client) async throws -> AssertionClaims {
        let alg = parts.header["alg"]?.string ?? "none"
        let method: ServeConfiguration.AuthMethod = alg == "HS256" ? .clientSecretJWT : .privateKeyJWT
        guard client.settings.authMethods.contains(method) else {
            let allowed = client.settings.authMethods.map(\.rawValue).sorted().joined(separator: ", ")
            throw OAuthError.invalidClient("Client authentication failed: this client may not use \(method.rawValue) (alg \(alg.prefix(10))); it uses \(allowed).")
        }
        let candidates: [JWTKeyCollection]
        switch method {
        case .clientSecretJWT:
            guard let secret = client.secret, secret.reveal().utf8.count >= ClientAssertion.minimumHMACSecretLength else {
                throw OAuthError.invalidClient("The client has no secret of at least \(ClientAssertion.minimumHMACSecretLength) bytes for client_secret_jwt.")
            }
            candidates = [await JWTKeyCollection().add(hmac: HMACKey(from: secret.reveal()), digestAlgorithm: .sha256)]
        default:
            guard alg == "RS256" || alg == "ES256" else {
                throw OAuthError.invalidClient("The client_assertion must be signed with RS256 or ES256 by a registered key, not '\(alg.prefix(10))'.")
            }
            candidates = client.publicKeys
        }
        var verified: AssertionClaims?
        for keys in candidates where verified == nil {
            verified = try? await keys.verify(assertion, as: AssertionClaims.self)
        }
        guard let claims = verified else {
            throw OAuthError.invalidClient("The assertion signature is invalid.")
        }
        return claims
    }

    func checkAssertion(_ claims: AssertionClaims, clientID: String, audience: String, subject: String? = nil) async throws {
        let now = Self.now()
        guard claims.iss == clientID, claims.sub == (subject ?? clientID) else {
            throw OAuthError.invalidClient("The client_assertion's 'iss' and 'sub' must both be the client id.")
        }
        guard claims.aud.contains(audience) else {
            throw OAuthError.invalidClient("The audience claim for client_assertion must be the endpoint invoked for the request: \(audience).")
        }
        guard let exp = claims.exp, exp > now - 60 else {
            throw OAuthError.invalidClient("The client_assertion token is expired (or has no 'exp').")
        }
        guard exp <= now + Self.maxAssertionLifetime + 60 else {
            throw OAuthError.invalidClient("The client_assertion token has an expiration too far into the future.")
        }
        guard let jti = claims.jti, !jti.isEmpty else {
            throw OAuthError.invalidClient("The client_assertion token must have a 'jti'.")
        }
        guard await store.useAssertionID("\(clientID) \(jti)", until: exp, now: now) else {
            throw OAuthError.invalidClient("The client_assertion token has already been used (jti replay).")
        }
    }
}

/// The claims of a client assertion as the server reads them; `aud` may be a string or a list.
struct AssertionClaims: JWTPayload {
    var iss: String?
    var sub: String?
    var aud: [String]
    var exp: Int?
    var jti: String?

    enum CodingKeys: String, CodingKey { case iss, sub, aud, exp, jti }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        iss = try container.decodeIfPresent(String.self, forKey: .iss)
        sub = try container.decodeIfPresent(String.self, forKey: .sub)
        if let one = try? container.decode(String.self, forKey: .aud) { aud = [one] } else { aud = (try? container.decode([String].self, forKey: .aud)) ?? [] }
        exp = (try? container.decodeIfPresent(Double.self, forKey: .exp)).flatMap { $0.map { Int($0) } }
        jti = try? container.decodeIfPresent(String.self, forKey: .jti)
    }

    func verify(using algorithm: some JWTAlgorithm) async throws {}
}
