import Foundation
import Testing

/// Each grant and client authentication method against a real authorization server, checked on
/// both sides: what authflow prints and what the server received. Serialized because the tests
/// read the server's "last request".
@Suite("Grants and client authentication", .serialized, .authorizationServers)
struct GrantTests {
    static let authServers = ["org", "default", "aus_custom1"]

    /// docs/reference/requests.md: a form POST with `Accept: application/json` and a `User-Agent` naming authflow.
    func expectTokenRequest(_ request: RecordedRequests.Request, path: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(request.method == "POST", sourceLocation: sourceLocation)
        #expect(request.path == path, sourceLocation: sourceLocation)
        #expect(request.header("Content-Type")?.hasPrefix("application/x-www-form-urlencoded") == true, "\(request.headers)", sourceLocation: sourceLocation)
        #expect(request.header("Accept") == "application/json", "\(request.headers)", sourceLocation: sourceLocation)
        #expect(request.header("User-Agent")?.hasPrefix("authflow/") == true, "\(request.headers)", sourceLocation: sourceLocation)
        #expect(!request.body.contains(" "), "the body must be form-encoded: \(request.body)", sourceLocation: sourceLocation)
    }

    /// Runs `token PROFILE`, expects one b64token line, and returns the server's view of the request.
    func acquire(_ server: any AuthorizationServerProcess, _ sandbox: Sandbox, _ arguments: String..., env: [String: String?] = [:], sourceLocation: SourceLocation = #_sourceLocation) async throws -> RecordedRequests? {
        try await server.admin?.reset()
        let result = try await sandbox.run(arguments, env: env)
        let stdout = result.expectSuccess(sourceLocation: sourceLocation)
        #expect(stdout.hasSuffix("\n") && isB64Token(String(stdout.dropLast())), "raw output is one token line: \(stdout.debugDescription)", sourceLocation: sourceLocation)
        guard let admin = server.admin else {
            // authflow serve keeps no request log: instead it attests, by introspection, that it issued the token.
            try await expectIssued(String(stdout.dropLast()), by: server, sourceLocation: sourceLocation)
            return nil
        }
        return try await admin.requests()
    }

    /// The server that issued `token` (a JWT naming its issuer) reports it active (RFC 7662).
    func expectIssued(_ token: String, by server: any AuthorizationServerProcess, sourceLocation: SourceLocation) async throws {
        let parts = token.split(separator: ".")
        var claims = parts.count == 3 ? String(parts[1]).replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/") : ""
        while claims.count % 4 != 0 { claims += "=" }
        let payload = try #require(Data(base64Encoded: claims).flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] }, "not a JWT: \(token)", sourceLocation: sourceLocation)
        let issuer = try #require(payload["iss"] as? String, sourceLocation: sourceLocation)
        let url = try #require(URL(string: issuer == server.base ? issuer + "/oauth2/v1/introspect" : issuer + "/v1/introspect"), sourceLocation: sourceLocation)
        let body = LoopbackHTTP.formBody(["token": token, "client_id": server.fixture.clientID, "client_secret": server.fixture.clientSecret])
        let data = try await LoopbackHTTP.send(.post, url, body: body, contentType: "application/x-www-form-urlencoded", expect: 200)
        let answer = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        #expect(answer?["active"] as? Bool == true, "\(server.kind) does not know the token it printed: \(String(describing: answer))", sourceLocation: sourceLocation)
    }

    @Test("password grant with client_secret_basic (RFC 6749 §2.3.1 encoding) at org and custom servers",
          arguments: ServerKind.all, authServers)
    func passwordGrant(kind: ServerKind, authServer: String) async throws {
        let server = try await ServerPool.server(kind)
        let sandbox = try Sandbox(for: server)
        try sandbox.write(ProfileYAML.file(["prod": server.passwordProfile(authServer, scopes: "[openid, profile, email]")]))

        guard let log = try await acquire(server, sandbox, "token", "prod"), let request = log.last else { return }  // authflow serve: checked by introspection in acquire
        expectTokenRequest(request, path: server.tokenPath(authServer))
        #expect(log.token_requests == 1)
        #expect(log.discovery_requests == 0, "domain + auth_server needs no discovery")
        // The secret holds `/ + = & %` and a space: only the RFC's form-encode-then-Base64 matches.
        #expect(request.header("Authorization") == basicCredentials(server.fixture.clientID, server.fixture.clientSecret))
        #expect(request.form == [
            "grant_type": "password", "username": server.fixture.username,
            "password": server.fixture.password, "scope": "openid profile email",
        ])
    }

    @Test("client authentication: basic, post and none (public client)", arguments: ServerKind.all, ClientAuth.allCases)
    func clientAuthentication(kind: ServerKind, auth: ClientAuth) async throws {
        let server = try await ServerPool.server(kind)
        let sandbox = try Sandbox(for: server)
        try sandbox.write(ProfileYAML.file(["app": server.passwordProfile("default", auth: auth, scopes: "openid")]))

        guard let request = try await acquire(server, sandbox, "token", "app")?.last else { return }  // authflow serve: checked by introspection in acquire
        expectTokenRequest(request, path: server.tokenPath("default"))
        switch auth {
        case .basic:
            #expect(request.header("Authorization") == basicCredentials(server.fixture.clientID, server.fixture.clientSecret))
            #expect(request.form["client_id"] == nil && request.form["client_secret"] == nil)
        case .post:
            #expect(request.header("Authorization") == nil)
            #expect(request.form["client_id"] == server.fixture.clientID)
            #expect(request.form["client_secret"] == server.fixture.clientSecret)
        case .none:
            #expect(request.header("Authorization") == nil)
            #expect(request.form["client_id"] == server.fixture.publicClientID)
            #expect(request.form["client_secret"] == nil)
        }
    }

    @Test("a proxy in the environment that is down does not break a loopback server: 127.0.0.1 and localhost are reached directly",
          arguments: ServerKind.all, ["127.0.0.1", "localhost"])
    func loopbackIgnoresProxy(kind: ServerKind, host: String) async throws {
        let server = try await ServerPool.server(kind)
        let sandbox = try Sandbox(for: server)
        let base = server.base.replacingOccurrences(of: "127.0.0.1", with: host)
        try sandbox.write(ProfileYAML.file(["ci": "domain: \(base)\nauth_server: default\n" + server.client() + "grant: client_credentials\nscopes: [api:read]\nretries: 0\n"]))
        let dead = "http://127.0.0.1:9"
        _ = try await acquire(server, sandbox, "token", "ci", "--no-cache",
                              env: ["HTTP_PROXY": dead, "http_proxy": dead, "HTTPS_PROXY": dead, "NO_PROXY": nil, "no_proxy": nil])
    }

    @Test("client_credentials with scopes given as one string (sent joined by one space)", arguments: ServerKind.all)
    func clientCredentials(kind: ServerKind) async throws {
        let server = try await ServerPool.server(kind)
        let sandbox = try Sandbox(for: server)
        try sandbox.write(ProfileYAML.file(["ci": server.okta("aus_custom1") + server.client(.post) + "grant: client_credentials\nscopes: 'api:read   api:write'\n"]))

        guard let request = try await acquire(server, sandbox, "token", "ci")?.last else { return }  // authflow serve: checked by introspection in acquire
        expectTokenRequest(request, path: server.tokenPath("aus_custom1"))
        #expect(request.form["grant_type"] == "client_credentials")
        #expect(request.form["scope"] == "api:read api:write")
        #expect(request.form["username"] == nil && request.form["password"] == nil)
    }

    @Test("refresh_token grant with a refresh token obtained elsewhere; a rotated one is refused", arguments: ServerKind.all)
    func refreshTokenGrant(kind: ServerKind) async throws {
        let server = try await ServerPool.server(kind)
        let sandbox = try Sandbox(for: server)
        try sandbox.write(ProfileYAML.file(["refresh": server.okta("default") + server.client()
            + "grant:\n  type: refresh_token\n  refresh_token: env:RT\n"]))
        let refreshToken = try await server.refreshToken(authServer: "default")

        try await server.admin?.reset()
        let json = try await sandbox.run("token", "refresh", "--format", "json", env: ["RT": refreshToken]).expectSuccess()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(object["refresh_token"] == nil, "json output never holds the refresh token")
        #expect(object["access_token"] is String)
        if let request = try await server.admin?.requests().last {
            expectTokenRequest(request, path: server.tokenPath("default"))
            #expect(request.form["grant_type"] == "refresh_token")
            #expect(request.form["refresh_token"] == refreshToken)
        }

        // The server rotated the token on first use: the second use is an OAuth refusal. (A fresh
        // sandbox, so a token cache cannot answer instead of the server.)
        let second = try Sandbox(for: server)
        try second.write(ProfileYAML.file(["refresh": server.okta("default") + server.client()
            + "grant:\n  type: refresh_token\n  refresh_token: env:RT\n"]))
        let reused = try await second.run("token", "refresh", env: ["RT": refreshToken])
        reused.expectFailure(77, "invalid_grant")
    }

    @Test("issuer discovery (OIDC), org and custom", arguments: ServerKind.all, ["org", "default"])
    func issuerDiscovery(kind: ServerKind, authServer: String) async throws {
        let server = try await ServerPool.server(kind)
        let sandbox = try Sandbox(for: server)
        try sandbox.write(ProfileYAML.file(["oidc": "issuer: \(server.issuer(authServer))\n" + server.client() + server.passwordGrant() + "scopes: [openid]\n"]))

        guard let log = try await acquire(server, sandbox, "token", "oidc"), let request = log.last else { return }  // authflow serve: checked by introspection in acquire
        #expect(log.discovery_requests >= 1)
        expectTokenRequest(request, path: server.tokenPath(authServer))
    }

    @Test("explicit token_url, no discovery", arguments: ServerKind.all)
    func explicitTokenURL(kind: ServerKind) async throws {
        let server = try await ServerPool.server(kind)
        let sandbox = try Sandbox(for: server)
        let url = server.base + server.tokenPath("aus_custom1")
        try sandbox.write(ProfileYAML.file(["direct": "token_url: \(url)\n" + server.client() + server.passwordGrant()]))

        guard let log = try await acquire(server, sandbox, "token", "direct"), let request = log.last else { return }  // authflow serve: checked by introspection in acquire
        #expect(log.discovery_requests == 0)
        expectTokenRequest(request, path: server.tokenPath("aus_custom1"))
        #expect(request.form["scope"] == nil, "no scopes configured, no scope parameter")
    }

    @Test("client secret from file: relative to the profile's folder, newline stripped; a world-readable one is warned about",
          arguments: ServerKind.all, [0o600, 0o644])
    func secretFromFile(kind: ServerKind, mode: Int) async throws {
        let server = try await ServerPool.server(kind)
        let sandbox = try Sandbox(for: server)
        let secretFile = try sandbox.write(server.fixture.clientSecret + "\n", to: "conf/client-secret")
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: secretFile.path)
        let config = try sandbox.write(ProfileYAML.file(["file": server.okta() + server.client(secret: "file:./client-secret") + server.passwordGrant()]), to: "conf/profiles.yaml")

        try await server.admin?.reset()
        let result = try await sandbox.run("token", "file", "-c", config.path)
        #expect(result.exitCode == 0 && isB64Token(result.stdout.trimmingCharacters(in: .newlines)), "\(result)")
        if mode == 0o600 {
            #expect(result.stderr.isEmpty, "\(result)")
        } else {  // docs/guides/profiles.md: a warning naming the file and the chmod that fixes it
            #expect(result.stderrLines.count == 1 && result.stderr.hasPrefix("authflow: warning: "), "\(result)")
            #expect(result.stderr.contains(secretFile.path) && result.stderr.contains("chmod 600"), "\(result)")
        }
        if let request = try await server.admin?.requests().last {
            #expect(request.header("Authorization") == basicCredentials(server.fixture.clientID, server.fixture.clientSecret))
        }
    }
}
