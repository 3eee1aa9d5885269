import Foundation
import Testing

/// `authflow revoke PROFILE` (RFC 7009) against `authflow serve`: the server must report the
/// revoked tokens inactive, and the cache must forget them.
@Suite("Revocation", .serialized, .authorizationServers)
struct GrantRevokeFlowTests {
    /// RFC 7662 introspection at authorization server `id`, asked by the confidential client.
    func isActive(_ token: String, _ server: any AuthorizationServerProcess, id: String = "default") async throws -> Bool {
        let url = try #require(URL(string: server.issuer(id) + "/v1/introspect"))
        let body = LoopbackHTTP.formBody(["token": token, "client_id": server.fixture.clientID, "client_secret": server.fixture.clientSecret])
        let data = try await LoopbackHTTP.send(.post, url, body: body, contentType: "application/x-www-form-urlencoded", expect: 200)
        return (try JSONSerialization.jsonObject(with: data) as? [String: Any])?["active"] as? Bool ?? true
    }

    /// The refresh token in the sandbox's only cache entry.
    func cachedRefreshToken(_ sandbox: Sandbox) throws -> String? {
        let folder = sandbox.root.appendingPathComponent("cache")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix("token-") && $0.hasSuffix(".json") }
        let file = try #require(files.first, "no cache entry in \(files)")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent(file))) as? [String: Any]
        return json?["refreshToken"] as? String ?? json?["refresh_token"] as? String
    }

    @Test("revoke revokes the cached refresh and access tokens and forgets them")
    func revokeBoth() async throws {
        let server = try await ServerPool.server(.authflowServe)
        let sandbox = try Sandbox(for: server)
        try sandbox.write(ProfileYAML.file(["prod": server.passwordProfile("default", scopes: "[openid, offline_access]")]))
        let access = try await sandbox.run("token", "prod").expectSuccess().trimmingCharacters(in: .newlines)
        let refresh = try #require(try cachedRefreshToken(sandbox))
        #expect(try await isActive(access, server))
        #expect(try await isActive(refresh, server))

        let stdout = try await sandbox.run("revoke", "prod").expectSuccess()
        #expect(stdout == "revoked the refresh token and access token of prod\n")
        #expect(try await !isActive(access, server))
        #expect(try await !isActive(refresh, server))
        #expect(try await sandbox.run("revoke", "prod").expectSuccess() == "no cached token for prod; nothing to revoke\n")
    }

    @Test("revoke authenticates with private_key_jwt, the assertion's aud being the revocation endpoint")
    func revokeWithPrivateKeyJWT() async throws {
        let server = try await ServerPool.server(.authflowServe)
        let sandbox = try Sandbox(for: server)
        try sandbox.write(ProfileYAML.file(["svc": server.privateKeyProfile(key: TestKeys.install("ec.pem", in: sandbox))]))
        let access = try await sandbox.run("token", "svc").expectSuccess().trimmingCharacters(in: .newlines)
        #expect(try await sandbox.run("revoke", "svc").expectSuccess() == "revoked the access token of svc\n")
        #expect(try await !isActive(access, server))
    }

    @Test("a refused revocation is exit 77, stdout empty, and the cache keeps the token")
    func refusedRevocation() async throws {
        let server = try await ServerPool.server(.authflowServe)
        let sandbox = try Sandbox(for: server)
        try sandbox.write(ProfileYAML.file(["svc": server.clientSecretJWTProfile()]))
        try await sandbox.run("token", "svc").expectSuccess()
        // Same cache key (secret references differ, so write the wrong secret through the same env variable).
        try sandbox.write(ProfileYAML.file(["svc": server.clientSecretJWTProfile(secret: "env:HS_SECRET")]))
        try await sandbox.run("token", "svc", env: ["HS_SECRET": TestKeys.hs256Secret]).expectSuccess()
        try await sandbox.run("revoke", "svc", env: ["HS_SECRET": "wrong-but-long-enough-for-an-hs256-key"]).expectFailure(77, "invalid_client")
        #expect(try await sandbox.run("revoke", "svc", env: ["HS_SECRET": TestKeys.hs256Secret]).expectSuccess() == "revoked the access token of svc\n")
    }
}
