import AuthFlowCore
import AuthFlowServer
import Foundation
import JWTKit
import Testing

@Suite("Token endpoint")
struct TokenEndpointTests {
    @Test func passwordGrantIssuesOktaShapedTokensSignedByTheJWKS() async throws {
        try await TestServer.with { server in
            let reply = try await server.passwordGrant()
            #expect(reply.status == 200)
            #expect(reply.header("Cache-Control") == "no-store")
            #expect(reply["token_type"]?.string == "Bearer")
            #expect(reply["expires_in"]?.number == 600)
            #expect(reply["scope"]?.string == "openid profile email offline_access api:read")
            #expect(reply["refresh_token"]?.string?.isEmpty == false)

            let jwks = try await server.get("/oauth2/default/v1/keys")
            let key = try #require(jwks["keys"]?.arrayOfObjects?.first)
            #expect(key["kty"]?.string == "RSA" && key["alg"]?.string == "RS256" && key["use"]?.string == "sig")
            #expect(key["n"]?.string != nil && key["e"]?.string == "AQAB")
            let keys = try await JWTKeyCollection().add(jwksJSON: JSONValue.object(jwks.json).serialized())

            let accessToken = try #require(reply["access_token"]?.string)
            let access = try await keys.verify(accessToken, as: Claims.self).claims
            let header = try #require(JWTParts(accessToken)).header
            #expect(header["alg"]?.string == "RS256")
            #expect(header["kid"] == key["kid"])
            #expect(access["iss"]?.string == "\(server.base)/oauth2/default")
            #expect(access["aud"]?.string == "api://default")
            #expect(access["sub"]?.string == "testuser1@example.com")
            #expect(access["uid"]?.string == "00u1testuser1")
            #expect(access["cid"]?.string == confidential.id)
            #expect(access["scp"]?.arrayOfStrings == ["openid", "profile", "email", "offline_access", "api:read"])
            #expect(access["ver"]?.number == 1)
            #expect(access["jti"]?.string?.isEmpty == false)
            let iat = try #require(access["iat"]?.number), exp = try #require(access["exp"]?.number)
            #expect(exp - iat == 600)
            #expect(abs(iat - Date().timeIntervalSince1970) < 60)

            let id = try await keys.verify(try #require(reply["id_token"]?.string), as: Claims.self).claims
            #expect(id["aud"]?.string == confidential.id)
            #expect(id["sub"]?.string == "00u1testuser1")
            #expect(id["iss"]?.string == "\(server.base)/oauth2/default")
            #expect(id["amr"]?.arrayOfStrings == ["pwd"])
            #expect(id["auth_time"]?.number == iat)
            #expect(id["name"]?.string == "Test User One")
            #expect(id["email"]?.string == "testuser1@example.com")
            #expect(id["email_verified"] == .bool(true))
            #expect(id["preferred_username"]?.string == "testuser1@example.com")
            #expect(try #require(id["exp"]?.number) - iat == 300)
        }
    }

    @Test func orgServerIssuesTokensWithTheBaseURLAsIssuerAndAudience() async throws {
        try await TestServer.with { server in
            let reply = try await server.passwordGrant(server: "org", scope: "openid")
            #expect(reply.status == 200)
            let claims = try jwtClaims(reply["access_token"])
            #expect(claims["iss"]?.string == server.base)
            #expect(claims["aud"]?.string == server.base)
            #expect(reply["refresh_token"] == nil)
        }
    }

    @Test func idTokenShowsOnlyTheClaimsTheScopesAllow() async throws {
        try await TestServer.with { server in
            let reply = try await server.passwordGrant(scope: "openid")
            let id = try jwtClaims(reply["id_token"])
            #expect(id["email"] == nil && id["name"] == nil)
            #expect(id["groups"]?.arrayOfStrings == ["Everyone", "Admins"])
        }
    }

    @Test func wrongPasswordIsInvalidGrant() async throws {
        try await TestServer.with { server in
            let reply = try await server.post(server.tokenPath(), [("grant_type", "password"), ("username", "testuser1@example.com"),
                                                                   ("password", "wrong"), ("scope", "openid")], basic: confidential)
            #expect(reply.status == 400)
            #expect(reply["error"]?.string == "invalid_grant")
            #expect(reply["error_description"]?.string?.isEmpty == false)
        }
    }

    @Test func grantNotAllowedForTheClientIsUnauthorizedClient() async throws {
        try await TestServer.with { server in
            let reply = try await server.post(server.tokenPath(), [("grant_type", "password"), ("username", "testuser1@example.com"),
                                                                   ("password", "Passw0rd!"), ("scope", "openid"),
                                                                   ("client_id", "machine"), ("client_secret", "machine-secret")])
            #expect(reply.status == 400)
            #expect(reply["error"]?.string == "unauthorized_client")
        }
    }

    @Test func unknownScopeIsInvalidScope() async throws {
        try await TestServer.with { server in
            let reply = try await server.passwordGrant(scope: "openid api:delete")
            #expect(reply.status == 400)
            #expect(reply["error"]?.string == "invalid_scope")
            #expect(reply["error_description"]?.string?.contains("api:delete") == true)
        }
    }

    @Test("the password grant without openid is refused as Okta refuses it: 400 invalid_scope naming openid", arguments: ["org", "default"], ["profile", "email offline_access"])
    func passwordGrantNeedsOpenID(authServer: String, scope: String) async throws {
        try await TestServer.with { server in
            let reply = try await server.passwordGrant(server: authServer, scope: scope)
            #expect(reply.status == 400)
            #expect(reply["error"]?.string == "invalid_scope")
            #expect(reply["error_description"]?.string == "The 'openid' scope is required for the password grant type.")
            #expect(reply["access_token"] == nil)
        }
    }

    @Test("--public-url is the issuer in discovery and in the tokens, whatever address the server listens on")
    func publicURLIsAdvertised() async throws {
        let running = try await ServeRunner.start(configuration: try TestServer.configuration(), publicURL: "https://auth.dev.example:8443/idp")
        #expect(running.baseURL == "https://auth.dev.example:8443/idp")
        try await TestServer.with(running: running) { server in
            let discovery = try await server.get("/oauth2/default/.well-known/openid-configuration")
            #expect(discovery["issuer"]?.string == "https://auth.dev.example:8443/idp/oauth2/default")
            #expect(discovery["token_endpoint"]?.string == "https://auth.dev.example:8443/idp/oauth2/default/v1/token")
            let token = try #require(try await server.passwordGrant(scope: "openid")["access_token"]?.string)
            let payload = try #require(token.split(separator: ".").dropFirst().first)
            var base64 = payload.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
            while base64.count % 4 != 0 { base64 += "=" }
            let claims = try #require(Data(base64Encoded: base64).flatMap { JSONValue.parse($0)?.object })
            #expect(claims["iss"]?.string == "https://auth.dev.example:8443/idp/oauth2/default")
        }
    }

    @Test("on every interface without --public-url, discovery names 127.0.0.1, never 0.0.0.0")
    func everyInterfaceAdvertisesLoopback() async throws {
        #expect(ServeRunner.advertisedURL(host: "0.0.0.0", port: 8080, publicURL: nil) == "http://127.0.0.1:8080")
        #expect(ServeRunner.advertisedURL(host: "::", port: 8080, publicURL: nil) == "http://127.0.0.1:8080")
        #expect(ServeRunner.advertisedURL(host: "192.0.2.2", port: 8080, publicURL: nil) == "http://192.0.2.2:8080")
        let running = try await ServeRunner.start(configuration: try TestServer.configuration(), host: "0.0.0.0")
        try await TestServer.with(running: running) { server in
            let discovery = try await server.get("/.well-known/openid-configuration")
            #expect(discovery["issuer"]?.string == "http://127.0.0.1:\(running.port)")
        }
    }

    @Test(arguments: ["openid", "api:read offline_access"])
    func clientCredentialsRefusesUserScopes(scope: String) async throws {
        try await TestServer.with { server in
            let reply = try await server.post(server.tokenPath(), [("grant_type", "client_credentials"), ("scope", scope)], basic: confidential)
            #expect(reply.status == 400)
            #expect(reply["error"]?.string == "invalid_scope")
        }
    }

    @Test func clientCredentialsTokenIsTheClientsOwn() async throws {
        try await TestServer.with { server in
            let reply = try await server.post(server.tokenPath(), [("grant_type", "client_credentials"), ("scope", "api:read api:write"),
                                                                   ("client_id", "machine"), ("client_secret", "machine-secret")])
            #expect(reply.status == 200)
            #expect(reply["id_token"] == nil && reply["refresh_token"] == nil)
            let claims = try jwtClaims(reply["access_token"])
            #expect(claims["sub"]?.string == "machine")
            #expect(claims["cid"]?.string == "machine")
            #expect(claims["uid"] == nil)
            #expect(claims["scp"]?.arrayOfStrings == ["api:read", "api:write"])
        }
    }

    @Test(arguments: [
        ([("grant_type", "implicit"), ("code", "x")], 400, "unsupported_grant_type"),
        ([("grant_type", "authorization_code"), ("code", "x")], 400, "unauthorized_client"),
        ([("scope", "openid")], 400, "invalid_request"),
        ([("grant_type", "password"), ("username", "testuser1@example.com"), ("scope", "openid")], 400, "invalid_request"),
        ([("grant_type", "password"), ("username", "testuser1@example.com"), ("password", "Passw0rd!")], 400, "invalid_scope"),
        ([("grant_type", "refresh_token")], 400, "invalid_request"),
        ([("grant_type", "password"), ("grant_type", "client_credentials")], 400, "invalid_request"),
    ])
    func malformedRequestsGetTheirOAuthError(form: [(String, String)], status: Int, error: String) async throws {
        try await TestServer.with { server in
            let reply = try await server.post(server.tokenPath(), form, basic: confidential)
            #expect(reply.status == status)
            #expect(reply["error"]?.string == error)
        }
    }
}

/// Any JWT's claims, for verifying signatures with jwt-kit in tests.
struct Claims: JWTPayload {
    let claims: [String: JSONValue]
    init(from decoder: any Decoder) throws { claims = try decoder.singleValueContainer().decode([String: JSONValue].self) }
    func encode(to encoder: any Encoder) throws {}
    func verify(using _: some JWTAlgorithm) async throws {}
}

extension JSONValue {
    var arrayOfStrings: [String]? {
        guard case .array(let items) = self else { return nil }
        return items.compactMap(\.string)
    }

    var arrayOfObjects: [[String: JSONValue]]? {
        guard case .array(let items) = self else { return nil }
        return items.compactMap(\.object)
    }
}
