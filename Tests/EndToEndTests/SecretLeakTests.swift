import Foundation
import Testing

/// "Secret values never appear in any output, error, log line or `--verbose` trace" and
/// the sentinel tests of docs/reference/security.md: run with `--verbose`, failing and succeeding, and look for every
/// spelling of each secret on stdout and stderr.
@Suite("Secrets never leak", .authorizationServers)
struct SecretLeakTests {
    /// A sentinel with `/ + = & %` and a space, so its raw, form-encoded and percent-encoded
    /// spellings all differ; the marker alone must never appear either.
    static func sentinel(_ marker: String) -> String {
        "\(marker) x/+= &%-\(UUID().uuidString.prefix(8))"
    }

    /// Every way `secret` could show up in a trace or message.
    static func spellings(of secret: String) -> [String] {
        [
            secret,
            LoopbackHTTP.formEncode(secret),
            secret.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? secret,
            secret.replacingOccurrences(of: "/", with: "\\/"),  // JSON may escape '/'
        ]
    }

    func expectAbsent(_ needles: [String], in result: RunResult, _ what: String, stdoutToo: Bool = true, sourceLocation: SourceLocation = #_sourceLocation) {
        for needle in needles {
            #expect(!result.stderr.contains(needle), "\(what) on stderr as '\(needle)'; \(result)", sourceLocation: sourceLocation)
            if stdoutToo {
                #expect(!result.stdout.contains(needle), "\(what) on stdout as '\(needle)'; \(result)", sourceLocation: sourceLocation)
            }
        }
    }

    /// `--verbose` must actually trace, or the absence checks prove nothing.
    func expectTrace(_ result: RunResult, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(result.stderr.contains("POST"), "--verbose printed no trace; \(result)", sourceLocation: sourceLocation)
    }

    /// Runs `ARGS --verbose` with `env` against a password profile using `auth`; expects the
    /// server's refusal (77, `error`) and a trace.
    func refusedWithTrace(_ server: any AuthorizationServerProcess, auth: ClientAuth, _ arguments: [String], env: [String: String?], error: String,
                          sourceLocation: SourceLocation = #_sourceLocation) async throws -> RunResult {
        let sandbox = try Sandbox(for: server)
        try sandbox.write(ProfileYAML.file(["prod": server.passwordProfile(auth: auth)]))
        let result = try await sandbox.run(arguments + ["--verbose"], env: env)
        #expect(result.exitCode == 77 && result.stdout.isEmpty, "\(result)", sourceLocation: sourceLocation)
        #expect(result.stderrLines.contains { $0.hasPrefix("authflow: error: ") && $0.contains(error) }, "\(result)", sourceLocation: sourceLocation)
        expectTrace(result, sourceLocation: sourceLocation)
        return result
    }

    @Test("a wrong sentinel password, --verbose: 77 and the password appears nowhere", arguments: ServerKind.all, ClientAuth.allCases)
    func sentinelPassword(kind: ServerKind, auth: ClientAuth) async throws {
        let server = try await ServerPool.server(kind)
        let password = Self.sentinel("SentinelPassword")
        let result = try await refusedWithTrace(server, auth: auth, ["env", "prod"], env: ["E2E_PASSWORD": password], error: "invalid_grant")
        expectAbsent(Self.spellings(of: password) + ["SentinelPassword"], in: result, "the password")
        expectAbsent(Self.spellings(of: server.fixture.clientSecret), in: result, "the client secret")
    }

    @Test("a wrong sentinel client secret, --verbose: 77 and the secret appears nowhere", arguments: ServerKind.all, [ClientAuth.basic, .post])
    func sentinelClientSecret(kind: ServerKind, auth: ClientAuth) async throws {
        let server = try await ServerPool.server(kind)
        let secret = Self.sentinel("SentinelSecret")
        let result = try await refusedWithTrace(server, auth: auth, ["token", "prod"], env: ["E2E_CLIENT_SECRET": secret], error: "invalid_client")
        let basic = String(basicCredentials(server.fixture.clientID, secret).dropFirst("Basic ".count))
        expectAbsent(Self.spellings(of: secret) + ["SentinelSecret", basic], in: result, "the client secret")
        expectAbsent(Self.spellings(of: server.fixture.password), in: result, "the password")
    }

    @Test("success with --verbose: real secret, password and tokens stay off stderr",
          arguments: ServerKind.all, [["env", "prod"], ["token", "prod", "--format", "json"], ["header", "prod"]])
    func success(kind: ServerKind, arguments: [String]) async throws {
        let server = try await ServerPool.server(kind)
        for auth in [ClientAuth.basic, .post] {
            let sandbox = try Sandbox(for: server)
            try sandbox.write(ProfileYAML.file(["prod": server.passwordProfile("default", auth: auth, scopes: "[openid, offline_access]")]))
            let result = try await sandbox.run(arguments + ["--verbose"])
            #expect(result.exitCode == 0 && !result.stdout.isEmpty, "\(result)")
            expectTrace(result)
            let basic = String(basicCredentials(server.fixture.clientID, server.fixture.clientSecret).dropFirst("Basic ".count))
            expectAbsent(Self.spellings(of: server.fixture.clientSecret) + [basic, "s3cr3t"], in: result, "the client secret")
            expectAbsent(Self.spellings(of: server.fixture.password) + ["Passw0rd"], in: result, "the password")
            // Tokens are the output: allowed on stdout, never in the trace.
            // (Every run of 30+ token characters: access tokens and each part of the ID token.)
            let tokens = result.stdout.matches(of: /[A-Za-z0-9\-_]{30,}/).map { String($0.output) }
            #expect(!tokens.isEmpty, "\(result)")
            expectAbsent(tokens, in: result, "a token", stdoutToo: false)
        }
    }

    @Test("refresh_token grant with --verbose: the refresh token appears nowhere", arguments: ServerKind.all)
    func refreshToken(kind: ServerKind) async throws {
        let server = try await ServerPool.server(kind)
        let sandbox = try Sandbox(for: server)
        try sandbox.write(ProfileYAML.file(["refresh": server.okta("default") + server.client(.post)
            + "grant:\n  type: refresh_token\n  refresh_token: env:RT\n"]))
        let refreshToken = try await server.refreshToken(authServer: "default")

        let result = try await sandbox.run("env", "refresh", "--verbose", env: ["RT": refreshToken])
        #expect(result.exitCode == 0, "\(result)")
        expectTrace(result)
        expectAbsent([refreshToken], in: result, "the refresh token")
        expectAbsent(Self.spellings(of: server.fixture.clientSecret), in: result, "the client secret")
    }
}
