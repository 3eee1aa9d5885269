import Foundation
import Testing

/// Mistakes in credentials and addresses: each gives its exit code (docs/reference/exit-codes.md), an empty stdout, and
/// one error line with a hint. No fault injection, so these run against every server kind.
@Suite("Credential and address failures", .authorizationServers)
struct CredentialFailureTests {
    /// A sandbox with profile `prod` (`body`) and the fixture's secrets in the environment.
    func sandbox(_ server: any AuthorizationServerProcess, _ body: String) throws -> Sandbox {
        let sandbox = try Sandbox(for: server)
        try sandbox.write(ProfileYAML.file(["prod": body]))
        return sandbox
    }

    @Test("wrong password: 77 invalid_grant", arguments: ServerKind.all, ["org", "aus_custom1"])
    func wrongPassword(kind: ServerKind, authServer: String) async throws {
        let server = try await ServerPool.server(kind)
        let result = try await sandbox(server, server.passwordProfile(authServer)).run("env", "prod", env: ["E2E_PASSWORD": "not-the-password"])
        result.expectFailure(77, "invalid_grant")
    }

    @Test("wrong client secret: 77 invalid_client", arguments: ServerKind.all, [ClientAuth.basic, .post])
    func wrongClientSecret(kind: ServerKind, auth: ClientAuth) async throws {
        let server = try await ServerPool.server(kind)
        let result = try await sandbox(server, server.passwordProfile(auth: auth)).run("env", "prod", env: ["E2E_CLIENT_SECRET": "not-the-secret"])
        result.expectFailure(77, "invalid_client")
    }

    @Test("password from an unset or empty variable: 78 naming it", arguments: ServerKind.all, [nil, ""])
    func unsetPasswordVariable(kind: ServerKind, value: String?) async throws {
        let server = try await ServerPool.server(kind)
        let body = server.okta() + server.client() + server.passwordGrant(password: "env:E2E_OTHER_PASSWORD")
        let result = try await sandbox(server, body).run("env", "prod", env: ["E2E_OTHER_PASSWORD": value])
        result.expectFailure(78, "E2E_OTHER_PASSWORD")
    }

    @Test("missing secret file: 78 naming the file", arguments: ServerKind.all)
    func missingSecretFile(kind: ServerKind) async throws {
        let server = try await ServerPool.server(kind)
        let result = try await sandbox(server, server.okta() + server.client(secret: "file:./nope") + server.passwordGrant()).run("header", "prod")
        result.expectFailure(78, "nope")
    }

    @Test("unknown auth_server: the server's 404 HTML page is a protocol error, 76", arguments: ServerKind.all)
    func unknownAuthorizationServer(kind: ServerKind) async throws {
        let server = try await ServerPool.server(kind)
        let result = try await sandbox(server, server.passwordProfile("aus_doesnotexist")).run("token", "prod")
        result.expectFailure(76, "404")
    }

    @Test("invalid scope: 77 invalid_scope", arguments: ServerKind.all)
    func invalidScope(kind: ServerKind) async throws {
        let server = try await ServerPool.server(kind)
        let result = try await sandbox(server, server.passwordProfile(scopes: "[openid, no:such:scope]")).run("token", "prod")
        result.expectFailure(77, "invalid_scope")
    }

    @Test("the password grant without openid: 77 invalid_scope naming openid, as Okta answers", arguments: ServerKind.all)
    func passwordWithoutOpenID(kind: ServerKind) async throws {
        let server = try await ServerPool.server(kind)
        let result = try await sandbox(server, server.passwordProfile(scopes: "[profile, email]")).run("token", "prod")
        result.expectFailure(77, "invalid_scope: The 'openid' scope is required for the password grant type.")
    }

    @Test("server down (closed port): 69")
    func serverDown() async throws {
        let port = try closedLoopbackPort()
        let sandbox = try Sandbox()
        sandbox.environment["E2E_PASSWORD"] = "x"
        try sandbox.write(ProfileYAML.file(["prod": """
            domain: http://127.0.0.1:\(port)
            timeout: 20s
            client:
              id: public-cli
            grant:
              type: password
              username: someone@example.com
              password: env:E2E_PASSWORD
            """]))
        let result = try await sandbox.run("env", "prod")
        result.expectFailure(69, "127.0.0.1:\(port)")
        // A refused connection must fail at once, not wait out the 20 s timeout on each of the
        // three attempts (60 s); the margin is for a loaded machine.
        #expect(result.duration < .seconds(40), "retries are bounded: \(result.duration)")
    }
}
