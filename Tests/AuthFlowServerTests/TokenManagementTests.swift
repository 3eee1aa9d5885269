import AuthFlowCore
import Testing

@Suite("Introspection, revocation, userinfo")
struct TokenManagementTests {
    func introspect(_ server: TestServer, _ token: String, path: String = "/oauth2/default/v1/introspect") async throws -> TestServer.Reply {
        try await server.post(path, [("token", token)], basic: confidential)
    }

    func revoke(_ server: TestServer, _ token: String) async throws -> TestServer.Reply {
        try await server.post("/oauth2/default/v1/revoke", [("token", token)], basic: confidential)
    }

    @Test func introspectionDescribesLiveTokensAndNothingElse() async throws {
        try await TestServer.with { server in
            let tokens = try await server.passwordGrant()
            let access = try await introspect(server, try #require(tokens["access_token"]?.string))
            #expect(access.status == 200)
            #expect(access["active"] == .bool(true))
            #expect(access["token_type"]?.string == "Bearer")
            #expect(access["scope"]?.string == "openid profile email offline_access api:read")
            #expect(access["client_id"]?.string == confidential.id)
            #expect(access["username"]?.string == "testuser1@example.com")
            #expect(access["iss"]?.string == "\(server.base)/oauth2/default")
            #expect(access["exp"]?.number != nil)

            let refresh = try await introspect(server, try #require(tokens["refresh_token"]?.string))
            #expect(refresh["active"] == .bool(true))
            #expect(refresh["token_type"]?.string == "refresh_token")

            for token in ["not-a-token", try #require(tokens["id_token"]?.string)] {
                let inactive = try await introspect(server, token)
                #expect(inactive.status == 200)
                #expect(inactive.json == ["active": .bool(false)])
            }
            // A token of the default server is not one of org's.
            let elsewhere = try await introspect(server, try #require(tokens["access_token"]?.string), path: "/oauth2/v1/introspect")
            #expect(elsewhere["active"] == .bool(false))
        }
    }

    @Test func introspectionNeedsClientAuthentication() async throws {
        try await TestServer.with { server in
            let reply = try await server.post("/oauth2/default/v1/introspect", [("token", "x")])
            #expect(reply.status == 401)
            #expect(reply["error"]?.string == "invalid_client")
        }
    }

    @Test func revokingARefreshTokenEndsIt() async throws {
        try await TestServer.with { server in
            let token = try #require(try await server.passwordGrant()["refresh_token"]?.string)
            #expect(try await revoke(server, token).status == 200)
            #expect(try await introspect(server, token)["active"] == .bool(false))
            let refresh = try await server.post(server.tokenPath(), [("grant_type", "refresh_token"), ("refresh_token", token)], basic: confidential)
            #expect(refresh["error"]?.string == "invalid_grant")
        }
    }

    @Test func revokingAnAccessTokenDeactivatesIt() async throws {
        try await TestServer.with { server in
            let token = try #require(try await server.passwordGrant()["access_token"]?.string)
            #expect(try await revoke(server, token).status == 200)
            #expect(try await introspect(server, token)["active"] == .bool(false))
            #expect(try await server.get("/oauth2/default/v1/userinfo", bearer: token).status == 401)
            // Unknown tokens are fine (RFC 7009 §2.2); a missing client is not.
            #expect(try await revoke(server, "unknown").status == 200)
            #expect(try await server.post("/oauth2/default/v1/revoke", [("token", token)]).status == 401)
        }
    }

    @Test func userinfoAnswersWithTheUsersClaims() async throws {
        try await TestServer.with { server in
            let token = try #require(try await server.passwordGrant(scope: "openid email")["access_token"]?.string)
            let reply = try await server.get("/oauth2/default/v1/userinfo", bearer: token)
            #expect(reply.status == 200)
            #expect(reply["sub"]?.string == "00u1testuser1")
            #expect(reply["email"]?.string == "testuser1@example.com")
            #expect(reply["name"] == nil)
        }
    }

    @Test func userinfoRefusesMissingBadAndUnderScopedTokens() async throws {
        try await TestServer.with { server in
            for token in [nil, "garbage"] {
                let reply = try await server.get("/oauth2/default/v1/userinfo", bearer: token)
                #expect(reply.status == 401)
                #expect(reply.header("WWW-Authenticate")?.contains(#"error="invalid_token""#) == true)
            }
            // The password grant needs openid; a refresh may narrow the scopes to a token without it.
            let refreshToken = try #require(try await server.passwordGrant(scope: "openid offline_access api:read")["refresh_token"]?.string)
            let narrowed = try await server.post(server.tokenPath(), [("grant_type", "refresh_token"), ("refresh_token", refreshToken), ("scope", "api:read")],
                                                 basic: confidential)
            let noOpenID = try #require(narrowed["access_token"]?.string, "\(narrowed.json)")
            let reply = try await server.get("/oauth2/default/v1/userinfo", bearer: noOpenID)
            #expect(reply.status == 403)
            #expect(reply.header("WWW-Authenticate")?.contains(#"error="insufficient_scope""#) == true)
        }
    }
}
