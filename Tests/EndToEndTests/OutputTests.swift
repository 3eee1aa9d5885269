import Foundation
import Testing

/// The writers through the binary (docs/reference/output.md): what lands on stdout is exactly what scripts consume.
@Suite("Output formats", .authorizationServers)
struct OutputTests {
    /// A sandbox with profile `prod`: password grant at the `default` server with `scopes`.
    func sandbox(_ server: any AuthorizationServerProcess, scopes: String) throws -> Sandbox {
        let sandbox = try Sandbox(for: server)
        try sandbox.write(ProfileYAML.file(["prod": server.passwordProfile("default", scopes: scopes)]))
        return sandbox
    }

    @Test("env: sh exports that evaluate to the token, never the refresh token", arguments: ServerKind.all)
    func envEvaluatesInSh(kind: ServerKind) async throws {
        let server = try await ServerPool.server(kind)
        let sandbox = try sandbox(server, scopes: "[openid, profile, offline_access]")
        let stdout = try await sandbox.run("env", "prod").expectSuccess()

        for line in stdout.split(separator: "\n") {
            #expect(line.wholeMatch(of: /export AUTHFLOW_[A-Z_]+='[^']*'/) != nil, "not an sh export: \(line)")
        }
        #expect(!stdout.contains("REFRESH"), "env never exports the refresh token: \(stdout)")
        let names = ["ACCESS_TOKEN", "TOKEN_TYPE", "EXPIRES_AT", "SCOPE", "ID_TOKEN"].map { "AUTHFLOW_" + $0 }
        let values = try await evaluateInSh(stdout, names: names, sandbox: sandbox)
        let token = try #require(values["AUTHFLOW_ACCESS_TOKEN"])
        #expect(isB64Token(token) && stdout.contains("export AUTHFLOW_ACCESS_TOKEN='\(token)'\n"))
        #expect(values["AUTHFLOW_TOKEN_TYPE"] == "Bearer")
        #expect(values["AUTHFLOW_SCOPE"] == "openid profile offline_access")
        let expiresAt = try #require(values["AUTHFLOW_EXPIRES_AT"].flatMap { TimeInterval($0) }, "EXPIRES_AT is Unix seconds")
        #expect(abs(expiresAt - Date().addingTimeInterval(3600).timeIntervalSince1970) < 120)
        let idToken = try #require(values["AUTHFLOW_ID_TOKEN"], "openid was asked for")
        #expect(try jwtClaims(idToken)["iss"] as? String == server.issuer("default"))
    }

    @Test("env --prefix renames the variables", arguments: ServerKind.all)
    func envPrefix(kind: ServerKind) async throws {
        let server = try await ServerPool.server(kind)
        let sandbox = try sandbox(server, scopes: "openid")
        let stdout = try await sandbox.run("env", "prod", "--prefix", "MY_").expectSuccess()
        let values = try await evaluateInSh(stdout, names: ["MY_ACCESS_TOKEN", "AUTHFLOW_ACCESS_TOKEN"], sandbox: sandbox)
        #expect(values["MY_ACCESS_TOKEN"].map(isB64Token) == true, "\(stdout)")
        #expect(values["AUTHFLOW_ACCESS_TOKEN"] == nil)
    }

    @Test("env: a second profile without an ID token unsets the first one's in sh, bash, zsh and fish", arguments: ServerKind.all)
    func envUnsetsStaleVariables(kind: ServerKind) async throws {
        let server = try await ServerPool.server(kind)
        let sandbox = try Sandbox(for: server)
        try sandbox.write(ProfileYAML.file([
            "a": server.passwordProfile("default", scopes: "[openid, profile]"),
            "b": server.okta("aus_custom1") + server.client(.post) + "grant: client_credentials\nscopes: [api:read]\n",
        ]))
        let shells: [(program: String, shell: String, script: String)] = [
            ("sh", "sh", #"eval "$A"; eval "$B"; printf '%s|%s|%s' "${AUTHFLOW_ID_TOKEN-<unset>}" "$AUTHFLOW_SCOPE" "$AUTHFLOW_ACCESS_TOKEN""#),
            ("bash", "sh", #"eval "$A"; eval "$B"; printf '%s|%s|%s' "${AUTHFLOW_ID_TOKEN-<unset>}" "$AUTHFLOW_SCOPE" "$AUTHFLOW_ACCESS_TOKEN""#),
            ("zsh", "sh", #"eval "$A"; eval "$B"; printf '%s|%s|%s' "${AUTHFLOW_ID_TOKEN-<unset>}" "$AUTHFLOW_SCOPE" "$AUTHFLOW_ACCESS_TOKEN""#),
            ("fish", "fish", #"printf '%s\n' "$A" | source; printf '%s\n' "$B" | source; set -q AUTHFLOW_ID_TOKEN; and set id $AUTHFLOW_ID_TOKEN; or set id '<unset>'; printf '%s|%s|%s' $id "$AUTHFLOW_SCOPE" "$AUTHFLOW_ACCESS_TOKEN""#),
        ]
        for entry in shells {
            let shell = try #require(Subprocess.which(entry.program), "\(entry.program) is installed on the test machine")
            let first = try await sandbox.run("env", "a", "--shell", entry.shell).expectSuccess()
            let second = try await sandbox.run("env", "b", "--shell", entry.shell).expectSuccess()
            #expect(first.contains("export AUTHFLOW_ID_TOKEN=") || first.contains("set -gx AUTHFLOW_ID_TOKEN "), "a sets an ID token: \(first)")
            let output = try await Subprocess.run(shell, ["-c", entry.script],
                                                  environment: ["PATH": sandbox.environment["PATH"] ?? "/usr/bin:/bin", "HOME": sandbox.home.path, "A": first, "B": second],
                                                  directory: sandbox.work)
            let fields = String(decoding: output.stdout, as: UTF8.self).split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            #expect(output.status == 0 && fields.count == 3, "\(entry.program): \(String(decoding: output.stderr, as: UTF8.self))")
            #expect(fields.first == "<unset>", "\(entry.program) kept a's ID token after b's env")
            #expect(fields.dropFirst().first == "api:read", "\(entry.program)")
            #expect(fields.last.map { second.contains("'\($0)'") && isB64Token($0) } == true, "\(entry.program) has b's access token")
        }
    }

    @Test("header: exactly one 'Authorization: Bearer <b64token>' line", arguments: ServerKind.all)
    func header(kind: ServerKind) async throws {
        let server = try await ServerPool.server(kind)
        let stdout = try await sandbox(server, scopes: "[openid]").run("header", "prod").expectSuccess()
        #expect(stdout.wholeMatch(of: /Authorization: Bearer [A-Za-z0-9\-._~+\/]+=*\n/) != nil, "\(stdout.debugDescription)")
    }

    @Test("token --format raw and header agree with the default raw output", arguments: ServerKind.all)
    func rawAndHeaderFormats(kind: ServerKind) async throws {
        let server = try await ServerPool.server(kind)
        let sandbox = try sandbox(server, scopes: "[openid]")
        let raw = try await sandbox.run("token", "prod", "--format", "raw").expectSuccess()
        #expect(raw.hasSuffix("\n") && raw.filter { $0 == "\n" }.count == 1 && isB64Token(String(raw.dropLast())))
        let header = try await sandbox.run("token", "prod", "--format", "header").expectSuccess()
        #expect(header.wholeMatch(of: /Authorization: Bearer [A-Za-z0-9\-._~+\/]+=*\n/) != nil, "\(header.debugDescription)")
    }

    @Test("token --format json: the response without refresh_token, plus expires_at and profile", arguments: ServerKind.all)
    func json(kind: ServerKind) async throws {
        let server = try await ServerPool.server(kind)
        let stdout = try await sandbox(server, scopes: "[openid, offline_access]").run("token", "prod", "--format", "json").expectSuccess()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any], "\(stdout)")
        #expect(object["refresh_token"] == nil, "the server sent one (offline_access); json must drop it")
        #expect(!stdout.contains("refresh_token"))
        #expect((object["access_token"] as? String).map(isB64Token) == true)
        #expect(object["token_type"] as? String == "Bearer")
        #expect(object["profile"] as? String == "prod")
        #expect(object["scope"] as? String == "openid offline_access")
        let expiresIn = try #require(object["expires_in"] as? Int)
        #expect((3500...3600).contains(expiresIn))
        let expiresAt = try #require(object["expires_at"] as? String)
        let date = try #require(ISO8601DateFormatter().date(from: expiresAt), "expires_at is RFC 3339: \(expiresAt)")
        #expect(expiresAt.hasSuffix("Z"), "expires_at is UTC")
        #expect(abs(date.timeIntervalSinceNow - 3600) < 120)
        #expect(object["id_token"] is String)
    }

    @Test("--id-token with openid writes the ID token", arguments: ServerKind.all, [["token", "prod", "--id-token"], ["header", "prod", "--id-token"]])
    func idToken(kind: ServerKind, arguments: [String]) async throws {
        let server = try await ServerPool.server(kind)
        let stdout = try await sandbox(server, scopes: "[openid, email]").run(arguments).expectSuccess()
        let jwt = stdout.hasPrefix("Authorization: Bearer ") ? String(stdout.dropFirst(22)) : stdout
        #expect(jwt.hasSuffix("\n") && jwt.filter { $0 == "\n" }.count == 1)
        let claims = try jwtClaims(jwt.trimmingCharacters(in: .newlines))
        #expect(claims["aud"] as? String == server.fixture.clientID)
        #expect(claims["iss"] as? String == server.issuer("default"))
        #expect(claims["email"] as? String == server.fixture.username)
    }

    @Test("--id-token without openid: exit 76 with a hint to ask for openid", arguments: ServerKind.all, [["token", "prod", "--id-token"], ["header", "prod", "--id-token"]])
    func idTokenMissing(kind: ServerKind, arguments: [String]) async throws {
        let server = try await ServerPool.server(kind)
        // A token response without an ID token: client_credentials (serve, like Okta, refuses the password grant without openid).
        let sandbox = try Sandbox(for: server)
        try sandbox.write(ProfileYAML.file(["prod": server.okta("default") + server.client() + "grant: client_credentials\nscopes: [api:read]\n"]))
        let result = try await sandbox.run(arguments)
        result.expectFailure(76, "ID token")
        #expect(result.stderrLines.last?.contains("openid") == true, "\(result)")
    }
}
