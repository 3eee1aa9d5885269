import AuthFlowCore
import Testing

@Suite("Refresh tokens")
struct RefreshTokenTests {
    func refresh(_ server: TestServer, _ token: String, scope: String? = nil) async throws -> TestServer.Reply {
        try await server.post(server.tokenPath(), [("grant_type", "refresh_token"), ("refresh_token", token)] + (scope.map { [("scope", $0)] } ?? []),
                              basic: confidential)
    }

    @Test func refreshRotatesAndAUsedTokenIsRejected() async throws {
        try await TestServer.with { server in
            let first = try #require(try await server.passwordGrant()["refresh_token"]?.string)
            let second = try await refresh(server, first)
            #expect(second.status == 200)
            #expect(second["scope"]?.string == "openid profile email offline_access api:read")
            #expect(second["id_token"]?.string != nil)
            let rotated = try #require(second["refresh_token"]?.string)
            #expect(rotated != first)

            let reused = try await refresh(server, first)
            #expect(reused.status == 400)
            #expect(reused["error"]?.string == "invalid_grant")
            #expect(try await refresh(server, rotated).status == 200)
        }
    }

    @Test func refreshMayNarrowButNotWidenTheScopes() async throws {
        try await TestServer.with { server in
            let token = try #require(try await server.passwordGrant(scope: "openid offline_access api:read")["refresh_token"]?.string)
            let widened = try await refresh(server, token, scope: "openid offline_access api:write")
            #expect(widened.status == 400)
            #expect(widened["error"]?.string == "invalid_scope")

            let narrowed = try await refresh(server, token, scope: "api:read offline_access")
            #expect(narrowed.status == 200)
            #expect(narrowed["scope"]?.string == "api:read offline_access")
            #expect(narrowed["id_token"] == nil)
        }
    }

    @Test func aRefreshTokenWorksOnlyForItsClientAndServer() async throws {
        try await TestServer.with { server in
            let token = try #require(try await server.passwordGrant()["refresh_token"]?.string)
            let otherClient = try await server.post(server.tokenPath(), [("grant_type", "refresh_token"), ("refresh_token", token), ("client_id", "authflow-cli")])
            #expect(otherClient["error"]?.string == "invalid_grant")
            let otherServer = try await server.post(server.tokenPath("org"), [("grant_type", "refresh_token"), ("refresh_token", token)], basic: confidential)
            #expect(otherServer["error"]?.string == "invalid_grant")
            // Neither attempt used the token up.
            #expect(try await refresh(server, token).status == 200)
        }
    }

    @Test func noRefreshTokenWithoutOfflineAccess() async throws {
        try await TestServer.with { server in
            let reply = try await server.passwordGrant(scope: "openid api:read")
            #expect(reply.status == 200)
            #expect(reply["refresh_token"] == nil)
        }
    }
}

extension RefreshTokenTests {
    @Test func concurrentRefreshesRedeemATokenOnce() async throws {
        try await TestServer.with { server in
            let token = try #require(try await server.passwordGrant()["refresh_token"]?.string)
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<4 { group.addTask { try await refresh(server, token).status } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.sorted() == [200, 400, 400, 400])
        }
    }
}
